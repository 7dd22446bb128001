from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    for metric in ctx.plan.metrics.values():
        if not metric.objective:
            names = ", ".join(ctx.plan.objectives) or "declare one under objectives:"
            yield Finding(f"Metric '{metric.name}' serves no objective.", metric.location,
                          f"Add objective: with the goal it tracks ({names}).")


RULE = Rule(
    id="metric-without-objective",
    summary="Every metric serves an objective.",
    explanation="A metric linked to no objective is read by no one in particular: say which goal it tracks, so "
                "that reports group indicators by goal and diff names the goal a change puts at risk.",
    bad="metrics:\n  gmv: {type: sum, event: Order Completed, property: revenue}\n",
    good="metrics:\n  gmv: {type: sum, event: Order Completed, property: revenue, objective: grow-gmv}\n",
    scope="plan",
    check=check,
)
