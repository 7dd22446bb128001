"""Plan → JSON Schema (draft 2020-12): one schema per event, usable as-is by payload validators and by
tools that take JSON Schema tracking plans (Segment Protocols, RudderStack). Code generators embed the
same schemas for their optional run-time checks, and `export jsonschema` writes them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from tracking_plan.core.model import Event, Plan, Property, null_by_enum, payload_properties

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_CONSTRAINTS = (
    ("pattern", "pattern"), ("format", "format"), ("minimum", "minimum"), ("maximum", "maximum"),
    ("exclusive_minimum", "exclusiveMinimum"), ("exclusive_maximum", "exclusiveMaximum"),
    ("min_length", "minLength"), ("max_length", "maxLength"), ("min_items", "minItems"), ("max_items", "maxItems"),
)


def property_schema(prop: Property, with_docs: bool = True, personal: bool = False) -> dict[str, Any]:
    """`personal`: the property is inside one marked pii. A personal property's examples are left out: the schema
    is published to other tools, and an example may be a real person's value pasted into the plan."""
    personal = personal or prop.pii
    schema: dict[str, Any] = {}
    if with_docs and prop.description:
        schema["description"] = prop.description
    # Null passes a property whose type allows it (any type, or null listed) or whose enum lists it: every engine
    # reads the plan so, and JSON Schema needs null in both the type and the enum to say the same.
    kinds = prop.type + (("null",) if null_by_enum(prop) else ())
    if kinds:
        schema["type"] = kinds[0] if len(kinds) == 1 else list(kinds)
    if prop.enum is not None:
        allows_null = not kinds or "null" in kinds
        schema["enum"] = list(prop.enum) + ([None] if allows_null and None not in prop.enum else [])
    for attribute, keyword in _CONSTRAINTS:
        value = getattr(prop.constraints, attribute)
        if value is not None:
            schema[keyword] = value
    if prop.items is not None:
        schema["items"] = property_schema(prop.items, with_docs, personal)
    if prop.properties or "object" in prop.type or prop.values is not None:
        schema.update(object_schema(prop.properties, prop.additional_properties, with_docs, personal))
    if prop.values is not None:
        schema["additionalProperties"] = property_schema(prop.values, with_docs, personal)
    if with_docs and prop.pii:
        schema["x-pii"] = True
    if with_docs and prop.examples and not personal:
        schema["examples"] = list(prop.examples)
    if with_docs and prop.deprecated:
        schema["deprecated"] = True
    if with_docs:
        schema.update(_extensions(prop.extensions))
    return schema


def _extensions(extensions: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The plan's `x-` annotations, written back as they were: JSON Schema reads unknown keywords as annotations,
    and import carries them again (what import could not say of a source schema, `x-json-schema`, included)."""
    return {key: json.loads(text) for key, text in extensions}


def object_schema(props: tuple[Property, ...], open_: bool, with_docs: bool = True,
                  personal: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "properties": {p.name: property_schema(p, with_docs, personal) for p in props},
    }
    required = [p.name for p in props if p.required]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = open_
    return schema


def payload_schema(plan: Plan, event: Event, with_docs: bool = False) -> dict[str, Any]:
    """The object schema of an event's payload (global properties included), without the envelope; an event with
    variants is an `if`/`then`/`else` chain (see `variant_chain`)."""
    schema = variant_chain(event, lambda e: _payload(plan, e, with_docs))
    if with_docs:
        schema.update(_extensions(event.extensions))
    return schema


def _payload(plan: Plan, event: Event, with_docs: bool) -> dict[str, Any]:
    schema = object_schema(payload_properties(plan, event), event.additional_properties, with_docs)
    if event.values is not None:
        schema["additionalProperties"] = property_schema(event.values, with_docs)
    return schema


def variant_chain(event: Event, schema_of: Callable[[Event], dict[str, Any]]) -> dict[str, Any]:
    """The payload's schema: `schema_of` the event, or for an event with variants, `if` the discriminator holds a
    variant's text `then` that variant's schema, `else` the next variant's test, the event's own schema last. As
    every engine judges it: the variant the text picks, the event's own rules for any other value."""
    if not event.variants or event.discriminator is None:
        return schema_of(event)
    on = event.discriminator
    schema = schema_of(event._replace(variants=()))
    for variant in reversed(event.variants):
        schema = {"if": {"properties": {on: {"const": variant.value}}, "required": [on]},
                  "then": schema_of(event.variant(variant.value)), "else": schema}
    return schema


def event_schema(plan: Plan, event: Event) -> dict[str, Any]:
    """The schema of one event's properties (global properties included), with the plan's documentation."""
    schema: dict[str, Any] = {"$schema": DRAFT, "$id": f"{plan.id}/{quote(event.name, safe='')}",
                              "title": event.name}
    if event.description:
        schema["description"] = event.description
    schema["type"] = "object"
    schema.update(variant_chain(event, lambda e: _payload(plan, e, True)))
    schema["x-tracking-plan"] = event_metadata(plan, event)
    if event.status == "deprecated":
        schema["deprecated"] = True
    schema.update(_extensions(event.extensions))
    return schema


def traits_schema(plan: Plan) -> dict[str, Any]:
    """The identify traits' schema, with the plan's own metadata (`plan_metadata`)."""
    schema: dict[str, Any] = {"$schema": DRAFT, "$id": f"{plan.id}/identify", "title": "Identify traits",
                              "type": "object"}
    schema.update(object_schema(plan.traits, plan.additional_properties))
    schema["x-tracking-plan"] = plan_metadata(plan)
    return schema


def call_schema(plan: Plan, kind: str, call: Event) -> dict[str, Any]:
    """A page's or screen's schema: its own properties (the global ones ride on track events), with its metadata
    and the call it describes (`x-tracking-plan.call`), which `import` reads back."""
    schema: dict[str, Any] = {"$schema": DRAFT, "$id": f"{plan.id}/{kind}/{quote(call.name, safe='')}",
                              "title": f"{kind} {call.name}"}
    if call.description:
        schema["description"] = call.description
    schema["type"] = "object"
    schema.update(object_schema(call.properties, call.additional_properties))
    schema["x-tracking-plan"] = {**event_metadata(plan, call), "call": kind}
    return schema


def group_schema(plan: Plan) -> dict[str, Any]:
    """The group traits' schema."""
    schema: dict[str, Any] = {"$schema": DRAFT, "$id": f"{plan.id}/group", "title": "Group traits", "type": "object"}
    schema.update(object_schema(plan.group_traits, plan.additional_properties))
    return schema


def event_metadata(plan: Plan, event: Event) -> dict[str, Any]:
    """What the plan says of an event beyond its payload, as `export` writes it (`x-tracking-plan`) and
    `import` reads it back."""
    metadata: dict[str, Any] = {
                "plan": plan.id, "plan_version": plan.version, "owner": event.owner, "status": event.status,
                "trigger": event.trigger, "platforms": list(event.platforms),
                "destinations": list(event.destinations), "tags": list(event.tags), "replaced_by": event.replaced_by}
    if event.variants:
        metadata["variants"] = {"discriminator": event.discriminator, "cases": {
            v.value: {"description": v.description} if v.description else {} for v in event.variants}}
    return {k: v for k, v in metadata.items() if v not in (None, [])}


def plan_metadata(plan: Plan) -> dict[str, Any]:
    """What is the plan's own, not an event's (its version, which properties are global, where personal data may
    go), as `export` writes it on the traits' schema and `import` reads it back."""
    metadata = {"plan": plan.id, "plan_version": plan.version, "title": plan.title,
                "description": plan.description, "global_properties": [p.name for p in plan.global_properties],
                "pii_destinations": list(plan.pii_destinations),
                "traits_destinations": None if plan.traits_destinations is None else list(plan.traits_destinations),
                "alias": plan.alias or None}
    return {k: v for k, v in metadata.items() if v not in (None, [])}
