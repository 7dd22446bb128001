from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.naming import did_you_mean
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    declared = ctx.plan.destinations
    for noun, event in ctx.described():
        for destination in event.destinations:
            if destination not in declared:
                yield Finding(f"{noun} '{event.name}' is sent to '{destination}', which is not a declared destination."
                              f"{did_you_mean(destination, declared)}", event.where("destinations"),
                              "Declare it under destinations: in tracking-plan.yaml, or fix the name.", event)
    for key in ("pii_destinations", "traits_destinations"):
        for name in getattr(ctx.plan, key) or ():
            if name not in declared:
                yield Finding(f"{key} names '{name}', which is not a declared destination."
                              f"{did_you_mean(name, declared)}", ctx.plan.where(key),
                              "Declare it under destinations: or fix the name.")


RULE = Rule(
    id="undeclared-destination",
    summary="An event's destinations are declared in the root file.",
    explanation="Destinations are declared once under `destinations:`; the destination rules (GA4, Amplitude, "
                "Segment, BigQuery limits) and the personal-data rules rely on them.",
    bad="destinations: [amplitude]\n---\nevents:\n  Order Completed: {destinations: [amplitud]}\n",
    good="destinations: [amplitude]\n---\nevents:\n  Order Completed: {destinations: [amplitude]}\n",
    scope="event",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
