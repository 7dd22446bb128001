"""The plan as data, and one constant query that checks events against it.

The plan becomes two small tables: `event_rules`, one row per event (id, status, platforms, closed or open, the
keys it requires), and `rules`, one row per property at any depth (id, the rule or event it belongs to, its key,
allowed JSON types as bits, enum, pattern, bounds, personal or not, closed, the keys it requires). The query does
not grow with the plan. It reads the source twice, streaming, with nothing materialized: once for what concerns
whole messages (seen, first and last seen, planned or not, status, platform), once for the values of the planned
ones. There each object the rules describe is parsed once into its keys and values (`json_keys`,
`json_extract '$.*'`), its required keys not present become "missing" nodes, the nodes are joined to the rules by
(parent, key) — a small table, so the join streams — and each check is one predicate over the joined node; only
the nodes that failed a check or hold a nested object go on to the next level. Planning costs the same for a
30-event plan and a 5,000-event one.

Samples of a property marked `pii` (or inside one) are its JSON type and length, computed in SQL: the value never
leaves the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from tracking_plan.conformance.compiled import EVERY_VENDOR, WILDCARD, RuleSet, compile_plan
from tracking_plan.conformance.samples import SAMPLE_WIDTH
from tracking_plan.core.destinations import AUTOMATIC_EVENTS
from tracking_plan.core.loader import gc_paused
from tracking_plan.core.model import Plan
from tracking_plan.shapes.columns import Shape, sql_string

TYPE_BITS = {name: 1 << n for n, name in enumerate(("VARCHAR", "BIGINT", "UBIGINT", "HUGEINT", "DOUBLE", "BOOLEAN",
                                                     "OBJECT", "ARRAY", "NULL"))}
"""DuckDB's JSON types as bits: a rule's allowed types are one integer, a value's type one bit of it."""
_TYPE_BIT = "CASE jt " + " ".join(f"WHEN '{name}' THEN {bit}" for name, bit in TYPE_BITS.items()) + " END"

RULE_COLUMNS = {
    "rule_id": "BIGINT", "owner": "BIGINT", "key": "VARCHAR", "label": "VARCHAR",
    "types": "BIGINT", "has_enum": "BOOLEAN", "enum_s": "VARCHAR[]", "enum_n": "DOUBLE[]", "enum_b": "VARCHAR[]",
    "pattern": "VARCHAR", "format_re": "VARCHAR", "minimum": "DOUBLE", "maximum": "DOUBLE",
    "exclusive_minimum": "DOUBLE", "exclusive_maximum": "DOUBLE", "min_length": "BIGINT", "max_length": "BIGINT",
    "min_items": "BIGINT", "max_items": "BIGINT",
    "pii": "BOOLEAN", "closed": "BOOLEAN", "descend": "BIGINT", "required_keys": "VARCHAR[]",
    "has_range": "BOOLEAN", "has_length": "BOOLEAN", "has_items": "BOOLEAN", "trait": "BOOLEAN",
}
EVENT_COLUMNS = {"event_id": "BIGINT", "scope": "VARCHAR", "event": "VARCHAR", "status": "VARCHAR",
                 "replaced_by": "VARCHAR", "platforms": "VARCHAR[]", "closed": "BOOLEAN",
                 "required_keys": "VARCHAR[]", "discriminator": "VARCHAR", "variant": "VARCHAR", "vendor": "VARCHAR"}
"""`discriminator`: for an event with variants, the key whose text picks one; `variant`: for a variant's row (same
scope and event), the text that picks it; `vendor`: for a vendor's automatic event, the vendor whose messages it
judges."""


@dataclass
class PlanTables:
    rules: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]
    depth: int
    """How deep the plan's objects and lists go: how many times a message's nodes are expanded."""
    wildcards: bool = False
    """Whether some object holds its other keys to a schema (the `*` rules): a second join looks them up."""
    known: tuple[str, ...] = ()
    """Keys an event's properties may hold beyond those it lists (the vendor's automatic parameters)."""
    known_by_vendor: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The same per vendor, for data whose messages each say their vendor (the `vendor` column)."""


_KIND_TYPES = {"string": ("VARCHAR",), "integer": ("BIGINT", "UBIGINT", "HUGEINT"), "number": ("DOUBLE",),
               "boolean": ("BOOLEAN",), "object": ("OBJECT",), "array": ("ARRAY",), "null": ("NULL",)}
"""DuckDB's JSON types for each kind the rule compiler allows (a number's kinds include integer)."""


@cache
def type_bits(kinds: tuple[str, ...]) -> int:
    return sum(TYPE_BITS[t] for t in dict.fromkeys(t for kind in kinds for t in _KIND_TYPES[kind]))


def plan_tables(plan: Plan, shape: Shape, per_message: bool = False) -> PlanTables:
    """The compiled rule set (conformance/compiled.py) as the two tables the query joins; `per_message`: Segment-
    shaped data is judged with the automatic events and parameters of the vendor each message says (the local
    engine's `vendor` column), where the warehouse query takes the shape's."""
    vendor = shape.name if shape.name in AUTOMATIC_EVENTS else EVERY_VENDOR if per_message else None
    compiled = compile_plan(plan, shape.wire_event, shape.wire_property, vendor)
    with gc_paused(freeze=False):
        return _tables(compiled)


def _tables(compiled: RuleSet) -> PlanTables:
    rules = []
    for r in compiled.rules:
        enum = r.enum
        rules.append((
            r.rule_id, r.owner, r.key, r.label, type_bits(r.kinds), enum is not None,
            list(enum.texts) if enum else [], list(enum.numbers) if enum else [],
            [str(v).lower() for v in enum.booleans] if enum else [],
            r.pattern, r.format_re, r.minimum, r.maximum, r.exclusive_minimum, r.exclusive_maximum, r.min_length,
            r.max_length, r.min_items, r.max_items, r.pii, r.closed,
            (TYPE_BITS["OBJECT"] if r.members else 0) | (TYPE_BITS["ARRAY"] if r.items else 0), list(r.required),
            r.has_range, r.min_length is not None or r.max_length is not None,
            r.min_items is not None or r.max_items is not None, r.trait))
    events = [(e.event_id, e.scope, e.wire, e.status, e.replaced_by, list(e.platforms), e.closed, list(e.required),
               e.discriminator, e.variant, e.vendor) for e in compiled.events]
    return PlanTables(rules, events, compiled.depth, compiled.wildcards, compiled.known, compiled.known_by_vendor)


_JSON_TYPE = """CASE left(n.val, 1) WHEN '"' THEN 'VARCHAR' WHEN '{' THEN 'OBJECT' WHEN '[' THEN 'ARRAY'
      WHEN 't' THEN 'BOOLEAN' WHEN 'f' THEN 'BOOLEAN' WHEN 'n' THEN 'NULL'
      ELSE CASE WHEN length(n.val) < 19 AND NOT contains(n.val, '.') AND NOT contains(n.val, 'e')
                     AND NOT contains(n.val, 'E') THEN CASE WHEN left(n.val, 1) = '-' THEN 'BIGINT' ELSE 'UBIGINT' END
                ELSE CASE WHEN json_type(n.val) = 'DOUBLE' AND isfinite(TRY_CAST(CAST(n.val AS VARCHAR) AS DOUBLE))
                               AND TRY_CAST(CAST(n.val AS VARCHAR) AS DOUBLE)
                                   = trunc(TRY_CAST(CAST(n.val AS VARCHAR) AS DOUBLE)) THEN 'HUGEINT'
                          ELSE json_type(n.val) END END END"""
"""json_type's answer, read off the first character of the value as DuckDB writes it (compact JSON) instead of
parsing it again; long or fractional numbers are still asked of json_type. A number with no fractional part is an
integer, whatever its size or spelling (`2.0`, `-0.0`, `1e3`, 2^64 + 1), as JSON Schema 2020-12 reads it: DuckDB
reads those as DOUBLE, and they count as HUGEINT here."""
_KIND = """CASE WHEN json_type(val) IN ('BIGINT', 'UBIGINT', 'HUGEINT') THEN 'integer'
     WHEN json_type(val) = 'DOUBLE' THEN CASE WHEN isfinite(TRY_CAST(CAST(val AS VARCHAR) AS DOUBLE))
          AND TRY_CAST(CAST(val AS VARCHAR) AS DOUBLE) = trunc(TRY_CAST(CAST(val AS VARCHAR) AS DOUBLE))
          THEN 'integer' ELSE 'number' END
     ELSE lower(CASE json_type(val) WHEN 'VARCHAR' THEN 'string' ELSE json_type(val) END) END"""
"""A violating value's JSON type as every engine names it in samples: string, integer, number, boolean, object,
array, null."""
_TEXT = """CASE WHEN contains(val, '\\') THEN json_extract_string(val, '$') ELSE substr(val, 2, length(val) - 2) END"""
"""A string's text: the JSON between its quotes when nothing in it is escaped (no parse), else json_extract_string."""
_IS_NUMBER = "jt IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')"
_CHECKS = [
    ("unplanned-property", "rule_id IS NULL AND pclosed AND kind = 'node'"),
    ("missing", "kind = 'missing'"),
    ("wrong-type", "types <> 0 AND types & type_bit = 0"),
    ("enum", "has_enum AND typed AND jt <> 'NULL' AND NOT coalesce("
             "(jt = 'VARCHAR' AND list_contains(enum_s, text)) OR "
             f"({_IS_NUMBER} AND list_contains(enum_n, num)) OR "
             "(jt = 'BOOLEAN' AND list_contains(enum_b, CAST(val AS VARCHAR))), FALSE)"),
    ("pattern", "pattern IS NOT NULL AND typed AND jt = 'VARCHAR' AND NOT regexp_matches(text, pattern)"),
    ("format", "format_re IS NOT NULL AND typed AND jt = 'VARCHAR' AND NOT regexp_full_match(text, format_re)"),
    ("range", f"has_range AND typed AND {_IS_NUMBER} AND (num < minimum OR num > maximum OR num <= exclusive_minimum "
              "OR num >= exclusive_maximum)"),
    ("length", "has_length AND typed AND jt = 'VARCHAR' AND (length(text) < min_length OR length(text) > max_length)"),
    ("items", "has_items AND typed AND jt = 'ARRAY' AND (json_array_length(val) < min_items "
              "OR json_array_length(val) > max_items)"),
]
"""Each check as one predicate over a node joined to its rule (NULL when the data holds a key the plan does not).
A value of the wrong type is reported as that alone: its value checks apply to a value of an allowed type (`typed`),
as in the warehouse SQL and the collector's checker."""


def _check_name(check: str) -> str:
    if check == "unplanned-property":
        return "'unplanned-property'"
    if check == "missing":
        return "CASE WHEN trait THEN 'missing-trait' ELSE 'missing-property' END"
    return f"CASE WHEN trait THEN 'trait' ELSE {check!r} END"  # a trait's value checks are all `trait`


def _expand(level: str, keep: bool) -> str:
    """The nodes under the values `level` hands down (`next_value`): an object's members, parsed once into keys and
    values, then its required keys not present ('missing'); a list's items, under the key `[]`. These are
    `fresh`: the next step joins them to their rules and checks them. With `keep`, each node of `level` comes
    first, as it is (a node that failed a check travels on to the end)."""
    if keep:
        first, carried = "[NULL]", "kind, key, val, parent_label, flags, node_label, "
        own = """CASE WHEN i = 1 THEN kind WHEN i <= n_keys + 1 THEN 'node' ELSE 'missing' END AS kind,
       CASE WHEN i = 1 THEN key ELSE entry END AS key, CASE WHEN i = 1 THEN val ELSE item END AS val,
       CASE WHEN i = 1 THEN parent_label ELSE node_label END AS parent_label, CASE WHEN i = 1 THEN flags END AS flags,
       CASE WHEN i = 1 THEN node_label END AS node_label, i > 1 AS fresh"""
    else:  # the messages themselves are not nodes: only what is under them (and whose automatic keys they hold)
        first, carried = "[]", "node_label, vendor, "
        own = """CASE WHEN i <= n_keys THEN 'node' ELSE 'missing' END AS kind, entry AS key, item AS val,
       node_label AS parent_label, CAST(NULL AS VARCHAR[]) AS flags, CAST(NULL AS VARCHAR) AS node_label,
       TRUE AS fresh"""
    # Only the columns used above the unnest are listed in it: each one is copied into every node.
    vendor = "" if keep else ", vendor"
    return f"""SELECT row_id, event_id, row_bad, {own}, personal, cid AS parent_id, closed AS pclosed{vendor}
FROM (
  SELECT row_id, event_id, row_bad, {carried}personal, cid, closed, n_keys,
         unnest(list_concat({first}, entries, missing)) AS entry,
         unnest(list_concat({first}, items, list_transform(missing, lambda m: CAST(NULL AS JSON)))) AS item,
         generate_subscripts(list_concat({first}, entries, missing), 1) AS i
  FROM (
    SELECT *, CASE WHEN next_value IS NULL OR is_array OR len(required_keys) = 0
                        OR (n_keys = 0 AND json_type(next_value) <> 'OBJECT') THEN []
                   ELSE list_filter(required_keys, lambda k: NOT list_contains(entries, k)) END AS missing
    FROM (
      SELECT *, CASE WHEN next_value IS NULL THEN [] WHEN is_array THEN list_transform(items, lambda x: '[]')
                     ELSE json_keys(next_value) END AS entries, len(items) AS n_keys
      FROM (
        SELECT *, CASE WHEN next_value IS NULL THEN [] WHEN is_array THEN json_extract(next_value, '$[*]')
                       ELSE json_extract(next_value, '$.*') END AS items
        FROM (SELECT *, starts_with(ltrim(CAST(next_value AS VARCHAR)), '[') AS is_array FROM ({level}))))))"""


_JOINED = ("rule_id", "label AS rlabel", "types", "has_enum", "enum_s", "enum_n", "enum_b", "pattern", "format_re",
           "minimum", "maximum", "exclusive_minimum", "exclusive_maximum", "min_length", "max_length", "min_items",
           "max_items", "pii", "closed", "descend", "required_keys", "has_range", "has_length", "has_items", "trait")


def _unplanned(known: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """The unplanned-property predicate; a message's own member among the automatic parameters of its vendor
    (`known`, by vendor) is not unplanned."""
    condition = dict(_CHECKS)["unplanned-property"]
    if not known:
        return condition
    lists = " ".join(f"WHEN {sql_string(vendor)} THEN [{', '.join(map(sql_string, keys))}]"
                     for vendor, keys in known if keys)
    if not lists:
        return condition
    return f"{condition} AND NOT (parent_id < 0 AND coalesce(list_contains(CASE vendor {lists} END, key), FALSE))"


def _checked(level: str, keep: bool, wildcards: bool, known: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> str:
    """The fresh nodes under `level` joined to their rules and checked. Kept: the nodes with a failed check
    (`flags`) and those handing a value down to the next level; every other node ends here. With `wildcards`, a
    member no rule names takes its object's `*` rule, when it has one."""
    if wildcards:
        rule_columns = ", ".join(
            f"CASE WHEN r.rule_id IS NOT NULL THEN r.{column.split()[0]} ELSE w.{column.split()[0]} END AS "
            f"{column.split()[-1]}" for column in _JOINED)
        wildcard_join = (f"\n    LEFT JOIN rules w ON n.fresh AND n.kind = 'node' AND r.rule_id IS NULL "
                         f"AND w.owner = n.parent_id AND w.key = '{WILDCARD}'")
    else:
        rule_columns = ", ".join(f"r.{column}" for column in _JOINED)
        wildcard_join = ""
    checks = [(check, _unplanned(known) if check == "unplanned-property" else condition)
              for check, condition in _CHECKS]
    failed = " OR ".join(f"({condition})" for _, condition in checks)
    flags = ", ".join(f"CASE WHEN {condition} THEN {_check_name(check)} END" for check, condition in checks)
    return f"""SELECT row_id, event_id, row_bad, kind, key, val, parent_label,
       CASE WHEN fresh THEN list_filter([{flags}], lambda c: c IS NOT NULL) ELSE flags END AS flags,
       CASE WHEN fresh THEN coalesce(rlabel, CASE WHEN parent_label = '' THEN key
                                                  WHEN key = '[]' THEN parent_label || '[]'
                                                  ELSE parent_label || '.' || key END)
            ELSE node_label END AS node_label,
       CASE WHEN fresh THEN coalesce(pii, FALSE) OR personal ELSE personal END AS personal, rule_id AS cid,
       CASE WHEN fresh AND descend & type_bit <> 0 THEN val END AS next_value, closed, required_keys
FROM (
  SELECT *, {_TYPE_BIT} AS type_bit, types = 0 OR types & {_TYPE_BIT} <> 0 AS typed,
         CASE WHEN jt = 'VARCHAR' AND (has_enum OR has_length OR pattern IS NOT NULL OR
                   format_re IS NOT NULL) THEN {_TEXT} END AS text,
         CASE WHEN {_IS_NUMBER} AND (has_range OR has_enum) THEN TRY_CAST(CAST(val AS VARCHAR) AS DOUBLE) END AS num
  FROM (
    SELECT n.*, CASE WHEN n.fresh AND n.kind = 'node' THEN {_JSON_TYPE} END AS jt, {rule_columns}
    FROM ({_expand(level, keep)}) n
    LEFT JOIN rules r ON n.fresh AND r.owner = n.parent_id AND r.key = n.key{wildcard_join}))
WHERE (NOT fresh AND len(flags) > 0) OR (fresh AND ({failed} OR descend & type_bit <> 0))"""


_DISCRIMINATOR = """'$."' || replace(replace(e.discriminator, '\\', '\\\\'), '"', '\\"') || '"'"""
"""The JSONPath of the discriminator's key, whatever the key holds (dots, quotes, a leading `$`)."""


def _iso(moment: str) -> str:
    """A time as ISO 8601 in UTC with a Z, as collect and the JSON reports write it (the fraction only when set)."""
    moment = f"CAST({moment} AS TIMESTAMP)"  # a shape with no time column hands over an untyped NULL
    return (f"CASE WHEN microsecond({moment}) = 0 THEN strftime({moment}, '%Y-%m-%dT%H:%M:%SZ') "
            f"ELSE strftime({moment}, '%Y-%m-%dT%H:%M:%S.%fZ') END")


def checks_sql(source: str, depth: int, wildcards: bool = False,
               known: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> str:
    """One query, whatever the plan, over `source` (the shape's normalized relation): per event its rows, the rows
    with a violation, when it was first and last seen, and per (check, property) the rows and two samples.

    Two passes over the source, so that the millions of nodes travel narrow: the messages (what concerns a whole
    message: planned or not, status, platform), and the values of the planned ones, level by level."""
    # Properties (or traits) that are not an object hold none of the keys the plan requires, as in the checker.
    message = f"""SELECT m.row_id, m.scope, coalesce(m.name, '(no name)') AS name, m.ts, m.doc, m.vendor,
         coalesce(v.event_id, e.event_id) AS event_id, coalesce(v.closed, e.closed) AS closed,
         coalesce(v.required_keys, e.required_keys) AS required_keys,
         list_filter([
           CASE WHEN e.event_id IS NULL AND m.scope <> 'identify' THEN 'unplanned-event:not in the plan' END,
           CASE WHEN e.status = 'draft' THEN 'draft-event:draft'
                WHEN e.status = 'deprecated' THEN 'deprecated-event:' ||
                     coalesce('send ' || e.replaced_by || ' instead', 'no replacement is named') END,
           CASE WHEN len(e.platforms) > 0 AND m.platform IS NOT NULL AND NOT list_contains(e.platforms, m.platform)
                THEN 'unplanned-platform:' || m.platform END], lambda c: c IS NOT NULL) AS row_checks
  FROM (SELECT s.row_id, s.kind AS scope, s.name, s.platform, s.ts, s.vendor,
               coalesce(CASE WHEN s.kind IN ('identify', 'group') THEN s.traits ELSE s.props END, '{{}}') AS doc
        FROM ({source}) s) m
  LEFT JOIN event_rules e ON e.scope = m.scope AND e.event = m.name AND e.variant IS NULL
    AND (e.vendor IS NULL OR e.vendor = m.vendor)
  LEFT JOIN event_rules v ON e.discriminator IS NOT NULL AND v.scope = m.scope AND v.event = m.name
    AND v.variant = CASE WHEN starts_with(ltrim(CAST(m.doc AS VARCHAR)), '{{')
                              AND json_type(json_extract(m.doc, {_DISCRIMINATOR})) = 'VARCHAR'
                         THEN json_extract_string(json_extract(m.doc, {_DISCRIMINATOR}), '$') END"""
    # A variant's row judges the message's values; the event's own row what concerns the whole message.
    level = f"""SELECT row_id, event_id, len(row_checks) > 0 AS row_bad, 'row' AS kind, CAST(NULL AS VARCHAR) AS key,
       CAST(NULL AS JSON) AS val, '' AS parent_label, CAST(NULL AS VARCHAR[]) AS flags, '' AS node_label,
       FALSE AS personal, -event_id AS cid,
       CASE WHEN starts_with(ltrim(CAST(doc AS VARCHAR)), '{{') THEN doc ELSE '{{}}' END AS next_value,
       closed, required_keys, vendor
FROM ({message}) WHERE event_id IS NOT NULL"""
    for number in range(depth):
        level = _checked(level, keep=number > 0, wildcards=wildcards, known=known if number == 0 else ())
    return f"""WITH messages AS (SELECT scope, name, ts, row_checks FROM ({message})),
by_message AS (
  SELECT scope, name, count(*) AS seen, count(*) FILTER (WHERE len(row_checks) > 0) AS invalid,
         {_iso("min(ts)")} AS first_seen, {_iso("max(ts)")} AS last_seen
  FROM messages GROUP BY ALL),
message_checks AS (
  SELECT scope, name, split_part(check_on, ':', 1) AS "check", CAST(NULL AS VARCHAR) AS property,
         count(*) AS n, min(sample) AS first_sample, max(sample) AS last_sample
  FROM (SELECT scope, name, unnest(row_checks) AS check_on, substr(check_on, strpos(check_on, ':') + 1) AS sample
        FROM messages)
  GROUP BY ALL),
found AS (
  SELECT row_id, event_id, row_bad, "check", node_label AS property,
         CASE WHEN kind = 'missing' THEN '(missing)'
              WHEN "check" = 'items' THEN 'list of ' || json_array_length(val) || ' items'
              WHEN personal OR "check" = 'unplanned-property' THEN kind_name || ' of length ' ||
                   length(CASE WHEN kind_name = 'string' THEN json_extract_string(val, '$')
                               ELSE CAST(val AS VARCHAR) END)
              WHEN "check" = 'wrong-type' THEN kind_name || ': ' || left(CAST(val AS VARCHAR), {SAMPLE_WIDTH})
              WHEN kind_name = 'string' THEN left(json_extract_string(val, '$'), {SAMPLE_WIDTH})
              ELSE left(CAST(val AS VARCHAR), {SAMPLE_WIDTH}) END AS sample
  FROM (SELECT *, CASE WHEN kind = 'missing' THEN NULL ELSE {_KIND} END AS kind_name
        FROM (SELECT *, unnest(flags) AS "check" FROM ({level})))),
value_checks AS (
  SELECT e.scope, e.event AS name, f."check", f.property, count(DISTINCT f.row_id) AS n,
         min(f.sample) AS first_sample, max(f.sample) AS last_sample
  FROM found f JOIN event_rules e USING (event_id) GROUP BY ALL),
value_invalid AS (
  SELECT e.scope, e.event AS name, count(DISTINCT f.row_id) FILTER (WHERE NOT f.row_bad) AS invalid
  FROM found f JOIN event_rules e USING (event_id) GROUP BY ALL),
counted AS (SELECT * FROM message_checks UNION ALL SELECT * FROM value_checks)
SELECT s.scope, s.name, s.seen, s.invalid + coalesce(v.invalid, 0) AS invalid, s.first_seen, s.last_seen,
       list({{'check': c."check", 'property': c.property, 'n': c.n,
             'samples': list_distinct([c.first_sample, c.last_sample])}}) FILTER (WHERE c.n IS NOT NULL) AS results
FROM by_message s
LEFT JOIN value_invalid v ON v.scope = s.scope AND v.name = s.name
LEFT JOIN counted c ON c.scope = s.scope AND c.name = s.name
GROUP BY ALL"""
