from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.model import NAMING_STYLES, UNNAMED
from tracking_plan.core.naming import STYLE_EXAMPLES, convert, matches_style
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Option, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    style = ctx.options["style"] or ctx.plan.conventions.events
    if style == "any":
        return
    for noun, event in ctx.described():
        if event.name != UNNAMED and not matches_style(event.name, style):
            fixed = convert(event.name, style)
            yield Finding(f"{noun} name '{event.name}' does not follow the plan's {style} style (like "
                          f"'{STYLE_EXAMPLES[style]}')" + (f"; in {style} it is '{fixed}'." if fixed else "."),
                          event.location, f"Rename it '{fixed}'." if fixed else None, event)


RULE = Rule(
    id="event-name-style",
    summary="Event names (and page and screen names) follow the plan's naming convention.",
    explanation="One naming style keeps events findable and stops near-duplicates such as `Order Completed` and "
                "`order_completed`. The style comes from `conventions.events` in tracking-plan.yaml (or this rule's "
                "`style` option): title_case (\"Object Action\", `Order Completed`), sentence_case, snake_case, "
                "camel_case, pascal_case or kebab_case. The finding suggests the name in the right style.",
    bad="conventions: {events: title_case}\nevents:\n  order_completed: {}\n",
    good="conventions: {events: title_case}\nevents:\n  Order Completed: {}\n",
    scope="event",
    options={"style": Option(None, "Overrides conventions.events.", (None, *NAMING_STYLES))},
    check=check,
)
