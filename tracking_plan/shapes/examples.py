"""Example payloads: a value the plan accepts for each property, so an event can be shown (or generated for a
test or a benchmark) exactly as the plan wants it."""

from __future__ import annotations

from typing import Any

from tracking_plan.core.model import Event, Plan, Property, payload_properties

_FORMATS = {"email": "someone@example.com", "idn-email": "someone@example.com", "date": "2026-11-02",
            "date-time": "2026-11-02T10:00:00Z", "time": "10:00:00Z", "uuid": "3f1b2c4d-1111-4222-8333-444455556666",
            "uri": "https://example.com/x", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1"}
_PATTERNS = {"^[A-Z]{2}$": "FR", "^[0-9]+\\.[0-9]+\\.[0-9]+$": "5.2.1"}


def example_value(prop: Property) -> Any:
    """A value the plan accepts for the property: its first example or enum value, else one built from its type
    and constraints (patterns it cannot satisfy from a table of common ones get a plain text)."""
    if prop.examples:
        return prop.examples[0]
    if prop.enum:
        return next(v for v in prop.enum if v is not None)
    kinds = [t for t in prop.type if t != "null"] or ["string"]
    c = prop.constraints
    kind = kinds[0]
    if kind == "string":
        if c.pattern in _PATTERNS:
            return _PATTERNS[c.pattern]
        if c.format in _FORMATS:
            return _FORMATS[c.format]
        return "x" * max(c.min_length or 1, 1)
    if kind == "integer":
        return int(c.minimum if c.minimum is not None else 1)
    if kind == "number":
        return float(c.minimum) + 0.5 if c.minimum is not None else 1.5
    if kind == "boolean":
        return True
    if kind == "object":
        return {p.name: example_value(p) for p in prop.properties if p.required}
    if kind == "array":
        item = example_value(prop.items) if prop.items is not None else "x"
        return [item] * max(c.min_items or 1, 1)
    return None


def example_properties(plan: Plan, event: Event) -> dict[str, Any]:
    """Every property of the event's payload (global properties included) with an accepted value; for an event
    with variants, as the variant its discriminator's example value picks has them."""
    chosen = event.property(event.discriminator) if event.variants and event.discriminator else None
    if chosen is not None:
        value = example_value(chosen)
        if any(v.value == value for v in event.variants):
            event = event.variant(value)
    return {p.name: example_value(p) for p in payload_properties(plan, event)}


def example_traits(plan: Plan) -> dict[str, Any]:
    return {p.name: example_value(p) for p in plan.traits}
