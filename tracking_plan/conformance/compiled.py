"""The one rule compiler: the plan → an immutable rule set in which every decision about judging a message is made
once — which JSON types a plan type allows (a number takes an integer), null allowed by an enum that lists it, the
enum split into texts, numbers and booleans, the bounds that count (finite ones), which objects are closed, which
keys are required, where the checks descend (members, other keys' schema, list items), and what is personal.

Every engine only translates it: the local engine and the warehouse query into rule tables (validate/query.py,
validate/rules.py), collect's checker into closures (checker.py). Event rows carry what whole messages are judged
on (status, platforms, closed, required keys); property rows one property at any depth, linked to their owner.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from tracking_plan.conformance.formats import FORMATS
from tracking_plan.core.destinations import AUTOMATIC_EVENTS, AUTOMATIC_PARAMETERS, automatic_mode
from tracking_plan.core.loader import gc_paused
from tracking_plan.core.model import Event, Plan, Property, null_by_enum, payload_properties
from tracking_plan.shapes.messages import SPEC_PROPERTIES, call_label

KIND_OF_TYPE = {"string": ("string",), "integer": ("integer",), "number": ("integer", "number"),
                "boolean": ("boolean",), "object": ("object",), "array": ("array",), "null": ("null",)}
"""The JSON kinds (as `value_kind` names a value) each plan type allows: a number takes an integer too."""
WILDCARD = "*"
"""The key of the rule every member not listed is held to, when the plan gives their schema."""
ITEMS = "[]"
"""The key of a list's items' rule."""
EVERY_VENDOR = "*"
"""compile_plan's `vendor` for data whose every message says its vendor (Segment-shaped records collect wrote):
the automatic events and parameters of every vendor, each for its own messages."""
AUTOMATIC = "automatic"
"""The status of a vendor's automatic event the plan lets through: judged on nothing, counted."""


class EnumRule(NamedTuple):
    """The values an enum allows, by kind, in the plan's order: a text matches a text, a number a number (1 and
    1.0 alike), a boolean a boolean. Null is judged by the kinds (an enum listing null allows it)."""

    texts: tuple[str, ...]
    numbers: tuple[float, ...]
    booleans: tuple[bool, ...]


class PropertyRule(NamedTuple):
    rule_id: int
    owner: int
    """The rule holding this one (its object or list), or minus the event's id for an event's own properties."""
    key: str
    """The key on the wire (`[]` for a list's items, `*` for every key an object does not list)."""
    label: str | None
    """The property as reports name it (`shipping.country`, `lines[].sku`); None under `*`, where labels are made
    from the keys the data holds."""
    kinds: tuple[str, ...]
    """The JSON kinds allowed (see KIND_OF_TYPE), null added when the enum lists it; empty: any."""
    enum: EnumRule | None
    pattern: str | None
    """As the plan writes it (each engine anchors `$` its own way)."""
    format_re: str | None
    minimum: float | None
    maximum: float | None
    exclusive_minimum: float | None
    exclusive_maximum: float | None
    min_length: int | None
    max_length: int | None
    min_items: int | None
    max_items: int | None
    pii: bool
    """Personal, or inside a personal property: its values are never shown."""
    closed: bool
    """An object that takes no key beyond those it lists (one that lists none takes none)."""
    members: bool
    """Whether an object value's keys are checked: it lists members, gives the others' schema, or is closed."""
    items: bool
    required: tuple[str, ...]
    """The keys an object value must hold."""
    trait: bool

    @property
    def has_range(self) -> bool:
        return any(b is not None for b in (self.minimum, self.maximum, self.exclusive_minimum,
                                           self.exclusive_maximum))


class EventRule(NamedTuple):
    event_id: int
    scope: str
    """The call it judges (shapes.messages.CALLS): track, identify (the user's traits), page, screen, group (its
    traits) or alias."""
    wire: str
    """The event's name on the wire (`identify` for traits)."""
    name: str
    status: str
    replaced_by: str | None
    platforms: tuple[str, ...]
    """Lower-cased; empty: any platform."""
    closed: bool
    required: tuple[str, ...]
    discriminator: str | None = None
    """For an event with variants: the key (as the wire spells it) whose text value picks one."""
    variant: str | None = None
    """For one variant of an event (the same scope and wire as the event's rule): the value that picks it. Its
    properties are judged by this rule; what concerns the whole message (status, platforms) by the event's."""
    vendor: str | None = None
    """For a vendor's automatic event: the vendor; it judges only that vendor's messages."""


def variant_key(value: object) -> str | None:
    """The variant a discriminator's value picks, by its value: a text picks the variant of that text; any other
    value (a number, null, absent) none, so the event's own rule judges the message."""
    return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class RuleSet:
    events: tuple[EventRule, ...]
    rules: tuple[PropertyRule, ...]
    depth: int
    """How deep the plan's objects and lists go."""
    wildcards: bool
    """Whether some object holds its other keys to a schema (`*` rules)."""
    known: tuple[str, ...] = ()
    """Keys any event may carry beyond those it lists, never unplanned: the vendor's automatic parameters."""
    known_by_vendor: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The same per vendor (see EVERY_VENDOR): the keys a message of that vendor may carry beyond those listed."""

    def children(self) -> dict[int, list[PropertyRule]]:
        """The rules by owner, in the plan's order."""
        owned: dict[int, list[PropertyRule]] = {}
        for rule in self.rules:
            owned.setdefault(rule.owner, []).append(rule)
        return owned


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _kinds(prop: Property) -> tuple[str, ...]:
    kinds = tuple(dict.fromkeys(kind for t in prop.type for kind in KIND_OF_TYPE.get(t, ())))
    return (*kinds, "null") if null_by_enum(prop) else kinds


def _enum(values: tuple[object, ...] | None) -> EnumRule | None:
    if values is None:
        return None
    return EnumRule(tuple(v for v in values if isinstance(v, str)),
                    tuple(float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)
                          and math.isfinite(v)),
                    tuple(v for v in values if isinstance(v, bool)))


@dataclass
class _Compiler:
    wire_property: Callable[[str], str]
    rules: list[PropertyRule]
    wildcards: bool = False

    def members(self, props: tuple[Property, ...], owner: int, parent_label: str | None, trait: bool, pii: bool,
                depth: int) -> int:
        """The rules of an object's properties; how deep they go. Under a wildcard (`parent_label` None) labels
        are made from the keys the data holds."""
        deepest = depth
        for prop in props:
            key = prop.name if trait else self.wire_property(prop.name)
            label = None if parent_label is None else f"{parent_label}.{key}" if parent_label else key
            deepest = max(deepest, self.rule(prop, owner, key, label, trait, pii, depth))
        return deepest

    def rule(self, prop: Property, owner: int, key: str, label: str | None, trait: bool, pii: bool,
             depth: int) -> int:
        rule_id = len(self.rules) + 1
        c = prop.constraints
        pii = pii or prop.pii
        closed = not prop.additional_properties and prop.values is None
        members = bool(prop.properties) or prop.values is not None or closed
        self.rules.append(PropertyRule(
            rule_id, owner, key, label, _kinds(prop), _enum(prop.enum), c.pattern, FORMATS.get(c.format or ""),
            _finite(c.minimum), _finite(c.maximum), _finite(c.exclusive_minimum), _finite(c.exclusive_maximum),
            c.min_length, c.max_length, c.min_items, c.max_items, pii, closed, members, prop.items is not None,
            tuple(p.name if trait else self.wire_property(p.name) for p in prop.properties if p.required), trait))
        deepest = depth
        if members:
            deepest = self.members(prop.properties, rule_id, label, trait, pii, depth + 1)
        if prop.values is not None:
            self.wildcards = True
            deepest = max(deepest, self.rule(prop.values._replace(required=False), rule_id, WILDCARD, None, trait,
                                             pii, depth + 1))
        if prop.items is not None:
            deepest = max(deepest, self.rule(prop.items._replace(required=False), rule_id, ITEMS,
                                             None if label is None else f"{label}[]", trait, pii, depth + 1))
        return deepest


def compile_plan(plan: Plan, wire_event: Callable[[str], str] = lambda name: name,
                 wire_property: Callable[[str], str] = lambda name: name, vendor: str | None = None) -> RuleSet:
    """The plan's rules; names as the wire spells them (a destination may rename events and properties). With the
    `vendor` whose data is judged (ga4, amplitude), its automatic events and parameters as the plan takes them
    (core/destinations.py). Built with the collector paused, as the plan itself is: a large plan's rules are a
    hundred thousand rows and no cycle."""
    with gc_paused(freeze=False):
        return _compiled(plan, wire_event, wire_property, vendor)


def _compiled(plan: Plan, wire_event: Callable[[str], str], wire_property: Callable[[str], str],
              vendor: str | None) -> RuleSet:
    compiler = _Compiler(wire_property, [])
    events: list[EventRule] = []
    depth = 1
    vendors = [v for v in (AUTOMATIC_EVENTS if vendor == EVERY_VENDOR else (vendor,) if vendor else ())
               if automatic_mode(plan, v) != "unplanned"]
    variants: list[tuple[Event, str]] = []
    for event_id, event in enumerate(plan.events.values(), start=1):
        props = payload_properties(plan, event)

        events.append(EventRule(event_id, "track", wire_event(event.name), event.name, event.status,
                                event.replaced_by, tuple(p.lower() for p in event.platforms),
                                not event.additional_properties,
                                tuple(wire_property(p.name) for p in props if p.required),
                                wire_property(event.discriminator) if event.variants and event.discriminator
                                else None))
        depth = max(depth, compiler.members(props, -event_id, "", False, False, 1))
        variants.extend((event, v.value) for v in event.variants)
    for event, value in variants:  # after the events: an event's id stays its place in the plan
        variant_id = len(events) + 1
        props = payload_properties(plan, event.variant(value))
        events.append(EventRule(variant_id, "track", wire_event(event.name), event.name, event.status,
                                event.replaced_by, tuple(p.lower() for p in event.platforms),
                                not event.additional_properties,
                                tuple(wire_property(p.name) for p in props if p.required), variant=value))
        depth = max(depth, compiler.members(props, -variant_id, "", False, False, 1))
    identify_id = len(events) + 1
    events.append(EventRule(identify_id, "identify", "identify", "identify", "active", None, (), False,
                            tuple(p.name for p in plan.traits if p.required)))
    depth = max(depth, compiler.members(plan.traits, -identify_id, "", True, False, 1))
    for scope, calls in (("page", plan.pages), ("screen", plan.screens)):
        for call in calls.values():
            call_id = len(events) + 1
            props = call.properties  # the global properties ride on track events, which the trackers send
            described = {p.name for p in props}
            known = tuple(Property(key, call.location) for key in SPEC_PROPERTIES[scope] if key not in described)
            events.append(EventRule(call_id, scope, call_label(scope, call.name), call.name, call.status,
                                    call.replaced_by, tuple(p.lower() for p in call.platforms),
                                    not call.additional_properties,
                                    tuple(p.name for p in props if p.required)))
            depth = max(depth, compiler.members((*props, *known), -call_id, "", False, False, 1))
    if plan.group_traits:
        group_id = len(events) + 1
        events.append(EventRule(group_id, "group", "group", "group", "active", None, (), False,
                                tuple(p.name for p in plan.group_traits if p.required)))
        depth = max(depth, compiler.members(plan.group_traits, -group_id, "", True, False, 1))
    if plan.alias:
        events.append(EventRule(len(events) + 1, "alias", "alias", "alias", "active", None, (), False, ()))
    planned = {e.wire for e in events if e.scope == "track"}
    for one in vendors:
        first = len(events) + 1
        events.extend(EventRule(first + n, "track", name, name, AUTOMATIC, None, (), False, (), vendor=one)
                      for n, name in enumerate(sorted(AUTOMATIC_EVENTS.get(one, frozenset()) - planned)))
    parameters = tuple((one, tuple(sorted(AUTOMATIC_PARAMETERS.get(one, frozenset())))) for one in vendors)
    single = parameters[0][1] if len(parameters) == 1 and vendor != EVERY_VENDOR else ()
    return RuleSet(tuple(events), tuple(compiler.rules), depth, compiler.wildcards, single, parameters)
