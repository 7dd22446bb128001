"""mParticle data plans: data points with match criteria and JSON Schema validators."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.importers.common import ImportedEvent, ImportedPlan, load_json, plan_id, properties_of


def read(source: Path) -> ImportedPlan:
    document = load_json(source, "an mParticle data plan", None)
    version = document.get("version_document") if isinstance(document, dict) else None
    if not isinstance(version, dict) or "data_points" not in version:
        raise UsageError(f"{source} is not an mParticle data plan: no version_document.data_points.", None)
    plan = ImportedPlan(plan_id(document.get("data_plan_id"), "mparticle-plan"),
                        title=document.get("data_plan_id"), description=document.get("version_description"))
    for index, point in enumerate(version["data_points"]):
        match = point.get("match") or {}
        kind, criteria = match.get("type"), match.get("criteria") or {}
        schema: Any = ((point.get("validator") or {}).get("definition") or {})
        data = (schema.get("properties") or {}).get("data") or {}
        where = f"data_points[{index}] ({kind})"
        if kind == "custom_event":
            attributes = (data.get("properties") or {}).get("custom_attributes") or {}
            props, extra = properties_of(attributes, plan, where)
            event = ImportedEvent(str(criteria.get("event_name")), point.get("description") or None, props, extra,
                                  tags=[f"custom_event_type:{criteria.get('custom_event_type', 'other')}"],
                                  group=str(criteria.get("custom_event_type") or "") or None)
            plan.add(event, where)
        elif kind == "screen_view":
            attributes = (data.get("properties") or {}).get("custom_attributes") or {}
            props, extra = properties_of(attributes, plan, where)
            plan.add(ImportedEvent(f"Screen Viewed: {criteria.get('screen_name')}", point.get("description") or None,
                                   props, extra, tags=["screen_view"], group="screens"), where)
        elif kind == "product_action":
            attributes = (data.get("properties") or {}).get("custom_attributes") or {}
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
