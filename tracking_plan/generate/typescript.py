"""TypeScript: one file with a typed Tracker class (a method per event), strict-mode clean."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from tracking_plan.conformance.formats import FORMATS
from tracking_plan.core.model import Plan
from tracking_plan.generate.common import (
    Namespace,
    Target,
    TargetOption,
    TypeNames,
    call_methods,
    camel,
    check,
    comment_lines,
    deprecation,
    event_methods,
    header_lines,
    node,
    render,
    runtime_call_schemas,
    runtime_group_schema,
    runtime_schemas,
    runtime_traits_schema,
)
from tracking_plan.generate.model import CodegenPlan, EnumType, FieldSpec, ObjectType

RESERVED = frozenset({
    "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
    "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null",
    "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "as",
    "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield", "any",
    "boolean", "constructor", "declare", "get", "module", "require", "number", "set", "string", "symbol", "type",
    "from", "of", "unknown", "never", "object", "bigint", "undefined", "async", "await"
})
RESERVED_TYPES = frozenset({
    "Array", "Boolean", "Date", "Error", "Function", "Map", "Number", "Object", "Promise", "Record", "RegExp",
    "Set", "String", "Symbol", "JSON", "Math", "Tracker", "Transport", "Violation", "PlanMetadata",
    "TrackerOptions", "Schema", "Partial", "Readonly", "Required"
})
RESERVED_METHODS = frozenset({"identify", "send", "options", "report", "check", "checked"})
_PLAIN_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def string(value: str) -> str:
    return json.dumps(value, ensure_ascii=True)


def doc(*paragraphs: str | None) -> list[str]:
    """Lines of a JSDoc body; `*/` in plan text cannot end the comment."""
    return comment_lines(*paragraphs, escape=lambda text: text.replace("*/", "*\\/"))


_PRIMITIVES = {"string": "string", "number": "number", "integer": "number", "boolean": "boolean"}


class _Names(TypeNames):
    reserved = RESERVED_TYPES | RESERVED
    primitives = _PRIMITIVES
    any_type = "unknown"
    open_object = "Record<string, unknown>"

    def nullable(self, base: str) -> str:
        return f"{base} | null"

    def __init__(self, plan: CodegenPlan) -> None:
        super().__init__(plan)
        self.methods = Namespace("method")


def _field(names: _Names, spec: FieldSpec, fields: Namespace) -> SimpleNamespace:
    key = spec.wire if _PLAIN_KEY.fullmatch(spec.wire) else string(spec.wire)
    fields.claim(spec.wire, spec.wire, spec.location)
    notes = []
    if spec.type.kind == "integer":
        notes.append("An integer.")
    if spec.format:
        notes.append(f"Format: {spec.format}.")
    if spec.deprecated:
        notes.append("@deprecated This property should no longer be sent.")
    return node(key=key, optional=not spec.required, type=names.type(spec.type),
            doc=doc(spec.description, " ".join(notes) or None))


def _object(names: _Names, obj: ObjectType) -> SimpleNamespace:
    fields = Namespace(f"field of {names.object_names[id(obj)]}")
    return node(name=names.object_names[id(obj)], open=obj.open, fields=[_field(names, f, fields)
                                                                             for f in obj.fields])


def _enum(names: _Names, enum: EnumType) -> SimpleNamespace:
    return node(name=names.enum_names[id(enum)], values=[json.dumps(v, ensure_ascii=True) for v in enum.values])


def _schemas_literal(schemas: dict[str, Any]) -> str:
    """One event per line: readable, and fast to write for thousands of events."""
    if not schemas:
        return "{}"
    lines = [f"  {string(name)}: {json.dumps(schema, ensure_ascii=True, sort_keys=True)}"
             for name, schema in sorted(schemas.items())]
    return "{\n" + ",\n".join(lines) + ",\n}"


def method_names(plan: CodegenPlan, methods: Namespace | None = None) -> dict[int, str]:
    """Each event's method on the Tracker (by id of its EventSpec): what `status` looks for in the code."""
    return event_methods(plan, methods or Namespace("method"), camel, RESERVED | RESERVED_METHODS)


def call_names(plan: CodegenPlan, methods: Namespace) -> dict[int, str]:
    """Each page's and screen's method, claimed in the events' namespace (see `method_names`)."""
    return call_methods(plan, methods, camel, RESERVED | RESERVED_METHODS)


def render_typescript(plan: CodegenPlan, options: Mapping[str, Any], model: Plan) -> dict[str, str]:
    names = _Names(plan)
    methods = method_names(plan, names.methods)
    events = []
    for event in plan.events:
        method = methods[id(event)]
        message = deprecation(event, lambda r: f"{{@link Tracker.{methods[id(r)]}}}")
        deprecated = f"@deprecated {message}" if message else None
        props = names.object_names[id(event.properties)]
        events.append(node(method=method, wire=string(event.wire), type=props,
                       empty=not event.properties.fields, schema=event.wire,
                       doc=doc(event.description, f"Trigger: {event.trigger}" if event.trigger else None,
                                  deprecated.replace("*/", "*\\/") if deprecated else None),
                       variants=[node(method=methods[id(v)], type=names.object_names[id(v.properties)],
                                      empty=not v.properties.fields, key=string(v.variant[0]),
                                      value=string(v.variant[1]),
                                      doc=doc(v.description, f"Sends {event.wire} with {v.variant[0]} = "
                                              f"{v.variant[1]}.", deprecated.replace("*/", "*\\/")
                                              if deprecated else None))
                                 for v in event.variants if v.variant]))
    call_method = call_names(plan, names.methods)
    calls = [node(method=call_method[id(call)], kind=call.call, label=string(call.label),
                  name="null" if call.sent_name is None else string(call.sent_name),
                  type=names.object_names[id(call.properties)], empty=not call.properties.fields,
                  doc=doc(call.description, f"Trigger: {call.trigger}" if call.trigger else None,
                          f"@deprecated This {call.call} is deprecated." if call.deprecated else None))
             for call in plan.calls]
    objects = sorted((_object(names, o) for o in plan.objects), key=lambda o: o.name)
    check([names.types, names.methods])
    schemas = runtime_schemas(plan, model, None)
    content = render("typescript/tracking.ts.j2", header=header_lines(plan), plan_id=string(plan.plan_id),
                     version=string(plan.version),
                     enums=sorted((_enum(names, e) for e in plan.enums), key=lambda e: e.name), objects=objects,
                     events=events, traits=names.object_names[id(plan.traits)],
                     globals=names.object_names[id(plan.globals)], has_globals=bool(plan.globals.fields),
                     calls=calls, kinds={call.call for call in plan.calls}, alias=plan.alias,
                     group=names.object_names[id(plan.group)] if plan.group else None,
                     group_schema=json.dumps(runtime_group_schema(model, None), ensure_ascii=True, sort_keys=True),
        globals_required=any(f.required for f in plan.globals.fields),
                     schemas=_schemas_literal(schemas),
                     call_schemas=_schemas_literal(runtime_call_schemas(plan, model, None)),
                     traits_schema=json.dumps(runtime_traits_schema(model, None), ensure_ascii=True, sort_keys=True),
                     formats=json.dumps(FORMATS, ensure_ascii=True, sort_keys=True))
    return {options["file"]: content}


TARGET = Target(
    "typescript",
    "A TypeScript module: a Tracker class with one typed method per event, for any analytics SDK.",
    render_typescript,
    {"file": TargetOption("tracking-plan.ts", "Name of the generated file.", r"[A-Za-z0-9_][A-Za-z0-9._-]*\.ts")},
)
