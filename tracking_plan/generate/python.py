"""Python: one module with TypedDicts per event and a Tracker class, mypy --strict clean."""

from __future__ import annotations

import json
import keyword
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
    check,
    comment_lines,
    deprecation,
    event_methods,
    header_lines,
    node,
    plain_text,
    render,
    runtime_call_schemas,
    runtime_group_schema,
    runtime_schemas,
    runtime_traits_schema,
    snake,
)
from tracking_plan.generate.model import CodegenPlan, ObjectType

RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset({
    "Any", "Callable", "Literal", "Mapping", "NamedTuple", "NotRequired", "Protocol", "TypedDict", "Tracker",
    "Transport", "Violation", "PlanMetadata", "SCHEMAS", "TRAITS_SCHEMA", "CALL_SCHEMAS", "GROUP_SCHEMA", "PLAN_ID",
    "PLAN_VERSION", "deprecated",
    "sys", "re", "identify", "int", "str", "float", "bool", "list", "dict", "object", "type", "None",
})


def string(value: str) -> str:
    return json.dumps(value, ensure_ascii=True)


def python_value(value: Any) -> str:
    """An enum value as a Python literal."""
    return string(value) if isinstance(value, str) else repr(value)


def json_source(value: dict[str, Any]) -> str:
    """JSON text for `json.loads(r\"\"\"...\"\"\")`, one entry per line. Pure ASCII, and it cannot
    contain three double quotes in a row, since JSON escapes every quote inside strings."""
    if not value:
        return "{}"
    lines = [f"  {string(k)}: {json.dumps(v, ensure_ascii=True, sort_keys=True)}" for k, v in value.items()]
    return "{\n" + ",\n".join(lines) + "\n}"


def docstring(*paragraphs: str | None) -> str:
    """The body of a triple-quoted docstring: backslashes and quotes escaped, so that no text (one ending in `"`,
    one holding `\"\"\"`) can end it early."""
    text = "\n\n".join(plain_text(p) for p in paragraphs if p)
    return text.replace("\\", "\\\\").replace('"', '\\"')


_PRIMITIVES = {"string": "str", "number": "float", "integer": "int", "boolean": "bool"}


class _Names(TypeNames):
    reserved = RESERVED
    primitives = _PRIMITIVES
    any_type = "Any"
    open_object = "dict[str, Any]"

    def nullable(self, base: str) -> str:
        return f"{base} | None"

    def array(self, item: str) -> str:
        return f"list[{item}]"

    def __init__(self, plan: CodegenPlan) -> None:
        super().__init__(plan)
        self.methods = Namespace("method")


def _object(names: _Names, obj: ObjectType) -> SimpleNamespace:
    fields = Namespace(f"key of {names.object_names[id(obj)]}")
    entries = []
    for spec in obj.fields:
        fields.claim(spec.wire, spec.wire, spec.location)
        kind = names.type(spec.type)
        entries.append(node(key=string(spec.wire), type=kind if spec.required else f"NotRequired[{kind}]",
                            doc=comment_lines(spec.description, escape=lambda text: text.replace("\r", " "))))
    return node(name=names.object_names[id(obj)], fields=entries, open=obj.open)


def _method(ws: tuple[str, ...]) -> str:
    # `2FA Page Viewed` → event_2_fa_page_viewed: a leading `_` would read as private in Python.
    return ("event_" if ws and ws[0][:1].isdigit() else "") + snake(ws)


def method_names(plan: CodegenPlan, methods: Namespace | None = None) -> dict[int, str]:
    """Each event's method on the Tracker (by id of its EventSpec): what `status` looks for in the code."""
    return event_methods(plan, methods or Namespace("method"), _method, RESERVED)


def call_names(plan: CodegenPlan, methods: Namespace) -> dict[int, str]:
    """Each page's and screen's method, claimed in the events' namespace (see `method_names`)."""
    return call_methods(plan, methods, _method, RESERVED)


def render_python(plan: CodegenPlan, options: Mapping[str, Any], model: Plan) -> dict[str, str]:
    names = _Names(plan)
    methods = method_names(plan, names.methods)
    events = []
    for event in plan.events:
        deprecated = deprecation(event, lambda r: f"Tracker.{methods[id(r)]}()")
        events.append(node(
            method=methods[id(event)], wire=string(event.wire), type=names.object_names[id(event.properties)],
            open=event.properties.open, empty=not event.properties.fields,
            doc=docstring(event.description or event.wire, f"Trigger: {event.trigger}" if event.trigger else None,
                             deprecated),
            deprecated=string(deprecated) if deprecated else None,
            variants=[node(method=methods[id(v)], type=names.object_names[id(v.properties)],
                           open=v.properties.open, empty=not v.properties.fields, key=string(v.variant[0]),
                           value=string(v.variant[1]),
                           doc=docstring(v.description or v.wire, f"Sends {v.wire} with {v.variant[0]} = "
                                         f"{v.variant[1]}.", deprecated))
                      for v in event.variants if v.variant],
        ))
    call_method = call_names(plan, names.methods)
    calls = [node(method=call_method[id(call)], kind=call.call, label=string(call.label),
                  name="None" if call.sent_name is None else string(call.sent_name),
                  type=names.object_names[id(call.properties)], open=call.properties.open,
                  empty=not call.properties.fields,
                  doc=docstring(call.description or call.label, f"Trigger: {call.trigger}" if call.trigger else None),
                  deprecated=string(f"This {call.call} is deprecated.") if call.deprecated else None)
             for call in plan.calls]
    objects = [_object(names, o) for o in plan.objects]  # nested types first: they are defined before use
    check([names.types, names.methods])
    schemas = runtime_schemas(plan, model, "\\Z")
    content = render(
        "python/tracking.py.j2", header=header_lines(plan), plan_id=string(plan.plan_id), version=string(plan.version),
        enums=sorted((node(name=names.enum_names[id(e)], values=", ".join(python_value(v) for v in e.values))
                      for e in plan.enums), key=lambda e: e.name),
        objects=objects, events=events, traits=names.object_names[id(plan.traits)],
        globals=names.object_names[id(plan.globals)], has_globals=bool(plan.globals.fields),
        globals_required=any(f.required for f in plan.globals.fields),
        schemas=json_source(dict(sorted(schemas.items()))),
        traits_schema=json.dumps(runtime_traits_schema(model, "\\Z"), ensure_ascii=True, sort_keys=True),
        calls=calls, kinds={call.call for call in plan.calls}, alias=plan.alias,
        call_schemas=json_source(runtime_call_schemas(plan, model, "\\Z")),
        group=names.object_names[id(plan.group)] if plan.group else None,
        group_schema=json.dumps(runtime_group_schema(model, "\\Z"), ensure_ascii=True, sort_keys=True),
        formats=json.dumps(FORMATS, ensure_ascii=True, sort_keys=True),
        any_deprecated=any(e.deprecated for e in [*events, *calls]))
    return {f"{options['module']}.py": content}


TARGET = Target(
    "python",
    "A Python module: TypedDicts per event and a Tracker with one typed method per event (mypy --strict clean).",
    render_python,
    {"module": TargetOption("tracking", "Name of the generated module (the file is MODULE.py).",
                            r"[A-Za-z_][A-Za-z0-9_]*", frozenset(keyword.kwlist))},
)
