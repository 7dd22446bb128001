"""The plan compiled into one SQL query over the normalized events relation (see shapes/columns.py).

One branch per planned event (and one for identify), joined by UNION ALL: each reads only its own rows
(`WHERE name = ...`; the local engine sorts the relation by name, so a branch skips the others' row groups) and
counts, in a single aggregate pass, every check of that event. Each branch returns the same columns:
`name, seen, invalid, first_seen, last_seen, results` where results lists `{check, property, n, samples}`.

Samples of a property marked `pii` are its JSON type and length, computed in SQL: the value never leaves the engine.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from tracking_plan.core.model import Event, Plan, Property
from tracking_plan.shapes.columns import Shape, sql_string
from tracking_plan.shapes.payload import payload_properties

_NUMERIC = ("BIGINT", "UBIGINT", "HUGEINT", "DOUBLE")
_JSON_TYPES = {"string": ("VARCHAR",), "integer": ("BIGINT", "UBIGINT", "HUGEINT"), "number": _NUMERIC,
               "boolean": ("BOOLEAN",), "object": ("OBJECT",), "array": ("ARRAY",), "null": ("NULL",)}
# Formats, as RE2 full matches (an approximation of RFC 3339, RFC 5322 and RFC 3986 that real data meets).
_FORMATS = {
    "date-time": r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?",
    "date": r"\d{4}-\d{2}-\d{2}",
    "time": r"\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?",
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "idn-email": r"[^@\s]+@[^@\s]+",
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "uri": r"[A-Za-z][A-Za-z0-9+.-]*:\S+",
    "ipv4": r"((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)",
    "ipv6": r"[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*",
}


@dataclass(frozen=True)
class Condition:
    check: str
    property: str | None
    failed: str
    """SQL that is true on a row that breaks the check."""
    sample: str
    """SQL of what to show of an offending row (never a pii value)."""


class Extraction:
    """The JSON Pointers a branch reads, extracted from the document in one parse (`json_extract(props, [...])`):
    each condition then reads its small fragment `v[k]`."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def ref(self, path: tuple[str, ...]) -> str:
        at = pointer(path)
        if at not in self.paths:
            self.paths.append(at)
        return f"v[{self.paths.index(at) + 1}]"


def pointer(path: tuple[str, ...]) -> str:
    """A JSON Pointer (RFC 6901): exact for any key, dots and quotes included."""
    return "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)


def _literal_list(values: list[str]) -> str:
    return ", ".join(values)


def _number(value: float) -> str:
    return repr(float(value)) if isinstance(value, float) else str(value)


def property_conditions(prop: Property, path: tuple[str, ...], shape: Shape, values: Extraction, missing_check: str,
                        value_check: str | None = None) -> Iterator[Condition]:
    """Every check of one property (and of the properties nested in it, when it is an object)."""
    label = ".".join(path)
    fragment = values.ref(path)
    kind = f"json_type({fragment})"
    text = f"json_extract_string({fragment}, '$')"
    sample = (f"{kind} || ' of length ' || coalesce(length({text}), 0)" if prop.pii
              else f"left({text}, 60)")
    own = value_check or None

    def check(name: str) -> str:
        return own or name

    if prop.required:
        yield Condition(missing_check, label, f"{kind} IS NULL", "'(missing)'")
    allowed = [t for kind_name in prop.type for t in _JSON_TYPES.get(kind_name, ())]
    if prop.enum is not None and None in prop.enum:
        allowed.append("NULL")
    if prop.type:
        accepted = ", ".join(sql_string(t) for t in dict.fromkeys(allowed))
        yield Condition(check("wrong-type"), label, f"{kind} IS NOT NULL AND {kind} NOT IN ({accepted})",
                        f"{kind} || ': ' || coalesce({sample}, 'null')" if not prop.pii else sample)
    type_ok = f"{kind} IN ({', '.join(sql_string(t) for t in dict.fromkeys(allowed))})" if prop.type else \
        f"{kind} IS NOT NULL"
    if prop.enum is not None:
        matches = []
        strings = [v for v in prop.enum if isinstance(v, str)]
        numbers = [v for v in prop.enum if isinstance(v, int | float) and not isinstance(v, bool)]
        booleans = [v for v in prop.enum if isinstance(v, bool)]
        if strings:
            matches.append(f"({kind} = 'VARCHAR' AND {text} IN ({_literal_list([sql_string(v) for v in strings])}))")
        if numbers:
            matches.append(f"({kind} IN {tuple(_NUMERIC)} AND TRY_CAST({text} AS DOUBLE) IN "
                           f"({_literal_list([_number(v) for v in numbers if math.isfinite(v)])}))")
        if booleans:
            matches.append(f"({kind} = 'BOOLEAN' AND {text} IN "
                           f"({_literal_list([sql_string(str(v).lower()) for v in booleans])}))")
        if None in prop.enum:
            matches.append(f"{kind} = 'NULL'")
        yield Condition(check("enum"), label, f"{type_ok} AND {kind} <> 'NULL' AND NOT ({' OR '.join(matches)})"
                        if matches else f"{type_ok}", sample)
    c = prop.constraints
    is_text = f"{kind} = 'VARCHAR'"
    if c.pattern is not None:
        yield Condition(check("pattern"), label,
                        f"{is_text} AND NOT regexp_matches({text}, {sql_string(c.pattern)})", sample)
    if c.format in _FORMATS:
        yield Condition(check("format"), label,
                        f"{is_text} AND NOT regexp_full_match({text}, {sql_string(_FORMATS[c.format])})", sample)
    bounds = []
    number = f"TRY_CAST({text} AS DOUBLE)"
    for value, op in ((c.minimum, "<"), (c.maximum, ">"), (c.exclusive_minimum, "<="), (c.exclusive_maximum, ">=")):
        if value is not None and math.isfinite(value):
            bounds.append(f"{number} {op} {_number(value)}")
    if bounds:
        yield Condition(check("range"), label, f"{kind} IN {tuple(_NUMERIC)} AND ({' OR '.join(bounds)})", sample)
    lengths = [f"length({text}) {op} {value}" for value, op in ((c.min_length, "<"), (c.max_length, ">"))
               if value is not None]
    if lengths:
        yield Condition(check("length"), label, f"{is_text} AND ({' OR '.join(lengths)})", sample)
    items = [f"json_array_length({fragment}) {op} {value}" for value, op in ((c.min_items, "<"),
                                                                                (c.max_items, ">"))
             if value is not None]
    if items:
        yield Condition(check("items"), label, f"{kind} = 'ARRAY' AND ({' OR '.join(items)})",
                        f"'list of ' || json_array_length({fragment}) || ' items'")
    if prop.properties or prop.values is not None:
        names = [shape.wire_property(p.name) for p in prop.properties]
        for child in prop.properties:
            child_path = (*path, shape.wire_property(child.name))
            for condition in property_conditions(child, child_path, shape, values, missing_check, value_check):
                if condition.check == missing_check:  # a nested key is required only when its object is there
                    condition = Condition(condition.check, condition.property,
                                          f"{kind} = 'OBJECT' AND {condition.failed}", condition.sample)
                yield condition
        if not prop.additional_properties and prop.properties:
            yield _unplanned_keys(f"json_keys({fragment})", names, label, kind)


def _unplanned_keys(keys: str, names: list[str], label: str | None, kind: str | None = None) -> Condition:
    planned = _literal_list([sql_string(n) for n in names]) or "NULL"
    extra = f"list_filter(coalesce({keys}, []), lambda k: k NOT IN ({planned}))"
    guard = f"{kind} = 'OBJECT' AND " if kind else ""
    return Condition("unplanned-property", label, f"{guard}len({extra}) > 0", f"array_to_string({extra}, ', ')")


def event_conditions(plan: Plan, event: Event, shape: Shape, values: Extraction) -> list[Condition]:
    conditions: list[Condition] = []
    if event.status == "deprecated":
        hint = f"send {event.replaced_by} instead" if event.replaced_by else "no replacement is named"
        conditions.append(Condition("deprecated-event", None, "TRUE", sql_string(hint)))
    elif event.status == "draft":
        conditions.append(Condition("draft-event", None, "TRUE", "'draft'"))
    if event.platforms:
        listed = _literal_list([sql_string(p.lower()) for p in event.platforms])
        conditions.append(Condition("unplanned-platform", None, f"platform IS NOT NULL AND platform NOT IN ({listed})",
                                    "platform"))
    props = payload_properties(plan, event)
    for prop in props:
        conditions.extend(property_conditions(prop, (shape.wire_property(prop.name),), shape, values,
                                              "missing-property"))
    if not event.additional_properties:
        conditions.append(_unplanned_keys("json_keys(doc)", [shape.wire_property(p.name) for p in props], None))
    return conditions


def trait_conditions(plan: Plan, shape: Shape, values: Extraction) -> list[Condition]:
    found: list[Condition] = []
    for prop in plan.traits:
        found.extend(property_conditions(prop, (prop.name,), shape, values, "missing-trait", "trait"))
    return found


def _branch(name_sql: str, where: str, document: str, values: Extraction, conditions: list[Condition],
            group: bool = False) -> str:
    """One event's rows, read once: the fragments the checks need are extracted in one parse, each check is a
    boolean column, and one aggregate counts them all."""
    extract = (f"json_extract({document}, [{_literal_list([sql_string(p) for p in values.paths])}])"
               if values.paths else "CAST([] AS JSON[])")
    read = f"SELECT name, ts, platform, {document} AS doc, {extract} AS v FROM events WHERE {where}"
    flags = ", ".join(f"coalesce({c.failed}, FALSE) AS c{i}, CAST({c.sample} AS VARCHAR) AS s{i}"
                      for i, c in enumerate(conditions))
    checked = f"SELECT name, ts{', ' + flags if flags else ''} FROM ({read})"
    results = ", ".join(
        f"{{'check': {sql_string(c.check)}, 'property': {sql_string(c.property) if c.property else 'NULL'}, "
        f"'n': count(*) FILTER (WHERE c{i}), 'samples': list_filter(list_distinct([min(s{i}) FILTER (WHERE c{i}), "
        f"max(s{i}) FILTER (WHERE c{i})]), lambda x: x IS NOT NULL)}}" for i, c in enumerate(conditions))
    invalid = " OR ".join(f"c{i}" for i in range(len(conditions))) or "FALSE"
    typed = f"[{results}]" if results else ("CAST([] AS STRUCT(\"check\" VARCHAR, property VARCHAR, n BIGINT, "
                                             "samples VARCHAR[])[])")
    return (f"SELECT {name_sql} AS name, count(*) AS seen, count(*) FILTER (WHERE {invalid}) AS invalid, "
            f"CAST(min(ts) AS VARCHAR) AS first_seen, CAST(max(ts) AS VARCHAR) AS last_seen, {typed} AS results "
            f"FROM ({checked}){' GROUP BY name' if group else ''}")


def checks_query(plan: Plan, shape: Shape) -> str:
    """Per planned event and for identify, its counts and violations; then every name seen that is not planned."""
    branches = []
    wire_names = []
    for event in plan.events.values():
        wire = shape.wire_event(event.name)
        wire_names.append(wire)
        values = Extraction()
        conditions = event_conditions(plan, event, shape, values)
        branches.append(_branch(sql_string(event.name), f"kind <> 'identify' AND name = {sql_string(wire)}",
                                "props", values, conditions))
    values = Extraction()
    conditions = trait_conditions(plan, shape, values)
    branches.append(_branch("'identify'", "kind = 'identify'", "traits", values, conditions))
    planned = _literal_list([sql_string(n) for n in wire_names]) or "NULL"
    unplanned = [Condition("unplanned-event", None, "TRUE", "'not in the plan'")]
    branches.append(_branch("coalesce(name, '(no name)')",
                            f"kind <> 'identify' AND (name IS NULL OR name NOT IN ({planned}))", "props",
                            Extraction(), unplanned, group=True))
    return "\nUNION ALL\n".join(f"({b})" for b in branches)
