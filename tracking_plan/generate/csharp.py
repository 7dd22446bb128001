"""C# (7, Mono's mcs and .NET; Unity): a class per properties type whose constructor takes the required values (the
optional ones are settable properties, for an object initializer), an enum per enum, and a `partial class Tracker`
with one method per event, each squad's in its own file (`TrackingCheckout.cs`)."""

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
    escape_string,
    event_methods,
    header_lines,
    node,
    pascal,
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
    "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
    "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
    "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
    "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
    "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof",
    "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint",
    "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while", "var", "value",
    "map", "entry", "properties", "item",
})
RESERVED_TYPES = frozenset({
    "Tracker", "ITransport", "PlanMetadata", "Identity", "Violation", "ITrackingProperties", "Checks", "String",
    "Object", "Action", "Func", "Math", "Convert", "Regex", "Dictionary", "IDictionary", "List", "IList", "System",
    "Exception", "ArgumentNullException", "Obsolete", "ToMap", "ExtraProperties", "Equals", "GetHashCode",
    "GetType", "ToString",
})
RESERVED_METHODS = frozenset({"Identify", "ForUser", "ForAnonymous", "Page", "Screen", "Group", "Alias", "Send",
                              "Check", "Metadata", "With"})
_PLAIN = re.compile(r"[ !#-\[\]-~]*")


def csharp_string(value: str) -> str:
    if _PLAIN.fullmatch(value):
        return '"' + value + '"'
    return escape_string(value, '\\"', lambda c: "".join(f"\\u{c.encode('utf-16-be')[i:i + 2].hex()}"
                                                          for i in range(0, len(c.encode("utf-16-be")), 2)))


def csharp_json(value: Any) -> str:
    """A JSON document as a verbatim string: only its quotes are doubled."""
    return '@"' + json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace('"', '""') + '"'


def csharp_literal(value: Any) -> str:
    if isinstance(value, str):
        return csharp_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}L"
    return repr(float(value))


def xml_doc(*paragraphs: str | None) -> str:
    """A `<summary>` body on one line: XML-escaped, with no line break a `///` comment could not hold."""
    text = " ".join(line for line in comment_lines(*paragraphs) if line)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_PRIMITIVES = {"string": "string", "number": "double", "integer": "long", "boolean": "bool"}
_VALUES = {"double", "long", "bool"}


class _Names(TypeNames):
    reserved = RESERVED_TYPES | RESERVED
    primitives = _PRIMITIVES
    any_type = "object"
    open_object = "IDictionary<string, object>"
    union_any = "object"

    def __init__(self, plan: CodegenPlan, enum_ids: set[int]) -> None:
        super().__init__(plan)
        self.enum_ids = enum_ids

    def nullable(self, base: str) -> str:
        return base + "?" if base in _VALUES or base in self.enum_values else base

    @property
    def enum_values(self) -> set[str]:
        return set(self.enum_names.values())

    def array(self, item: str) -> str:
        return f"IList<{item}>"

    def wire(self, expr: str, ref: TypeRef, nullable: bool) -> str:
        if ref.kind == "enum":
            return f"{expr}{'.Value' if nullable else ''}.Wire()"
        if ref.kind == "object" and ref.obj is not None:
            return f"{expr}.ToMap()"
        if ref.kind == "array" and ref.item is not None and ref.item.kind in ("enum", "object", "array"):
            inner = self.wire("item", ref.item, ref.item.nullable and ref.item.kind == "enum")
            if ref.item.nullable:
                inner = f"item == null ? null : {inner}"
            return f"{expr}.Select(item => (object)({inner})).ToList()"
        return expr


def _enum(names: _Names, enum: EnumType) -> SimpleNamespace:
    name = names.enum_names[id(enum)]
    cases = Namespace(f"value of {name}")
    names.namespaces.append(cases)
    entries = [node(name=cases.claim(safe_identifier(pascal(ascii_words(str(v))), RESERVED | {"Wire"}), str(v),
                                     enum.location), value=csharp_literal(v)) for v in enum.values]
    return node(name=name, entries=entries, label=xml_doc(enum.label))


def _object(names: _Names, obj: ObjectType) -> SimpleNamespace:
    name = names.object_names[id(obj)]
    fields = Namespace(f"property of {name}")
    params = Namespace(f"parameter of {name}")
    names.namespaces += [fields, params]
    entries = []
    for spec in obj.fields:
        identifier = fields.claim(safe_identifier(pascal(spec.words), RESERVED_TYPES | RESERVED | {name}),
                                  spec.wire, spec.location)
        base = names.type(spec.type) if not spec.type.nullable else names.base(spec.type)
        nullable = spec.type.nullable or not spec.required
        kind = names.nullable(base) if nullable else base
        param = params.claim(safe_identifier(camel(spec.words), RESERVED), spec.wire, spec.location)
        value = names.wire(identifier, spec.type, nullable and kind.endswith("?"))
        if spec.required and nullable and value != identifier:
            value = f"{identifier} == null ? null : (object){value}"
        entries.append(node(name=identifier, param=param, wire=csharp_string(spec.wire), type=kind,
                            required=spec.required, check=spec.required and not nullable and kind not in _VALUES
                            and kind not in names.enum_values, omit_null=not spec.required,
                            value=value, doc=xml_doc(spec.description or spec.wire)))
    required = [f for f in entries if f.required]
    return node(name=name, fields=entries, open=obj.open, required=required,
                params=[f"{f.type} {f.param}" for f in required],
                doc=xml_doc(f"The properties of {obj.label}." if obj.label else "Properties."))


def method_names(plan: CodegenPlan, methods: Namespace | None = None) -> dict[int, str]:
    """Each event's method on the Tracker (by id of its EventSpec): what `status` looks for in the code."""
    return event_methods(plan, methods or Namespace("method"), pascal, RESERVED_TYPES | RESERVED_METHODS)


def call_names(plan: CodegenPlan, methods: Namespace) -> dict[int, str]:
    """Each page's and screen's method (`PageProductPage`; the unnamed page's is `Page`)."""
    return call_methods(plan, methods, pascal, RESERVED_TYPES | RESERVED_METHODS - {"Page", "Screen"})


def render_csharp(plan: CodegenPlan, options: Mapping[str, Any], model: Plan) -> dict[str, str]:
    names = _Names(plan, {id(e) for e in plan.enums})
    methods = Namespace("method")
    event_names = method_names(plan, methods)
    schemas = runtime_schemas(plan, model, "\\z")
    events: dict[int, list[SimpleNamespace]] = {}
    for event in plan.events:
        method = event_names[id(event)]
        schema_name = "Schema" + method
        deprecated = deprecation(event, lambda r: f"{event_names[id(r)]}()")
        common = dict(wire=csharp_string(event.wire), schema_name=schema_name,
                      deprecated=csharp_string(deprecated) if deprecated else None)
        events[id(event)] = [node(method=method, type=names.object_names[id(event.properties)],
                                  payload="properties.ToMap()", schema=csharp_json(schemas[event.wire]),
                                  doc=xml_doc(event.description or event.wire,
                                              f"Trigger: {event.trigger}" if event.trigger else None), **common)]
        for variant in event.variants:
            if variant.variant is None:
                continue
            key, value = variant.variant
            events[id(event)].append(node(
                method=event_names[id(variant)], type=names.object_names[id(variant.properties)],
                payload=f"With(properties.ToMap(), {csharp_string(key)}, {csharp_string(value)})", schema=None,
                doc=xml_doc(variant.description or variant.wire, f"Sends {variant.wire} with {key} = {value}."),
                **common))
    call_method = call_names(plan, methods)
    call_schemas = runtime_call_schemas(plan, model, "\\z")
    calls = [node(method=call_method[id(call)], kind=call.call, label=csharp_string(call.label),
                  name="null" if call.sent_name is None else csharp_string(call.sent_name),
                  type=names.object_names[id(call.properties)], schema_name="Schema" + call_method[id(call)],
                  schema=csharp_json(call_schemas[call.label]), deprecated=call.deprecated,
                  doc=xml_doc(call.description or call.label, f"Trigger: {call.trigger}" if call.trigger else None))
             for call in plan.calls]
    groups = squad_files(plan)
    enums = {id(e): _enum(names, e) for e in plan.enums}
    objects = {id(o): _object(names, o) for o in plan.objects}
    check([*names.namespaces, methods])

    header = header_lines(plan)
    namespace = options["namespace"]
    files = {"Tracking.cs": render(
        "csharp/Tracking.cs.j2", header=header, namespace=namespace, plan_id=csharp_string(plan.plan_id),
        version=csharp_string(plan.version), enums=groups.homed(enums, None), objects=groups.homed(objects, None),
        calls=calls, kinds={call.call for call in plan.calls}, alias=plan.alias,
        traits=names.object_names[id(plan.traits)], traits_schema=csharp_json(runtime_traits_schema(model, "\\z")),
        globals=names.object_names[id(plan.globals)], has_globals=bool(plan.globals.fields),
        globals_required=any(f.required for f in plan.globals.fields),
        group=names.object_names[id(plan.group)] if plan.group else None,
        group_schema=csharp_json(runtime_group_schema(model, "\\z")), formats=csharp_json(FORMATS))}
    for suffix, group in groups.events.items():
        files[f"Tracking{suffix}.cs"] = render(
            "csharp/Events.cs.j2", header=header, namespace=namespace, enums=groups.homed(enums, suffix),
            objects=groups.homed(objects, suffix), events=[n for e in group for n in events[id(e)]])
    return files


TARGET = Target(
    "csharp",
    "C# 7 (.NET, Mono, Unity): a class per properties type (required values in its constructor), an enum per enum, "
    "a partial Tracker with one method per event.",
    render_csharp,
    {"namespace": TargetOption("Tracking", "C# namespace of the generated code.",
                               r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", RESERVED)},
)
