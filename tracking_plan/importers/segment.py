"""Segment tracking plans: the Public API's `rules` (key, type TRACK / IDENTIFY / GROUP / PAGE,
version, jsonSchema) and the older Config API export (rules.events, identify_traits, group_traits)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import UNNAMED
from tracking_plan.importers.convert import event_properties_of, properties_of
from tracking_plan.importers.model import (
    ImportedEvent,
    ImportedPlan,
    as_object,
    call_entry,
    load_json,
    plan_id,
    read_metadata,
)


def _load(source: Path) -> Any:
    return load_json(source, "a Segment tracking plan", "Export the tracking plan from Segment as JSON.")


def _envelope(schema: dict[str, Any], key: str) -> dict[str, Any] | None:
    """`properties.properties` (or `.traits`) of a whole-call schema, when the schema has that shape."""
    properties = schema.get("properties")
    inner = properties.get(key) if isinstance(properties, dict) else None
    if isinstance(inner, dict) and ("properties" in inner or inner.get("type") == "object"):
        return inner
    return None


def _event(plan: ImportedPlan, name: str, description: str | None, schema: Any, labels: Any,
           where: str) -> ImportedEvent:
    schema = schema if isinstance(schema, dict) else {}
    body = _envelope(schema, "properties")
    if body is None:
        body = schema  # typewriter's fixtures put the event's properties at the top
    kept: dict[str, Any] = {}
    props, extra, variants = event_properties_of(body, plan, where, root=schema, kept=kept,
                                                 metadata=schema.get("x-tracking-plan"))
    event = ImportedEvent(name, description or schema.get("description") or None, props, extra, extensions=kept,
                          variants=variants)
    read_metadata(event, schema.get("x-tracking-plan"), plan, where)
    if isinstance(labels, dict) and labels:
        # A label with no value is a plain tag (that is how `export segment` writes one).
        event.tags = [f"{k}:{v}" if v not in ("", None) else str(k) for k, v in sorted(labels.items())]
        event.group = str(labels.get("area") or labels.get("team") or labels.get("squad") or "") or None
    envelope = schema.get("properties")
    context = envelope.get("context") if isinstance(envelope, dict) else None
    if isinstance(context, dict) and context.get("properties"):
        plan.drop(where, "context schema", "the plan describes event properties, not the call's context")
    return event


def read(source: Path) -> ImportedPlan:
    return read_document(_load(source), str(source))


def read_document(document: Any, source: str) -> ImportedPlan:
    """A tracking plan as Segment's APIs give it (a file's contents, or what `pull segment` fetched)."""
    if isinstance(document, dict) and isinstance(document.get("data"), dict) and "rules" not in document:
        document = document["data"]  # the Public API's response envelope: {"data": {"rules": [...]}}
    if isinstance(document, dict) and isinstance(document.get("trackingPlan"), dict):
        document = {**document["trackingPlan"], **document}  # the plan's name and slug sit beside its rules
    if not isinstance(document, dict) or "rules" not in document:
        raise UsageError(f"{source} is not a Segment tracking plan: it has no 'rules'.",
                         "Export the plan with Segment's Public API or the Config API.")
    name = document.get("display_name") or document.get("name")
    plan = ImportedPlan(plan_id(document.get("slug") or document.get("name") or name, "imported-plan"),
                        title=name, description=document.get("description") or None)
    rules = document["rules"]
    if isinstance(rules, dict):  # Config API export
        for index, rule in enumerate(_listed(rules.get("events"), plan, "rules.events")):
            where = f"rules.events[{index}]"
            rule = as_object(rule, plan, where, "event rule")
            body = rule.get("rules")
            plan.add(_event(plan, str(rule.get("name")), rule.get("description"), body,
                            body.get("labels") if isinstance(body, dict) else None, where), where)
        for key, target in (("identify_traits", "traits"), ("group_traits", "group")):
            for index, rule in enumerate(_listed(rules.get(key), plan, f"rules.{key}")):
                schema = (rule.get("rules") or rule) if isinstance(rule, dict) else None
                _traits(plan, schema, f"rules.{key}[{index}]", target)
        return plan
    if not isinstance(rules, list):
        raise UsageError(f"{source}: 'rules' is neither a list of rules (Public API) nor an object (Config API).",
                         "Export the plan with Segment's Public API or the Config API.")
    newest = _newest(rules)
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        kind = str(rule.get("type", "TRACK")).upper()
        schema = rule.get("jsonSchema") or {}
        where = f"rules[{index}] ({rule.get('key') or kind})"
        kept = newest[(kind, str(rule.get("key")))]
        if _version(rule) < _version(rules[kept]):
            plan.drop(where, f"version {rule.get('version')}", f"an older version of the rule: version "
                      f"{rules[kept].get('version')} (rules[{kept}]) is imported")
        elif kind == "TRACK":
            plan.add(_event(plan, str(rule.get("key")), rule.get("description"), schema,
                            schema.get("labels") if isinstance(schema, dict) else None, where), where)
        elif kind == "IDENTIFY":
            _traits(plan, schema, where, "traits")
            plan.read_metadata(schema.get("x-tracking-plan") if isinstance(schema, dict) else None, where)
        elif kind == "GROUP":
            _traits(plan, schema, where, "group")
        elif kind in ("PAGE", "SCREEN"):
            _call(plan, "pages" if kind == "PAGE" else "screens", str(rule.get("key") or "") or UNNAMED,
                  rule.get("description"), schema, where)
        else:
            plan.drop(where, f"{kind} rule", "the plan format has no such call")
    plan.lift_globals()
    return plan


def _listed(value: Any, plan: ImportedPlan, where: str) -> list[Any]:
    """A part of the source that must be a list: itself, or [] (another shape is listed, never a crash)."""
    if isinstance(value, list):
        return value
    if value is not None:
        plan.drop(where, "rules", f"not a list ({type(value).__name__}); left out")
    return []


def _newest(rules: list[Any]) -> dict[tuple[str, str], int]:
    """For each (type, key), the index of its rule of the highest version: the Public API lists every version of
    a rule it keeps, and only the newest is imported (rules of one version are all read, as before)."""
    newest: dict[tuple[str, str], int] = {}
    for index, rule in enumerate(rules):
        if isinstance(rule, dict):
            key = (str(rule.get("type", "TRACK")).upper(), str(rule.get("key")))
            best = newest.get(key)
            if best is None or _version(rule) > _version(rules[best]):
                newest[key] = index
    return newest


def _version(rule: dict[str, Any]) -> int:
    version = rule.get("version")
    return version if isinstance(version, int) and not isinstance(version, bool) else 0


def _traits(plan: ImportedPlan, schema: Any, where: str, target: str) -> None:
    """Identify's traits (`traits`) or group's (`group`), from a rule's whole-call schema or its traits'."""
    if not isinstance(schema, dict):
        return
    body = _envelope(schema, "traits") or schema
    props, _ = properties_of(body, plan, where, root=schema)
    into = plan.traits if target == "traits" else plan.group_traits
    for name, definition in props.items():
        into.setdefault(name, definition)


def _call(plan: ImportedPlan, section: str, name: str, description: Any, schema: Any, where: str) -> None:
    """A page or screen rule: its properties, under the name it applies to."""
    schema = schema if isinstance(schema, dict) else {}
    props, _ = properties_of(_envelope(schema, "properties") or schema, plan, where, root=schema)
    plan.calls[section][name] = call_entry(plan, description or schema.get("description"), props,
                                           schema.get("x-tracking-plan"), where)
