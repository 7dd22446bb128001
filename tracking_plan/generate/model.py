"""What every code generator needs, computed once from the plan: events, their fields with resolved
types, and the named object and enum types they use. Targets only decide spelling and syntax."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tracking_plan.core.diagnostics import Location
from tracking_plan.core.model import UNNAMED, Constraints, Event, Plan, Property
from tracking_plan.core.naming import words
from tracking_plan.shapes.messages import call_label

Words = tuple[str, ...]


def ascii_words(name: str) -> Words:
    """Identifier words of a name, folded to ASCII (`Café Vu` → ('cafe', 'vu')); names with no letters or
    digits (emoji) get their code points, so every name yields a stable, non-empty identifier."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    result = words(folded)
    if result:
        return result
    return ("u" + "_".join(f"{ord(c):x}" for c in name[:6]),) if name else ("unnamed",)


@dataclass(eq=False)
class EnumType:
    words: Words
    values: tuple[Any, ...]
    location: Location
    label: str
    """The plan names it comes from (`Order Completed.currency`): two types are the same only if equal."""

    @property
    def strings_only(self) -> bool:
        return all(isinstance(v, str) for v in self.values)

    @property
    def integers_only(self) -> bool:
        return all(isinstance(v, int) and not isinstance(v, bool) for v in self.values)

    @property
    def numbers_only(self) -> bool:
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in self.values)


@dataclass(eq=False)
class ObjectType:
    words: Words
    fields: list[FieldSpec]
    open: bool
    location: Location
    label: str


@dataclass(eq=False)
class TypeRef:
    kind: str
    """string, number, integer, boolean, any, enum, object, array, union."""
    nullable: bool = False
    enum: EnumType | None = None
    obj: ObjectType | None = None
    item: TypeRef | None = None
    members: tuple[TypeRef, ...] = ()


@dataclass(eq=False)
class FieldSpec:
    wire: str
    words: Words
    type: TypeRef
    required: bool
    description: str | None
    constraints: Constraints
    deprecated: bool
    location: Location
    format: str | None = None


@dataclass(eq=False)
class EventSpec:
    wire: str
    words: Words
    description: str | None
    trigger: str | None
    deprecated: bool
    replaced_by: EventSpec | None
    properties: ObjectType
    location: Location
    owner: str | None
    platforms: tuple[str, ...]
    call: str = "track"
    """track, or page or screen: then `wire` is the page's name, UNNAMED for a call sent without one."""
    variants: list[EventSpec] = field(default_factory=list)
    """An event's variants, each a method of its own sending the event (`paymentFailedCard`)."""
    variant: tuple[str, str] | None = None
    """For a variant: the discriminator's key and the text the method sends in it; its properties are the others."""

    @property
    def sent_name(self) -> str | None:
        """The name the transport is given: None for the unnamed page or screen."""
        return None if self.call != "track" and self.wire == UNNAMED else self.wire

    @property
    def label(self) -> str:
        """How validate names it (`page Home`): the `event` of the generated code's violations."""
        return call_label(self.call, self.wire)


@dataclass
class CodegenPlan:
    plan_id: str
    version: str
    events: list[EventSpec]
    traits: ObjectType
    globals: ObjectType
    objects: list[ObjectType] = field(default_factory=list)
    enums: list[EnumType] = field(default_factory=list)
    calls: list[EventSpec] = field(default_factory=list)
    """The plan's pages, then its screens: a typed method each."""
    group: ObjectType | None = None
    """The group traits, when the plan has `group:`."""
    alias: bool = False


class _Builder:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.objects: list[ObjectType] = []
        self.enums: list[EnumType] = []
        self.shared_enums: dict[tuple[str, tuple[Any, ...]], EnumType] = {}

    def object(self, name: Words, prefix: Words, props: tuple[Property, ...], open_: bool,
               location: Location, label: str) -> ObjectType:
        """An object type called `name`; the types of its fields are named `prefix` + the field's name."""
        obj = ObjectType(name, [], open_, location, label)
        obj.fields = [self.field(prefix, p, label) for p in props]
        self.objects.append(obj)
        return obj

    def field(self, prefix: Words, prop: Property, label: str) -> FieldSpec:
        name_words = ascii_words(prop.name)
        return FieldSpec(prop.name, name_words, self.type(prefix + name_words, prop, f"{label}.{prop.name}"),
                         prop.required,
                         prop.description, prop.constraints, prop.deprecated, prop.location, prop.constraints.format)

    def type(self, path: Words, prop: Property, label: str) -> TypeRef:
        nullable = "null" in prop.type or (prop.enum is not None and None in prop.enum)
        kinds = [t for t in prop.type if t != "null"]
        if prop.enum:
            values = tuple(v for v in prop.enum if v is not None)
            if values:
                return TypeRef("enum", nullable, enum=self.enum(path, prop, values, label))
        if not kinds:
            return TypeRef("any", nullable)
        refs = [self.single(path, kind, prop, label) for kind in kinds]
        if len(refs) == 1:
            refs[0].nullable = nullable
            return refs[0]
        return TypeRef("union", nullable, members=tuple(refs))

    def single(self, path: Words, kind: str, prop: Property, label: str) -> TypeRef:
        if kind == "object":
            if not prop.properties or prop.values is not None:  # a dictionary's keys are data: a map
                return TypeRef("object")
            return TypeRef("object", obj=self.object(path, path, prop.properties, prop.additional_properties,
                                                     prop.location, label))
        if kind == "array":
            if prop.items is None:
                return TypeRef("array", item=TypeRef("any"))
            return TypeRef("array", item=self.type(path + ("item",), prop.items, label + "[]"))
        return TypeRef(kind)

    def enum(self, path: Words, prop: Property, values: tuple[Any, ...], label: str) -> EnumType:
        library = self.plan.library.get(prop.ref) if prop.ref else None
        if library is not None and library.enum == prop.enum:
            key = (prop.ref or "", values)
            shared = self.shared_enums.get(key)
            if shared is None:
                shared = EnumType(ascii_words(prop.ref or prop.name), values, library.location,
                                  f"library property {prop.ref}")
                self.shared_enums[key] = shared
                self.enums.append(shared)
            return shared
        enum = EnumType(path, values, prop.location, label)
        self.enums.append(enum)
        return enum


def _events(plan: Plan, platform: str | None) -> list[Event]:
    """The events generated, in the order that decides which of two colliding names gets a suffix."""
    return _events_of(plan.events, platform)


def _events_of(described: Mapping[str, Event], platform: str | None) -> list[Event]:
    events = [e for e in described.values() if platform is None or platform in e.platforms]
    events.sort(key=lambda e: (ascii_words(e.name), e.name))
    return events


def call_words(kind: str, name: str) -> Words:
    """A page's or screen's method words: `page` + its name (`pageProductPage`), the call alone if unnamed."""
    return (kind,) if name == UNNAMED else (kind, *ascii_words(name))


def events_only(plan: Plan) -> CodegenPlan:
    """The events', pages' and screens' names, words and places without their types: what naming the tracker
    methods needs (status), at a fraction of the cost of the whole codegen plan."""
    empty = ObjectType((), [], True, plan.location, "")
    events = [EventSpec(e.name, ascii_words(e.name), None, None, e.status == "deprecated", None, empty, e.location,
                        e.owner, e.platforms,
                        variants=[EventSpec(e.name, ascii_words(e.name) + ascii_words(v.value), None, None,
                                            e.status == "deprecated", None, empty, v.location, e.owner, e.platforms,
                                            variant=(e.discriminator or "", v.value)) for v in e.variants])
              for e in _events(plan, None)]
    calls = [EventSpec(c.name, call_words(kind, c.name), None, None, c.status == "deprecated", None, empty,
                       c.location, c.owner, c.platforms, kind)
             for kind, described in (("page", plan.pages), ("screen", plan.screens))
             for c in _events_of(described, None)]
    calls.sort(key=lambda c: (c.words, c.wire))
    return CodegenPlan(plan.id, plan.version, events, empty, empty, calls=calls)


def build_codegen_plan(plan: Plan, platform: str | None = None) -> CodegenPlan:
    builder = _Builder(plan)
    events = _events(plan, platform)
    specs: dict[str, EventSpec] = {}
    for event in events:
        specs[event.name] = _event_spec(builder, event)
    for event in events:
        if event.replaced_by and event.replaced_by in specs:
            specs[event.name].replaced_by = specs[event.replaced_by]
    traits = builder.object(("user", "traits"), ("user",), plan.traits, plan.additional_properties, plan.location,
                            "traits")
    globals_ = builder.object(("global", "properties"), ("global",), plan.global_properties,
                              plan.additional_properties, plan.location, "global properties")
    calls = [_call_spec(builder, kind, call) for kind, described in (("page", plan.pages), ("screen", plan.screens))
             for call in _events_of(described, platform)]
    calls.sort(key=lambda c: (c.words, c.wire))  # `page` before `pageHome`: the words start with the call
    group = builder.object(("group", "traits"), ("group",), plan.group_traits, plan.additional_properties,
                           plan.location, "group traits") if plan.group_traits else None
    return CodegenPlan(plan.id, plan.version, list(specs.values()), traits, globals_, builder.objects, builder.enums,
                       calls, group, plan.alias)


def _call_spec(builder: _Builder, kind: str, call: Event) -> EventSpec:
    name_words = call_words(kind, call.name)
    label = call_label(kind, call.name)
    properties = builder.object(name_words + ("properties",), name_words, call.properties, call.additional_properties,
                                call.location, label)
    return EventSpec(call.name, name_words, call.description, call.trigger, call.status == "deprecated", None,
                     properties, call.location, call.owner, call.platforms, kind)


def _event_spec(builder: _Builder, event: Event) -> EventSpec:
    name_words = ascii_words(event.name)
    properties = builder.object(name_words + ("properties",), name_words, event.properties,
                                event.additional_properties, event.location, event.name)
    spec = EventSpec(event.name, name_words, event.description, event.trigger, event.status == "deprecated", None,
                     properties, event.location, event.owner, event.platforms)
    on = event.discriminator
    for variant in event.variants if on else ():
        words_ = name_words + ascii_words(variant.value)
        own = tuple(p for p in variant.properties if p.name != on)
        props = builder.object(words_ + ("properties",), words_, own, event.additional_properties, variant.location,
                               f"{event.name} ({on} = {variant.value})")
        spec.variants.append(EventSpec(event.name, words_, variant.description or event.description, event.trigger,
                                       spec.deprecated, None, props, variant.location, event.owner, event.platforms,
                                       variant=(on or "", variant.value)))
    return spec
