"""Swift: structs per event and a Tracker with one method per event, for iOS and server-side Swift.

The Tracker and the shared types go to one file, each squad's types and methods (an extension of the Tracker)
to its own (`TrackingCheckout.swift`), at most a hundred events a file."""

from __future__ import annotations

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
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
    "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
    "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
    "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "Any", "catch", "false", "is",
    "nil", "super", "self", "Self", "throw", "throws", "true", "try", "Type", "Protocol", "some", "any", "await",
    "async"
})
RESERVED_TYPES = frozenset({
    "String", "Int", "Double", "Bool", "Array", "Dictionary", "Set", "Optional", "Error", "Tracker", "Transport",
    "PlanMetadata", "Violation", "TrackingProperties", "NSNull", "Character"
})
RESERVED_METHODS = frozenset({"identify", "send", "check", "metadata"})


_PLAIN = re.compile(r"[ !#-\[\]-~]*")
"""Printable ASCII that needs no escape: space to ~ but the double quote and the backslash."""


@lru_cache(maxsize=65536)
def swift_string(value: str) -> str:
    if _PLAIN.fullmatch(value) and "/*" not in value and "*/" not in value:
        return '"' + value + '"'
    # `/*` and `*/` inside a literal are text to swiftc, but some Swift tooling (tree-sitter-swift, used by
    # editors) reads them as a comment: spell the star as \u{2a}, which means the same string.
    text = escape_string(value, '\\"', lambda char: f"\\u{{{ord(char):x}}}")
    return text.replace("/*", "/\\u{2a}").replace("*/", "\\u{2a}/")


def swift_literal(value: Any) -> str:
    if isinstance(value, dict):
        if not value:
            return "[String: Any]()"
        entries = ", ".join(f"{swift_string(k)}: {swift_literal(v)}" for k, v in value.items())
        return f"[{entries}] as [String: Any]"
    if isinstance(value, list):
        return "[" + ", ".join(swift_literal(v) for v in value) + "] as [Any]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "NSNull()"
    if isinstance(value, int | float):
        return repr(value)
    return swift_string(str(value))


_PRIMITIVES = {"string": "String", "number": "Double", "integer": "Int", "boolean": "Bool"}


class _Names(TypeNames):
    reserved = RESERVED_TYPES | RESERVED
    primitives = _PRIMITIVES
    any_type = "Any"
    open_object = "[String: Any]"
    union_any = "Any"

    def array(self, item: str) -> str:
        return f"[{item}]"

    def wire(self, expr: str, ref: TypeRef) -> str:
        """The expression that turns a non-optional Swift value into what is sent."""
        if ref.kind == "enum":
            return f"{expr}.rawValue"
        if ref.kind == "object" and ref.obj is not None:
            return f"{expr}.toDictionary()"
        if ref.kind == "array" and ref.item is not None and ref.item.kind in ("enum", "object", "array"):
            inner = self.wire("$0", ref.item)
            if ref.item.nullable:
                inner = "$0.map { " + self.wire("$0", ref.item) + " as Any } ?? NSNull()"
            return f"{expr}.map {{ {inner} }}"
        return expr


def _enum(names: _Names, enum: EnumType) -> SimpleNamespace:
    cases = Namespace(f"case of {names.enum_names[id(enum)]}")
    names.namespaces.append(cases)
    # One raw type when the values share one; mixed values (1 and "one") get a `rawValue: Any` instead.
    raw = "String" if enum.strings_only else "Int" if enum.integers_only else "Double" if enum.numbers_only else None
    entries = []
    for value in enum.values:
        case = cases.claim(safe_identifier(camel(ascii_words(str(value))), RESERVED), str(value), enum.location)
        if isinstance(value, bool):
            literal = "true" if value else "false"
        elif isinstance(value, str):
            literal = swift_string(value)
        else:
            literal = repr(float(value)) if raw == "Double" else repr(value)
        entries.append(node(name=case, value=literal))
    return node(name=names.enum_names[id(enum)], raw=raw, entries=entries)


def _object(names: _Names, obj: ObjectType) -> SimpleNamespace:
    name = names.object_names[id(obj)]
    fields = Namespace(f"property of {name}")
    names.namespaces.append(fields)
    entries = []
    for spec in obj.fields:
        identifier = fields.claim(safe_identifier(camel(spec.words), RESERVED | {"toDictionary", "extraProperties"}),
                                  spec.wire, spec.location)
        optional = spec.type.nullable or not spec.required
        kind = names.nullable(names.type(spec.type)) if optional else names.type(spec.type)
        entries.append(node(
            name=identifier, wire=swift_string(spec.wire), type=kind,
            default="" if spec.required else " = nil", optional=optional, required=spec.required,
            value=names.wire("value" if optional else identifier, spec.type),
            doc=comment_lines(spec.description),
        ))
    return node(name=name, fields=entries, open=obj.open)


def method_names(plan: CodegenPlan, methods: Namespace | None = None) -> dict[int, str]:
    """Each event's method on the Tracker (by id of its EventSpec): what `status` looks for in the code."""
    return event_methods(plan, methods or Namespace("method"), camel, RESERVED | RESERVED_METHODS)


def call_names(plan: CodegenPlan, methods: Namespace) -> dict[int, str]:
    """Each page's and screen's method, claimed in the events' namespace (see `method_names`)."""
    return call_methods(plan, methods, camel, RESERVED | RESERVED_METHODS)


def render_swift(plan: CodegenPlan, options: Mapping[str, Any], model: Plan) -> dict[str, str]:
    names = _Names(plan)
    methods = Namespace("method")
    event_names = method_names(plan, methods)
    schemas = runtime_schemas(plan, model, "\\z")
    events = []
    for event in plan.events:
        deprecated = deprecation(event, lambda r: f"{event_names[id(r)]}(_:)")
        events.append(node(
            method=event_names[id(event)], wire=swift_string(event.wire),
            type=names.object_names[id(event.properties)], empty=not event.properties.fields,
            schema=swift_literal(schemas[event.wire]),
            doc=comment_lines(event.description, f"Trigger: {event.trigger}" if event.trigger else None),
            deprecated=swift_string(deprecated) if deprecated else None,
            variants=[node(method=event_names[id(v)], type=names.object_names[id(v.properties)],
                           empty=not v.properties.fields, key=swift_string(v.variant[0]),
                           value=swift_string(v.variant[1]),
                           doc=comment_lines(v.description, f"Sends {v.wire} with {v.variant[0]} = {v.variant[1]}."))
                      for v in event.variants if v.variant],
        ))
    call_method = call_names(plan, methods)
    call_schemas = runtime_call_schemas(plan, model, "\\z")
    calls = [node(method=call_method[id(call)], kind=call.call, label=swift_string(call.label),
                  name="nil" if call.sent_name is None else swift_string(call.sent_name),
                  type=names.object_names[id(call.properties)], empty=not call.properties.fields,
                  schema=swift_literal(call_schemas[call.label]),
                  doc=comment_lines(call.description, f"Trigger: {call.trigger}" if call.trigger else None),
                  deprecated=swift_string(f"This {call.call} is deprecated.") if call.deprecated else None)
             for call in plan.calls]
    groups = squad_files(plan)
    enums = {id(e): _enum(names, e) for e in plan.enums}
    objects = {id(o): _object(names, o) for o in plan.objects}
    check([*names.namespaces, methods])

    header = header_lines(plan)
    shared = options["file"]
    files = {shared: render(
        "swift/Tracking.swift.j2", header=header, plan_id=swift_string(plan.plan_id),
        version=swift_string(plan.version), enums=groups.homed(enums, None), objects=groups.homed(objects, None),
        traits=names.object_names[id(plan.traits)], globals=names.object_names[id(plan.globals)],
        has_globals=bool(plan.globals.fields),
        globals_required=any(f.required for f in plan.globals.fields),
        traits_schema=swift_literal(runtime_traits_schema(model, "\\z")), formats=swift_literal(FORMATS),
        calls=calls, kinds={call.call for call in plan.calls}, alias=plan.alias,
        group=names.object_names[id(plan.group)] if plan.group else None,
        group_schema=swift_literal(runtime_group_schema(model, "\\z")))}
    by_id = {id(e): node for e, node in zip(plan.events, events, strict=True)}
    for suffix, group in groups.events.items():
        files[f"{shared.removesuffix('.swift')}{suffix}.swift"] = render(
            "swift/Events.swift.j2", header=header, enums=groups.homed(enums, suffix),
            objects=groups.homed(objects, suffix), events=[by_id[id(e)] for e in group])
    return files


TARGET = Target(
    "swift",
    "A Swift file (iOS, macOS, server): structs per event and a Tracker with one method per event.",
    render_swift,
    {"file": TargetOption("Tracking.swift", "Name of the generated file.", r"[A-Za-z0-9_][A-Za-z0-9._-]*\.swift")},
)
