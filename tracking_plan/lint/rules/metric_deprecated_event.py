from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    plan = ctx.plan
    for metric in plan.metrics.values():
        for name in metric.events:
            event = plan.events.get(name)
            if event is None or event.status != "deprecated":
                continue
            replacement = f": build it on '{event.replaced_by}' instead" if event.replaced_by else ""
            yield Finding(f"Metric '{metric.name}' is computed from '{name}', which is deprecated{replacement}.",
                          metric.where("steps" if metric.type == "conversion" else "event"),
                          "Move the metric to the replacement event before the deprecated one stops being sent.")


RULE = Rule(
    id="metric-deprecated-event",
    summary="Metrics are not built on deprecated events.",
    explanation="A deprecated event will stop being sent: every metric built on it will fall to zero then. Move "
                "the metric to the event that replaces it.",
    bad="events:\n  Cart Opened: {status: deprecated, replaced_by: Cart Viewed}\nmetrics:\n"
        "  carts: {type: count, event: Cart Opened}\n",
    good="events:\n  Cart Viewed: {}\nmetrics:\n  carts: {type: count, event: Cart Viewed}\n",
    scope="plan",
    check=check,
)
