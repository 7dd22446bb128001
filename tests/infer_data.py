"""Messages generated from a plan for `infer`'s round trip: every active event sent `per_event` times, each required
property always, each optional one in some messages and not others, enum values in turn, numbers with a fraction
where the plan says number, texts distinct from message to message (so that only enums read as enums), null now and
then where the plan allows it. `expected` says what infer must recover."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracking_plan.core.model import Event, Plan, Property, payload_properties

COUNTRIES = ("FR", "DE", "ES", "IT", "GB", "US", "BE", "NL", "PT", "AT", "CH", "SE", "NO", "DK", "FI", "PL", "CZ",
             "IE", "GR", "RO", "HU", "SK", "SI", "HR", "BG", "LT", "LV", "EE", "LU", "MT")
_FORMATTED = {"email": lambda i: f"user{i}@example.com", "date": lambda i: f"2026-11-{i % 28 + 1:02d}",
              "date-time": lambda i: f"2026-11-{i % 28 + 1:02d}T10:{i % 60:02d}:00Z",
              "uuid": lambda i: f"3f1b2c4d-1111-4222-8333-{i:012d}", "uri": lambda i: f"https://example.com/{i}",
              "ipv4": lambda i: f"192.0.2.{i % 250 + 1}"}
_PATTERNED = {"^[A-Z]{2}$": lambda i: COUNTRIES[i % len(COUNTRIES)],
              "^[0-9]+\\.[0-9]+\\.[0-9]+$": lambda i: f"{i}.0.{i % 7}"}


@dataclass
class Expected:
    types: dict[str, set[str]]
    """Property (top level) → the types infer must give it (null where null was sent)."""
    required: set[str]
    enums: dict[str, set[str]]
    """The enum properties, and every value sent."""


def value(prop: Property, i: int) -> Any:
    """A value the plan accepts, different from message to message where the plan lets it be."""
    if prop.nullable and i % 7 == 3:
        return None
    if prop.enum:
        options = [v for v in prop.enum if v is not None]
        return options[i % len(options)]
    kinds = prop.value_types or ("string",)
    kind = kinds[0]
    c = prop.constraints
    if kind == "string":
        if c.format in _FORMATTED:
            return _FORMATTED[c.format](i)
        if c.pattern in _PATTERNED:
            return _PATTERNED[c.pattern](i)
        if c.pattern is not None or c.max_length is not None:
            return "x" * max(c.min_length or 1, 1)  # a constant: it may read as an enum (not checked)
        return f"text-{i}-{prop.name}"
    low = c.minimum if c.minimum is not None else 0
    high = c.maximum if c.maximum is not None else low + 1000
    if kind == "integer":
        return int(low + i % max(int(high - low), 1))
    if kind == "number":
        return low + (i % max(int(high - low), 1)) + 0.5 if high - low >= 1 else low + (high - low) / 2
    if kind == "boolean":
        return i % 2 == 0
    if kind == "object":
        return {p.name: value(p, i) for p in prop.properties if p.required or i % 2 == 0}
    if kind == "array":
        return [value(prop.items, i + k) if prop.items is not None else f"item-{i}" for k in range(1 + i % 2)]
    return f"any-{i}"


def messages(plan: Plan, event: Event, per_event: int) -> tuple[list[dict[str, Any]], Expected]:
    props = payload_properties(plan, event)
    rows = []
    for i in range(per_event):
        sent = {p.name: value(p, i) for p in props if p.required or i % 3 == 1}
        rows.append(sent)
    expected = Expected({}, {p.name for p in props if p.required}, {})
    for p in props:
        sent_values = [row[p.name] for row in rows if p.name in row]
        kinds = {_kind(v) for v in sent_values}
        if "number" in kinds:
            kinds.discard("integer")
        expected.types[p.name] = kinds
        if p.enum:
            expected.enums[p.name] = {v for v in sent_values if v is not None}
    return rows, expected


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer()):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, dict):
        return "object"
    if isinstance(v, list):
        return "array"
    return "string"


def segment_rows(plan: Plan, per_event: int) -> tuple[list[dict[str, Any]], dict[str, Expected]]:
    rows, expected = [], {}
    for event in sorted(plan.events.values(), key=lambda e: e.name):
        if event.status != "active":
            continue
        sent, expected[event.name] = messages(plan, event, per_event)
        rows += [{"type": "track", "event": event.name, "properties": props,
                  "timestamp": f"2026-11-{i % 28 + 1:02d}T10:00:00Z",
                  "context": {"library": {"name": "analytics.js"}}} for i, props in enumerate(sent)]
    return rows, expected
