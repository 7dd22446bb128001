"""mParticle data plans: data points with match criteria and JSON Schema validators."""

from __future__ import annotations

from pathlib import Path

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import UNNAMED
from tracking_plan.importers.convert import properties_of
from tracking_plan.importers.model import ImportedEvent, ImportedPlan, as_object, call_entry, load_json, plan_id


def read(source: Path) -> ImportedPlan:
    document = load_json(source, "an mParticle data plan", None)
    version = document.get("version_document") if isinstance(document, dict) else None
    if not isinstance(version, dict) or "data_points" not in version:
        raise UsageError(f"{source} is not an mParticle data plan: no version_document.data_points.", None)
    plan = ImportedPlan(plan_id(document.get("data_plan_id"), "mparticle-plan"),
                        title=document.get("data_plan_id"), description=document.get("version_description"))
    points = version["data_points"]
    if not isinstance(points, list):
        raise UsageError(f"{source}: version_document.data_points is not a list of data points.", None)
    for index, point in enumerate(points):
        at = f"data_points[{index}]"
        point = as_object(point, plan, at, "data point")
        match = as_object(point.get("match"), plan, at, "match")
        kind, criteria = match.get("type"), as_object(match.get("criteria"), plan, at, "match.criteria")
        schema = as_object(as_object(point.get("validator"), plan, at, "validator").get("definition"), plan, at,
                           "validator.definition")
        data = as_object(as_object(schema.get("properties"), plan, at, "properties").get("data"), plan, at,
                         "properties.data")
        nested = as_object(data.get("properties"), plan, at, "data.properties")
        where = f"data_points[{index}] ({kind})"
        if kind == "custom_event":
            attributes = nested.get("custom_attributes") or {}
            props, extra = properties_of(attributes, plan, where)
            event = ImportedEvent(str(criteria.get("event_name")), point.get("description") or None, props, extra,
                                  tags=[f"custom_event_type:{criteria.get('custom_event_type', 'other')}"],
                                  group=str(criteria.get("custom_event_type") or "") or None)
            plan.add(event, where)
        elif kind == "screen_view":  # a screen() call: the plan's screens, by the screen's name
            attributes = nested.get("custom_attributes") or {}
            props, _ = properties_of(attributes, plan, where)
            plan.calls["screens"][str(criteria.get("screen_name") or "") or UNNAMED] = call_entry(
                plan, point.get("description"), props, None, where)
        elif kind == "product_action":
            attributes = nested.get("custom_attributes") or {}
            props, extra = properties_of(attributes, plan, where)
            plan.add(ImportedEvent(f"Product Action: {criteria.get('action')}", point.get("description") or None,
                                   props, extra, tags=["product_action"], group="commerce"), where)
        elif kind == "user_attributes":
            # The attributes are the validator's own properties (older plans nest them under `data`).
            attributes = data if data.get("properties") else schema
            props, _ = properties_of(attributes, plan, where)
            plan.traits.update(props)
            if attributes.get("additionalProperties") is not False and not props:
                plan.drop(where, "user attributes", "any attribute is allowed: no trait to declare")
        else:
            plan.drop(where, f"{kind} data point", "no equivalent in the plan format")
    return plan
