"""Segment Protocols: the Public API's tracking-plan rules (`PUT /tracking-plans/{id}/rules`).

Each event becomes a TRACK rule whose JSON Schema (draft-07, as Segment validates) describes the
whole call, with the event's properties under `properties.properties`; the traits become an
IDENTIFY rule under `properties.traits`, the group traits a GROUP rule, each page and screen a PAGE or SCREEN rule
keyed by its name (the calls without a name: an empty key).
"""

from __future__ import annotations

import json
from typing import Any

from tracking_plan.core.model import UNNAMED, Event, Plan
from tracking_plan.shapes.jsonschema import event_metadata, object_schema, payload_schema, plan_metadata

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def _envelope(key: str, inner: dict[str, Any], description: str | None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": DRAFT_07,
        "type": "object",
        "properties": {key: {"type": "object", **inner}},
        "required": [key],
    }
    if description:
        schema["description"] = description
    return schema


def track_rule(plan: Plan, event: Event) -> dict[str, Any]:
    schema = _envelope("properties", payload_schema(plan, event, with_docs=True), event.description)
    labels = {key: value for key, _, value in (tag.partition(":") for tag in event.tags)}
    if labels:
        schema["labels"] = labels
    schema["x-tracking-plan"] = event_metadata(plan, event)  # an annotation to Segment; import reads it back
    rule: dict[str, Any] = {"key": event.name, "type": "TRACK", "version": 1, "jsonSchema": schema}
    if event.description:
        rule["description"] = event.description
    return rule


def call_rule(plan: Plan, kind: str, call: Event) -> dict[str, Any]:
    """A page's or screen's rule: its properties under `properties.properties`, keyed by its name."""
    schema = _envelope("properties", object_schema(call.properties, call.additional_properties), call.description)
    schema["x-tracking-plan"] = event_metadata(plan, call)  # its owner, platforms...: import reads them back
    rule: dict[str, Any] = {"key": "" if call.name == UNNAMED else call.name, "type": kind, "version": 1,
                            "jsonSchema": schema}
    if call.description:
        rule["description"] = call.description
    return rule


def export_rules(plan: Plan) -> dict[str, Any]:
    rules = [track_rule(plan, event) for event in plan.events.values()]
    if plan.traits:
        rules.append({"type": "IDENTIFY", "version": 1,
                      "jsonSchema": {**_envelope("traits", object_schema(plan.traits, plan.additional_properties),
                                                 "User traits"), "x-tracking-plan": plan_metadata(plan)}})
    if plan.group_traits:
        rules.append({"type": "GROUP", "version": 1, "jsonSchema": _envelope(
            "traits", object_schema(plan.group_traits, plan.additional_properties), "Group traits")})
    rules += [call_rule(plan, "PAGE", page) for page in plan.pages.values()]
    rules += [call_rule(plan, "SCREEN", screen) for screen in plan.screens.values()]
    return {"id": plan.id, "name": plan.title or plan.id, "description": plan.description or "", "rules": rules}


def render(plan: Plan) -> str:
    return json.dumps(export_rules(plan), indent=2, ensure_ascii=False) + "\n"
