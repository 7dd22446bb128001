from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.model import carried_properties
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    plan = ctx.plan
    for metric in plan.metrics.values():
        if metric.type not in ("sum", "average") or not metric.property:
            continue
        event = plan.events.get(metric.event or "")
        prop = next((p for p in carried_properties(plan, event) if p.name == metric.property), None) \
            if event else None
        if prop is None:
            continue  # metric-unknown-reference says so
        kinds = set(prop.type) - {"null"}
        if not kinds or not kinds <= {"number", "integer"}:
            shown = " or ".join(prop.type) if prop.type else "untyped"
            yield Finding(f"Metric '{metric.name}' takes the {metric.type} of '{prop.name}', which is {shown}, "
                          "not a number.", metric.where("property"),
                          "Sum or average a property of type number or integer, or count the event instead.")


RULE = Rule(
    id="metric-not-numeric",
    summary="sum and average metrics read a numeric property.",
    explanation="A sum or an average of text, booleans or untyped values is not a number anyone can read: the "
                "warehouse would fail the query or silently cast.",
    bad="metrics:\n  gmv: {type: sum, event: Order Completed, property: currency}\n",
    good="metrics:\n  gmv: {type: sum, event: Order Completed, property: revenue}\n",
    scope="plan",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
