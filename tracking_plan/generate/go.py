"""Go (1.19+): a package with a struct per properties type and a Tracker with one method per event.

Every properties type has a constructor taking its required values (`NewOrderCompletedProperties(orderID, total,
currency)`), so leaving one out does not compile; the optional ones are pointer fields set on it (`p.Quantity =
tracking.Int64(2)`). An enum is a struct with an unexported value and one variable per allowed value: no other
value can be written from outside the package. The shared types and the Tracker are in tracking.go, each squad's
types and methods in its own file (`tracking_checkout.go`), so no file grows with the plan."""

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
    snake,
    squad_files,
)
from tracking_plan.generate.model import CodegenPlan, EnumType, ObjectType, TypeRef, ascii_words

RESERVED = frozenset({
    "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func", "go",
    "goto", "if", "import", "interface", "map", "package", "range", "return", "select", "struct", "switch", "type",
    "var", "any", "bool", "string", "int", "int64", "float64", "error", "nil", "true", "false", "len", "cap",
    "make", "new", "append", "copy", "delete", "panic", "recover", "print", "println", "close", "iota", "byte",
    "rune", "p", "t", "m", "k", "v",
})
RESERVED_TYPES = frozenset({
    "Tracker", "Transport", "PlanMetadata", "Identity", "Violation", "Option", "String", "Int64", "Float64",
    "Bool", "WithViolations", "WithoutPlanVersion", "NewTracker", "PlanID", "PlanVersion",
})
RESERVED_METHODS = frozenset({"Identify", "ForUser", "ForAnonymous", "Page", "Screen", "Group", "Alias"})
_PLAIN = re.compile(r"[ !#-\[\]-~]*")


def go_string(value: str) -> str:
    if _PLAIN.fullmatch(value):
        return '"' + value + '"'
    return escape_string(value, '\\"', lambda c: f"\\U{ord(c):08x}")


def go_json(value: Any) -> str:
    """A JSON document as a Go raw string; a backquote, which a raw string cannot hold, is spelled in JSON."""
    return "`" + json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("`", "\\u0060") + "`"


def go_literal(value: Any) -> str:
    if isinstance(value, str):
        return go_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"int64({value})"
    return repr(float(value))


def go_doc(*paragraphs: str | None) -> list[str]:
    """Lines of a Go doc comment (a line comment each: nothing in plan text can end it)."""
    return comment_lines(*paragraphs)


_PRIMITIVES = {"string": "string", "number": "float64", "integer": "int64", "boolean": "bool"}


class _Names(TypeNames):
    reserved = RESERVED_TYPES | RESERVED
    primitives = _PRIMITIVES
    any_type = "any"
    open_object = "map[string]any"
    union_any = "any"

    def nullable(self, base: str) -> str:
        return base if base.startswith(("map[", "[]")) or base == "any" else "*" + base

    def array(self, item: str) -> str:
        return f"[]{item}"

    def wire(self, expr: str, ref: TypeRef, pointer: bool) -> str:
        """The expression that turns a Go value into what is sent."""
        if ref.kind == "enum":
            return f"{expr}.value"
        if ref.kind == "object" and ref.obj is not None:
            return f"{expr}.toMap()"
        if ref.kind == "array" and ref.item is not None:
            item_pointer = ref.item.nullable and self.nullable(self.base(ref.item)).startswith("*")
            inner = self.wire("item", ref.item, item_pointer)
            if item_pointer:
                inner = f"func() any {{ if item == nil {{ return nil }}; return {inner} }}()"
            return (f"func() []any {{ out := make([]any, len({expr})); for i, item := range {expr} "
                    f"{{ out[i] = {inner} }}; return out }}()")
        if pointer:
            return f"*{expr}"
        return expr


def _enum(names: _Names, enum: EnumType) -> SimpleNamespace:
    name = names.enum_names[id(enum)]
    entries = []
    for value in enum.values:
        case = names.types.claim(safe_identifier(name + pascal(ascii_words(str(value))), RESERVED_TYPES),
                                 f"{enum.label} = {value}", enum.location)
        entries.append(node(name=case, value=go_literal(value)))
    kind = "string" if enum.strings_only else ("int64" if enum.integers_only else
                                               "float64" if enum.numbers_only else "any")
    return node(name=name, entries=entries, kind=kind, doc=None)


def _object(names: _Names, obj: ObjectType) -> SimpleNamespace:
    name = names.object_names[id(obj)]
    fields = Namespace(f"field of {name}")
    params = Namespace(f"parameter of New{name}")
    names.namespaces += [fields, params]
    entries, signature, inits = [], [], []
    for spec in obj.fields:
        pointer_type = names.nullable(names.base(spec.type))
        nullable = spec.type.nullable or not spec.required
        kind = pointer_type if nullable else names.base(spec.type)
        if spec.required:  # set by the constructor only: unexported, so no literal can leave it out
            identifier = fields.claim(safe_identifier(camel(spec.words), RESERVED | {"toMap"}), spec.wire,
                                      spec.location)
            param = params.claim(safe_identifier(camel(spec.words), RESERVED), spec.wire, spec.location)
            signature.append(f"{param} {kind}")
            inits.append(f"{identifier}: {param}")
        else:
            identifier = fields.claim(safe_identifier(pascal(spec.words), RESERVED_TYPES | {"Extra"}), spec.wire,
                                      spec.location)
        is_pointer = nullable and kind.startswith("*")
        value = names.wire(f"p.{identifier}", spec.type, is_pointer)
        if spec.required and nullable and kind.startswith(("*", "[]", "map[")):
            value = f"func() any {{ if p.{identifier} == nil {{ return nil }}; return {value} }}()"
        entries.append(node(name=identifier, wire=go_string(spec.wire), type=kind, value=value,
                            omit_nil=not spec.required and (kind.startswith(("*", "[]", "map[")) or kind == "any"),
                            doc=" ".join(go_doc(spec.description)) if spec.description else None))
    return node(name=name, fields=entries, open=obj.open, params=signature, inits=inits,
                doc=go_doc(f"{name} holds the properties of {obj.label}." if obj.label else f"{name} holds "
                           "properties."))


def method_names(plan: CodegenPlan, methods: Namespace | None = None) -> dict[int, str]:
    """Each event's method on the Tracker (by id of its EventSpec): what `status` looks for in the code."""
    return event_methods(plan, methods or Namespace("method"), pascal, RESERVED_TYPES | RESERVED_METHODS)


def call_names(plan: CodegenPlan, methods: Namespace) -> dict[int, str]:
    """Each page's and screen's method (`PageProductPage`; the unnamed page's is `Page`)."""
    return call_methods(plan, methods, pascal, RESERVED_TYPES | RESERVED_METHODS - {"Page", "Screen"})


def render_go(plan: CodegenPlan, options: Mapping[str, Any], model: Plan) -> dict[str, str]:
    names = _Names(plan)
    methods = Namespace("method")
    event_names = method_names(plan, methods)
    schemas = runtime_schemas(plan, model, "\\z")
    events = []
    for event in plan.events:
        method = event_names[id(event)]
        schema_name = "schema" + method
        deprecated = deprecation(event, lambda r: f"Tracker.{event_names[id(r)]}")
        doc = go_doc(f"{method} sends {event.wire}. {event.description or ''}".strip(),
                     f"Trigger: {event.trigger}" if event.trigger else None,
                     f"Deprecated: {deprecated}" if deprecated else None)
        events.append(node(method=method, wire=go_string(event.wire), type=names.object_names[id(event.properties)],
                           payload="p.toMap()", schema_name=schema_name, schema=go_json(schemas[event.wire]),
                           doc=doc, event=event))
        for variant in event.variants:
            if variant.variant is None:
                continue
            key, value = variant.variant
            name = event_names[id(variant)]
            events.append(node(
                method=name, wire=go_string(event.wire), type=names.object_names[id(variant.properties)],
                payload=f"withValue(p.toMap(), {go_string(key)}, {go_string(value)})", schema_name=schema_name,
                schema=None, event=event,
                doc=go_doc(f"{name} sends {event.wire} with {key} = {value}. {variant.description or ''}".strip(),
                           f"Deprecated: {deprecated}" if deprecated else None)))
    call_method = call_names(plan, methods)
    call_schemas = runtime_call_schemas(plan, model, "\\z")
    calls = [node(method=call_method[id(call)], kind=call.call, label=go_string(call.label),
                  name='""' if call.sent_name is None else go_string(call.sent_name),
                  type=names.object_names[id(call.properties)], schema_name="schema" + call_method[id(call)],
                  schema=go_json(call_schemas[call.label]),
                  doc=go_doc(f"{call_method[id(call)]} sends the {call.label}. {call.description or ''}".strip(),
                             "Deprecated: this " + call.call + " is deprecated." if call.deprecated else None))
             for call in plan.calls]
    groups = squad_files(plan)
    enums = {id(e): _enum(names, e) for e in plan.enums}
    objects = {id(o): _object(names, o) for o in plan.objects}
    check([*names.namespaces, methods])

    header = header_lines(plan)
    package = options["package"]
    files = {"tracking.go": render(
        "go/tracking.go.j2", header=header, package=package, plan_id=go_string(plan.plan_id),
        version=go_string(plan.version), enums=groups.homed(enums, None), objects=groups.homed(objects, None),
        calls=calls, kinds={call.call for call in plan.calls}, alias=plan.alias,
        traits=names.object_names[id(plan.traits)], traits_schema=go_json(runtime_traits_schema(model, "\\z")),
        globals=names.object_names[id(plan.globals)], has_globals=bool(plan.globals.fields),
        group=names.object_names[id(plan.group)] if plan.group else None,
        group_schema=go_json(runtime_group_schema(model, "\\z")), formats=go_json(FORMATS))}
    by_event: dict[int, list[SimpleNamespace]] = {}
    for item in events:
        by_event.setdefault(id(item.event), []).append(item)
    for suffix, group in groups.events.items():
        # `_events.go`: a name ending `_linux.go` or `_test.go` would be built only on Linux, or as a test.
        files[f"tracking_{snake(ascii_words(suffix))}_events.go"] = render(
            "go/squad.go.j2", header=header, package=package, enums=groups.homed(enums, suffix),
            objects=groups.homed(objects, suffix), events=[n for e in group for n in by_event[id(e)]])
    return files


TARGET = Target(
    "go",
    "A Go package: a struct per properties type (required values in its constructor) and a Tracker with one method "
    "per event.",
    render_go,
    {"package": TargetOption("tracking", "Go package name of the generated code.", r"[a-z][a-z0-9_]*", RESERVED)},
)
