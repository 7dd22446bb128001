"""Python: one module with TypedDicts per event and a Tracker class, mypy --strict clean."""

from __future__ import annotations

import json
import keyword
from collections.abc import Mapping
from typing import Any

from tracking_plan.codegen.common import (
    Namespace,
    Target,
    TargetOption,
    check,
    header_lines,
    pascal,
    render,
    safe_identifier,
    snake,
)
from tracking_plan.codegen.model import CodegenPlan, ObjectType, TypeRef
from tracking_plan.jsonschema_export import object_schema, payload_schema
from tracking_plan.model import Plan

RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset({
    "Any", "Callable", "Literal", "Mapping", "NamedTuple", "NotRequired", "Protocol", "TypedDict", "Tracker",
    "Transport", "Violation", "PlanMetadata", "SCHEMAS", "TRAITS_SCHEMA", "PLAN_ID", "PLAN_VERSION", "deprecated",
    "sys", "re", "identify", "int", "str", "float", "bool", "list", "dict", "object", "type", "None",
})


def string(value: str) -> str:
    return json.dumps(value, ensure_ascii=True)


def python_literal(value: Any, indent: int = 0) -> str:
    """JSON data as a Python literal, on one line when short, else one entry per line."""
    flat = _flat_literal(value)
    if len(flat) + indent <= 100 or not isinstance(value, dict | list) or not value:
        return flat
    inner = " " * (indent + 4)
    if isinstance(value, dict):
        entries = [f"{inner}{string(k)}: {python_literal(v, indent + 4)}," for k, v in value.items()]
        return "{\n" + "\n".join(entries) + "\n" + " " * indent + "}"
    items = [f"{inner}{python_literal(v, indent + 4)}," for v in value]
    return "[\n" + "\n".join(items) + "\n" + " " * indent + "]"


def _flat_literal(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{string(k)}: {_flat_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flat_literal(v) for v in value) + "]"
    if isinstance(value, str):
        return string(value)
    return repr(value)


def docstring(*paragraphs: str | None) -> str:
    text = "\n\n".join(p for p in paragraphs if p)
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


class _Names:
    def __init__(self, plan: CodegenPlan) -> None:
        self.types = Namespace("type")
        self.methods = Namespace("method")
        self.enum_names = {id(e): self.types.claim(safe_identifier(pascal(e.words), RESERVED), " ".join(e.words),
                                                   e.location) for e in plan.enums}
        self.object_names = {id(o): self.types.claim(safe_identifier(pascal(o.words), RESERVED), " ".join(o.words),
                                                     o.location) for o in plan.objects}

    def type(self, ref: TypeRef) -> str:
        base = self._base(ref)
        return f"{base} | None" if ref.nullable else base

    def _base(self, ref: TypeRef) -> str:
        if ref.kind == "enum" and ref.enum is not None:
            return self.enum_names[id(ref.enum)]
        if ref.kind == "object":
            return self.object_names[id(ref.obj)] if ref.obj is not None else "dict[str, Any]"
        if ref.kind == "array":
            return f"list[{self.type(ref.item) if ref.item is not None else 'Any'}]"
        if ref.kind == "union":
            return " | ".join(self._base(m) for m in ref.members)
        return {"string": "str", "number": "float", "integer": "int", "boolean": "bool"}.get(ref.kind, "Any")


def _object(names: _Names, obj: ObjectType) -> dict[str, Any]:
    fields = Namespace(f"key of {names.object_names[id(obj)]}")
    entries = []
    for spec in obj.fields:
        fields.claim(spec.wire, spec.wire, spec.location)
        kind = names.type(spec.type)
        entries.append({"key": string(spec.wire), "type": kind if spec.required else f"NotRequired[{kind}]"})
    return {"name": names.object_names[id(obj)], "fields": entries, "open": obj.open}


def render_python(plan: CodegenPlan, options: Mapping[str, Any], model: Plan) -> dict[str, str]:
    names = _Names(plan)
    methods = {id(e): names.methods.claim(safe_identifier(snake(e.words), RESERVED), e.wire, e.location)
               for e in plan.events}
    events = []
    for event in plan.events:
        deprecated = None
        if event.deprecated:
            deprecated = "This event is deprecated." + (
                f" Send {event.replaced_by.wire!r} instead: Tracker.{methods[id(event.replaced_by)]}()."
                if event.replaced_by else "")
        events.append({
            "method": methods[id(event)], "wire": string(event.wire), "type": names.object_names[id(event.properties)],
            "open": event.properties.open, "empty": not event.properties.fields,
            "doc": docstring(event.description or event.wire, f"Trigger: {event.trigger}" if event.trigger else None,
                             deprecated),
            "deprecated": string(deprecated) if deprecated else None,
        })
    objects = [_object(names, o) for o in plan.objects]  # nested types first: they are defined before use
    check([names.types, names.methods])
    wanted = {e.wire for e in plan.events}
    schemas = {e.name: payload_schema(model, e)
               for e in model.events.values() if e.name in wanted}
    content = render(
        "python/tracking.py.j2", header=header_lines(plan), plan_id=string(plan.plan_id), version=string(plan.version),
        enums=sorted(({"name": names.enum_names[id(e)], "values": ", ".join(python_literal(v) for v in e.values)}
                      for e in plan.enums), key=lambda e: e["name"]),
        objects=objects, events=events, traits=names.object_names[id(plan.traits)],
        globals=names.object_names[id(plan.globals)], has_globals=bool(plan.globals.fields),
        schemas=python_literal(dict(sorted(schemas.items()))),
        traits_schema=python_literal(object_schema(model.traits, model.additional_properties, with_docs=False)),
        any_deprecated=any(e["deprecated"] for e in events))
    return {f"{options['module']}.py": content}


TARGET = Target(
    "python",
    "A Python module: TypedDicts per event and a Tracker with one typed method per event (mypy --strict clean).",
    render_python,
    {"module": TargetOption("tracking", "Name of the generated module (the file is MODULE.py).")},
)
