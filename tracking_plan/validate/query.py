"""The plan as data, and one constant query that checks events against it.

The plan becomes two small tables: `rules`, one row per property at any depth (its path as a JSON Pointer, allowed
JSON types, enum, pattern, bounds, whether it is required, personal or a closed object), and `event_rules`, one
row per event (status, platforms, closed or open). The query does not grow with the plan: every event document
is exploded into its nodes (one parse per object: its keys and its values, zipped), the nodes are joined to
the rules by (event, path), and each check is one predicate over the joined row. Planning costs the same for a
30-event plan and a 5,000-event one; the data is read once.

Samples of a property marked `pii` are its JSON type and length, computed in SQL: the value never leaves the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tracking_plan.conformance.formats import FORMATS
from tracking_plan.core.model import Plan, Property
from tracking_plan.shapes.columns import Shape
from tracking_plan.shapes.payload import payload_properties

_NUMERIC = ["BIGINT", "UBIGINT", "HUGEINT", "DOUBLE"]
_JSON_TYPES = {"string": ["VARCHAR"], "integer": ["BIGINT", "UBIGINT", "HUGEINT"], "number": _NUMERIC,
               "boolean": ["BOOLEAN"], "object": ["OBJECT"], "array": ["ARRAY"], "null": ["NULL"]}

RULE_COLUMNS = {
    "scope": "VARCHAR", "event": "VARCHAR", "path": "VARCHAR", "parent": "VARCHAR", "label": "VARCHAR",
    "required": "BOOLEAN", "types": "VARCHAR[]", "has_enum": "BOOLEAN", "enum_s": "VARCHAR[]", "enum_n": "DOUBLE[]",
    "enum_b": "VARCHAR[]", "enum_null": "BOOLEAN", "pattern": "VARCHAR", "format_re": "VARCHAR",
    "minimum": "DOUBLE", "maximum": "DOUBLE", "xminimum": "DOUBLE", "xmaximum": "DOUBLE", "min_length": "BIGINT",
    "max_length": "BIGINT", "min_items": "BIGINT", "max_items": "BIGINT", "pii": "BOOLEAN", "closed": "BOOLEAN",
    "container": "BOOLEAN", "missing_check": "VARCHAR", "value_check": "VARCHAR",
}
EVENT_COLUMNS = {"scope": "VARCHAR", "event": "VARCHAR", "name": "VARCHAR", "status": "VARCHAR",
                 "replaced_by": "VARCHAR", "platforms": "VARCHAR[]", "closed": "BOOLEAN"}


def pointer_part(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


@dataclass
class PlanTables:
    rules: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]
    depth: int
    """How deep the plan's objects and lists go: how many times documents are exploded."""


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _rules(prop: Property, scope: str, event: str, parent: str, parent_label: str, shape: Shape, missing: str,
           value_check: str | None, out: list[tuple[Any, ...]], depth: int = 1) -> int:
    key = shape.wire_property(prop.name) if scope == "track" else prop.name
    label = f"{parent_label}.{key}" if parent_label else key
    return _rule_at(prop, scope, event, f"{parent}/{pointer_part(key)}", parent, label, shape, missing, value_check,
                    out, depth)


def _rule_at(prop: Property, scope: str, event: str, path: str, parent: str, label: str, shape: Shape,
             missing: str, value_check: str | None, out: list[tuple[Any, ...]], depth: int) -> int:
    types = list(dict.fromkeys(t for kind in prop.type for t in _JSON_TYPES.get(kind, ())))
    enum = prop.enum
    if enum is not None and None in enum and types:
        types.append("NULL")
    c = prop.constraints
    has_children = bool(prop.properties) and prop.values is None
    out.append((
        scope, event, path, parent, label, prop.required, types, enum is not None,
        [v for v in enum or () if isinstance(v, str)],
        [float(v) for v in enum or () if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)],
        [str(v).lower() for v in enum or () if isinstance(v, bool)], enum is not None and None in enum,
        c.pattern, FORMATS.get(c.format or ""), _finite(c.minimum), _finite(c.maximum), _finite(c.exclusive_minimum),
        _finite(c.exclusive_maximum), c.min_length, c.max_length, c.min_items, c.max_items, prop.pii,
        has_children and not prop.additional_properties, has_children or prop.items is not None, missing,
        value_check))
    deepest = depth
    if has_children:
        for child in prop.properties:
            deepest = max(deepest, _rules(child, scope, event, path, label, shape, missing, value_check, out,
                                          depth + 1))
    if prop.items is not None:
        deepest = max(deepest, _rule_at(prop.items, scope, event, f"{path}/[]", path, f"{label}[]", shape,
                                        missing, value_check, out, depth + 1))
    return deepest


def plan_tables(plan: Plan, shape: Shape) -> PlanTables:
    rules: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    depth = 1
    for event in plan.events.values():
        wire = shape.wire_event(event.name)
        events.append(("track", wire, event.name, event.status, event.replaced_by,
                       [p.lower() for p in event.platforms], not event.additional_properties))
        for prop in payload_properties(plan, event):
            depth = max(depth, _rules(prop, "track", wire, "", "", shape, "missing-property", None, rules))
    events.append(("identify", "identify", "identify", "active", None, [], False))
    for prop in plan.traits:
        depth = max(depth, _rules(prop, "identify", "identify", "", "", shape, "missing-trait", "trait", rules))
    return PlanTables(rules, events, depth)


def _levels(depth: int) -> str:
    """The nodes of every document: level 0 is the document, each next level the members of the objects (and the
    items of the lists) the rules describe, down to the plan's depth."""
    ctes = ["""n0 AS (
  SELECT row_id, scope, name AS event, CAST(NULL AS VARCHAR) AS parent, '' AS path, '' AS label, doc AS val,
         CAST(0 AS UBIGINT) AS nid, CAST(NULL AS UBIGINT) AS parent_nid
  FROM docs)"""]
    for level in range(depth):
        here = f"n{level}"
        container = "TRUE" if level == 0 else \
            f"EXISTS (SELECT 1 FROM rules r WHERE r.container AND r.scope = {here}.scope AND r.event = {here}.event " \
            f"AND r.path = {here}.path)"
        ctes.append(f"""n{level + 1} AS (
  SELECT row_id, scope, event, parent, parent || '/' || replace(replace(key, '~', '~0'), '/', '~1') AS path,
         CASE WHEN plabel = '' THEN key ELSE plabel || '.' || key END AS label, value AS val,
         hash(pnid, key) AS nid, pnid AS parent_nid
  FROM (SELECT {here}.row_id, {here}.scope, {here}.event, {here}.path AS parent, {here}.label AS plabel,
               {here}.nid AS pnid, unnest(json_keys({here}.val)) AS key,
               unnest(json_extract({here}.val, '$.*')) AS value
        FROM {here} WHERE json_type({here}.val) = 'OBJECT' AND {container})
  UNION ALL
  SELECT row_id, scope, event, parent, parent || '/[]' AS path, plabel || '[]' AS label, item AS val,
         hash(pnid, n) AS nid, pnid AS parent_nid
  FROM (SELECT {here}.row_id, {here}.scope, {here}.event, {here}.path AS parent, {here}.label AS plabel,
               {here}.nid AS pnid, unnest(CAST({here}.val AS JSON[])) AS item,
               generate_subscripts(CAST({here}.val AS JSON[]), 1) AS n
        FROM {here} WHERE json_type({here}.val) = 'ARRAY' AND EXISTS (SELECT 1 FROM rules r
              WHERE r.scope = {here}.scope AND r.event = {here}.event AND r.path = {here}.path || '/[]')))""")
    return ",\n".join(ctes)


def checks_sql(depth: int) -> str:
    """One query, whatever the plan: (event, check, property, count, samples), and per event its rows, the
    rows with a violation, and when it was first and last seen."""
    nodes = " UNION ALL ".join(f"SELECT * FROM n{level}" for level in range(depth + 1))
    number = "TRY_CAST(text AS DOUBLE)"
    numeric = "jt IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')"
    checks = [
        ("unplanned-property", "rule_path IS NULL AND scope = 'track' AND path <> '' AND parent_closed"),
        ("wrong-type", "len(types) > 0 AND NOT list_contains(types, jt)"),
        ("enum", "has_enum AND jt <> 'NULL' AND (len(types) = 0 OR list_contains(types, jt)) AND NOT coalesce("
                 "(jt = 'VARCHAR' AND list_contains(enum_s, text)) OR "
                 f"({numeric} AND list_contains(enum_n, {number})) OR "
                 "(jt = 'BOOLEAN' AND list_contains(enum_b, text)), FALSE)"),
        ("pattern", "pattern IS NOT NULL AND jt = 'VARCHAR' AND NOT regexp_matches(text, pattern)"),
        ("format", "format_re IS NOT NULL AND jt = 'VARCHAR' AND NOT regexp_full_match(text, format_re)"),
        ("range", f"{numeric} AND ({number} < minimum OR {number} > maximum OR {number} <= xminimum "
                  f"OR {number} >= xmaximum)"),
        ("length", "jt = 'VARCHAR' AND (length(text) < min_length OR length(text) > max_length)"),
        ("items", "jt = 'ARRAY' AND (json_array_length(val) < min_items OR json_array_length(val) > max_items)"),
    ]
    def named(check: str) -> str:  # on traits, every value check is reported as `trait`
        return repr(check) if check == "unplanned-property" else f"coalesce(value_check, {check!r})"

    flags = ", ".join(f"CASE WHEN coalesce({condition}, FALSE) THEN {named(check)} END" for check, condition in checks)
    any_failed = " OR ".join(f"coalesce({condition}, FALSE)" for _, condition in checks)
    return f"""WITH docs AS (
  SELECT row_id, CASE WHEN kind = 'identify' THEN 'identify' ELSE 'track' END AS scope, name,
         coalesce(CASE WHEN kind = 'identify' THEN traits ELSE props END, '{{}}') AS doc
  FROM events),
{_levels(depth)},
nodes AS MATERIALIZED ({nodes}),
expected AS (
  SELECT o.row_id, o.nid, o.scope, o.event, r.path, r.missing_check, r.label
  FROM nodes o JOIN rules r ON r.required AND r.scope = o.scope AND r.event = o.event AND r.parent = o.path
  WHERE json_type(o.val) = 'OBJECT'),
checked AS (
  SELECT v.row_id, v.scope, v.event, v.path, v.parent, v.label, v.val, json_type(v.val) AS jt,
         json_extract_string(v.val, '$') AS text, r.path AS rule_path, r.types, r.has_enum, r.enum_s, r.enum_n,
         r.enum_b, r.pattern, r.format_re, r.minimum, r.maximum, r.xminimum, r.xmaximum, r.min_length,
         r.max_length, r.min_items, r.max_items, r.pii, r.value_check,
         coalesce(CASE WHEN v.parent = '' THEN e.closed ELSE p.closed END, FALSE) AS parent_closed
  FROM nodes v
  LEFT JOIN rules r ON r.scope = v.scope AND r.event = v.event AND r.path = v.path
  LEFT JOIN rules p ON p.scope = v.scope AND p.event = v.event AND p.path = v.parent
  LEFT JOIN event_rules e ON e.scope = v.scope AND e.event = v.event
  WHERE v.path <> ''),
flagged AS (
  SELECT row_id, scope, event, path, parent, label, val, jt, text, pii,
         unnest(list_filter([{flags}], lambda x: x IS NOT NULL)) AS "check"
  FROM checked WHERE {any_failed}),
violations AS (
  SELECT row_id, scope, event, "check",
         CASE WHEN "check" <> 'unplanned-property' THEN label WHEN parent = '' THEN NULL
              ELSE regexp_replace(label, '\\.[^.]*$', '') END AS property,
         CASE WHEN "check" = 'unplanned-property' THEN regexp_extract(label, '[^.]*$')
              WHEN "check" = 'items' THEN 'list of ' || json_array_length(val) || ' items'
              WHEN pii THEN jt || ' of length ' || coalesce(length(text), 0)
              WHEN "check" = 'wrong-type' THEN jt || ': ' || left(coalesce(text, 'null'), 60)
              ELSE left(coalesce(text, 'null'), 60) END AS sample
  FROM flagged
  UNION ALL
  SELECT x.row_id, x.scope, x.event, x.missing_check, x.label, '(missing)'
  FROM expected x ANTI JOIN nodes c ON c.row_id = x.row_id AND c.parent_nid = x.nid AND c.path = x.path
  UNION ALL
  SELECT d.row_id, d.scope, d.name, CASE e.status WHEN 'deprecated' THEN 'deprecated-event' ELSE 'draft-event' END,
         NULL, CASE WHEN e.status = 'draft' THEN 'draft' WHEN e.replaced_by IS NULL THEN 'no replacement is named'
                    ELSE 'send ' || e.replaced_by || ' instead' END
  FROM docs d JOIN event_rules e ON e.scope = d.scope AND e.event = d.name WHERE e.status <> 'active'
  UNION ALL
  SELECT ev.row_id, 'track', ev.name, 'unplanned-platform', NULL, ev.platform
  FROM events ev JOIN event_rules e ON e.scope = 'track' AND e.event = ev.name AND ev.kind <> 'identify'
  WHERE len(e.platforms) > 0 AND ev.platform IS NOT NULL AND NOT list_contains(e.platforms, ev.platform)
  UNION ALL
  SELECT d.row_id, d.scope, coalesce(d.name, '(no name)'), 'unplanned-event', NULL, 'not in the plan'
  FROM docs d WHERE d.scope = 'track' AND NOT EXISTS (SELECT 1 FROM event_rules e WHERE e.scope = 'track'
                                                      AND e.event = d.name)),
counted AS (
  SELECT scope, event, "check", property, count(DISTINCT row_id) AS n, min(sample) AS first_sample,
         max(sample) AS last_sample
  FROM violations GROUP BY ALL),
invalid AS (SELECT scope, event, count(DISTINCT row_id) AS invalid FROM violations GROUP BY ALL),
seen AS (
  SELECT d.scope, coalesce(d.name, '(no name)') AS event, count(*) AS seen, CAST(min(ev.ts) AS VARCHAR) AS first_seen,
         CAST(max(ev.ts) AS VARCHAR) AS last_seen
  FROM docs d JOIN events ev USING (row_id) GROUP BY ALL)
SELECT s.scope, s.event, s.seen, coalesce(i.invalid, 0) AS invalid, s.first_seen, s.last_seen,
       list({{'check': c."check", 'property': c.property, 'n': c.n,
             'samples': list_distinct([c.first_sample, c.last_sample])}}) FILTER (WHERE c.n IS NOT NULL) AS results
FROM seen s
LEFT JOIN invalid i ON i.scope = s.scope AND i.event = s.event
LEFT JOIN counted c ON c.scope = s.scope AND c.event = s.event
GROUP BY ALL"""
