"""Diff first: every difference between two plans as one neutral Change. Judging whether a change
breaks anything is `compat.py`'s job, not this module's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from tracking_plan.core.diagnostics import Location
from tracking_plan.core.model import Constraints, Event, Plan, Property, json_type
from tracking_plan.shapes.messages import named_calls

# Change kinds. Their judgement lives in compat.py; the diff cases in tests/cases/diff cover each one.
EVENT_ADDED = "event-added"
EVENT_REMOVED = "event-removed"
EVENT_RENAMED = "event-renamed"
EVENT_DEPRECATED = "event-deprecated"
EVENT_STATUS_CHANGED = "event-status-changed"
EVENT_OWNER_CHANGED = "event-owner-changed"
EVENT_DESCRIPTION_CHANGED = "event-description-changed"
EVENT_TRIGGER_CHANGED = "event-trigger-changed"
EVENT_TAGS_CHANGED = "event-tags-changed"
EVENT_PLATFORM_ADDED = "event-platform-added"
EVENT_PLATFORM_REMOVED = "event-platform-removed"
EVENT_DESTINATION_ADDED = "event-destination-added"
EVENT_DESTINATION_REMOVED = "event-destination-removed"
EVENT_OPENED = "event-opened"
EVENT_CLOSED = "event-closed"
EVENT_EXTENSION_CHANGED = "event-extension-changed"
EVENT_VARIANT_ADDED = "event-variant-added"
EVENT_VARIANT_REMOVED = "event-variant-removed"
EVENT_DISCRIMINATOR_CHANGED = "event-discriminator-changed"
PROPERTY_ADDED = "property-added"
PROPERTY_REMOVED = "property-removed"
PROPERTY_TYPE_WIDENED = "property-type-widened"
PROPERTY_MADE_NULLABLE = "property-made-nullable"
PROPERTY_TYPE_NARROWED = "property-type-narrowed"
PROPERTY_TYPE_CHANGED = "property-type-changed"
PROPERTY_MADE_REQUIRED = "property-made-required"
PROPERTY_MADE_OPTIONAL = "property-made-optional"
PROPERTY_ENUM_VALUES_ADDED = "property-enum-values-added"
PROPERTY_ENUM_VALUES_REMOVED = "property-enum-values-removed"
PROPERTY_CONSTRAINT_TIGHTENED = "property-constraint-tightened"
PROPERTY_BOUND_ADDED = "property-bound-added"
PROPERTY_VALUES_TYPED = "property-values-typed"
PROPERTY_VALUES_UNTYPED = "property-values-untyped"
PROPERTY_CONSTRAINT_LOOSENED = "property-constraint-loosened"
PROPERTY_CONSTRAINT_CHANGED = "property-constraint-changed"
PROPERTY_DESCRIPTION_CHANGED = "property-description-changed"
PROPERTY_PII_CHANGED = "property-pii-changed"
PROPERTY_DEPRECATED = "property-deprecated"
PROPERTY_OPENED = "property-opened"
PROPERTY_CLOSED = "property-closed"
PROPERTY_EXTENSION_CHANGED = "property-extension-changed"

CHANGE_KINDS = tuple(value for name, value in sorted(globals().items())
                     if name.startswith(("EVENT_", "PROPERTY_")) and isinstance(value, str))


class Change(NamedTuple):
    kind: str
    scope: str
    """event (pages and screens too), traits, group_traits or global_properties."""
    event: str | None
    property: str | None
    """Dotted path for nested properties: `products[].price`."""
    old: Any
    new: Any
    base_location: Location | None
    head_location: Location | None
    owner: str | None
    base_open: bool = False
    """Whether the container (event or object) allowed unlisted properties in the base version."""
    head_open: bool = False
    required: bool = False
    """For added and removed properties: whether it is (was) required."""
    library: str | None = None
    """When the changed property of an event takes its definition from a library property on both sides: that
    library property, with the path inside it (`address.city`). One library change shows in every event using
    it; renderers say it once, with the events."""


def subject(change: Change) -> str:
    """How messages name what changed: `'coupon' of 'Order Completed'`."""
    where = f"'{change.event}'" if change.event else {"traits": "the traits", "library": "the library",
                                                      "group_traits": "the group traits"}.get(
        change.scope, "the global properties")
    return f"'{change.property}' of {where}" if change.property else where


_LOWER_BOUNDS = ("minimum", "exclusive_minimum", "min_length", "min_items")
_UPPER_BOUNDS = ("maximum", "exclusive_maximum", "max_length", "max_items")
_EXACT = ("pattern", "format")


def diff_plans(base: Plan | None, head: Plan | None) -> list[Change]:
    """Every change from base to head (None: the plan does not exist on that side)."""
    # Pages and screens are described as events are, and diffed alike under their call's label (`page Home`).
    base_events = {**base.events, **_calls(base)} if base else {}
    head_events = {**head.events, **_calls(head)} if head else {}
    changes: list[Change] = []
    renamed_from: dict[str, str] = {}
    for name, event in head_events.items():
        if name in base_events:
            continue
        for old_name in event.renamed_from:
            if old_name in base_events and old_name not in head_events and old_name not in renamed_from:
                renamed_from[old_name] = name
                break
    renamed_to = {new: old for old, new in renamed_from.items()}
    for name, event in base_events.items():
        if name not in head_events and name not in renamed_from:
            changes.append(_event_change(EVENT_REMOVED, event, None, old=name, new=None))
    for name, event in head_events.items():
        old_name = renamed_to.get(name, name)
        before = base_events.get(old_name)
        if before is None:
            changes.append(_event_change(EVENT_ADDED, None, event, old=None, new=name))
            continue
        if old_name != name:
            changes.append(_event_change(EVENT_RENAMED, before, event, old=old_name, new=name))
        if _event_content(before) != _event_content(event):
            changes.extend(_diff_event(before, event))
    for scope in ("traits", "global_properties", "group_traits"):
        old_props = getattr(base, scope) if base else ()
        new_props = getattr(head, scope) if head else ()
        base_open = head_open = False
        changes.extend(_diff_properties(old_props, new_props, scope, None, None, "", base_open, head_open))
    return [_with_library(c, base_events.get(renamed_to.get(c.event, c.event) if c.event else ""),
                          head_events.get(c.event or "")) for c in changes]


def _calls(plan: Plan) -> dict[str, Event]:
    """The plan's pages and screens, each named by its call's label (`page Home`), as changes name them."""
    return {label: event._replace(name=label) for label, event in named_calls(plan).items()}


def _with_library(change: Change, before: Event | None, after: Event | None) -> Change:
    """The change with the library property it comes from (see Change.library), when it has one."""
    if change.scope != "event" or change.property is None or before is None or after is None:
        return change
    path = change.property
    for prop in sorted(after.properties, key=lambda p: -len(p.name)):  # the longest name: names may hold dots
        rest = path[len(prop.name):]
        if path.startswith(prop.name) and (not rest or rest[:1] in ".[{"):
            old = before.property(prop.name)
            if prop.ref is not None and old is not None and old.ref == prop.ref:
                return change._replace(library=prop.ref + rest)
            return change
    return change


def _event_change(kind: str, before: Event | None, after: Event | None, old: Any, new: Any) -> Change:
    event = after or before
    assert event is not None
    return Change(kind, "event", event.name, None, old, new, before.location if before else None,
                  after.location if after else None, event.owner,
                  before.additional_properties if before else False, after.additional_properties if after else False)


def _event_content(event: Event) -> tuple[Any, ...]:
    """Everything diff compares, without locations: equal content means no change."""
    return (event.description, event.trigger, event.owner, event.status, event.replaced_by, event.platforms,
            event.destinations, event.tags, event.additional_properties,
            tuple(_property_content(p) for p in event.properties),
            None if event.values is None else _property_content(event.values), event.extensions,
            event.discriminator, tuple((v.value, v.description, v.changed, tuple(map(_property_content, v.written())))
                                       for v in event.variants))


def _property_content(prop: Property) -> tuple[Any, ...]:
    return (prop.name, prop.type, prop.description, prop.required, prop.pii, prop.enum, prop.constraints,
            None if prop.items is None else _property_content(prop.items),
            tuple(_property_content(p) for p in prop.properties), prop.additional_properties, prop.deprecated,
            None if prop.values is None else _property_content(prop.values), prop.extensions)


def _extension_changes(before: tuple[tuple[str, str], ...], after: tuple[tuple[str, str], ...], kind: str,
                       change: Callable[[str, Any, Any, str | None], Change]) -> Iterator[Change]:
    """One change per `x-` key added, removed or changed: an annotation no check reads, and what import keeps of
    a source schema the plan format cannot say (`x-json-schema`), so that such a change is never lost."""
    old, new = dict(before), dict(after)
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key):
            yield change(kind, {key: old.get(key)}, {key: new.get(key)}, key)


def _diff_event(before: Event, after: Event) -> Iterator[Change]:
    def change(kind: str, old: Any, new: Any, field: str | None = None) -> Change:
        return Change(kind, "event", after.name, None, old, new,
                      before.where(field) if field else before.location,
                      after.where(field) if field else after.location, after.owner,
                      before.additional_properties, after.additional_properties)

    if before.status != after.status:
        kind = EVENT_DEPRECATED if after.status == "deprecated" else EVENT_STATUS_CHANGED
        yield change(kind, before.status, after.status, "status")
    for field, kind in (("owner", EVENT_OWNER_CHANGED), ("description", EVENT_DESCRIPTION_CHANGED),
                        ("trigger", EVENT_TRIGGER_CHANGED)):
        if getattr(before, field) != getattr(after, field):
            yield change(kind, getattr(before, field), getattr(after, field), field)
    if set(before.tags) != set(after.tags):
        yield change(EVENT_TAGS_CHANGED, before.tags, after.tags, "tags")
    for field, added, removed in (("platforms", EVENT_PLATFORM_ADDED, EVENT_PLATFORM_REMOVED),
                                  ("destinations", EVENT_DESTINATION_ADDED, EVENT_DESTINATION_REMOVED)):
        old_values, new_values = getattr(before, field), getattr(after, field)
        for value in new_values:
            if value not in old_values:
                yield change(added, None, value, field)
        for value in old_values:
            if value not in new_values:
                yield change(removed, value, None, field)
    if before.additional_properties != after.additional_properties:
        kind = EVENT_OPENED if after.additional_properties else EVENT_CLOSED
        yield change(kind, before.additional_properties, after.additional_properties, "additional_properties")
    yield from _extension_changes(before.extensions, after.extensions, EVENT_EXTENSION_CHANGED, change)
    yield from _diff_properties(before.properties, after.properties, "event", after.name, after.owner, "",
                                before.additional_properties, after.additional_properties)
    yield from _diff_values(before.values, after.values, "event", after.name, after.owner, None,
                            before.location, after.location, before.additional_properties,
                            after.additional_properties)
    yield from _diff_variants(before, after, change)


def variant_label(event: str, on: str | None, value: str) -> str:
    """How changes name a variant of an event: `Payment Failed (method = card)`."""
    return f"{event} ({on} = {value})"


def _diff_variants(before: Event, after: Event, change: Callable[..., Change]) -> Iterator[Change]:
    """A new variant, a variant gone, a discriminator changed; in a variant on both sides, the properties its case
    writes (on either side), diffed as the event's are, under the variant's label."""
    if before.variants and after.variants and before.discriminator != after.discriminator:
        yield change(EVENT_DISCRIMINATOR_CHANGED, before.discriminator, after.discriminator, "variants")
        return
    old = {v.value: v for v in before.variants}
    new = {v.value: v for v in after.variants}
    for value, variant in old.items():
        if value not in new:
            yield Change(EVENT_VARIANT_REMOVED, "event", after.name, None, value, None, variant.location,
                         after.where("variants"), after.owner, before.additional_properties,
                         after.additional_properties)
    for value, variant in new.items():
        previous = old.get(value)
        if previous is None:
            yield Change(EVENT_VARIANT_ADDED, "event", after.name, None, None, value, before.where("variants"),
                         variant.location, after.owner, before.additional_properties, after.additional_properties)
            continue
        if previous.description != variant.description:
            yield change(EVENT_DESCRIPTION_CHANGED, previous.description, variant.description)._replace(
                event=variant_label(after.name, after.discriminator, value), base_location=previous.location,
                head_location=variant.location)
        written = set(previous.changed) | set(variant.changed)
        yield from _diff_properties(tuple(p for p in previous.properties if p.name in written),
                                    tuple(p for p in variant.properties if p.name in written), "event",
                                    variant_label(after.name, after.discriminator, value), after.owner, "",
                                    before.additional_properties, after.additional_properties)


def _diff_properties(old: tuple[Property, ...], new: tuple[Property, ...], scope: str, event: str | None,
                     owner: str | None, prefix: str, base_open: bool, head_open: bool) -> Iterator[Change]:
    old_by_name = {p.name: p for p in old}
    new_by_name = {p.name: p for p in new}

    for name, prop in old_by_name.items():
        if name not in new_by_name:
            yield Change(PROPERTY_REMOVED, scope, event, prefix + name, prop.type, None, prop.location, None, owner,
                         base_open, head_open, prop.required)
    for name, prop in new_by_name.items():
        before = old_by_name.get(name)
        if before is None:
            yield Change(PROPERTY_ADDED, scope, event, prefix + name, None, prop.type, None, prop.location, owner,
                         base_open, head_open, prop.required)
        elif _property_content(before) != _property_content(prop):
            yield from _diff_property(before, prop, scope, event, owner, prefix + name)


def _diff_property(before: Property, after: Property, scope: str, event: str | None, owner: str | None,
                   path: str) -> Iterator[Change]:
    def change(kind: str, old: Any, new: Any, field: str | None = None) -> Change:
        return Change(kind, scope, event, path, old, new,
                      before.where(field) if field else before.location,
                      after.where(field) if field else after.location, owner,
                      before.additional_properties, after.additional_properties)

    old_types, new_types = _effective_types(before), _effective_types(after)
    if old_types != new_types:
        yield change(_type_change(old_types, new_types), _spelled(old_types), _spelled(new_types), "type")
    if before.required != after.required:
        yield change(PROPERTY_MADE_REQUIRED if after.required else PROPERTY_MADE_OPTIONAL,
                     before.required, after.required, "required")
    if before.enum != after.enum:
        if before.enum is None:
            yield change(PROPERTY_CONSTRAINT_TIGHTENED, None, {"enum": list(after.enum or ())}, "enum")
        elif after.enum is None:
            yield change(PROPERTY_CONSTRAINT_LOOSENED, {"enum": list(before.enum)}, None, "enum")
        else:
            added = [v for v in after.enum if v not in before.enum]
            removed = [v for v in before.enum if v not in after.enum]
            if added:
                yield change(PROPERTY_ENUM_VALUES_ADDED, None, added, "enum")
            if removed:
                yield change(PROPERTY_ENUM_VALUES_REMOVED, removed, None, "enum")
    if before.constraints != after.constraints:
        yield from _constraint_changes(before.constraints, after.constraints, change)
    if before.description != after.description:
        yield change(PROPERTY_DESCRIPTION_CHANGED, before.description, after.description, "description")
    if before.pii != after.pii:
        yield change(PROPERTY_PII_CHANGED, before.pii, after.pii, "pii")
    if after.deprecated and not before.deprecated:
        yield change(PROPERTY_DEPRECATED, False, True, "deprecated")
    yield from _extension_changes(before.extensions, after.extensions, PROPERTY_EXTENSION_CHANGED, change)
    # Keys and items are compared only where both sides accept objects (arrays): a branch that is new
    # (`string` → `[string, object]`) or gone is the type change already reported, not a list of keys.
    # A side that is any value and lists no keys says nothing about keys: the type change says it all.
    both_objects = _accepts(old_types, "object") and _accepts(new_types, "object") and \
        all(types or prop.properties for types, prop in ((old_types, before), (new_types, after)))
    base_open, head_open = _is_open(before), _is_open(after)
    if both_objects and (before.properties or after.properties) and base_open != head_open:
        yield change(PROPERTY_OPENED if head_open else PROPERTY_CLOSED, base_open, head_open,
                     "additional_properties")
    if both_objects and (before.properties or after.properties):
        yield from _diff_properties(before.properties, after.properties, scope, event, owner, path + ".",
                                    base_open, head_open)
    if both_objects:
        yield from _diff_values(before.values, after.values, scope, event, owner, path, before.location,
                                after.location, base_open, head_open)
    if before.items is not None and after.items is not None and _accepts(old_types, "array") \
            and _accepts(new_types, "array"):
        yield from _diff_property(before.items, after.items, scope, event, owner, path + "[]")


def _diff_values(before: Property | None, after: Property | None, scope: str, event: str | None,
                 owner: str | None, path: str | None, base_location: Location, head_location: Location,
                 base_open: bool, head_open: bool) -> Iterator[Change]:
    """The schema of unlisted keys' values (dictionary-like objects and events): typed, untyped or changed."""
    if before is None and after is None:
        return
    if before is not None and after is not None:
        yield from _diff_property(before, after, scope, event, owner, (path or "") + "{}")
        return
    kind = PROPERTY_VALUES_TYPED if after is not None else PROPERTY_VALUES_UNTYPED
    yield Change(kind, scope, event, path, None if before is None else before.type,
                 None if after is None else after.type, base_location, head_location, owner, base_open, head_open)


def _effective_types(prop: Property) -> frozenset[str]:
    """The types a property's values can have, empty meaning any: its `type`, narrowed by its enum's values, so
    that `{type: any, enum: [a, b]}` → `{type: string, enum: [a, b]}` is no change. Null passes where the type or
    the enum allows it (docs/plan-format.md), so `{type: string, enum: [a, null]}` is `[string, null]`."""
    types = frozenset(prop.type)
    if prop.enum is None:
        return types
    kinds = frozenset(kind for kind in map(json_type, prop.enum) if kind == "null" or _accepts(types, kind))
    return kinds | ({"null"} & types)


def _spelled(types: frozenset[str]) -> tuple[str, ...]:
    order = ("string", "integer", "number", "boolean", "object", "array", "null")
    return tuple(sorted(types, key=order.index)) if types else ("any",)


def _accepts(types: frozenset[str], kind: str) -> bool:
    return not types or kind in types or (kind == "integer" and "number" in types)


def _is_open(prop: Property) -> bool:
    """An object that lists no keys accepts any key."""
    return prop.additional_properties or not prop.properties


def _type_change(old: frozenset[str], new: frozenset[str]) -> str:
    if old and new - old == {"null"} and old <= new:
        return PROPERTY_MADE_NULLABLE
    if all(_accepts(new, k) for k in old or ("any",)):
        return PROPERTY_TYPE_WIDENED
    if all(_accepts(old, k) for k in new or ("any",)):
        return PROPERTY_TYPE_NARROWED
    return PROPERTY_TYPE_CHANGED


def _constraint_changes(old: Constraints, new: Constraints, change: Any) -> Iterator[Change]:
    for field in Constraints._fields:
        before, after = getattr(old, field), getattr(new, field)
        if before == after:
            continue
        name = _SCHEMA_NAMES[field]
        old_value = None if before is None else {name: before}
        new_value = None if after is None else {name: after}
        if before is None and field in _LOWER_BOUNDS + _UPPER_BOUNDS:
            kind = PROPERTY_BOUND_ADDED
        elif before is None:
            kind = PROPERTY_CONSTRAINT_TIGHTENED
        elif after is None:
            kind = PROPERTY_CONSTRAINT_LOOSENED
        elif field in _LOWER_BOUNDS:
            kind = PROPERTY_CONSTRAINT_TIGHTENED if after > before else PROPERTY_CONSTRAINT_LOOSENED
        elif field in _UPPER_BOUNDS:
            kind = PROPERTY_CONSTRAINT_TIGHTENED if after < before else PROPERTY_CONSTRAINT_LOOSENED
        else:
            kind = PROPERTY_CONSTRAINT_CHANGED
        yield change(kind, old_value, new_value, name)


_SCHEMA_NAMES = {
    "pattern": "pattern", "format": "format", "minimum": "minimum", "maximum": "maximum",
    "exclusive_minimum": "exclusiveMinimum", "exclusive_maximum": "exclusiveMaximum", "min_length": "minLength",
    "max_length": "maxLength", "min_items": "minItems", "max_items": "maxItems",
}
