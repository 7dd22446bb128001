from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    served = {m.objective for m in ctx.plan.metrics.values()}
    for objective in ctx.plan.objectives.values():
        if objective.name not in served:
            yield Finding(f"Objective '{objective.name}' has no metric: nothing in the data says how it goes.",
                          objective.location, "Define the indicator that tracks it under metrics:, with "
                          f"objective: {objective.name}.")


RULE = Rule(
    id="objective-without-metric",
    summary="Every objective is backed by at least one metric.",
    explanation="An objective nobody measures cannot be steered: define the indicators first, then the events "
                "that feed them.",
    bad="objectives:\n  grow-trade-in: {description: ...}\n",
    good="objectives:\n  grow-trade-in: {description: ...}\nmetrics:\n"
         "  accepted_buybacks: {type: count, event: Buyback Offer Accepted, objective: grow-trade-in}\n",
    scope="plan",
    check=check,
)
