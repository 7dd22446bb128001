from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    for event in ctx.plan.events.values():
        for variant in event.variants:
            if not variant.changed:
                yield Finding(f"Variant '{variant.value}' of '{event.name}' changes none of its properties.",
                              variant.location, "Say what this case requires or adds under its 'properties:', or "
                              "drop it: the event's own rules already judge that value.", event)


RULE = Rule(
    id="variant-without-change",
    summary="Every variant of an event changes or adds a property.",
    explanation="A variant exists to say what differs when the discriminator holds its value: a card payment needs "
                "the card's brand, a PayPal one does not. A case with no properties is the event itself under "
                "another name: generated code gets a method that adds nothing, and readers look for a difference "
                "that is not there.",
    bad="events:\n  Payment Failed:\n    properties:\n      method: {type: string, required: true}\n"
        "    variants:\n      discriminator: method\n      cases:\n        card: {}\n",
    good="events:\n  Payment Failed:\n    properties:\n      method: {type: string, required: true}\n"
         "    variants:\n      discriminator: method\n      cases:\n        card:\n          properties:\n"
         "            card_brand: {type: string, required: true}\n",
    scope="event",
    check=check,
)
