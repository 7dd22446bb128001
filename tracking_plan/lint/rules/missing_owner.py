from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    if ctx.plan.squads:
        hint = f"Add 'owner:' with the squad that answers for it: {', '.join(ctx.plan.squads)}."
    else:
        hint = ("Declare the squads under squads: in tracking-plan.yaml, then add 'owner:' with the one that "
                "answers for it.")
    for noun, event in ctx.described():
        if not event.owner:
            yield Finding(f"{noun} '{event.name}' has no owner.", event.location, hint, event)


RULE = Rule(
    id="missing-owner",
    summary="Every event has an owning squad.",
    explanation="When an event breaks, somebody must be pinged. The owner is a squad declared under `squads:` in "
                "tracking-plan.yaml.",
    bad="events:\n  Order Completed:\n    description: ...\n",
    good="events:\n  Order Completed:\n    owner: checkout\n",
    scope="event",
    check=check,
)
