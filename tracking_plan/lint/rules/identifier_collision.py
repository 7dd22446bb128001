from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Location, Severity
from tracking_plan.core.model import Event, Property
from tracking_plan.core.naming import identifier_key
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    first: dict[str, Event] = {}
    for event in ctx.plan.events.values():
        key = identifier_key(event.name)
        other = first.setdefault(key, event)
        if other is not event:
            yield Finding(f"Events '{other.name}' and '{event.name}' become the same name in generated code "
                          f"('{key}').", event.location,
                          f"Rename one of them; '{other.name}' is at {other.location}.", event)
    for event in ctx.plan.events.values():
        yield from _properties(event.properties, event, f"event '{event.name}'")
    yield from _properties(ctx.plan.traits, None, "the traits")
    yield from _properties(ctx.plan.global_properties, None, "the global properties")


def _properties(props: tuple[Property, ...], event: Event | None, where: str) -> Iterator[Finding]:
    seen: dict[str, tuple[str, Location]] = {}
    for prop in props:
        key = identifier_key(prop.name)
        if key in seen and seen[key][0] != prop.name:
            yield Finding(f"Properties '{seen[key][0]}' and '{prop.name}' of {where} become the same field in "
                          f"generated code ('{key}').", prop.location, "Rename one of them.", event, prop)
        seen.setdefault(key, (prop.name, prop.location))
        # The keys of a dictionary-like object are data, not fields of generated code.
        nested = prop.items.properties if prop.items is not None else () if prop.values is not None else \
            prop.properties
        if nested:
            yield from _properties(nested, event, f"'{prop.name}' in {where}")


RULE = Rule(
    id="identifier-collision",
    summary="No two events, or two properties of one event, become the same identifier in generated code.",
    explanation="Code generators turn `Order Completed`, `order_completed` and `orderCompleted` into the same "
                "function `orderCompleted()`; generation would have to refuse the plan. The check splits names "
                "into words the way the generators do.",
    bad="events:\n  Order Completed: {}\n  order_completed: {}\n",
    good="events:\n  Order Completed: {}\n",
    scope="event",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
