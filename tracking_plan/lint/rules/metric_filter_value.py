from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.model import carried_properties
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    plan = ctx.plan
    for metric in plan.metrics.values():
        event = plan.events.get(metric.event or "")
        if event is None or not metric.filter:
            continue
        props = {p.name: p for p in carried_properties(plan, event)}
        for key, values in metric.filter.items():
            prop = props.get(key)
            if prop is None or prop.enum is None:
                continue
            for value in values:
                if value not in prop.enum:
                    yield Finding(f"Metric '{metric.name}' filters '{key}' on {value!r}, which is not one of its "
                                  f"values ({', '.join(map(repr, prop.enum))}).", metric.where("filter"),
                                  "Filter on values the property can hold, or add the value to its enum.")


RULE = Rule(
    id="metric-filter-value",
    summary="A metric's filter values are values the property can hold.",
    explanation="A filter on a value outside the property's enum matches no event: the metric would read zero "
                "and look like a collapse.",
    bad="metrics:\n  phones: {type: count, event: Order Completed, filter: {currency: [EURO]}}\n",
    good="metrics:\n  phones: {type: count, event: Order Completed, filter: {currency: [EUR]}}\n",
    scope="plan",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
