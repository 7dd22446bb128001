from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    for event in ctx.plan.events.values():
        if not (event.trigger or "").strip() and event.status != "deprecated":
            yield Finding(f"Event '{event.name}' does not say when it fires.", event.location,
                          "Add 'trigger:' naming the side (client or backend) and the exact moment.", event)


RULE = Rule(
    id="missing-trigger",
    summary="Every event says exactly when it fires.",
    explanation="Two developers implementing `Checkout Started` on web and iOS must fire it at the same moment, or "
                "the funnel lies. The trigger says which side sends it and when (\"Client, when the checkout "
                "button is pressed\"). Deprecated events are not checked.",
    bad="events:\n  Checkout Started:\n    description: The customer started to pay.\n",
    good="events:\n  Checkout Started:\n    description: The customer started to pay.\n"
         "    trigger: Client, when the checkout button of the cart is pressed.\n",
    scope="event",
    check=check,
)
