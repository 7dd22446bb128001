"""The neutral form every importer produces, JSON Schema → our property definitions, and writing the
plan directory: a shared library for properties several events define alike, a folder per label or
owner, and a report of everything that could not be carried over."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.naming import words
from tracking_plan.output.fileio import write_atomically

ANY_TYPE = ["string", "number", "boolean", "object", "array", "null"]
_KEYWORDS = ("enum", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
             "minLength", "maxLength", "minItems", "maxItems", "examples", "description")
_IGNORED = frozenset({"id", "$id", "$schema", "title", "$comment", "default"})
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter: a 5,000-event plan in seconds
_JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})


@dataclass
class Dropped:
    where: str
    what: str
    why: str


@dataclass
class ImportedEvent:
    name: str
    description: str | None = None
    properties: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Property name → our property definition (type, required, enum...)."""
    additional_properties: bool | None = None
    tags: list[str] = field(default_factory=list)
    group: str | None = None
    """The folder the event goes into: a label, category or owner of the source."""


@dataclass
class ImportedPlan:
    id: str
    title: str | None = None
    description: str | None = None
    events: list[ImportedEvent] = field(default_factory=list)
    traits: dict[str, dict[str, Any]] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)

    def drop(self, where: str, what: str, why: str) -> None:
        self.dropped.append(Dropped(where, what, why))


def plan_id(text: str | None, fallback: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text or "").strip("-._")
    return cleaned or fallback


def convert_schema(schema: Any, plan: ImportedPlan, where: str) -> dict[str, Any]:
    """One JSON Schema property → our definition; what our format cannot say goes to the report."""
    if not isinstance(schema, dict):
        plan.drop(where, repr(schema)[:60], "a property schema must be an object; kept as any value")
        return {"type": list(ANY_TYPE)}
    result: dict[str, Any] = {}
    kind = schema.get("type")
    if isinstance(kind, str) and kind in _JSON_TYPES:
        result["type"] = kind
    elif isinstance(kind, list) and kind and all(k in _JSON_TYPES for k in kind):
        result["type"] = list(dict.fromkeys(kind))
    elif kind is not None:
        plan.drop(where, f"type {kind!r}", "not a JSON type; kept as any value")
    if "const" in schema:
        result["enum"] = [schema["const"]]
    for keyword in _KEYWORDS:
        value = schema.get(keyword)
        if value is None or (keyword == "description" and not str(value).strip()):
            continue
        if keyword == "examples" and not isinstance(value, list):
            value = [value]
        result[keyword] = value
    if "properties" in schema and isinstance(schema["properties"], dict):
        required = set(schema.get("required") or ())
        nested = {name: convert_schema(sub, plan, f"{where}.{name}") for name, sub in schema["properties"].items()}
        for name in required:
            if name in nested:
                nested[name]["required"] = True
        if nested:
            result["properties"] = nested
        result.setdefault("type", "object")
    extra = schema.get("additionalProperties")
    if isinstance(extra, bool) and ("properties" in schema or result.get("type") == "object"):
        result["additional_properties"] = extra
    elif isinstance(extra, dict):
        plan.drop(where, "additionalProperties schema", "only true or false can be said; kept as true")
        result["additional_properties"] = True
    if "items" in schema:
        items = schema["items"]
        if isinstance(items, dict):
            result["items"] = convert_schema(items, plan, f"{where}[]")
        else:
            plan.drop(where, "items as a list (tuple validation)", "not supported; items kept as any value")
        result.setdefault("type", "array")
    for keyword in sorted(set(schema) - set(_KEYWORDS) - _IGNORED -
                          {"type", "const", "properties", "required", "additionalProperties", "items"}):
        plan.drop(where, keyword, "no equivalent in the plan format")
    if "type" not in result:
        result["type"] = list(ANY_TYPE)
    return result


def properties_of(schema: Any, plan: ImportedPlan, where: str) -> tuple[dict[str, dict[str, Any]], bool | None]:
    """The properties of an object schema, with `required` folded in, and its additionalProperties."""
    if not isinstance(schema, dict):
        return {}, None
    props = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    result = {name: convert_schema(sub, plan, f"{where}.{name}") for name, sub in props.items()}
    for name in required:
        if name in result:
            result[name]["required"] = True
        else:
            plan.drop(where, f"required '{name}'", "listed as required but not defined")
    extra = schema.get("additionalProperties")
    return result, extra if isinstance(extra, bool) else None


def _canonical(definition: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in definition.items() if k != "required"}, sort_keys=True)


def write_plan(plan: ImportedPlan, out: Path) -> list[Path]:
    """Write the plan directory; refuses to overwrite an existing plan."""
    if (out / "tracking-plan.yaml").exists():
        raise UsageError(f"{out} already holds a plan.", "import never overwrites: choose an empty directory.")
    usage: dict[str, Counter[str]] = defaultdict(Counter)
    for event in plan.events:
        for name, definition in event.properties.items():
            usage[name][_canonical(definition)] += 1
    for name, definition in plan.traits.items():
        usage[name][_canonical(definition)] += 1
    # A property several events define alike becomes a library property, used by name.
    library: dict[str, dict[str, Any]] = {}
    for name, shapes in usage.items():
        shape, count = shapes.most_common(1)[0]
        if count >= 2:
            library[name] = json.loads(shape)

    def use(name: str, definition: dict[str, Any]) -> dict[str, Any] | None:
        if name in library and _canonical(definition) == json.dumps(library[name], sort_keys=True):
            return {"required": True} if definition.get("required") else None
        return definition

    files: dict[Path, Any] = {}
    root: dict[str, Any] = {"plan": plan.id, "version": "1.0.0"}
    if plan.title:
        root["title"] = plan.title
    if plan.description:
        root["description"] = plan.description
    open_events = [e.additional_properties for e in plan.events if e.additional_properties is not None]
    default_open = Counter(open_events).most_common(1)[0][0] if open_events else False
    root["additional_properties"] = default_open
    if plan.traits:
        root["traits"] = {name: use(name, d) for name, d in plan.traits.items()}
    files[out / "tracking-plan.yaml"] = root
    if library:
        files[out / "properties" / "library.yaml"] = {"properties": dict(sorted(library.items()))}
    groups: dict[str, dict[str, Any]] = defaultdict(dict)
    for event in plan.events:
        entry: dict[str, Any] = {}
        if event.description:
            entry["description"] = event.description
        if event.tags:
            entry["tags"] = event.tags
        if event.additional_properties is not None and event.additional_properties != default_open:
            entry["additional_properties"] = event.additional_properties
        if event.properties:
            entry["properties"] = {name: use(name, d) for name, d in event.properties.items()}
        groups[_file_for(event)][event.name] = entry or None
    for rel, events in sorted(groups.items()):
        files[out / "events" / rel] = {"events": events}
    write_atomically({path: yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
                      for path, document in files.items()})
    return list(files)


def _slug(text: str) -> str:
    return "_".join(words(text)) or "events"


def _file_for(event: ImportedEvent) -> str:
    if event.group:
        return f"{_slug(event.group)}/events.yaml"
    first = words(event.name)[:1]
    return f"{first[0] if first else 'events'}.yaml"
