"""`validate --sql DIALECT --table NAME`: the plan's checks as one SQL query for the warehouse a team already runs.

The rules travel as data, not as code: the query's text does not grow with the plan. The plan's compiled rules
(rules.py) are either inlined as a `VALUES` list, while that fits in the warehouse's query size, or read from a
table loaded in the warehouse (`--rules-table`, from the CSV `--rules-out` writes). One expression tree, built with
sqlglot and rendered in each dialect; the JSON operations sqlglot does not translate (a value's type, an object's
members, a list's items) are spelled per warehouse in warehouse/dialects.py.

How the query reads the table:

1. `messages`: each message's event, platform, time and document (its properties, or its traits for identify),
   with an identity computed from its content (an MD5 and a rank among identical messages), which every engine
   computes the same way however often it evaluates a common table expression;
2. `planned`: each message joined to its event's rules (status, platforms, closed);
3. level by level, as deep as the plan's objects go: the members of each object and the items of each list the
   plan describes, joined to their rules by (parent, key); each check is one predicate over a joined member, and
   the required members an object lacks are joined from the `required` rules;
4. every violation, counted per (event, check, property) over distinct messages, with two samples; a property
   marked `pii` (or inside one) shows its JSON type and length, never its value.

The result has one row per event (`seen`, `valid`, `first_seen`, `last_seen`) and one per violation (`check`,
`property`, `count`, `sample_1`, `sample_2`); `validate --from-sql-result` renders it as the local report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlglot
from sqlglot import exp

from tracking_plan.conformance.patterns import refuse_unusable_patterns
from tracking_plan.conformance.samples import SAMPLE_WIDTH
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan, carried_properties
from tracking_plan.shapes.columns import SHAPES, flat_shape
from tracking_plan.validate.rules import RuleSet, rule_set, rules_csv
from tracking_plan.warehouse.dialects import KINDS, SPELLINGS, kind_test, search, spell
from tracking_plan.warehouse.table import TableLayer, source_table, table_layer

RESULT_COLUMNS = ("event", "seen", "valid", "first_seen", "last_seen", "check", "property", "count", "sample_1",
                  "sample_2")
"""The query's result columns, pinned: `--from-sql-result` reads a CSV or JSON export of them."""


@dataclass(frozen=True)
class Limit:
    characters: int | None = None
    """The longest query text, in characters (BigQuery) or bytes (`in_bytes`)."""
    in_bytes: bool = False
    ast_elements: int | None = None
    """ClickHouse's max_ast_elements: the query's syntax tree, counted as sqlglot counts it (a little more than
    ClickHouse does), must stay below it."""
    source: str = ""


LIMITS: dict[str, Limit] = {
    "bigquery": Limit(1_024_000, source="BigQuery: maximum query length 1,024K characters"),
    "snowflake": Limit(1_000_000, in_bytes=True, source="Snowflake: 1 MB of query text"),
    "clickhouse": Limit(262_144, in_bytes=True, ast_elements=50_000,
                        source="ClickHouse defaults: max_query_size 256 KiB, max_ast_elements 50,000"),
    "redshift": Limit(16_777_216, in_bytes=True, source="Redshift: 16 MB statements"),
    "databricks": Limit(16_000_000, in_bytes=True, source="Databricks: 16 MB of query text"),
    "postgres": Limit(100_000_000, in_bytes=True, source="a statement of 100 MB"),
    "duckdb": Limit(100_000_000, in_bytes=True, source="a statement of 100 MB"),
}
"""What each warehouse accepts; a query past its limit is refused, with the way out (--rules-table)."""

_PRETTY_UP_TO = 250_000
_SAMPLE_ROWS = 200
_CHECK_NAMES = ("unplanned-property", "wrong-type", "enum", "pattern", "format", "range", "length", "items")

# The query, in sqlglot's own dialect. TP_* calls are the JSON operations each warehouse spells its own way
# (`spell_calls` replaces them); `rules_source` and `level_*` relations are filled in by `_query`.
_RULES = """SELECT CAST(scope AS TEXT) AS scope, CAST(node_id AS BIGINT) AS node_id,
  CAST(parent_id AS BIGINT) AS parent_id, COALESCE(CAST(prop_key AS TEXT), '') AS prop_key,
  COALESCE(CAST(label AS TEXT), '') AS label, CAST(check_id AS TEXT) AS check_id, CAST(argument AS TEXT) AS argument,
  CAST(num_arg AS DOUBLE) AS num_arg, CAST(pii AS BIGINT) AS pii
FROM rules_source AS r"""
INLINE_COLUMNS = ("scope", "node_id", "parent_id", "prop_key", "label", "check_id", "argument", "num_arg", "pii")
"""The rules' columns the query reads (the others, rule_id, event and path, are for people reading the table)."""

_NODES = """SELECT node_id, MAX(parent_id) AS parent_id, MAX(scope) AS scope, MAX(prop_key) AS prop_key,
  MAX(label) AS label, MAX(pii) AS pii, 1 AS defined,
  MAX(CASE WHEN check_id IN ('event', 'property') THEN COALESCE(argument, '') END) AS kinds,
  MAX(CASE WHEN check_id = 'closed' THEN 1 ELSE 0 END) AS closed,
  MAX(CASE WHEN check_id IN ('enum', 'enum-boolean', 'enum-number') THEN 1 ELSE 0 END) AS has_enum,
  MAX(CASE WHEN check_id = 'pattern' THEN COALESCE(argument, '') END) AS pattern,
  MAX(CASE WHEN check_id = 'format' THEN argument END) AS format_re,
  MAX(CASE WHEN check_id = 'minimum' THEN num_arg END) AS minimum,
  MAX(CASE WHEN check_id = 'maximum' THEN num_arg END) AS maximum,
  MAX(CASE WHEN check_id = 'exclusive_minimum' THEN num_arg END) AS exclusive_minimum,
  MAX(CASE WHEN check_id = 'exclusive_maximum' THEN num_arg END) AS exclusive_maximum,
  MAX(CASE WHEN check_id = 'min_length' THEN num_arg END) AS min_length,
  MAX(CASE WHEN check_id = 'max_length' THEN num_arg END) AS max_length,
  MAX(CASE WHEN check_id = 'min_items' THEN num_arg END) AS min_items,
  MAX(CASE WHEN check_id = 'max_items' THEN num_arg END) AS max_items,
  MAX(CASE WHEN check_id = 'platform' THEN 1 ELSE 0 END) AS has_platforms,
  MAX(CASE WHEN check_id = 'object' THEN 1 ELSE 0 END) AS has_props,
  MAX(CASE WHEN check_id = 'list' THEN 1 ELSE 0 END) AS has_items,
  MAX(CASE WHEN check_id IN ('draft-event', 'deprecated-event') THEN check_id END) AS status,
  MAX(CASE WHEN check_id IN ('draft-event', 'deprecated-event') THEN argument END) AS status_sample
FROM rules GROUP BY node_id"""

_MESSAGES = """SELECT tp_event, tp_ts, tp_platform, tp_scope, tp_doc,
  CONCAT(tp_print, '#', CAST(ROW_NUMBER() OVER (PARTITION BY tp_print ORDER BY tp_print) AS TEXT)) AS tp_row
FROM (
  SELECT *, MD5(CONCAT(tp_scope, '|', COALESCE(tp_event, ''), '|', COALESCE(tp_platform, ''), '|',
                       COALESCE(CAST(tp_ts AS TEXT), ''), '|', COALESCE(TP_RAW(tp_doc), ''))) AS tp_print
  FROM (
    SELECT tp_event, tp_ts, tp_platform, tp_kind AS tp_scope,
           CASE WHEN tp_kind IN ('identify', 'group') THEN tp_traits ELSE tp_doc_props END AS tp_doc
    FROM source) AS m) AS f"""

_PLANNED = """SELECT m.tp_row, m.tp_event, m.tp_ts, m.tp_platform, m.tp_scope, m.tp_doc,
  COALESCE(e.defined, 0) AS planned, e.node_id AS root, COALESCE(e.closed, 0) AS root_closed, e.status,
  e.status_sample, COALESCE(e.has_platforms, 0) AS has_platforms, COALESCE(p.hit, 0) AS platform_ok
FROM messages AS m
LEFT JOIN (SELECT * FROM nodes WHERE parent_id = 0) AS e ON e.scope = m.tp_scope AND e.prop_key = m.tp_event
LEFT JOIN (SELECT node_id AS holder, COALESCE(argument, '') AS platform, 1 AS hit FROM rules
           WHERE check_id = 'platform' GROUP BY node_id, COALESCE(argument, '')) AS p
  ON p.holder = e.node_id AND p.platform = m.tp_platform"""

_NODE_VARIANTS = """,
  MAX(CASE WHEN check_id = 'discriminator' THEN argument END) AS discriminator,
  COALESCE(MAX(CASE WHEN check_id = 'variant' THEN argument END), '') AS variant
FROM rules GROUP BY node_id"""
"""With variants in the plan, the nodes say which key picks an event's variant and which value picks a variant."""

_VARIANTS = """SELECT b.tp_row, b.tp_event, b.tp_ts, b.tp_platform, b.tp_scope, b.tp_doc, b.planned,
  COALESCE(v.node_id, b.root) AS root, CASE WHEN v.node_id IS NULL THEN b.root_closed ELSE v.closed END AS root_closed,
  b.status, b.status_sample, b.has_platforms, b.platform_ok
FROM base_planned AS b
LEFT JOIN (SELECT node_id, scope, prop_key, variant, closed FROM nodes WHERE parent_id = 0 AND variant <> '') AS v
  ON v.scope = b.tp_scope AND v.prop_key = b.tp_event AND v.variant = b.tp_variant"""
"""A message of an event with variants is judged by the variant its discriminator's text picks, if any; what
concerns the whole message (status, platforms) stays the event's."""

_MESSAGE_CHECKS = """SELECT tp_row, tp_event, check_id, CAST(NULL AS TEXT) AS property, tp_sample, tp_ts
FROM (
  SELECT tp_row, tp_event,
    CASE k.name WHEN 'message' THEN '(message)' WHEN 'event' THEN 'unplanned-event' WHEN 'status' THEN status
                ELSE 'unplanned-platform' END AS check_id,
    CASE k.name WHEN 'event' THEN 'not in the plan' WHEN 'status' THEN status_sample
                WHEN 'platform' THEN tp_platform END AS tp_sample,
    CASE WHEN k.name = 'message' THEN tp_ts END AS tp_ts,
    CASE k.name WHEN 'message' THEN 1
                WHEN 'event' THEN CASE WHEN planned = 0 AND tp_scope <> 'identify' THEN 1 ELSE 0 END
                WHEN 'status' THEN CASE WHEN planned = 1 AND NOT status IS NULL AND status <> '' THEN 1 ELSE 0 END
                ELSE CASE WHEN planned = 1 AND has_platforms = 1 AND NOT tp_platform IS NULL AND platform_ok = 0
                          THEN 1 ELSE 0 END END AS broken
  FROM planned CROSS JOIN (SELECT 'message' AS name UNION ALL SELECT 'event' AS name
                           UNION ALL SELECT 'status' AS name UNION ALL SELECT 'platform' AS name) AS k) AS c
WHERE broken = 1"""
"""Per message, a row that counts it (`(message)`, with its time) and one per message-level violation."""

_ROOTS = """SELECT tp_row, tp_event, root AS node_id, '' AS label, root_closed AS closed, 'object' AS vkind,
  CASE WHEN TP_KIND(tp_doc) = 'object' THEN tp_doc ELSE TP_EMPTY() END AS val
FROM planned WHERE planned = 1"""

_VALUES = """SELECT k.tp_row AS tp_row, k.tp_event AS tp_event, k.label AS plabel, k.closed AS pclosed,
  k.ckey AS ckey, k.cval AS cval, k.kind AS kind, k.text AS text, k.num AS num, COALESCE(t.defined, 0) AS defined,
  CASE WHEN COALESCE(t.defined, 0) = 1 AND t.label <> '' THEN t.label ELSE k.path END AS label,
  t.node_id AS node_id, t.scope AS scope, t.pii AS pii, t.kinds AS kinds, t.closed AS closed,
  t.has_enum AS has_enum, t.pattern AS pattern, t.format_re AS format_re, t.minimum AS minimum,
  t.maximum AS maximum, t.exclusive_minimum AS exclusive_minimum, t.exclusive_maximum AS exclusive_maximum,
  t.min_length AS min_length, t.max_length AS max_length, t.min_items AS min_items, t.max_items AS max_items,
  t.has_props AS has_props, t.has_items AS has_items, COALESCE(e.hit, 0) AS enum_hit
FROM (
  SELECT y.*, CASE WHEN COALESCE(z.listed, 0) = 1 THEN y.ckey ELSE '*' END AS lookup
  FROM (
    SELECT x.*, CASE x.kind WHEN 'string' THEN 'enum' WHEN 'boolean' THEN 'enum-boolean'
                            WHEN 'integer' THEN 'enum-number' WHEN 'number' THEN 'enum-number' END AS enum_check,
      CASE x.kind WHEN 'string' THEN x.text WHEN 'boolean' THEN LOWER(TP_RAW(x.cval)) ELSE '' END AS enum_text,
      COALESCE(x.num, 0) AS enum_num,
      CASE WHEN x.label = '' THEN x.ckey WHEN x.ckey = '[]' THEN CONCAT(x.label, '[]')
           ELSE CONCAT(x.label, '.', x.ckey) END AS path
    FROM (
      SELECT w.*, CASE WHEN w.kind = 'string' THEN TP_TEXT(w.cval) END AS text,
        CASE WHEN w.kind IN ('integer', 'number') THEN TP_NUM(w.cval) END AS num
      FROM (SELECT c.tp_row, c.tp_event, c.node_id AS holder, c.label, c.closed, c.ckey, c.cval,
                   TP_KIND(c.cval) AS kind FROM level_kids AS c) AS w) AS x) AS y
  LEFT JOIN (SELECT parent_id, prop_key, 1 AS listed FROM nodes WHERE prop_key <> '*') AS z
    ON z.parent_id = y.holder AND z.prop_key = y.ckey) AS k
LEFT JOIN nodes AS t ON t.parent_id = k.holder AND t.prop_key = k.lookup
LEFT JOIN (SELECT parent_id, prop_key, check_id, COALESCE(argument, '') AS value, COALESCE(num_arg, 0) AS number,
                  1 AS hit FROM rules WHERE check_id IN ('enum', 'enum-boolean', 'enum-number')
           GROUP BY parent_id, prop_key, check_id, COALESCE(argument, ''), COALESCE(num_arg, 0)) AS e
  ON e.parent_id = k.holder AND e.prop_key = k.lookup AND e.check_id = k.enum_check AND e.value = k.enum_text
     AND e.number = k.enum_num"""
"""Each member (or item) with its JSON type, text and number, joined to its rule: the rule of its key, else its
object's `*` rule (the schema of every other key), if any. A member no rule names has the label of its path, and
so has one under a `*` rule (its rules have no label: the key is the data's)."""

_FLAGS = """SELECT v.*,
  CASE WHEN v.defined = 0 AND v.pclosed = 1 AND v.ckey <> '[]' THEN 1 ELSE 0 END AS f_unplanned,
  CASE WHEN v.defined = 1 AND v.typed = 0 THEN 1 ELSE 0 END AS f_type,
  CASE WHEN v.defined = 1 AND v.typed = 1 AND v.has_enum = 1 AND v.kind <> 'null' AND v.enum_hit = 0
       THEN 1 ELSE 0 END AS f_enum,
  CASE WHEN v.defined = 1 AND v.typed = 1 AND v.kind = 'string' AND NOT v.pattern IS NULL
       AND NOT TP_SEARCH(v.text, v.pattern) THEN 1 ELSE 0 END AS f_pattern,
  CASE WHEN v.defined = 1 AND v.typed = 1 AND v.kind = 'string' AND NOT v.format_re IS NULL
       AND NOT TP_SEARCH(v.text, v.format_re) THEN 1 ELSE 0 END AS f_format,
  CASE WHEN v.defined = 1 AND v.typed = 1 AND v.kind IN ('integer', 'number') AND (
       v.num < v.minimum OR v.num > v.maximum OR v.num <= v.exclusive_minimum OR v.num >= v.exclusive_maximum)
       THEN 1 ELSE 0 END AS f_range,
  CASE WHEN v.defined = 1 AND v.typed = 1 AND v.kind = 'string' AND (
       TP_TLEN(v.text) < v.min_length OR TP_TLEN(v.text) > v.max_length) THEN 1 ELSE 0 END AS f_length,
  CASE WHEN v.defined = 1 AND v.typed = 1 AND v.kind = 'array' AND (
       TP_ALEN(v.cval) < v.min_items OR TP_ALEN(v.cval) > v.max_items) THEN 1 ELSE 0 END AS f_items
FROM (SELECT w.*, CASE WHEN w.kinds = '' OR STRPOS(w.kinds, CONCAT('|', w.kind, '|')) > 0 THEN 1 ELSE 0 END AS typed
      FROM level_values AS w) AS v"""

def _flags(known: tuple[str, ...]) -> str:
    """The checks of a level's values; an event's own member named in `known` (the vendor's automatic
    parameters, at the first level) is not unplanned."""
    if not known:
        return _FLAGS
    listed = ", ".join("'" + key.replace("'", "''") + "'" for key in known)
    return _FLAGS.replace("AND v.ckey <> '[]' THEN 1", f"AND v.ckey <> '[]' AND NOT v.ckey IN ({listed}) THEN 1")


_FOUND = f"""SELECT f.tp_row, f.tp_event,
  CASE WHEN c.name <> 'unplanned-property' AND f.scope IN ('identify', 'group') THEN 'trait' ELSE c.name END
    AS check_id,
  f.label AS property,
  CASE WHEN c.name = 'items' THEN CONCAT('list of ', CAST(TP_ALEN(f.cval) AS TEXT), ' items')
       WHEN f.pii = 1 OR c.name = 'unplanned-property'
            THEN CONCAT(f.kind, ' of length ', CAST(TP_TLEN(COALESCE(f.text, TP_RAW(f.cval))) AS TEXT))
       WHEN c.name = 'wrong-type' THEN CONCAT(f.kind, ': ', SUBSTRING(TP_RAW(f.cval), 1, {SAMPLE_WIDTH}))
       WHEN f.kind = 'string' THEN SUBSTRING(f.text, 1, {SAMPLE_WIDTH})
       ELSE SUBSTRING(TP_RAW(f.cval), 1, {SAMPLE_WIDTH}) END AS tp_sample
FROM level_flags AS f CROSS JOIN check_names AS c
WHERE f.f_unplanned + f.f_type + f.f_enum + f.f_pattern + f.f_format + f.f_range + f.f_length + f.f_items > 0
  AND CASE c.name WHEN 'unplanned-property' THEN f.f_unplanned WHEN 'wrong-type' THEN f.f_type
                  WHEN 'enum' THEN f.f_enum WHEN 'pattern' THEN f.f_pattern WHEN 'format' THEN f.f_format
                  WHEN 'range' THEN f.f_range WHEN 'length' THEN f.f_length ELSE f.f_items END = 1"""

_MISSING = """SELECT i.tp_row, i.tp_event,
  CASE WHEN r.scope IN ('identify', 'group') THEN 'missing-trait' ELSE 'missing-property' END AS check_id,
  CASE WHEN r.label <> '' THEN r.label WHEN i.label = '' THEN r.prop_key ELSE CONCAT(i.label, '.', r.prop_key) END
    AS property, '(missing)' AS tp_sample
FROM level_holders AS i JOIN (SELECT parent_id, prop_key, label, scope FROM rules WHERE check_id = 'required') AS r
  ON r.parent_id = i.node_id
WHERE i.vkind = 'object' AND NOT TP_HAS_KEY(i.val, r.prop_key)"""

_NEXT = """SELECT tp_row, tp_event, node_id, label, closed, kind AS vkind, cval AS val FROM level_flags
WHERE defined = 1 AND ((kind = 'object' AND has_props = 1) OR (kind = 'array' AND has_items = 1))"""

_COUNTED = """SELECT tp_event, check_id, property,
  CAST(COUNT(DISTINCT CASE WHEN check_id = '(message)' THEN tp_row END) AS BIGINT) AS u_seen,
  CAST(COUNT(DISTINCT CASE WHEN check_id <> '(message)' THEN tp_row END) AS BIGINT) AS u_n,
  MIN(tp_ts) AS u_first, MAX(tp_ts) AS u_last, MIN(tp_sample) AS u_s1, MAX(tp_sample) AS u_s2
FROM violations GROUP BY GROUPING SETS ((tp_event), (tp_event, check_id, property))"""
"""Per event, the messages seen and those with any violation; per (event, check, property), the messages with that
violation. Counted over distinct messages: a list's items, or an object's unplanned keys, count once a message."""

_RESULT = """SELECT "event", "seen", "valid", "first_seen", "last_seen", "check", "property", "count", "sample_1",
  "sample_2"
FROM (
  SELECT tp_event AS "event", CASE WHEN COALESCE(check_id, '') = '' THEN u_seen END AS "seen",
    CASE WHEN COALESCE(check_id, '') = '' THEN u_seen - u_n END AS "valid",
    CASE WHEN COALESCE(check_id, '') = '' THEN CAST(u_first AS TEXT) END AS "first_seen",
    CASE WHEN COALESCE(check_id, '') = '' THEN CAST(u_last AS TEXT) END AS "last_seen",
    NULLIF(check_id, '') AS "check", property AS "property",
    CASE WHEN COALESCE(check_id, '') <> '' THEN u_n END AS "count",
    CASE WHEN COALESCE(check_id, '') <> '' THEN u_s1 END AS "sample_1",
    CASE WHEN COALESCE(check_id, '') <> '' THEN u_s2 END AS "sample_2"
  FROM counted WHERE COALESCE(check_id, '') <> '(message)') AS result
ORDER BY "event" NULLS FIRST, "check" NULLS FIRST, "property" NULLS FIRST"""


@cache
def _parsed(text: str) -> exp.Expr:
    return sqlglot.parse_one(text)


class _Speller:
    """Fills the TP_* calls of the query with the dialect's own spelling."""

    def __init__(self, layer: TableLayer, patterns: tuple[str, ...]) -> None:
        self.layer = layer
        self.dialect = layer.dialect
        self.spelling = SPELLINGS[layer.dialect]
        self.patterns = patterns

    def kind(self, value: exp.Expr) -> exp.Expr:
        """The JSON type of the value, as one of KINDS: a number with no fractional part is an integer, whatever
        its size or spelling (`2.0`, `-0.0`, 2^64 + 1), as JSON Schema 2020-12 reads it."""
        number = spell(self.dialect, self.spelling.number, v=value.copy())
        whole = exp.and_(exp.EQ(this=exp.Floor(this=number.copy()), expression=number.copy()),
                         exp.EQ(this=exp.Sub(this=number.copy(), expression=number.copy()),
                                expression=exp.Literal.number(0)))  # finite: inf - inf is NaN
        ifs = []
        for kind in KINDS:
            if kind == "integer":
                continue
            test = kind_test(self.dialect, value.copy(), {"integer", "number"} if kind == "number" else {kind})
            result: exp.Expr = exp.Literal.string(kind)
            if kind == "number":
                result = exp.Case(ifs=[exp.If(this=whole, true=exp.Literal.string("integer"))],
                                  default=exp.Literal.string("number"))
            ifs.append(exp.If(this=test, true=result))
        return exp.Case(ifs=ifs)

    def search(self, text: exp.Expr, pattern: exp.Expr) -> exp.Expr:
        """Whether the rule's regular expression (a column) matches somewhere in the text. Redshift takes only
        literal patterns: there it is one literal search per distinct pattern of the plan."""
        if self.dialect == "redshift":
            return exp.Case(this=pattern, ifs=[exp.If(this=exp.Literal.string(p), true=search(
                self.dialect, text.copy(), p)) for p in self.patterns] or [
                exp.If(this=exp.Literal.string(""), true=exp.true())], default=exp.false())
        return search(self.dialect, text, pattern)

    def call(self, name: str, args: list[exp.Expr]) -> exp.Expr:
        s = self.spelling
        simple = {"TP_TEXT": s.text, "TP_NUM": s.number, "TP_RAW": s.raw, "TP_ALEN": s.length,
                  "TP_TLEN": s.text_length}
        if name in simple:
            return spell(self.dialect, simple[name], v=args[0])
        if name == "TP_KIND":
            return self.kind(args[0])
        if name == "TP_EMPTY":
            return spell(self.dialect, s.empty_object)
        if name == "TP_HAS_KEY":
            return spell(self.dialect, s.has_key, v=args[0], k=args[1])
        if name == "TP_SEARCH":
            return self.search(args[0], args[1])
        raise AssertionError(f"no spelling for {name}")

    def fill(self, text: str, **relations: str | exp.Expr) -> exp.Expr:
        """The query part, its TP_* calls spelled, its placeholder relations (`level_*`, `rules_source`) replaced
        by a named relation or an expression."""
        tree = _parsed(text).copy()

        def replace(node: exp.Expr) -> exp.Expr:
            if isinstance(node, exp.Anonymous) and str(node.this).upper().startswith("TP_"):
                return self.call(str(node.this).upper(), [arg.transform(replace) for arg in node.expressions])
            if isinstance(node, exp.Table) and node.name in relations:
                relation = relations[node.name]
                if isinstance(relation, exp.Values):
                    return relation.copy()
                target = exp.to_table(relation) if isinstance(relation, str) else relation.copy()
                return exp.alias_(target, node.alias or node.name, table=True)
            return node

        return tree.transform(replace)

    def explode(self, holders: str) -> exp.Expr:
        tree = sqlglot.parse_one(self.spelling.explode, read=self.dialect)

        def replace(node: exp.Expr) -> exp.Expr:
            if isinstance(node, exp.Table) and node.name == "__inst":
                return exp.alias_(exp.to_table(holders), node.alias, table=True)
            return node

        return tree.transform(replace)


def warehouse_sql(plan: Plan, dialect: str, table: str, shape: str = "segment",
                  renames: dict[str, str] | None = None, warn: Callable[[str], None] | None = None,
                  pretty: bool = True, rules_table: str | None = None, rules: RuleSet | None = None) -> str:
    """The plan's checks as one query over `table`, in the dialect; the rules inlined, or read from
    `rules_table`. Refused (a usage error naming --rules-table) when the query would pass the warehouse's limit."""
    layer = table_layer(dialect, shape, renames)
    if rules is None:  # given by print_warehouse_sql, which has refused a plan with an unusable pattern already
        refuse_unusable_patterns(plan)
        rules = compiled_rules(plan, shape, layer)
    if rules_table is None:
        _inline_fits(dialect, rules)
    if dialect == "redshift" and warn:
        warn("redshift: a required property holding null or an empty text counts as missing (Redshift reads a "
             "key by its text).")
    tree = _query(layer, plan, rules, source_table(table, dialect),
                  source_table(rules_table, dialect) if rules_table is not None else None)
    text = tree.sql(dialect=dialect)
    _within_limit(dialect, text, tree, rules_table is not None, len(rules.rows))
    # Laid out for reading while that stays small; never past the limit.
    if pretty and len(text.encode("utf-8")) <= _PRETTY_UP_TO:
        laid_out = tree.sql(dialect=dialect, pretty=True)
        if len(laid_out.encode("utf-8")) <= _PRETTY_UP_TO:
            text = laid_out
    # No closing semicolon: dbt runs the query as a subquery of its test, and warehouses' CLIs need none.
    return text + "\n"


def warehouse_query(plan: Plan, plan_dir: Path, dialect: str, table: str | None, shape: str, event_column: str,
                    columns: list[str], sources: list[str], rules_table: str | None, rules_out: Path | None,
                    note: Callable[[str], None]) -> str:
    """`validate --sql` from its options: the table and its columns as given, --rules-out kept out of the plan."""
    from tracking_plan.output.fileio import refuse_plan_paths
    from tracking_plan.warehouse.table import named_table

    if sources:
        raise UsageError("--sql prints a query for a warehouse table: it reads no SOURCE file.",
                         "Drop the SOURCE arguments, or drop --sql to validate the files here.")
    table, renames = named_table(table, columns, shape, event_column)
    if rules_out is not None:
        refuse_plan_paths(rules_out, plan_dir, "validate --rules-out")
    return print_warehouse_sql(plan, dialect.lower(), table, shape, renames, rules_table, rules_out, note)


def print_warehouse_sql(plan: Plan, dialect: str, table: str, shape: str, renames: dict[str, str],
                        rules_table: str | None, rules_out: Path | None, note: Callable[[str], None]) -> str:
    """`validate --sql`: the query, its rules written to `rules_out` (CSV, all at once) when asked, and on stderr
    what the warehouse will count: the query's size and the number of rules."""
    layer = table_layer(dialect, shape, renames)
    refuse_unusable_patterns(plan)  # before --rules-out writes anything
    rules = compiled_rules(plan, shape, layer)
    if rules_out is not None:
        from tracking_plan.output.fileio import write_atomically

        write_atomically({rules_out: rules_csv(rules)})
    text = warehouse_sql(plan, dialect, table, shape, renames, note, rules_table=rules_table, rules=rules)
    where = f"read from {rules_table}" if rules_table else "inlined"
    note(f"{len(rules.rows):,} rules ({where}); the query is {_size(text, dialect)} "
         f"({LIMITS[dialect].source}).")
    return text


def _size(text: str, dialect: str) -> str:
    limit = LIMITS[dialect]
    return f"{len(text.encode('utf-8')):,} bytes" if limit.in_bytes else f"{len(text):,} characters"


def compiled_rules(plan: Plan, shape: str, layer: TableLayer | None = None) -> RuleSet:
    """The plan's rules as the query reads them (names as the shape's wire has them)."""
    return rule_set(plan, SHAPES[shape] if shape in SHAPES else flat_shape(
        layer.columns["event"] if layer is not None else "event"))


def query_size(text: str, tree: exp.Expr, dialect: str) -> str:
    """How big the query is, as the warehouse counts it."""
    ast = f", about {_ast_size(tree):,} syntax-tree elements" if LIMITS[dialect].ast_elements else ""
    return _size(text, dialect) + ast


def _ast_size(tree: exp.Expr) -> int:
    return sum(1 for _ in tree.walk())


_RULES_TABLE_HINT = ("Load the rules into a table and name it: --rules-out rules.csv writes them, --rules-table NAME "
                     "makes the query read them (README: 'Rules as a table').")


def _within_limit(dialect: str, text: str, tree: exp.Expr, from_table: bool, rules: int) -> None:
    limit = LIMITS[dialect]
    size = len(text.encode("utf-8")) if limit.in_bytes else len(text)
    over = limit.characters is not None and size > limit.characters
    if limit.ast_elements is not None and not over:
        over = _ast_size(tree) > limit.ast_elements
    if not over:
        return
    if from_table:  # the query's text does not depend on the plan: a bug
        raise AssertionError(f"the {dialect} query reading its rules from a table is past {limit.source}")
    raise UsageError(f"With its {rules:,} rules inlined, the {dialect} query is past what {dialect} accepts "
                     f"({limit.source}): {query_size(text, tree, dialect)}.", _RULES_TABLE_HINT)


def _inline_fits(dialect: str, rules: RuleSet) -> None:
    """Refuse at once, without building the query, a plan whose rules could not be inlined: their inline text is
    estimated from the first rows rendered in the dialect, scaled by the CSV of all rows."""
    limit = LIMITS[dialect]
    if limit.characters is None or len(rules.rows) <= _SAMPLE_ROWS:
        return
    head = RuleSet(rules.rows[:_SAMPLE_ROWS], rules.depth, rules.patterns)
    rendered = len(exp.select("*").from_(_rules_inline(head, dialect)).sql(dialect=dialect))
    size = int(rendered * len(rules_csv(rules, INLINE_COLUMNS)) / len(rules_csv(head, INLINE_COLUMNS)))
    if size > limit.characters * 1.05:
        raise UsageError(f"The plan's {len(rules.rows):,} rules do not fit in a {dialect} query ({limit.source}; "
                         f"inlined, they would take about {size:,} characters).", _RULES_TABLE_HINT)


def _rules_inline(rules: RuleSet, dialect: str) -> exp.Expr:
    """The rules inlined in the query: a VALUES list; in ClickHouse one CSV text read by `format()` (a VALUES list
    is a UNION of one SELECT per row there, which every reference to the rules would repeat)."""
    if dialect == "clickhouse":
        structure = ", ".join(f"{name} Nullable(String)" for name in INLINE_COLUMNS)
        return exp.alias_(exp.Table(this=exp.Anonymous(this="format", expressions=[
            exp.var("CSVWithNames"), exp.Literal.string(structure),
            exp.Literal.string(rules_csv(rules, INLINE_COLUMNS))])), "r", table=True)
    return _rules_values(rules)


def _rules_values(rules: RuleSet) -> exp.Expr:
    def cell(value: object) -> exp.Expr:
        if value is None:
            return exp.null()
        if isinstance(value, str):
            return exp.Literal.string(value)
        return exp.Literal.number(repr(value) if isinstance(value, float) else str(value))

    rows = [exp.tuple_(*(cell(getattr(row, name)) for name in INLINE_COLUMNS), copy=False) for row in rules.rows]
    return exp.values(rows, alias="r", columns=list(INLINE_COLUMNS))


def _with_variant(speller: _Speller, layer: TableLayer, discriminators: list[str]) -> exp.Expr:
    """`planned` for the events' own rules (not their variants'), with the text of each message's discriminator
    (`tp_variant`): one branch per distinct discriminator key of the plan, each a constant path, as every
    warehouse reads JSON paths."""
    planned = speller.fill(_PLANNED.replace("WHERE parent_id = 0)", "WHERE parent_id = 0 AND variant = '')"))
    assert isinstance(planned, exp.Select)
    doc = exp.column("tp_doc", table="m")
    ifs = []
    for key in discriminators:
        member = layer.spell(layer.spelling.get, doc=doc.copy(), path=layer.spelling.path([key]))
        text = speller.call("TP_TEXT", [member.copy()])
        is_text = exp.EQ(this=speller.call("TP_KIND", [member]), expression=exp.Literal.string("string"))
        ifs.append(exp.If(this=exp.Literal.string(key), true=exp.Case(ifs=[exp.If(this=is_text, true=text)])))
    picked = exp.Case(this=exp.column("discriminator", table="e"), ifs=ifs)
    return planned.select(exp.alias_(picked, "tp_variant"), copy=False)


def _violation_columns(part: str) -> exp.Select:
    ts = exp.column("tp_ts") if part == "message_checks" else exp.alias_(exp.null(), "tp_ts")
    return exp.select("tp_row", "tp_event", "check_id", "property", "tp_sample", ts).from_(part)


def _query(layer: TableLayer, plan: Plan, rules: RuleSet, table: exp.Table,
           rules_table: exp.Table | None) -> exp.Query:
    speller = _Speller(layer, rules.patterns)
    source = layer.source(table)
    if layer.shape in ("flat", "ga4"):
        keys = [layer.wire(p.name) for event in plan.events.values() for p in carried_properties(plan, event)]
        source = source.select(exp.alias_(layer.document(keys), "tp_doc_props", copy=False), copy=False)
    else:
        source = source.select(exp.alias_(exp.column("tp_props"), "tp_doc_props", copy=False), copy=False)
    rules_body = speller.fill(_RULES, rules_source=rules_table if rules_table is not None else
                             _rules_inline(rules, layer.dialect))
    discriminators = sorted({row.argument for row in rules.rows if row.check_id == "discriminator" and row.argument})
    ctes: list[tuple[str, exp.Expr]] = [
        ("source", source), ("rules", rules_body),
        ("nodes", speller.fill(_NODES.replace("\nFROM rules GROUP BY node_id", _NODE_VARIANTS) if discriminators
                               else _NODES)),
        ("check_names", exp.union(*(exp.select(exp.alias_(exp.Literal.string(name), "name")) for name in _CHECK_NAMES),
                                  distinct=False)),
        ("messages", speller.fill(_MESSAGES))]
    if discriminators:
        ctes += [("base_planned", _with_variant(speller, layer, discriminators)),
                 ("planned", speller.fill(_VARIANTS))]
    else:
        ctes.append(("planned", speller.fill(_PLANNED)))
    ctes += [("message_checks", speller.fill(_MESSAGE_CHECKS)), ("holders_0", speller.fill(_ROOTS))]
    parts = ["message_checks"]
    for level in range(1, rules.depth + 1):
        holders = f"holders_{level - 1}"
        ctes += [
            (f"kids_{level}", speller.explode(holders)),
            (f"values_{level}", speller.fill(_VALUES, level_kids=f"kids_{level}")),
            (f"flags_{level}", speller.fill(_flags(rules.known if level == 1 else ()), level_values=f"values_{level}")),
            (f"found_{level}", speller.fill(_FOUND, level_flags=f"flags_{level}")),
            (f"missing_{level}", speller.fill(_MISSING, level_holders=holders)),
        ]
        parts += [f"found_{level}", f"missing_{level}"]
        if level < rules.depth:
            ctes.append((f"holders_{level}", speller.fill(_NEXT, level_flags=f"flags_{level}")))
    ctes += [
        ("violations", exp.union(*(_violation_columns(part) for part in parts),
                                  distinct=False) if len(parts) > 1 else _violation_columns(parts[0])),
        ("counted", speller.fill(_COUNTED))]
    query = speller.fill(_RESULT)
    assert isinstance(query, exp.Select)
    for name, body in ctes:
        query = query.with_(name, as_=body, copy=False)
    return query
