"""Kotlin (1.3+, JVM and Android): data classes per event and a Tracker with one method per event.

The Tracker and the shared types go to one file, each squad's types and schemas to its own (`TrackingCheckout.kt`):
kotlinc runs out of its default heap on one file holding a few hundred events."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
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
    escape_string,
    event_methods,
    header_lines,
    node,
    render,
    runtime_call_schemas,
    runtime_group_schema,
    runtime_schemas,
    runtime_traits_schema,
    safe_identifier,
    squad_files,
)
from tracking_plan.generate.model import CodegenPlan, EnumType, ObjectType, TypeRef, ascii_words

RESERVED = frozenset({
    "as", "break", "class", "continue", "do", "else", "false", "for", "fun", "if", "in", "interface", "is", "null",
    "object", "package", "return", "super", "this", "throw", "true", "try", "typealias", "typeof", "val", "var",
    "when", "while"
})
RESERVED_TYPES = frozenset({
    "Any", "Boolean", "Double", "Int", "Long", "List", "Map", "Nothing", "String", "Unit", "Regex", "Tracker",
    "Transport", "PlanMetadata", "Violation", "TrackingProperties", "Schema"
})
RESERVED_METHODS = frozenset({"identify", "send", "check", "checked", "metadata", "toString", "equals", "hashCode"})


_PLAIN = re.compile(r"[ !#%-\[\]-~]*")
"""Printable ASCII that needs no escape: space to ~ but the double quote, the backslash and the dollar (templates)."""


@lru_cache(maxsize=65536)
def kotlin_string(value: str) -> str:
    if _PLAIN.fullmatch(value):
        return '"' + value + '"'
    return escape_string(value, '\\"$', _utf16_escape)


def _utf16_escape(char: str) -> str:
    encoded = char.encode("utf-16-be")
    return "".join(f"\\u{encoded[i]:02x}{encoded[i + 1]:02x}" for i in range(0, len(encoded), 2))


def kotlin_literal(value: Any) -> str:
    if isinstance(value, dict):
        if not value:
            return "emptyMap<String, Any?>()"
        return "mapOf<String, Any?>(" + ", ".join(f"{kotlin_string(k)} to {kotlin_literal(v)}"
                                                  for k, v in value.items()) + ")"
    if isinstance(value, list):
        return "listOf<Any?>(" + ", ".join(kotlin_literal(v) for v in value) + ")"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return f"{value}L"
    if isinstance(value, float):
        return repr(value) if "e" not in repr(value) else f"{value:f}"
    return kotlin_string(str(value))


_CHUNK = 20_000
"""A JVM class file holds a string constant of at most 65,535 bytes: longer texts are joined at run time."""


def kotlin_json(value: Any) -> str:
    """A JSON document as Kotlin raw strings (no escapes to read: `$` alone needs spelling)."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), sort_keys=False)
    parts = ['"""' + text[i:i + _CHUNK].replace("$", "${'$'}") + '"""' for i in range(0, len(text), _CHUNK)]
    return parts[0] if len(parts) == 1 else "listOf(" + ", ".join(parts) + ').joinToString("")'


def kdoc(*paragraphs: str | None) -> list[str]:
    """Lines of a KDoc body; Kotlin nests block comments, so neither `*/` nor `/*` may pass through."""
    return comment_lines(*paragraphs, escape=lambda text: text.replace("*/", "*&#47;").replace("/*", "&#47;*"))


_PRIMITIVES = {"string": "String", "number": "Double", "integer": "Long", "boolean": "Boolean"}


class _Names(TypeNames):
    reserved = RESERVED_TYPES | RESERVED
    primitives = _PRIMITIVES
    any_type = "Any?"
    open_object = "Map<String, Any?>"
    union_any = "Any"

    def array(self, item: str) -> str:
        return f"List<{item}>"

    def wire(self, expr: str, ref: TypeRef, nullable: bool) -> str:
        """The expression that turns a Kotlin value into what is sent."""
        dot = "?." if nullable else "."
        if ref.kind == "enum":
            return f"{expr}{dot}value"
        if ref.kind == "object" and ref.obj is not None:
            return f"{expr}{dot}toMap()"
        if ref.kind == "array" and ref.item is not None and ref.item.kind in ("enum", "object", "array"):
            inner = self.wire("it", ref.item, ref.item.nullable)
            return f"{expr}{dot}map {{ {inner} }}"
        return expr


def _enum(names: _Names, enum: EnumType) -> SimpleNamespace:
    cases = Namespace(f"value of {names.enum_names[id(enum)]}")
    entries = []
    for value in enum.values:
        case = safe_identifier("_".join(ascii_words(str(value))).upper(), RESERVED)
        entries.append(node(name=cases.claim(case, str(value), enum.location), value=kotlin_literal(value)))
    names.namespaces.append(cases)
    kind = "String" if enum.strings_only else ("Long" if enum.integers_only else "Any")
    return node(name=names.enum_names[id(enum)], entries=entries, kind=kind)


def _object(names: _Names, obj: ObjectType) -> SimpleNamespace:
    name = names.object_names[id(obj)]
    fields = Namespace(f"property of {name}")
    names.namespaces.append(fields)
    entries = []
    for spec in obj.fields:
        identifier = fields.claim(safe_identifier(camel(spec.words), RESERVED | {"toMap", "extraProperties"}),
                                  spec.wire, spec.location)
        nullable = spec.type.nullable or not spec.required
        kind = names.nullable(names.type(spec.type)) if nullable else names.type(spec.type)
        entries.append(node(
            name=identifier, wire=kotlin_string(spec.wire), type=kind,
            default="" if spec.required else " = null",
            # Optional values are written after a null check, so Kotlin smart-casts them to non-null.
            value=names.wire(identifier, spec.type, nullable and spec.required), omit_null=not spec.required,
            doc=kdoc(spec.description, "@deprecated This property should no longer be sent." if spec.deprecated
                        else None),
        ))
    return node(name=name, fields=entries, open=obj.open)


def method_names(plan: CodegenPlan, methods: Namespace | None = None) -> dict[int, str]:
    """Each event's method on the Tracker (by id of its EventSpec): what `status` looks for in the code."""
    return event_methods(plan, methods or Namespace("method"), camel, RESERVED | RESERVED_METHODS)


def call_names(plan: CodegenPlan, methods: Namespace) -> dict[int, str]:
    """Each page's and screen's method, claimed in the events' namespace (see `method_names`)."""
    return call_methods(plan, methods, camel, RESERVED | RESERVED_METHODS)


def render_kotlin(plan: CodegenPlan, options: Mapping[str, Any], model: Plan) -> dict[str, str]:
    names = _Names(plan)
    methods = Namespace("method")
    event_names = method_names(plan, methods)
    schemas = runtime_schemas(plan, model, "\\z")
    events = []
    for event in plan.events:
        deprecated = deprecation(event, lambda r: f"{event_names[id(r)]}()")
        events.append(node(
            method=event_names[id(event)], wire=kotlin_string(event.wire),
            type=names.object_names[id(event.properties)], empty=not event.properties.fields,
            schema_function="schema" + event_names[id(event)][:1].upper() + event_names[id(event)][1:],
            schema=kotlin_json(schemas[event.wire]),
            doc=kdoc(event.description, f"Trigger: {event.trigger}" if event.trigger else None),
            deprecated=kotlin_string(deprecated) if deprecated else None,
            variants=[node(method=event_names[id(v)], type=names.object_names[id(v.properties)],
                           empty=not v.properties.fields, key=kotlin_string(v.variant[0]),
                           value=kotlin_string(v.variant[1]),
                           doc=kdoc(v.description, f"Sends {v.wire} with {v.variant[0]} = {v.variant[1]}."))
                      for v in event.variants if v.variant],
        ))
    call_method = call_names(plan, methods)
    call_schemas = runtime_call_schemas(plan, model, "\\z")
    calls = [node(method=call_method[id(call)], kind=call.call, label=kotlin_string(call.label),
                  name="null" if call.sent_name is None else kotlin_string(call.sent_name),
                  type=names.object_names[id(call.properties)], empty=not call.properties.fields,
                  schema=kotlin_json(call_schemas[call.label]),
                  doc=kdoc(call.description, f"Trigger: {call.trigger}" if call.trigger else None),
                  deprecated=kotlin_string(f"This {call.call} is deprecated.") if call.deprecated else None)
             for call in plan.calls]
    groups = squad_files(plan)
    enums = {id(e): _enum(names, e) for e in plan.enums}
    objects = {id(o): _object(names, o) for o in plan.objects}
    check([*names.namespaces, methods])

    header = header_lines(plan)
    shared = options["file"]
    files = {shared: render(
        "kotlin/Tracking.kt.j2", header=header, package=options["package"],
        plan_id=kotlin_string(plan.plan_id), version=kotlin_string(plan.version), enums=groups.homed(enums, None),
        objects=groups.homed(objects, None), events=events, traits=names.object_names[id(plan.traits)],
        globals=names.object_names[id(plan.globals)], has_globals=bool(plan.globals.fields),
        globals_required=any(f.required for f in plan.globals.fields),
        traits_schema=kotlin_json(runtime_traits_schema(model, "\\z")), formats=kotlin_json(FORMATS),
        calls=calls, kinds={call.call for call in plan.calls}, alias=plan.alias,
        group=names.object_names[id(plan.group)] if plan.group else None,
        group_schema=kotlin_json(runtime_group_schema(model, "\\z")))}
    by_id = {id(e): node for e, node in zip(plan.events, events, strict=True)}
    for suffix, group in groups.events.items():
        files[f"{shared.removesuffix('.kt')}{suffix}.kt"] = render(
            "kotlin/Events.kt.j2", header=header, package=options["package"], enums=groups.homed(enums, suffix),
            objects=groups.homed(objects, suffix), events=[by_id[id(e)] for e in group])
    return files


TARGET = Target(
    "kotlin",
    "A Kotlin file (JVM, Android): data classes per event and a Tracker with one method per event.",
    render_kotlin,
    {"package": TargetOption("tracking", "Kotlin package of the generated code.",
                             r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", RESERVED),
     "file": TargetOption("Tracking.kt", "Name of the generated file.", r"[A-Za-z0-9_][A-Za-z0-9._-]*\.kt")},
)
