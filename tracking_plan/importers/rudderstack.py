"""RudderStack rudder-cli projects: YAML files of kinds properties, events, custom-types, categories
and tracking-plan, in the `rudder/v1` format and the older `rudder/v0.1` (kind `tp`, `$ref` paths)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import Severity, UsageError
from tracking_plan.core.model import UNNAMED
from tracking_plan.core.yamlsource import parse_yaml_bytes, to_plain
from tracking_plan.importers.convert import ANY_TYPE
from tracking_plan.importers.model import ImportedEvent, ImportedPlan, call_entry, plan_id, read_bounded

_CONFIG_KEYS = {
    "enum": "enum", "minimum": "minimum", "maximum": "maximum", "exclusive_minimum": "exclusiveMinimum",
    "exclusiveMinimum": "exclusiveMinimum", "exclusive_maximum": "exclusiveMaximum",
    "exclusiveMaximum": "exclusiveMaximum", "min_length": "minLength", "minLength": "minLength",
    "max_length": "maxLength", "maxLength": "maxLength", "pattern": "pattern", "format": "format",
    "min_items": "minItems", "minItems": "minItems", "max_items": "maxItems", "maxItems": "maxItems",
}
_ITEM_KEYS = ("item_type", "item_types", "itemTypes", "itemType")
_TRACKING_PLAN_KINDS = ("tracking-plan", "tp")


def _id(ref: Any) -> str:
    """`#property:email`, `#/properties/group/email` → `email`."""
    text = str(ref or "")
    return text.replace(":", "/").rstrip("/").rsplit("/", 1)[-1]


def _types(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [t.strip() for t in str(value).split(",") if t.strip()]


class _Project:
    def __init__(self, source: Path, plan: ImportedPlan) -> None:
        self.plan = plan
        self.properties: dict[str, dict[str, Any]] = {}
        self.types: dict[str, dict[str, Any]] = {}
        self.events: dict[str, dict[str, Any]] = {}
        self.categories: dict[str, str] = {}
        self.plans: list[dict[str, Any]] = []
        files = sorted(p for p in source.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        if not files:
            raise UsageError(f"{source} holds no rudder-cli YAML files.", None)
        for path in files:
            rel = path.relative_to(source).as_posix()
            # The plan loader's own YAML reading: bounded, UTF-8 checked, alias bombs and tags refused.
            data = read_bounded(path)
            if b"{{" in data:
                plan.drop(rel, "{{ .VAR }} templates", "kept as written: render the project first to import values")
            document, problems = parse_yaml_bytes(data, rel)
            errors = [d for d in problems if d.severity is Severity.ERROR]
            if errors:
                plan.drop(rel, "file", f"not readable YAML: {errors[0].message}")
                continue
            if document:
                self._add(to_plain(document), rel)

    def _add(self, document: Any, rel: str) -> None:
        if not isinstance(document, dict):
            self.plan.drop(rel, "document", "not a rudder-cli resource")
            return
        kind, spec = document.get("kind"), document.get("spec") or {}
        if not isinstance(spec, dict):
            self.plan.drop(rel, "spec", "not a mapping")
            return
        if kind == "properties":
            self.properties.update({str(p.get("id")): p for p in _items(spec.get("properties")) if isinstance(p, dict)})
        elif kind == "custom-types":
            self.types.update({str(t.get("id")): t for t in _items(spec.get("types")) if isinstance(t, dict)})
        elif kind == "events":
            self.events.update({str(e.get("id")): e for e in _items(spec.get("events")) if isinstance(e, dict)})
        elif kind == "categories":
            self.categories.update({str(c.get("id")): str(c.get("name") or c.get("id"))
                                    for c in _items(spec.get("categories")) if isinstance(c, dict)})
        elif kind in _TRACKING_PLAN_KINDS:
            self.plans.append(spec)
        else:
            self.plan.drop(rel, f"kind {kind!r}", "not part of a tracking plan")

    def definition(self, prop: dict[str, Any], where: str, depth: int = 0) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if prop.get("description"):
            result["description"] = prop["description"]
        raw_types = _types(prop.get("types") if prop.get("types") is not None else prop.get("type", ""))
        kinds: list[str] = []
        for kind in raw_types:
            if kind.startswith("#"):
                custom = self.types.get(_id(kind))
                if custom is None or depth > 8:
                    self.plan.drop(where, f"type {kind}", "unknown custom type; kept as any value")
                    continue
                inner = self.definition(custom, f"{where} ({custom.get('name') or _id(kind)})", depth + 1)
                inner_type = inner.pop("type", None)
                kinds.extend(inner_type if isinstance(inner_type, list) else [inner_type] if inner_type else [])
                for key, value in inner.items():
                    result.setdefault(key, value)
            else:
                kinds.append(kind)
        config = {**_mapping(prop.get("propConfig")), **_mapping(prop.get("config"))}
        for key, value in config.items():
            if key in _CONFIG_KEYS:
                result[_CONFIG_KEYS[key]] = value
            elif key not in _ITEM_KEYS:
                self.plan.drop(where, f"config {key}", "no equivalent in the plan format")
        items = next((prop.get(k) or config.get(k) for k in _ITEM_KEYS if prop.get(k) or config.get(k)), None)
        if items:
            result["items"] = {"type": _types(items) if len(_types(items)) > 1 else _types(items)[0]}
            if "array" not in kinds:
                kinds.append("array")
        if isinstance(prop.get("properties"), list):
            nested = self.property_list(prop["properties"], where, depth + 1)
            if nested:
                result["properties"] = nested
            if "object" not in kinds:
                kinds.append("object")
        if prop.get("variants"):
            self.plan.drop(where, "variants", "discriminated variants have no equivalent; the base properties are kept")
        kinds = list(dict.fromkeys(k for k in kinds if k in ANY_TYPE or k == "integer"))
        if kinds:
            result["type"] = kinds[0] if len(kinds) == 1 else kinds
        else:
            result["type"] = "any"
        return result

    def property_list(self, entries: list[Any], where: str, depth: int = 0) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = {}
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            ref = entry.get("property") or entry.get("$ref")
            if ref is None:
                if entry.get("type") == "discriminator":
                    self.plan.drop(where, "discriminator variant", "variants have no equivalent in the plan format")
                continue
            prop = self.properties.get(_id(ref))
            if prop is None:
                self.plan.drop(where, f"property {ref}", "refers to a property the project does not define")
                continue
            name = str(prop.get("name") or prop.get("id"))
            definition = self.definition(prop, f"{where}.{name}", depth)
            if isinstance(entry.get("properties"), list):
                nested = self.property_list(entry["properties"], f"{where}.{name}", depth + 1)
                if nested:
                    definition["properties"] = nested
                    if definition.get("type") == "array":
                        definition["type"] = "object"
            if entry.get("required"):
                definition["required"] = True
            result[name] = definition
        return result


def _variants(project: _Project, value: Any, props: dict[str, dict[str, Any]],
              where: str) -> dict[str, Any] | None:
    """An event rule's discriminator variant as the plan format's `variants:`. Each value a case matches is a case
    of its own; a case's properties say which of the rule's properties it requires. The `default` case's
    requirements become the event's own, and a case that does not require one of them says so."""
    entries = [v for v in _items(value) if isinstance(v, dict)]
    if not entries:
        return None
    for extra in entries[1:]:
        project.plan.drop(where, f"variant {extra.get('type')}", "the plan format has one discriminator an event")
    variant = entries[0]
    on_ref = variant.get("discriminator")
    on_prop = project.properties.get(_id(on_ref)) if isinstance(on_ref, str) and on_ref.startswith("#") else None
    on = str(on_prop.get("name") or on_prop.get("id")) if on_prop is not None else str(on_ref or "")
    if variant.get("type", "discriminator") != "discriminator" or on not in props:
        project.plan.drop(where, "variants", f"the discriminator {on_ref!r} is not one of the rule's properties")
        return None
    if props[on].get("type") != "string":
        project.plan.drop(where, "variants", f"the discriminator '{on}' is not a text property: the plan format "
                                            "picks variants by text")
        return None
    props[on]["required"] = True
    default = _requirements(project, variant.get("default"), where)
    for name in default:
        if name in props:
            props[name]["required"] = True
    cases: dict[str, Any] = {}
    for index, case in enumerate(_items(variant.get("cases"))):
        if not isinstance(case, dict):
            continue
        required = _requirements(project, case.get("properties"), f"{where}.cases[{index}]")
        changes: dict[str, Any] = {name: {"required": True} for name in required if name in props and name != on
                                   and not props[name].get("required")}
        changes.update({name: {"required": False} for name in default if name not in required and name != on})
        for name in required:
            if name not in props:
                project.plan.drop(f"{where}.cases[{index}]", f"property {name}", "not one of the rule's properties")
        body: dict[str, Any] = {}
        text = case.get("description") or case.get("display_name")
        if isinstance(text, str) and text:
            body["description"] = text
        if changes:
            body["properties"] = changes
        for match in _items(case.get("match")):
            if isinstance(match, str) and match:
                cases.setdefault(match, json.loads(json.dumps(body)))  # a copy each: no YAML alias
            else:
                project.plan.drop(f"{where}.cases[{index}]", f"match {match!r}", "the plan format picks variants by "
                                  "text")
    return {"discriminator": on, "cases": cases} if cases else None


def _requirements(project: _Project, value: Any, where: str) -> list[str]:
    """The names of the properties a case (or the default case) lists as required."""
    entries = value.get("properties") if isinstance(value, dict) else value
    names = []
    for entry in _items(entries):
        if not isinstance(entry, dict):
            continue
        ref = entry.get("property") or entry.get("$ref")
        prop = project.properties.get(_id(ref))
        if prop is None:
            project.plan.drop(where, f"property {ref}", "refers to a property the project does not define")
            continue
        if entry.get("required"):
            names.append(str(prop.get("name") or prop.get("id")))
    return names


def _items(value: Any) -> list[Any]:
    """A list the project's YAML should hold there; another shape reads as no entry (each entry is checked)."""
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def read(source: Path) -> ImportedPlan:
    if not source.is_dir():
        raise UsageError(f"{source} is not a rudder-cli project folder.", "Pass the folder of YAML files.")
    plan = ImportedPlan(plan_id(source.name, "rudderstack-plan"))
    project = _Project(source, plan)
    if not project.plans:
        raise UsageError(f"{source} has no tracking plan (kind tracking-plan or tp).", None)
    spec = project.plans[0]
    plan.id = plan_id(str(spec.get("id") or source.name), "rudderstack-plan")
    plan.title = spec.get("display_name")
    plan.description = spec.get("description")
    for extra in project.plans[1:]:
        plan.drop(str(extra.get("id")), "tracking plan", "one plan per import: only the first is kept")
    for index, rule in enumerate(_items(spec.get("rules"))):
        if not isinstance(rule, dict) or rule.get("type") != "event_rule":
            plan.drop(f"rules[{index}]", f"rule of type {rule.get('type') if isinstance(rule, dict) else rule}",
                      "only event rules are imported")
            continue
        event_ref = rule.get("event")
        allow = None
        if isinstance(event_ref, dict):
            allow = event_ref.get("allow_unplanned")
            event_ref = event_ref.get("$ref")
        event = project.events.get(_id(event_ref))
        where = f"rules[{index}] ({rule.get('id')})"
        if event is None:
            plan.drop(where, f"event {event_ref}", "refers to an event the project does not define")
            continue
        props = project.property_list(_items(rule.get("properties")), where)
        variants = _variants(project, rule.get("variants"), props, f"{where}.variants")
        event_type = str(event.get("event_type") or "track")
        if event_type == "identify":
            plan.traits.update(props)
            continue
        if event_type == "group":
            plan.group_traits.update(props)
            continue
        if event_type in ("page", "screen"):
            plan.calls[f"{event_type}s"][str(event.get("name") or UNNAMED)] = call_entry(
                plan, event.get("description"), props, None, where)
            continue
        if event_type != "track":
            plan.drop(where, f"{event_type} event", "imported as a track event named after it")
        additional = rule.get("additional_properties", allow)
        category = project.categories.get(_id(event.get("category"))) if event.get("category") else None
        if variants is not None and event_type != "track":
            plan.drop(where, "variants", "only track events have variants in the plan format")
            variants = None
        plan.add(ImportedEvent(
            str(event.get("name") or event.get("id")), event.get("description") or None, props,
            additional if isinstance(additional, bool) else None,
            tags=[f"category:{category}"] if category else [], group=category, variants=variants), where)
    return plan
