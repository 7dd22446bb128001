from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    plan = ctx.plan
    if not plan.metrics:  # a plan that does not define metrics yet is not asked for them event by event
        return
    used = {name for metric in plan.metrics.values() for name in metric.events}
    for event in plan.events.values():
        if event.status == "active" and event.name not in used:
            ask = f" Ask {event.owner} what it is for." if event.owner else ""
            yield Finding(f"Event '{event.name}' is used by no metric: it is collected for no stated purpose.{ask}",
                          event.location, "Add the metric it feeds under metrics:, or deprecate the event.", event)


RULE = Rule(
    id="event-without-metric",
    summary="Every active event feeds at least one metric (once the plan defines metrics).",
    explanation="Data is collected for a purpose: an event no metric reads costs bandwidth, storage and privacy "
                "review for nothing. The rule stays quiet until the plan defines its first metric.",
    bad="events:\n  Banner Hovered: {owner: discovery}\nmetrics:\n  orders: {type: count, event: Order Completed}\n",
    good="events:\n  Order Completed: {owner: checkout}\nmetrics:\n  orders: {type: count, event: Order Completed}\n",
    scope="event",
    severity=Severity.INFO,
    check=check,
)
