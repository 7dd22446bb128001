from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.helpers import defined_properties
from tracking_plan.lint.rule import Finding, Option, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    for noun, event in ctx.described():
        if not (event.description or "").strip():
            yield Finding(f"{noun} '{event.name}' has no description.", event.location,
                          "Add 'description:' saying what happened, in a sentence a new analyst understands.", event)
    if not ctx.options["properties"]:
        return
    for use in defined_properties(ctx):
        if not (use.prop.description or "").strip():
            yield Finding(f"Property '{use.path}' has no description.", use.prop.location,
                          "Add 'description:' saying what the value means, with its unit if it has one.",
                          use.event, use.prop)


RULE = Rule(
    id="missing-description",
    summary="Every event and property says what it means.",
    explanation="A description is what lets someone who did not write the event use its data. Library properties "
                "are checked once, where they are defined; uses inherit the library's description. Set the "
                "option `properties: false` to check events only.",
    bad="events:\n  Order Completed:\n    properties:\n      total: {type: number}\n",
    good="events:\n  Order Completed:\n    description: The payment was accepted and the order created.\n"
         "    properties:\n      total: {type: number, description: Amount paid, taxes included.}\n",
    scope="event",
    options={"properties": Option(True, "Also check properties.")},
    check=check,
)
