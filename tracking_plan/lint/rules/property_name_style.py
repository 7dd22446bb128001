from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.model import NAMING_STYLES
from tracking_plan.core.naming import STYLE_EXAMPLES, convert, matches_style
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.helpers import defined_properties
from tracking_plan.lint.rule import Finding, Option, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    style = ctx.options["style"] or ctx.plan.conventions.properties
    if style == "any":
        return
    example = STYLE_EXAMPLES[style].replace(" ", "_") if style == "snake_case" else STYLE_EXAMPLES[style]
    for use in defined_properties(ctx):
        name = use.prop.name
        if not matches_style(name, style) and not ctx.index.is_data_key(use):
            yield Finding(f"Property name '{name}' does not follow the plan's {style} style (like '{example}'); "
                          f"in {style} it is '{convert(name, style)}'.", use.prop.location,
                          f"Rename it '{convert(name, style)}'.", use.event, use.prop)


RULE = Rule(
    id="property-name-style",
    summary="Property and trait names follow the plan's naming convention.",
    explanation="The style comes from `conventions.properties` (or this rule's `style` option). Library "
                "properties are checked where they are defined; a property that reuses one under another name "
                "is checked where it is named.",
    bad="conventions: {properties: snake_case}\nproperties:\n  orderId: {type: string}\n",
    good="conventions: {properties: snake_case}\nproperties:\n  order_id: {type: string}\n",
    scope="property",
    options={"style": Option(None, "Overrides conventions.properties.", (None, *NAMING_STYLES))},
    check=check,
)
