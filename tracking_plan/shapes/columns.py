"""Event shapes: how each tool lays collected events out, projected onto one normalized relation that the checks
read — `row_id, kind, name, platform, ts, props, traits` — plus the names the plan's events and properties have on
that tool's wire (GA4 and Firebase see `order_completed` for the plan's "Order Completed").

The shapes: `segment` (Segment / RudderStack spec messages), `amplitude` (Amplitude export rows), `ga4` (the GA4 /
Firebase BigQuery export, `event_params` as key / typed value), and `flat` (one column per property, like Segment's
per-event warehouse tables, the event name in a column set by `--event-column`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from tracking_plan.core.model import UNNAMED
from tracking_plan.core.naming import convert
from tracking_plan.shapes.messages import CALLS, VENDOR_LIBRARIES

if TYPE_CHECKING:
    from duckdb.sqltypes import DuckDBPyType


def sql_string(text: str) -> str:
    """A SQL string literal: quotes doubled, so plan text can never end it."""
    return "'" + text.replace("'", "''") + "'"


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


ROW_ID = "gen_random_uuid() AS row_id"
"""A message's identity, to count the messages with a violation once. Random (122 bits: no two alike in any
real export) rather than row_number() OVER (), which would make DuckDB read and check the data on one thread."""


# Segment's and RudderStack's libraries name the platform they run on: context.library.name (read once, as
# `tp_library`, by the relation _segment reads from).
_LIBRARY_PLATFORM = """CASE
      WHEN tp_library SIMILAR TO '.*(ios|swift).*' THEN 'ios'
      WHEN tp_library SIMILAR TO '.*(android|kotlin).*' THEN 'android'
      WHEN tp_library SIMILAR TO '.*(analytics[.]js|analytics-next|rudder-sdk-js|javascript|browser).*' THEN 'web'
      WHEN tp_library SIMILAR TO '.*(python|node|java|go|ruby|php|dotnet|net|server).*' THEN 'backend'
      ELSE lower(json_extract_string(context, '$.device.type'))
    END"""


_VENDOR = "CASE tp_library " + " ".join(f"WHEN {sql_string(library)} THEN {sql_string(vendor)}"
                                      for library, vendor in VENDOR_LIBRARIES.items()) + " END"
"""Whose automatic events and parameters a message may carry (`vendor`): the shape's vendor (GA4, Amplitude), or
for Segment-shaped records the one collect received them as."""


@dataclass(frozen=True)
class Shape:
    name: str
    summary: str
    signature: frozenset[str]
    """Top-level keys that identify the shape when it is detected."""
    columns: dict[str, str]
    """The source columns read, with the DuckDB type they are read as (JSON for nested values)."""
    normalize: Callable[[str, Collection[str]], str]
    """(source relation, its columns) → SELECT of the normalized relation."""
    wire_event: Callable[[str], str] = lambda name: name
    wire_property: Callable[[str], str] = lambda name: name


TIME_COLUMNS = {"segment": ("timestamp", "sentAt", "receivedAt"),
                "amplitude": ("event_time", "client_event_time", "server_upload_time"),
                "flat": ("timestamp", "received_at", "sent_at")}
"""Per shape, the columns that say when an event happened, in order of preference."""


def event_time(shape: str, columns: Collection[str]) -> str:
    """When each event happened, as a TIMESTAMP (NULL when unknown): a Segment message's first time set of
    timestamp, sentAt, receivedAt; an Amplitude event's or a flat table's first time column present (a flat table's
    columns are read as JSON). What validate and `metrics FILES` both read."""
    present = [c for c in TIME_COLUMNS[shape] if c in columns]
    if not present:
        return "NULL"
    if shape == "segment":
        return f"try_cast(coalesce({', '.join(identifier(c) for c in present)}) AS TIMESTAMP)"
    if shape == "flat":
        return f"try_cast(json_extract_string(to_json({identifier(present[0])}), '$') AS TIMESTAMP)"
    return f"try_cast({identifier(present[0])} AS TIMESTAMP)"


def _segment(source: str, columns: Collection[str]) -> str:
    def column(name: str) -> str:
        return identifier(name) if name in columns else "NULL"

    typed = f"lower(coalesce({column('type')}, 'track'))"
    kind = f"CASE WHEN {typed} IN ({', '.join(map(sql_string, CALLS))}) THEN {typed} ELSE 'track' END"
    context_traits = "json_extract(context, '$.traits')" if "context" in columns else "NULL"
    traits = f"coalesce({column('traits')}, CASE WHEN {typed} = 'identify' THEN {context_traits} END)"
    page_name = (f"coalesce(nullif({column('name')}, ''), "  # an empty name is no name
                 f"nullif(json_extract_string(CAST({column('properties')} AS JSON), '$.name'), ''), "
                 f"{sql_string(UNNAMED)})")
    return f"""SELECT {ROW_ID}, {kind} AS kind,
    CASE WHEN {typed} IN ('identify', 'group', 'alias') THEN {typed}
         WHEN {typed} IN ('page', 'screen') THEN {typed} || ' ' || {page_name} ELSE {column('event')} END AS name,
    {_LIBRARY_PLATFORM if "context" in columns else "NULL"} AS platform,
    {event_time("segment", columns)} AS ts,
    CAST({column('properties')} AS JSON) AS props,
    CAST({traits} AS JSON) AS traits,
    {_VENDOR if "context" in columns else "CAST(NULL AS VARCHAR)"} AS vendor
  FROM {f"(SELECT *, lower(json_extract_string(context, '$.library.name')) AS tp_library FROM {source})"
        if "context" in columns else source}"""


def _amplitude(source: str, columns: Collection[str]) -> str:
    return f"""SELECT {ROW_ID},
    CASE WHEN event_type = '$identify' THEN 'identify' ELSE 'track' END AS kind,
    CASE WHEN event_type = '$identify' THEN 'identify' ELSE event_type END AS name,
    {"lower(platform)" if "platform" in columns else "NULL"} AS platform,
    {event_time("amplitude", columns)} AS ts,
    CAST(event_properties AS JSON) AS props,
    CAST({"user_properties" if "user_properties" in columns else "NULL"} AS JSON) AS traits,
    'amplitude' AS vendor
  FROM {source}"""


_GA4_PARAMS = ("STRUCT(key VARCHAR, value STRUCT(string_value VARCHAR, int_value BIGINT, float_value DOUBLE, "
               "double_value DOUBLE))[]")
"""The export's parameter list, as BigQuery writes it (every value field present, one of them set)."""
_GA4_VALUE = ("coalesce(to_json(p.value.string_value), to_json(p.value.int_value), to_json(p.value.float_value), "
              "to_json(p.value.double_value))")


def _ga4(source: str, columns: Collection[str]) -> str:
    def params(column: str) -> str:
        if column not in columns:
            return "NULL"
        return (f"CAST(to_json(map_from_entries(list_transform(coalesce({column}, []), "
                f"lambda p: struct_pack(k := p.key, v := {_GA4_VALUE})))) AS JSON)")

    return f"""SELECT {ROW_ID}, 'track' AS kind, event_name AS name,
    {"lower(platform)" if "platform" in columns else "NULL"} AS platform,
    {"make_timestamp(CAST(event_timestamp AS BIGINT))" if "event_timestamp" in columns else "NULL"} AS ts,
    {params("event_params")} AS props,
    {params("user_properties")} AS traits,
    'ga4' AS vendor
  FROM {source}"""


SHAPES: dict[str, Shape] = {
    "segment": Shape("segment", "Segment / RudderStack spec messages (type, event, properties, traits, context)",
                     frozenset({"event", "properties"}),
                     {"type": "VARCHAR", "event": "VARCHAR", "name": "VARCHAR", "properties": "JSON", "traits": "JSON",
                      "context": "JSON", "timestamp": "VARCHAR", "sentAt": "VARCHAR", "receivedAt": "VARCHAR"},
                     _segment),
    "amplitude": Shape("amplitude", "Amplitude export rows (event_type, event_properties, user_properties, platform)",
                       frozenset({"event_type", "event_properties"}),
                       {"event_type": "VARCHAR", "event_properties": "JSON", "user_properties": "JSON",
                        "platform": "VARCHAR", "event_time": "VARCHAR", "client_event_time": "VARCHAR"},
                       _amplitude),
    "ga4": Shape("ga4", "GA4 / Firebase BigQuery export (event_name, event_params as key / typed value)",
                 frozenset({"event_name", "event_params"}),
                 {"event_name": "VARCHAR", "platform": "VARCHAR", "event_timestamp": "BIGINT",
                  "event_params": _GA4_PARAMS, "user_properties": _GA4_PARAMS}, _ga4,
                 wire_event=lambda name: convert(name, "snake_case"),
                 wire_property=lambda name: convert(name, "snake_case")),
}


def flat_shape(event_column: str) -> Shape:
    """One column per property; the event name in `event_column`; platform and timestamp columns if present."""

    def normalize(source: str, columns: Collection[str]) -> str:
        meta = {event_column, *TIME_COLUMNS["flat"]}  # platform is also a property
        # A table holding several events has every event's columns: a NULL cell is a property not sent.
        entries = ", ".join(f"struct_pack(k := {sql_string(c)}, v := to_json({identifier(c)}))"
                            for c in columns if c not in meta)
        props = (f"to_json(map_from_entries(list_filter([{entries}], lambda e: e.v IS NOT NULL)))" if entries
                 else "'{}'")
        # Columns read as JSON hold "web", not web: json_extract_string reads either.
        platform = "lower(json_extract_string(to_json(platform), '$'))" if "platform" in columns else "NULL"
        # The name as text whatever the column's type (a Parquet BINARY column hands over bytes).
        return f"""SELECT {ROW_ID}, 'track' AS kind, CAST({identifier(event_column)} AS VARCHAR) AS name,
    {platform} AS platform,
    {event_time("flat", columns)} AS ts,
    CAST({props} AS JSON) AS props,
    CAST(NULL AS JSON) AS traits,
    CAST(NULL AS VARCHAR) AS vendor
  FROM {source}"""

    return Shape("flat", f"one column per property, the event name in column '{event_column}'",
                 frozenset({event_column}), {}, normalize)


_TIMESTAMPS = frozenset({"timestamp", "timestamp with time zone", "timestamp_ns", "timestamp_ms", "timestamp_s"})
_TYPED = _TIMESTAMPS | {"struct", "list", "map"}
"""Parquet types whose JSON is not what was collected as is: nested values (a struct holds every message's keys)
and timestamps (written back as ISO 8601)."""


def conform(expr: str, actual: DuckDBPyType, wanted: DuckDBPyType, depth: int = 0) -> str:
    """`expr`, a typed (Parquet) column of type `actual`, as the type the shape reads: a nested value as JSON
    holding only the keys present (a struct column is the union of every message's keys: a NULL field is a key
    that message did not send), a timestamp as ISO 8601 text in UTC, a struct with the fields the shape reads
    (NULL for those the file lacks)."""
    if str(wanted) == "JSON":  # text is parsed as JSON where the shape reads it, as in a JSON file
        return f"CAST({_as_json(expr, actual, depth)} AS JSON)" if actual.id in _TYPED else expr
    if str(actual) == str(wanted) and actual.id not in ("struct", "list", "map"):
        return expr
    if wanted.id == "struct" and actual.id == "struct":
        present = dict(_fields(actual))
        fields = ", ".join(
            f"{identifier(name)} := " + (conform(f"{expr}.{identifier(name)}", present[name], kind, depth + 1)
                                         if name in present else f"CAST(NULL AS {kind})")
            for name, kind in _fields(wanted))
        return f"CASE WHEN {expr} IS NOT NULL THEN struct_pack({fields}) END"
    if wanted.id == "list" and actual.id == "list":
        item = f"x{depth}"
        return f"list_transform({expr}, lambda {item}: {conform(item, actual.child, wanted.child, depth + 1)})"
    return f"TRY_CAST({expr} AS {wanted})"


def _fields(nested: DuckDBPyType) -> list[tuple[str, DuckDBPyType]]:
    """A struct's fields (a map's key and value), with their types."""
    return cast("list[tuple[str, DuckDBPyType]]", nested.children)


def _as_json(expr: str, actual: DuckDBPyType, depth: int) -> str:
    if actual.id == "struct":  # a merge patch into {} drops the members that are null, at every depth
        members = ", ".join(f"{sql_string(name)}, {_as_json(f'{expr}.{identifier(name)}', kind, depth + 1)}"
                            for name, kind in _fields(actual))
        return f"CASE WHEN {expr} IS NOT NULL THEN json_merge_patch('{{}}', json_object({members})) END"
    if actual.id == "list":
        item = f"x{depth}"
        return f"to_json(list_transform({expr}, lambda {item}: {_as_json(item, actual.child, depth + 1)}))"
    if actual.id == "map":
        value = dict(_fields(actual))["value"]
        item = f"x{depth}"
        return (f"to_json(map_from_entries(list_transform(map_entries({expr}), lambda {item}: "
                f"struct_pack(k := {item}.key, v := {_as_json(f'{item}.value', value, depth + 1)}))))")
    if actual.id in _TIMESTAMPS:
        utc = f"timezone('UTC', {expr})" if actual.id == "timestamp with time zone" else expr
        return f"to_json(strftime({utc}, '%Y-%m-%dT%H:%M:%S.%fZ'))"
    return f"to_json({expr})"


_SPEC_KEYS = frozenset({"traits", "userId", "anonymousId", "previousId", "groupId", "properties"})
"""Keys of Segment spec messages other than track's `event`: with `type`, they say the data is Segment's."""


def detect(keys: Collection[str], event_column: str) -> Shape:
    """The shape whose signature the source's top-level keys hold; a flat table when none does."""
    present = set(keys)
    for shape in SHAPES.values():
        if shape.signature <= present:
            return shape
    if "type" in present and present & _SPEC_KEYS:
        return SHAPES["segment"]  # identify, page, group or alias calls alone have no event
    return flat_shape(event_column)
