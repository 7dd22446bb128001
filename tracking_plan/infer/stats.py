"""What the collected events say about themselves: per call and name, how many messages, when and from which
platforms; per property at any depth, how often it is there, with which JSON types, how many distinct texts (and
the few most frequent), which formats every text meets, and its bounds.

One DuckDB query over the same relation `validate` reads (validate/engine.open_events and the shape's
normalization): the members of every object and the items of every list are unnested level by level (a recursive
query, as deep as MAX_DEPTH), and each path aggregated once. Nothing but these aggregates leaves the engine: no
value of a property is kept, but the most frequent texts of each property, which only become an enum when the
property is not personal and has few of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracking_plan.conformance.formats import FORMATS
from tracking_plan.shapes.columns import sql_string

MAX_DEPTH = 6
"""How deep objects and lists are read: the plan's own nesting stays far shallower."""
TOP_TEXTS = 26
"""How many of a property's most frequent texts are kept: an enum has at most one less (see build.ENUM_MAX)."""
PHONE = r"\+[0-9][0-9 ().-]{6,}[0-9]|\(?0[0-9]{1,4}\)?[ .-][0-9][0-9 .-]{5,}[0-9]"
"""A text that reads as a phone number (an international one, or a national one written with separators): a sign
of personal data, never a format."""
INFERRED_FORMATS = {
    "email": FORMATS["email"],
    "uuid": FORMATS["uuid"],
    "date-time": FORMATS["date-time"],
    "date": FORMATS["date"],
    "ipv4": FORMATS["ipv4"],
    "uri": r"[A-Za-z][A-Za-z0-9+.-]*://\S+",
}
"""The formats a property is given when every one of its texts meets it; `uri` only for texts with `://`, since
the check's looser reading (`scheme:rest`) would take `sku:A1` for one."""
ITEM = "[]"
"""A list's items, as a path's last key."""


@dataclass(frozen=True)
class CallStats:
    kind: str
    """The call: track, identify, group, page, screen or alias."""
    name: str
    """The name as the engines label it (`Order Completed`, `page Home`, `identify`)."""
    messages: int
    first_seen: datetime | None
    last_seen: datetime | None
    platforms: tuple[str, ...]


@dataclass(frozen=True)
class PathStats:
    kind: str
    name: str
    path: tuple[str, ...]
    """Keys from the message's properties (or traits) down; `[]` for a list's items."""
    present: int
    strings: int
    integers: int
    numbers: int
    booleans: int
    objects: int
    arrays: int
    nulls: int
    distinct_texts: int
    top_texts: tuple[str, ...]
    formats: dict[str, int]
    """Per format, how many texts meet it."""
    phones: int
    """How many texts read as a phone number."""
    minimum: float | None
    maximum: float | None
    max_items: int | None


@dataclass(frozen=True)
class Observed:
    calls: list[CallStats]
    paths: list[PathStats]
    shape: str
    files: tuple[str, ...]


_TYPE = "json_type(val)"


def stats_sql(normalized: str) -> tuple[str, str, str]:
    """The queries over the normalized relation: the calls; the properties of each message (the first level,
    streamed: most data is flat); and everything under the objects and lists among them (unnested level by level,
    only where there is something nested)."""
    messages = f"""SELECT kind, coalesce(name, '(no name)') AS name, CAST(ts AS TIMESTAMP) AS ts, platform,
       CASE WHEN kind IN ('identify', 'group') THEN traits ELSE props END AS doc
FROM ({normalized})"""
    calls = f"""SELECT kind, name, count(*) AS n, min(ts) AS first_seen, max(ts) AS last_seen,
       list(DISTINCT platform ORDER BY platform) FILTER (WHERE platform IS NOT NULL)
FROM ({messages}) GROUP BY ALL"""
    objects = f"""SELECT kind, name, doc FROM ({messages})
  WHERE doc IS NOT NULL AND starts_with(ltrim(CAST(doc AS VARCHAR)), '{{')"""
    first = f"""SELECT kind, name, [unnest(json_keys(doc))] AS path, unnest(json_extract(doc, '$.*')) AS val
FROM ({objects})"""
    nested = f"""WITH RECURSIVE nodes(kind, name, path, val, depth) AS (
  SELECT kind, name, path, val, 1 FROM ({first}) WHERE {_NESTED.format(v="val")}
  UNION ALL
  SELECT n.kind, n.name, list_append(n.path, CASE WHEN json_type(n.val) = 'ARRAY' THEN '{ITEM}' ELSE e.key END),
         e.value, n.depth + 1
  FROM nodes n, json_each(n.val) e
  WHERE n.depth < {MAX_DEPTH} AND {_NESTED.format(v="n.val")})
SELECT kind, name, path, val FROM nodes WHERE depth > 1"""
    return calls, _aggregated(first), _aggregated(nested)


_NESTED = "left(CAST({v} AS VARCHAR), 1) IN ('{{', '[')"
"""An object or a list, read off its first character (compact JSON) rather than parsed again."""
_GUARDS = {"email": "contains(text, '@')", "uuid": "length(text) = 36", "date-time": "length(text) >= 19",
           "date": "length(text) = 10", "ipv4": "length(text) <= 15 AND contains(text, '.')",
           "uri": "contains(text, '://')"}
"""A cheap test before each format's regular expression: most texts fail it, and are never matched."""


def _aggregated(nodes: str) -> str:
    formats = ",\n       ".join(
        f"count(*) FILTER (WHERE text IS NOT NULL AND {_GUARDS[name]} AND regexp_full_match(text, "
        f"{sql_string(pattern)}))" for name, pattern in INFERRED_FORMATS.items())
    phone = (f"count(*) FILTER (WHERE text IS NOT NULL AND regexp_matches(left(text, 1), '[+(0]') AND "
             f"regexp_full_match(text, {sql_string(PHONE)}))")
    whole = "(t = 'DOUBLE' AND num = trunc(num) AND isfinite(num))"
    return f"""SELECT kind, name, path, count(*) AS present,
       count(*) FILTER (WHERE t = 'VARCHAR') AS strings,
       count(*) FILTER (WHERE t IN ('BIGINT', 'UBIGINT', 'HUGEINT') OR {whole}) AS integers,
       count(*) FILTER (WHERE t = 'DOUBLE' AND NOT {whole}) AS numbers,
       count(*) FILTER (WHERE t = 'BOOLEAN') AS booleans,
       count(*) FILTER (WHERE t = 'OBJECT') AS objects,
       count(*) FILTER (WHERE t = 'ARRAY') AS arrays,
       count(*) FILTER (WHERE t = 'NULL') AS nulls,
       approx_count_distinct(text) AS distinct_texts,
       approx_top_k(text, {TOP_TEXTS}) AS top_texts,
       {formats},
       {phone},
       min(num) AS minimum, max(num) AS maximum,
       max(CASE WHEN t = 'ARRAY' THEN json_array_length(val) END) AS max_items
FROM (SELECT *, CASE WHEN t = 'VARCHAR' THEN json_extract_string(val, '$') END AS text,
             CASE WHEN t IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') THEN TRY_CAST(CAST(val AS VARCHAR) AS DOUBLE)
             END AS num
      FROM (SELECT *, {_TYPE} AS t FROM ({nodes})))
GROUP BY ALL"""


def observe(normalized: str, shape: str, files: tuple[str, ...],
            run: Callable[[str, float, float], list[tuple[Any, ...]]]) -> Observed:
    """`run(sql, start, share)` runs a statement and reports progress in [start, start + share]."""
    calls_sql, first_sql, nested_sql = stats_sql(normalized)
    calls = [CallStats(kind, name, n, first, last, tuple(platforms or ()))
             for kind, name, n, first, last, platforms in run(calls_sql, 0.0, 0.1)]
    rows = run(first_sql, 0.1, 0.6)
    if any(row[8] or row[9] for row in rows):  # objects or lists at the first level: read what is inside them
        rows += run(nested_sql, 0.7, 0.3)
    paths = []
    for row in rows:
        (kind, name, path, present, strings, integers, numbers, booleans, objects, arrays, nulls, distinct,
         top, *rest) = row
        counts, (phones, minimum, maximum, max_items) = rest[:len(INFERRED_FORMATS)], rest[len(INFERRED_FORMATS):]
        paths.append(PathStats(kind, name, tuple(path), present, strings, integers, numbers, booleans, objects,
                               arrays, nulls, distinct or 0, tuple(t for t in top or () if t is not None),
                               dict(zip(INFERRED_FORMATS, counts, strict=True)), phones, minimum, maximum,
                               max_items))
    return Observed(calls, paths, shape, files)
