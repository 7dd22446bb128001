"""Java (17+, Android and server): a record per properties type and an enum per enum, each in its file as Java wants
it, and a Tracker with one method per event, page and screen.

Required properties are record components the canonical constructor cannot do without (a primitive where the type
allows it, else checked non-null); optional ones are nullable, with `of(required...)` and `with...` copies. The
run-time checks' schemas are JSON text in a class per squad (`SchemasCheckout`), so no class grows with the plan
past what javac reads with its defaults."""

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
    "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
    "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
    "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
    "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
    "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "yield",
    "record", "sealed", "permits", "_",
})
RESERVED_TYPES = frozenset({
    "Object", "String", "Long", "Double", "Boolean", "Map", "List", "Objects", "Supplier", "Consumer", "Tracker",
    "Transport", "PlanMetadata", "Identity", "Violation", "TrackingProperties", "Checks", "LinkedHashMap",
    "Pattern",
})
RESERVED_METHODS = frozenset({"identify", "send", "check", "metadata", "toString", "equals", "hashCode", "getClass",
                              "notify", "notifyAll", "wait", "clone", "finalize", "forUser", "forAnonymous",
                              "with"})
_PLAIN = re.compile(r"[ !#-\[\]-~]*")
_CHUNK = 16_000
"""A class file's string constant holds at most 65,535 bytes: longer texts are joined at run time."""


def java_string(value: str) -> str:
    if _PLAIN.fullmatch(value):
        return '"' + value + '"'
    return escape_string(value, '\\"', lambda c: "".join(f"\\u{c.encode('utf-16-be')[i:i + 2].hex()}"
                                                          for i in range(0, len(c.encode("utf-16-be")), 2)))


def java_json(value: Any) -> str:
    """A JSON document as Java string literals. JSON's own string escapes are Java's (json.dumps writes line
    breaks, quotes and backslashes as `\\n`, `\\"`, `\\\\`, never as the `\\u` escapes javac would read first)."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    parts = [json.dumps(text[i:i + _CHUNK]) for i in range(0, len(text), _CHUNK)]
    return parts[0] if len(parts) == 1 else 'String.join("", ' + ", ".join(parts) + ")"


def java_literal(value: Any) -> str:
    if isinstance(value, str):
        return java_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}L"
    return repr(float(value))


def javadoc(*paragraphs: str | None) -> list[str]:
    """Lines of a Javadoc body: neither `*/` nor a `\\u` escape (javac reads those before anything else) nor HTML
    passes through."""
    return comment_lines(*paragraphs, escape=lambda text: text.replace("\\", "\\\\").replace("*/", "*&#47;")
                         .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
                         .replace("*&amp;#47;", "*&#47;"))


_PRIMITIVES = {"string": "String", "number": "double", "integer": "long", "boolean": "boolean"}
_BOXED = {"double": "Double", "long": "Long", "boolean": "Boolean"}


class _Names(TypeNames):
    reserved = RESERVED_TYPES | RESERVED
    primitives = _PRIMITIVES
    any_type = "Object"
    open_object = "Map<String, Object>"
    union_any = "Object"

    def nullable(self, base: str) -> str:
        return _BOXED.get(base, base)

    def array(self, item: str) -> str:
        return f"List<{_BOXED.get(item, item)}>"

    def wire(self, expr: str, ref: TypeRef) -> str:
        """The expression that turns a Java value into what is sent (a non-null one)."""
        if ref.kind == "enum":
            return f"{expr}.value"
        if ref.kind == "object" and ref.obj is not None:
            return f"{expr}.toMap()"
        if ref.kind == "array" and ref.item is not None and ref.item.kind in ("enum", "object", "array"):
            inner = self.wire("item", ref.item)
            inner = f"item == null ? null : {inner}" if ref.item.nullable else inner
            return f"{expr}.stream().map(item -> (Object) ({inner})).toList()"
        return expr


def _enum(names: _Names, enum: EnumType) -> SimpleNamespace:
    cases = Namespace(f"value of {names.enum_names[id(enum)]}")
    entries = []
    for value in enum.values:
        case = safe_identifier("_".join(ascii_words(str(value))).upper(), RESERVED | {"value"})
        entries.append(node(name=cases.claim(case, str(value), enum.location), value=java_literal(value)))
    names.namespaces.append(cases)
    kind = "String" if enum.strings_only else ("long" if enum.integers_only else
                                               "double" if enum.numbers_only else "Object")
    return node(name=names.enum_names[id(enum)], entries=entries, kind=kind, doc=None)


def _object(names: _Names, obj: ObjectType) -> SimpleNamespace:
    name = names.object_names[id(obj)]
    fields = Namespace(f"property of {name}")
    names.namespaces.append(fields)
    entries = []
    for spec in obj.fields:
        identifier = fields.claim(safe_identifier(camel(spec.words), RESERVED | RESERVED_METHODS |
                                                  {"toMap", "extraProperties", "of"}), spec.wire, spec.location)
        base = names.type(spec.type)
        nullable = spec.type.nullable or not spec.required
        kind = _BOXED.get(base, base) if nullable else base
        value = names.wire(identifier, spec.type)
        if spec.required and spec.type.nullable and value != identifier:
            value = f"{identifier} == null ? null : {value}"
        doc = " ".join(javadoc(spec.description or spec.wire))
        entries.append(node(name=identifier, wire=java_string(spec.wire), type=kind, required=spec.required,
                            declared=f"{kind} {identifier}", omit_null=not spec.required, value=value,
                            param_doc=doc + (" (optional)" if not spec.required else ""),
                            title=identifier[:1].upper() + identifier[1:],
                            check=spec.required and not nullable and kind not in _BOXED))
    required = [f for f in entries if f.required]
    optional = [f for f in entries if not f.required]
    extra = ["extraProperties"] if obj.open else []
    return node(
        name=name, fields=entries, open=obj.open, lists=any("List<" in f.type for f in entries),
        doc=javadoc(f"The properties of {obj.label}." if obj.label else "Properties."),
        checks=[f.name for f in entries if f.check], required=required, optional=optional,
        factory=bool(optional) or obj.open,
        of_args=[f.name if f.required else "null" for f in entries] + (["Map.of()"] if obj.open else []),
        all_args=[f.name for f in entries] + extra)


def method_names(plan: CodegenPlan, methods: Namespace | None = None) -> dict[int, str]:
    """Each event's method on the Tracker (by id of its EventSpec): what `status` looks for in the code."""
    return event_methods(plan, methods or Namespace("method"), camel, RESERVED | RESERVED_METHODS)


def call_names(plan: CodegenPlan, methods: Namespace) -> dict[int, str]:
    """Each page's and screen's method, claimed in the events' namespace (see `method_names`)."""
    return call_methods(plan, methods, camel, RESERVED | RESERVED_METHODS)


def render_java(plan: CodegenPlan, options: Mapping[str, Any], model: Plan) -> dict[str, str]:
    names = _Names(plan)
    methods = Namespace("method")
    event_names = method_names(plan, methods)
    schemas = runtime_schemas(plan, model, "\\z")
    groups = squad_files(plan)
    squad_of = {id(e): suffix for suffix, group in groups.events.items() for e in group}
    events = []
    for event in plan.events:
        deprecated = deprecation(event, lambda r: f"{{@link #{event_names[id(r)]}}}")
        method = event_names[id(event)]
        holder = f"Schemas{squad_of[id(event)]}"
        common = dict(wire=java_string(event.wire), schemas=holder, schema_method=method,
                      deprecated=deprecated is not None,
                      deprecated_doc=" ".join(javadoc(deprecated)).replace("{&#64;link", "{@link") if deprecated
                      else None)
        events.append(node(method=method, type=names.object_names[id(event.properties)],
                           payload="properties.toMap()",
                           doc=javadoc(event.description or event.wire,
                                       f"Trigger: {event.trigger}" if event.trigger else None),
                           schema=java_json(schemas[event.wire]), **common))
        for variant in event.variants:
            if variant.variant is None:
                continue
            key, value = variant.variant
            events.append(node(
                method=event_names[id(variant)], type=names.object_names[id(variant.properties)],
                payload=f"with(properties.toMap(), {java_string(key)}, {java_string(value)})",
                doc=javadoc(variant.description or variant.wire, f"Sends {variant.wire} with {key} = {value}."),
                schema=None, **common))
    call_method = call_names(plan, methods)
    call_schemas = runtime_call_schemas(plan, model, "\\z")
    calls = [node(method=call_method[id(call)], kind=call.call, label=java_string(call.label),
                  name="null" if call.sent_name is None else java_string(call.sent_name),
                  type=names.object_names[id(call.properties)], schema=java_json(call_schemas[call.label]),
                  doc=javadoc(call.description or call.label,
                              f"Trigger: {call.trigger}" if call.trigger else None),
                  deprecated=call.deprecated)
             for call in plan.calls]
    enums = {id(e): _enum(names, e) for e in plan.enums}
    objects = {id(o): _object(names, o) for o in plan.objects}
    check([*names.namespaces, methods])

    header = header_lines(plan)
    package = options["package"]
    files: dict[str, str] = {}
    for item in enums.values():
        files[f"{item.name}.java"] = render("java/Type.java.j2", header=header, package=package, enum=item,
                                            object=None)
    for item in objects.values():
        files[f"{item.name}.java"] = render("java/Type.java.j2", header=header, package=package, enum=None,
                                            object=item)
    kinds = {call.call for call in plan.calls}
    for kind in ("Transport", "PlanMetadata", "Identity", "Violation", "TrackingProperties"):
        files[f"{kind}.java"] = render("java/Support.java.j2", header=header, package=package, kind=kind,
                                       kinds=kinds, group=plan.group is not None, alias=plan.alias)
    files["Checks.java"] = render("java/Checks.java.j2", header=header, package=package,
                                  formats=java_json(FORMATS))
    by_id = {id(e): n for e, n in zip(plan.events, [n for n in events if n.schema is not None], strict=True)}
    for suffix, group in groups.events.items():
        files[f"Schemas{suffix}.java"] = render(
            "java/Schemas.java.j2", header=header, package=package, name=f"Schemas{suffix}",
            squad=" ".join(javadoc(group[0].owner)) or "the unowned", events=[by_id[id(e)] for e in group])
    files["Tracker.java"] = render(
        "java/Tracker.java.j2", header=header, package=package, plan_id=java_string(plan.plan_id),
        version=java_string(plan.version), events=events, calls=calls, traits=names.object_names[id(plan.traits)],
        traits_schema=java_json(runtime_traits_schema(model, "\\z")),
        globals=names.object_names[id(plan.globals)], has_globals=bool(plan.globals.fields),
        globals_required=any(f.required for f in plan.globals.fields),
        group=names.object_names[id(plan.group)] if plan.group else None,
        group_schema=java_json(runtime_group_schema(model, "\\z")), alias=plan.alias)
    return files


TARGET = Target(
    "java",
    "Java 17 (Android, server): a record per properties type, an enum per enum, a Tracker with one method per event.",
    render_java,
    {"package": TargetOption("tracking", "Java package of the generated code.",
                             r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", RESERVED)},
)
