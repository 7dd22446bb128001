from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.naming import did_you_mean
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    declared = ctx.plan.platforms
    for noun, event in ctx.described():
        for platform in event.platforms:
            if platform not in declared:
                yield Finding(f"{noun} '{event.name}' is sent from '{platform}', which is not a declared platform."
                              f"{did_you_mean(platform, declared)}", event.where("platforms"),
                              "Declare it under platforms: in tracking-plan.yaml, or fix the name.", event)


RULE = Rule(
    id="undeclared-platform",
    summary="An event's platforms are declared in the root file.",
    explanation="Platforms are declared once under `platforms:` so that typos (`andriod`) do not create a platform "
                "nobody implements, and so that `generate --platform` finds every event.",
    bad="platforms: [web, ios]\n---\nevents:\n  Order Completed: {platforms: [andriod]}\n",
    good="platforms: [web, ios, android]\n---\nevents:\n  Order Completed: {platforms: [android]}\n",
    scope="event",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
