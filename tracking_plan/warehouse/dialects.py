"""What each warehouse calls the few JSON operations the checks need and sqlglot does not translate between
dialects: reading a path, a value's JSON type, its text, number and length, an object's members and a list's items
(explode), whether an object has a key. Each is a spelling in the warehouse's own SQL, parsed by sqlglot into the
query's expression tree (placeholders `__v`, `__doc`, `__k`, `__inst` are replaced by sub-trees), never pasted as
text.

Everything else in the query (CASE, CONCAT, IN, LIKE, regular expressions, VALUES, GROUP BY, UNION ALL) is built
once and rendered by sqlglot in each dialect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import sqlglot
from sqlglot import exp

KINDS = ("string", "integer", "number", "boolean", "object", "array", "null")
"""JSON kinds the checks reason about; `number` here is a number that is not an integer."""


@dataclass(frozen=True)
class Spelling:
    type_of: str
    """The JSON type of `__v`, as a name listed in `kinds`."""
    kinds: Mapping[str, tuple[str, ...]]
    """Per JSON kind, the names `type_of` gives it (LIKE patterns when they hold a %)."""
    get: str
    """`__v` at the path `__path` of the document `__doc`: SQL NULL when absent, JSON null when null."""
    text: str
    number: str
    raw: str
    """`__v` serialized as JSON text."""
    length: str
    """The number of items of the list `__v`."""
    path: Callable[[Sequence[str]], list[exp.Expr]]
    """How the keys of a path are passed to `get`: one JSONPath literal, or one literal per key."""
    integral_by_text: bool = False
    """The dialect's JSON type does not split integers from other numbers: an integer is a number whose JSON text
    has no fraction or exponent."""
    text_length: str = "LENGTH(__v)"
    """How many characters (not bytes) the text `__v` has."""
    to_json: str = "TO_JSON(__v)"
    """A column of a flat table as a JSON value."""
    ga4_param: str | None = None
    """The GA4 export's event parameter `__key` of `__params` as a JSON value (the one typed value set)."""
    micros: str = "__v"
    """A timestamp in microseconds (GA4's event_timestamp) as a timestamp."""
    explode: str = ""
    """The members of each object and the items of each list in the relation `__inst` (its `val`, of the kind
    `vkind`): every column of `__inst`, then `ckey` (a member's key; `[]` for an item) and `cval` (its value)."""
    has_key: str = ""
    """Whether the object `__v` has the key `__k` (whatever its value, null included)."""
    empty_object: str = "CAST('{}' AS JSON)"
    """The empty JSON object."""
    parse_json: str = "CAST(__v AS JSON)"
    """JSON text as the JSON value the checks read."""
    ga4_doc: str | None = None
    """The GA4 export's event parameters `__params` as one JSON object (each parameter's one typed value set)."""


def _jsonpath(keys: Sequence[str]) -> list[exp.Expr]:
    return [exp.Literal.string("$" + "".join('."' + k.replace("\\", "\\\\").replace('"', '\\"') + '"'
                                              for k in keys))]


def _snowflake_path(keys: Sequence[str]) -> list[exp.Expr]:
    return [exp.Literal.string(".".join('"' + k.replace('"', '""') + '"' for k in keys))]


def _each_key(keys: Sequence[str]) -> list[exp.Expr]:
    return [exp.Literal.string(k) for k in keys]


def _databricks_path(keys: Sequence[str]) -> list[exp.Expr]:
    return [exp.Literal.string("$" + "".join("['" + k.replace("\\", "\\\\").replace("'", "\\'") + "']"
                                              for k in keys))]


_JSON_LOWER: dict[str, tuple[str, ...]] = {
    "string": ("string",), "integer": ("number",), "number": ("number",), "boolean": ("boolean",),
               "object": ("object",), "array": ("array",), "null": ("null",)}

SPELLINGS: dict[str, Spelling] = {
    "duckdb": Spelling(
        explode="SELECT i.*, CASE WHEN i.vkind = 'array' THEN '[]' ELSE e.key END AS ckey, e.value AS cval "
                "FROM __inst AS i, json_each(i.val) AS e",
        has_key="list_contains(json_keys(__v), __k)",

        type_of="json_type(__v)",
        kinds={"string": ("VARCHAR",), "integer": ("BIGINT", "UBIGINT", "HUGEINT"), "number": ("DOUBLE",),
               "boolean": ("BOOLEAN",), "object": ("OBJECT",), "array": ("ARRAY",), "null": ("NULL",)},
        get="json_extract(__doc, __path)", text="json_extract_string(__v, '$')",
        number="TRY_CAST(json_extract_string(__v, '$') AS DOUBLE)", raw="CAST(__v AS VARCHAR)",
        length="json_array_length(__v)",
        path=_jsonpath,
        to_json="to_json(__v)",
        ga4_param="list_transform(list_filter(__params, LAMBDA p : p.key = __key), LAMBDA p : CASE "
                  "WHEN NOT p.value.string_value IS NULL THEN to_json(p.value.string_value) "
                  "WHEN NOT p.value.int_value IS NULL THEN to_json(p.value.int_value) "
                  "WHEN NOT p.value.double_value IS NULL THEN to_json(p.value.double_value) "
                  "WHEN NOT p.value.float_value IS NULL THEN to_json(p.value.float_value) "
                  "ELSE CAST('null' AS JSON) END)[1]",
        micros="make_timestamp(CAST(__v AS BIGINT))",
        ga4_doc="CAST(to_json(map_from_entries(list_transform(coalesce(__params, []), LAMBDA p : struct_pack("
                "k := p.key, v := CASE WHEN NOT p.value.string_value IS NULL THEN to_json(p.value.string_value) "
                "WHEN NOT p.value.int_value IS NULL THEN to_json(p.value.int_value) "
                "WHEN NOT p.value.double_value IS NULL THEN to_json(p.value.double_value) "
                "WHEN NOT p.value.float_value IS NULL THEN to_json(p.value.float_value) "
                "ELSE CAST('null' AS JSON) END)))) AS JSON)"),
    "clickhouse": Spelling(
        explode="SELECT i.*, tupleElement(kv, 1) AS ckey, tupleElement(kv, 2) AS cval FROM __inst AS i "
                "ARRAY JOIN arrayConcat(arrayMap(x -> ('[]', x), JSONExtractArrayRaw("
                "if(i.vkind = 'array', ifNull(i.val, ''), '[]'))), JSONExtractKeysAndValuesRaw("
                "if(i.vkind = 'object', ifNull(i.val, ''), '{}'))) AS kv",
        has_key="JSONHas(__v, __k)", empty_object="'{}'", parse_json="__v",

        type_of="JSONType(__v)",
        kinds={"string": ("String",), "integer": ("Int64", "UInt64"), "number": ("Double",), "boolean": ("Bool",),
               "object": ("Object",), "array": ("Array",), "null": ("Null",)},
        get="if(JSONHas(__doc, __path), JSONExtractRaw(__doc, __path), NULL)", text="JSONExtractString(__v)",
        number="JSONExtractFloat(__v)", raw="__v", length="JSONLength(__v)",
        path=_each_key,
        text_length="lengthUTF8(__v)", to_json="toJSONString(__v)"),
    "bigquery": Spelling(
        explode="SELECT i.*, c.k AS ckey, c.v AS cval FROM __inst AS i CROSS JOIN UNNEST(IF(i.vkind = 'array', "
                "ARRAY(SELECT AS STRUCT '[]' AS k, x AS v FROM UNNEST(JSON_QUERY_ARRAY(i.val)) AS x), "
                "ARRAY(SELECT AS STRUCT k, i.val[k] AS v FROM UNNEST(JSON_KEYS(i.val, 1)) AS k))) AS c",
        has_key="__v[__k] IS NOT NULL", empty_object="JSON '{}'", parse_json="PARSE_JSON(__v)",
        type_of="JSON_TYPE(__v)", kinds=_JSON_LOWER, get="JSON_QUERY(__doc, __path)", text="JSON_VALUE(__v)",
        number="LAX_FLOAT64(__v)", raw="TO_JSON_STRING(__v)", length="ARRAY_LENGTH(JSON_QUERY_ARRAY(__v))",
        path=_jsonpath,
        integral_by_text=True,
        ga4_param="(SELECT CASE WHEN NOT p.value.string_value IS NULL THEN TO_JSON(p.value.string_value) "
                  "WHEN NOT p.value.int_value IS NULL THEN TO_JSON(p.value.int_value) "
                  "WHEN NOT p.value.double_value IS NULL THEN TO_JSON(p.value.double_value) "
                  "WHEN NOT p.value.float_value IS NULL THEN TO_JSON(p.value.float_value) "
                  "ELSE JSON 'null' END FROM UNNEST(__params) AS p WHERE p.key = __key LIMIT 1)",
        micros="TIMESTAMP_MICROS(__v)",
        ga4_doc="PARSE_JSON(CONCAT('{', ARRAY_TO_STRING(ARRAY(SELECT CONCAT(TO_JSON_STRING(p.key), ':', "
                "CASE WHEN NOT p.value.string_value IS NULL THEN TO_JSON_STRING(p.value.string_value) "
                "WHEN NOT p.value.int_value IS NULL THEN TO_JSON_STRING(p.value.int_value) "
                "WHEN NOT p.value.double_value IS NULL THEN TO_JSON_STRING(p.value.double_value) "
                "WHEN NOT p.value.float_value IS NULL THEN TO_JSON_STRING(p.value.float_value) "
                "ELSE 'null' END) FROM UNNEST(__params) AS p), ','), '}'))"),
    "snowflake": Spelling(
        explode="SELECT i.*, COALESCE(f.key, '[]') AS ckey, f.value AS cval FROM __inst AS i, "
                "LATERAL FLATTEN(input => i.val) AS f",
        has_key="NOT GET(__v, __k) IS NULL", empty_object="OBJECT_CONSTRUCT()", parse_json="PARSE_JSON(__v)",

        type_of="TYPEOF(__v)",
        kinds={"string": ("VARCHAR",), "integer": ("INTEGER",), "number": ("DECIMAL", "DOUBLE"),
               "boolean": ("BOOLEAN",), "object": ("OBJECT",), "array": ("ARRAY",), "null": ("NULL_VALUE",)},
        get="GET_PATH(__doc, __path)", text="AS_VARCHAR(__v)", number="AS_DOUBLE(__v)", raw="TO_JSON(__v)",
        length="ARRAY_SIZE(__v)",
        path=_snowflake_path, to_json="TO_VARIANT(__v)"),
    "postgres": Spelling(
        explode="SELECT i.*, e.key AS ckey, e.value AS cval FROM __inst AS i CROSS JOIN LATERAL ("
                "SELECT key, value FROM jsonb_each(CASE WHEN i.vkind = 'object' THEN i.val END) UNION ALL "
                "SELECT '[]', value FROM jsonb_array_elements(CASE WHEN i.vkind = 'array' THEN i.val END)) "
                "AS e(key, value)",
        has_key="NOT (__v -> __k) IS NULL", empty_object="CAST('{}' AS JSONB)", parse_json="CAST(__v AS JSONB)",

        type_of="jsonb_typeof(__v)", kinds=_JSON_LOWER, get="jsonb_extract_path(__doc, __path)",
        text="__v #>> '{}'", number="CAST(__v #>> '{}' AS DOUBLE PRECISION)", raw="CAST(__v AS TEXT)",
        length="jsonb_array_length(__v)",
        path=_each_key,
        integral_by_text=True, to_json="to_jsonb(__v)"),
    "redshift": Spelling(
        explode="SELECT i.*, k AS ckey, v AS cval FROM __inst AS i, UNPIVOT i.val AS v AT k "
                "UNION ALL SELECT i.*, '[]' AS ckey, x AS cval FROM __inst AS i, i.val AS x",
        has_key="JSON_EXTRACT_PATH_TEXT(JSON_SERIALIZE(__v), __k, TRUE) <> ''",
        empty_object="JSON_PARSE('{}')", parse_json="JSON_PARSE(__v)",

        type_of="JSON_TYPEOF(__v)", kinds=_JSON_LOWER, get="__doc[__path]", text="CAST(__v AS VARCHAR)",
        number="CAST(__v AS DOUBLE PRECISION)", raw="JSON_SERIALIZE(__v)", length="GET_ARRAY_LENGTH(__v)",
        path=_each_key, integral_by_text=True, to_json="__v"),
    "databricks": Spelling(
        explode="SELECT i.*, COALESCE(e.key, '[]') AS ckey, e.value AS cval FROM __inst AS i, "
                "LATERAL variant_explode(i.val) AS e",
        has_key="array_contains(map_keys(CAST(__v AS MAP<STRING, VARIANT>)), __k)",
        empty_object="parse_json('{}')", parse_json="parse_json(__v)",

        type_of="schema_of_variant(__v)",
        kinds={"string": ("STRING",), "integer": ("BIGINT", "INT", "SMALLINT", "TINYINT"),
               "number": ("DOUBLE", "FLOAT", "DECIMAL%"), "boolean": ("BOOLEAN",), "object": ("OBJECT%",),
               "array": ("ARRAY%",), "null": ("VOID",)},
        get="variant_get(__doc, __path, 'variant')", text="CAST(__v AS STRING)", number="CAST(__v AS DOUBLE)",
        raw="to_json(__v)", length="array_size(CAST(__v AS ARRAY<VARIANT>))",
        path=_databricks_path,
        to_json="to_variant_object(__v)"),
}
DIALECTS = tuple(sorted(SPELLINGS))


@cache
def _parsed(dialect: str, text: str) -> exp.Expr:
    return sqlglot.parse_one(text, read=dialect)


def spell(dialect: str, text: str, **parts: exp.Expr | list[exp.Expr]) -> exp.Expr:
    """The spelling, parsed in the dialect, with each `__name` placeholder replaced by its sub-tree (a list
    fills a function's arguments in place)."""
    tree = _parsed(dialect, text).copy()

    def fill(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table and node.name.startswith("__"):
            part = parts.get(node.name[2:])
            if isinstance(part, exp.Expr):
                return part.copy()
        if isinstance(node, exp.Identifier) and node.name.startswith("__") and not isinstance(node.parent,
                                                                                                exp.Column):
            part = parts.get(node.name[2:])  # a variable the spelling binds: a lambda's, a table alias'
            if isinstance(part, exp.Column):
                return exp.to_identifier(part.name)
        return node

    tree = tree.transform(fill)
    for key, part in parts.items():
        if isinstance(part, list):
            _spread(tree, f"__{key}", part)
    return tree


def _spread(tree: exp.Expr, placeholder: str, values: list[exp.Expr]) -> None:
    """A list placeholder stands for several arguments: `f(__doc, __path)` with two keys is `f(doc, 'a', 'b')`."""
    for column in list(tree.find_all(exp.Column)):
        if column.name != placeholder or column.table:
            continue
        parent = column.parent
        if isinstance(parent, exp.Bracket):  # Redshift: doc['a']['b']
            node: exp.Expr = parent.this
            for value in values:
                node = exp.Bracket(this=node, expressions=[value.copy()])
            parent.replace(node)
            continue
        if parent is None or column.arg_key != "expressions":
            column.replace(values[0].copy())
            continue
        siblings = list(parent.args["expressions"])
        index = next(i for i, s in enumerate(siblings) if s is column)
        parent.set("expressions", siblings[:index] + [v.copy() for v in values] + siblings[index + 1:])


def kind_test(dialect: str, value: exp.Expr, kinds: set[str]) -> exp.Expr:
    """Whether the JSON value is of one of the kinds (NULL when the value is absent)."""
    spelling = SPELLINGS[dialect]
    type_of = spell(dialect, spelling.type_of, v=value)
    terms: list[exp.Expr] = []
    names: list[str] = []
    patterns: list[str] = []
    split = spelling.integral_by_text and ("integer" in kinds) != ("number" in kinds)
    for kind in KINDS:
        if kind not in kinds or (split and kind in ("integer", "number")):
            continue
        for name in spelling.kinds[kind]:
            if name not in names and name not in patterns:
                (patterns if "%" in name else names).append(name)
    if names:
        terms.append(exp.In(this=type_of, expressions=[exp.Literal.string(n) for n in names]))
    terms += [exp.Like(this=type_of.copy(), expression=exp.Literal.string(p)) for p in patterns]
    if split:
        integral = exp.RegexpLike(this=spell(dialect, spelling.raw, v=value),
                                  expression=exp.Literal.string(r"^-?[0-9]+$"))
        terms.append(exp.and_(exp.EQ(this=type_of.copy(), expression=exp.Literal.string("number")),
                              integral if "integer" in kinds else exp.not_(integral)))
    if not terms:
        return exp.false()
    return exp.paren(exp.or_(*terms)) if len(terms) > 1 else terms[0]


def search(dialect: str, text: exp.Expr, pattern: str | exp.Expr) -> exp.Expr:
    """Whether the regular expression (a literal, or an expression such as a rule's column) matches somewhere in
    the text (JSON Schema's `pattern`)."""
    regex = exp.Literal.string(pattern) if isinstance(pattern, str) else pattern
    if dialect == "snowflake":  # REGEXP_LIKE and RLIKE match the whole text there
        return exp.GT(this=exp.Anonymous(this="REGEXP_INSTR", expressions=[text, regex]),
                      expression=exp.Literal.number(0))
    return exp.RegexpLike(this=text, expression=regex)
