from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.model import carried_properties
from tracking_plan.core.naming import did_you_mean
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    plan = ctx.plan
    for metric in plan.metrics.values():
        field = "steps" if metric.type == "conversion" else "event"
        for name in metric.events:
            if name not in plan.events:
                yield Finding(f"Metric '{metric.name}' is computed from '{name}', which is not an event of the plan."
                              f"{did_you_mean(name, plan.events)}", metric.where(field),
                              "Name a planned event, or plan the event first.")
        if metric.objective and metric.objective not in plan.objectives:
            yield Finding(f"Metric '{metric.name}' serves '{metric.objective}', which is not a declared objective."
                          f"{did_you_mean(metric.objective, plan.objectives)}", metric.where("objective"),
                          "Declare it under objectives:, or fix the name.")
        event = plan.events.get(metric.event or "") if metric.type != "conversion" else None
        if event is None:
            continue
        known = {p.name for p in carried_properties(plan, event)}
        for prop, where in ([(metric.property, "property")] if metric.property else []) + [
                (key, "filter") for key in metric.filter]:
            if prop not in known:
                yield Finding(f"Metric '{metric.name}' reads '{prop}', which '{event.name}' does not carry."
                              f"{did_you_mean(prop, known)}", metric.where(where),
                              f"Name one of the event's properties: {', '.join(sorted(known)) or 'it has none'}.")


RULE = Rule(
    id="metric-unknown-reference",
    summary="A metric names events, properties and an objective the plan has.",
    explanation="A metric is computed from planned events and their properties, for a declared objective: a name "
                "that matches nothing means the metric cannot be computed, or serves nothing anyone tracks.",
    bad="metrics:\n  gmv: {type: sum, event: Order Complete, property: revenue}\n",
    good="metrics:\n  gmv: {type: sum, event: Order Completed, property: revenue}\n",
    scope="plan",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
