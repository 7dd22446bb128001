"""RudderStack: a rudder-cli project in the `rudder/v1` format (properties, events, categories and
tracking-plan files), ready for `rudder-cli apply`."""

from __future__ import annotations

import json
from typing import Any

import yaml

from tracking_plan.core.model import UNNAMED, Event, Plan, Property
from tracking_plan.core.naming import words

_CONFIG = (("enum", "enum"), ("minimum", "minimum"), ("maximum", "maximum"),
           ("exclusive_minimum", "exclusive_minimum"), ("exclusive_maximum", "exclusive_maximum"),
           ("min_length", "min_length"), ("max_length", "max_length"), ("pattern", "pattern"),
           ("format", "format"), ("min_items", "min_items"), ("max_items", "max_items"))


def _slug(text: str, taken: set[str]) -> str:
    base = "_".join(words(text)) or "item"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


class _Exporter:
    def __init__(self) -> None:
        self.properties: list[dict[str, Any]] = []
        self.by_shape: dict[str, str] = {}
        self.ids: set[str] = set()

    def property_id(self, prop: Property) -> str:
        spec: dict[str, Any] = {"name": prop.name}
        if prop.description:
            spec["description"] = prop.description
        kinds = list(prop.type)
        if len(kinds) == 1:
            spec["type"] = kinds[0]
        elif kinds:
            spec["types"] = kinds
        config = {key: (list(value) if isinstance(value, tuple) else value) for attr, key in _CONFIG
                  if (value := (prop.enum if attr == "enum" else getattr(prop.constraints, attr))) is not None}
        if prop.items is not None and prop.items.type:
            item_types = list(prop.items.type)
            spec["item_type" if len(item_types) == 1 else "item_types"] = \
                item_types[0] if len(item_types) == 1 else item_types
        if config:
            spec["config"] = config
        shape = json.dumps(spec, sort_keys=True, default=str)
        if shape not in self.by_shape:
            identifier = _slug(prop.name, self.ids)
            self.by_shape[shape] = identifier
            self.properties.append({"id": identifier, **spec})
        return self.by_shape[shape]

    def rule_properties(self, props: tuple[Property, ...]) -> list[dict[str, Any]]:
        entries = []
        for prop in props:
            entry: dict[str, Any] = {"property": f"#property:{self.property_id(prop)}", "required": prop.required}
            if prop.properties:
                entry["properties"] = self.rule_properties(prop.properties)
            entries.append(entry)
        return entries


def _variants(exporter: _Exporter, event: Event) -> dict[str, Any]:
    """An event with variants as a rule with a discriminator variant: the rule's properties are the event's and
    those its cases add, required where every case and the event require them; each case (and the `default`, the
    event's own rules) lists what it requires beyond that. RudderStack's cases say requirements only: a case's
    other changes (a narrower enum, a bound) are not carried."""
    names = list(dict.fromkeys([p.name for p in event.properties] +
                               [p.name for v in event.variants for p in v.properties]))
    defined = {p.name: p for v in reversed(event.variants) for p in v.properties}
    defined.update({p.name: p for p in event.properties})
    own = {p.name for p in event.properties if p.required}
    each = [{p.name for p in v.properties if p.required} for v in event.variants]
    always = own.intersection(*each)
    props = [defined[name]._replace(required=name in always) for name in names]

    def listed(required: set[str]) -> list[dict[str, Any]]:
        return [{"property": f"#property:{exporter.property_id(defined[name])}", "required": True}
                for name in names if name in required - always]

    variant: dict[str, Any] = {
        "type": "discriminator", "discriminator": f"#property:{exporter.property_id(defined[event.discriminator])}"
        if event.discriminator in defined else event.discriminator,
        "cases": [{"id": _slug(v.value, set()), "display_name": v.value, "match": [v.value],
                   "description": v.description or f"{event.discriminator} is {v.value}",
                   "properties": listed(required)} for v, required in zip(event.variants, each, strict=True)]}
    if own - always:
        variant["default"] = {"properties": listed(own)}
    return {"properties": exporter.rule_properties(tuple(props)), "variants": [variant]}


def _document(kind: str, name: str, spec: dict[str, Any]) -> str:
    return yaml.safe_dump({"version": "rudder/v1", "kind": kind, "metadata": {"name": name}, "spec": spec},
                          sort_keys=False, allow_unicode=True, width=110)


def render(plan: Plan) -> dict[str, str]:
    exporter = _Exporter()
    event_ids: set[str] = set()
    categories: dict[str, str] = {}
    events, rules = [], []
    for event in plan.events.values():
        identifier = _slug(event.name, event_ids)
        spec: dict[str, Any] = {"id": identifier, "name": event.name, "event_type": "track"}
        if event.description:
            spec["description"] = event.description
        category = next((t.split(":", 1)[1] for t in event.tags if t.startswith("category:")), None)
        if category:
            categories.setdefault(category, _slug(category, set(categories.values())))
            spec["category"] = f"#category:{categories[category]}"
        events.append(spec)
        rule: dict[str, Any] = {"type": "event_rule", "id": f"{identifier}_rule", "event": f"#event:{identifier}",
                                "additional_properties": event.additional_properties}
        if event.variants and event.discriminator:
            rule.update(_variants(exporter, event))
        else:
            rule["properties"] = exporter.rule_properties(event.properties)
        rules.append(rule)
    calls: list[tuple[str, str | None, str | None, tuple[Property, ...]]] = []
    if plan.traits:
        calls.append(("identify", None, "User traits", plan.traits))
    if plan.group_traits:
        calls.append(("group", None, "Group traits", plan.group_traits))
    for kind, described in (("page", plan.pages), ("screen", plan.screens)):
        calls.extend((kind, None if name == UNNAMED else name, call.description, call.properties)
                     for name, call in described.items())
    for kind, name, description, props in calls:
        identifier = _slug(f"{kind} {name}" if name else kind, event_ids)
        call_spec: dict[str, Any] = {"id": identifier, "event_type": kind}
        if name:
            call_spec["name"] = name
        if description:
            call_spec["description"] = description
        events.append(call_spec)
        rules.append({"type": "event_rule", "id": f"{identifier}_rule", "event": f"#event:{identifier}",
                      "properties": exporter.rule_properties(props)})
    files = {
        "properties.yaml": _document("properties", f"{plan.id}_properties", {"properties": exporter.properties}),
        "events.yaml": _document("events", f"{plan.id}_events", {"events": events}),
        "tracking-plan.yaml": _document("tracking-plan", plan.id, {
            "id": plan.id, "display_name": plan.title or plan.id, "description": plan.description or "",
            "rules": rules}),
    }
    if categories:
        files["categories.yaml"] = _document("categories", f"{plan.id}_categories", {
            "categories": [{"id": slug, "name": name} for name, slug in categories.items()]})
    return files
