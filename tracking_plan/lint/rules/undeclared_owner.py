from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.naming import did_you_mean
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    squads = ctx.plan.squads
    for noun, event in ctx.described():
        if event.owner and event.owner not in squads:
            yield Finding(f"{noun} '{event.name}' is owned by '{event.owner}', which is not a declared squad."
                          f"{did_you_mean(event.owner, squads)}", event.where("owner"),
                          "Declare the squad under squads: in tracking-plan.yaml, or fix the name.", event)
    for kind, items in (("Objective", ctx.plan.objectives.values()), ("Metric", ctx.plan.metrics.values())):
        for item in items:
            if item.owner and item.owner not in squads:
                yield Finding(f"{kind} '{item.name}' is owned by '{item.owner}', which is not a declared squad."
                              f"{did_you_mean(item.owner, squads)}", item.where("owner"),
                              "Declare the squad under squads: in tracking-plan.yaml, or fix the name.")


RULE = Rule(
    id="undeclared-owner",
    summary="An event's, objective's or metric's owner is a declared squad.",
    explanation="Owners must be keys of `squads:` in tracking-plan.yaml, so that reports group events by squad "
                "and diff can ping the right people.",
    bad="squads: {checkout: {}}\n---\nevents:\n  Order Completed: {owner: chekout}\n",
    good="squads: {checkout: {}}\n---\nevents:\n  Order Completed: {owner: checkout}\n",
    scope="event",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
