"""The plan model: one immutable value that every consumer (lint, diff, generate, report) reads.

Events and properties are NamedTuples rather than frozen dataclasses: a 5,000-event plan holds
100,000 properties, and NamedTuples are immutable at a fifth of the construction cost.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from tracking_plan.core.diagnostics import Location

JSON_TYPES = ("string", "number", "integer", "boolean", "object", "array", "null")
STATUSES = ("draft", "active", "deprecated")
NAMING_STYLES = ("title_case", "snake_case", "camel_case", "pascal_case", "kebab_case", "sentence_case", "any")

EMPTY_MAP: Mapping[str, Any] = MappingProxyType({})


def json_type(value: Any) -> str:
    """The JSON Schema type of a plain value (`1` is an integer, `1.5` a number)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list | tuple) else "object"


class FieldLocations:
    """Where each field of a node was written, computed on demand to keep loading cheap.

    A property that reuses a library definition falls back to the library's positions for the
    fields it does not write itself.
    """

    __slots__ = ("_fallback", "_file", "_positions")

    def __init__(self, file: str, positions: Mapping[str, Any],
                 fallback: FieldLocations | None = None) -> None:
        self._file = file
        self._positions = positions
        self._fallback = fallback

    def get(self, field_name: str) -> Location | None:
        pos = self._positions.get(field_name)
        if pos is not None:
            return Location(self._file, pos.line + 1, pos.column + 1)
        return self._fallback.get(field_name) if self._fallback is not None else None

    def written_here(self, field_name: str) -> bool:
        """Whether the field is written at this node itself (not inherited from the library)."""
        return field_name in self._positions


NO_FIELDS = FieldLocations("", EMPTY_MAP)


class Constraints(NamedTuple):
    """Value constraints in JSON Schema's vocabulary; absent (None) unless the plan sets them."""

    pattern: str | None = None
    format: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None


NO_CONSTRAINTS = Constraints()


class Property(NamedTuple):
    name: str
    location: Location
    type: tuple[str, ...] = ()
    """JSON types; more than one (e.g. ("string", "null")) for unions; empty means any value."""
    description: str | None = None
    required: bool = False
    pii: bool = False
    enum: tuple[Any, ...] | None = None
    constraints: Constraints = NO_CONSTRAINTS
    items: Property | None = None
    properties: tuple[Property, ...] = ()
    additional_properties: bool = True
    """For an object: whether it accepts keys it does not list. One that lists no keys accepts any key unless
    closed explicitly; one that lists keys takes the plan-wide default."""
    examples: tuple[Any, ...] = ()
    deprecated: bool = False
    ref: str | None = None
    """The library property this one is based on, if any."""
    lint_ignore: frozenset[str] = frozenset()
    fields: FieldLocations = NO_FIELDS
    values: Property | None = None
    """For a dictionary-like object (`additional_properties: {type: ...}`): the schema of every value. Its keys
    are data (form labels, ids...), not names, so lint does not read them as property names."""
    extensions: tuple[tuple[str, str], ...] = ()
    """The `x-` keys written on it, each with its value as canonical JSON: no check reads them; diff reports
    when one changes (import keeps there what the plan format cannot say, as `x-json-schema`)."""

    @property
    def nullable(self) -> bool:
        return "null" in self.type

    @property
    def value_types(self) -> tuple[str, ...]:
        """The types other than null."""
        return tuple(t for t in self.type if t != "null")

    def where(self, field_name: str) -> Location:
        """Location of a field's value, or of the property itself when the field is not written."""
        return self.fields.get(field_name) or self.location

    def walk(self, prefix: str = "", path: str | None = None) -> Iterator[tuple[str, Property]]:
        """This property and every nested one, with paths such as `products[]` for an array's items
        and `products[].price` for their properties."""
        here = f"{prefix}{self.name}" if path is None else path
        yield here, self
        for child in self.properties:
            yield from child.walk(here + ".")
        if self.values is not None:
            yield from self.values.walk(path=here + "{}")
        if self.items is not None:
            yield from self.items.walk(path=here + "[]")


def data_key_paths(prop: Property, prefix: str = "", path: str | None = None, inside: bool = False) -> Iterator[str]:
    """The paths (as `Property.walk` spells them) of every property listed under a dictionary-like object, whose
    names are data (form labels, ids), not names the plan chose."""
    here = f"{prefix}{prop.name}" if path is None else path
    if inside:
        yield here
    for child in prop.properties:
        yield from data_key_paths(child, here + ".", inside=inside or prop.values is not None)
    if prop.values is not None:
        yield from data_key_paths(prop.values, path=here + "{}", inside=inside)
    if prop.items is not None:
        yield from data_key_paths(prop.items, path=here + "[]", inside=inside)


class Variant(NamedTuple):
    """One version of a track event, picked by the value of its discriminator property."""

    value: str
    """The discriminator's value that picks it."""
    location: Location
    description: str | None
    properties: tuple[Property, ...]
    """The event's own properties as this variant has them: the event's, with the case's changes, then the
    properties the case adds."""
    changed: tuple[str, ...]
    """The properties the case writes (changed or added), in its order."""
    fields: FieldLocations = NO_FIELDS

    def written(self) -> tuple[Property, ...]:
        """The properties the case writes, as the variant has them (at the case's place in the files)."""
        return tuple(p for p in self.properties if p.name in self.changed)


class Event(NamedTuple):
    name: str
    location: Location
    description: str | None = None
    trigger: str | None = None
    owner: str | None = None
    status: str = "active"
    replaced_by: str | None = None
    renamed_from: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    properties: tuple[Property, ...] = ()
    additional_properties: bool = False
    lint_ignore: frozenset[str] = frozenset()
    fields: FieldLocations = NO_FIELDS
    values: Property | None = None
    """The schema every unlisted property's value follows (`additional_properties: {type: ...}`), if any."""
    extensions: tuple[tuple[str, str], ...] = ()
    """The `x-` keys written on it, as on a Property."""
    discriminator: str | None = None
    """The own text property whose value picks one of `variants`."""
    variants: tuple[Variant, ...] = ()

    def where(self, field_name: str) -> Location:
        return self.fields.get(field_name) or self.location

    def property(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)

    def variant(self, value: str) -> Event:
        """The event as one of its variants has it: that variant's properties, no variants of its own."""
        chosen = next(v for v in self.variants if v.value == value)
        return self._replace(properties=chosen.properties, description=chosen.description or self.description,
                             discriminator=None, variants=())


class Objective(NamedTuple):
    """Why events are collected: a goal the product pursues, owned by a squad."""
    name: str
    location: Location
    description: str | None = None
    owner: str | None = None
    fields: FieldLocations = NO_FIELDS

    def where(self, field_name: str) -> Location:
        return self.fields.get(field_name) or self.location


METRIC_TYPES = ("count", "unique_users", "sum", "average", "conversion")



MAX_WINDOW_MINUTES = 3660 * 24 * 60
"""A conversion's longest window, ten years: past it a warehouse's date arithmetic overflows (DuckDB's interval
counts days in 32 bits)."""


def window_minutes(window: str | None) -> int | None:
    """A window such as `7d`, `12h` or `30m` in minutes; None when it is not written so."""
    match = re.fullmatch(r"(\d+)([dhm])", window or "")
    return int(match[1]) * {"d": 1440, "h": 60, "m": 1}[match[2]] if match else None


class Metric(NamedTuple):
    """An indicator computed from collected events: counted, summed or averaged over one event (with an optional
    filter on property values), or a conversion through ordered steps within a window."""
    name: str
    location: Location
    type: str = "count"
    description: str | None = None
    owner: str | None = None
    objective: str | None = None
    event: str | None = None
    steps: tuple[str, ...] = ()
    window: str | None = None
    property: str | None = None
    filter: Mapping[str, tuple[Any, ...]] = EMPTY_MAP
    fields: FieldLocations = NO_FIELDS

    def where(self, field_name: str) -> Location:
        return self.fields.get(field_name) or self.location

    @builtins.property  # the field `property` hides the builtin in this class body
    def events(self) -> tuple[str, ...]:
        """The events it is computed from, in step order."""
        return self.steps if self.type == "conversion" else (self.event,) if self.event else ()


class Squad(NamedTuple):
    name: str
    location: Location
    description: str | None = None
    contact: str | None = None
    members: tuple[str, ...] = ()


class Conventions(NamedTuple):
    events: str = "any"
    properties: str = "any"


DEFAULT_CONVENTIONS = Conventions()


def _empty_map() -> Mapping[str, Any]:
    return EMPTY_MAP


@dataclass(frozen=True)
class Plan:
    id: str
    version: str
    root: str
    """The plan directory as the user named it; file paths in locations start with it."""
    location: Location
    title: str | None = None
    description: str | None = None
    conventions: Conventions = DEFAULT_CONVENTIONS
    squads: Mapping[str, Squad] = field(default_factory=_empty_map)
    platforms: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()
    pii_destinations: tuple[str, ...] = ()
    traits_destinations: tuple[str, ...] | None = None
    """Where identify() sends the traits; None (not written): every declared destination."""
    additional_properties: bool = False
    compatibility: str = "full"
    library: Mapping[str, Property] = field(default_factory=_empty_map)
    events: Mapping[str, Event] = field(default_factory=_empty_map)
    objectives: Mapping[str, Objective] = field(default_factory=_empty_map)
    metrics: Mapping[str, Metric] = field(default_factory=_empty_map)
    traits: tuple[Property, ...] = ()
    global_properties: tuple[Property, ...] = ()
    pages: Mapping[str, Event] = field(default_factory=_empty_map)
    """What page() calls may name (UNNAMED: a call without a name), described as events are."""
    screens: Mapping[str, Event] = field(default_factory=_empty_map)
    """What screen() calls may name, as pages."""
    group_traits: tuple[Property, ...] = ()
    """The traits group() sends (the account or company a user belongs to)."""
    alias: bool = False
    """Whether alias() calls are planned."""
    settings: Mapping[str, Any] = field(default_factory=_empty_map)
    """Raw, position-aware sections read by their own consumers: lint, diff, generate, destination_settings."""
    files: tuple[str, ...] = ()
    fields: FieldLocations = field(default=NO_FIELDS, compare=False)

    def where(self, field_name: str) -> Location:
        return self.fields.get(field_name) or self.location

    @property
    def trait_destinations(self) -> tuple[str, ...]:
        """Where the traits go: `traits_destinations`, or every declared destination."""
        return self.destinations if self.traits_destinations is None else self.traits_destinations

    def global_destinations(self) -> tuple[str, ...]:
        """Where the global properties go: with every event, so to every destination of an event."""
        return tuple(dict.fromkeys(d for e in self.events.values() for d in e.destinations))


UNNAMED = "(unnamed)"
"""The page or screen a page() or screen() call without a name is: its definition's key in `pages:`/`screens:`."""


def payload_properties(plan: Plan, event: Event) -> tuple[Property, ...]:
    """What an event carries: its own properties, then the global properties it does not redefine."""
    own = {p.name for p in event.properties}
    return (*event.properties, *(g for g in plan.global_properties if g.name not in own))


def carried_properties(plan: Plan, event: Event) -> tuple[Property, ...]:
    """Every property a message of the event may carry: its payload's, then those only its variants add. For what
    reads properties by name without knowing the variant (a flat table's columns, GA4's parameter names)."""
    own = payload_properties(plan, event)
    if not event.variants:
        return own
    personal = {p.name for v in event.variants for p in v.properties if p.pii}
    seen = {p.name for p in own}
    added: list[Property] = []
    for variant in event.variants:
        for prop in variant.properties:
            if prop.name not in seen:
                seen.add(prop.name)
                added.append(prop)
    # A property personal in any variant is personal here: what redacts by name never shows it.
    return tuple(p._replace(pii=True) if p.name in personal and not p.pii else p for p in (*own, *added))


def null_by_enum(prop: Property) -> bool:
    """Whether null passes only because the enum lists it (the type does not): an enum listing null allows it, as
    JSON Schema's enum does. The exported schema lists null in its type then too (shapes/jsonschema.py), and every
    engine reads it from the rule compiler (conformance/compiled.py)."""
    return bool(prop.type) and prop.enum is not None and None in prop.enum and "null" not in prop.type
