from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.naming import STYLE_PATTERNS
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.helpers import defined_properties
from tracking_plan.lint.rule import Finding, Rule

_ORDER = ("snake_case", "kebab_case", "camel_case", "pascal_case", "title_case", "sentence_case")


def style_of(value: str) -> str | None:
    """The first style a single value fits; words of one lower-case token count as any lower style."""
    if value.isupper() or not any(c.isalpha() for c in value):
        return "constant"
    return next((s for s in _ORDER if STYLE_PATTERNS[s].match(value)), None)


def check(ctx: RuleContext) -> Iterator[Finding]:
    for use in defined_properties(ctx):
        enum = use.prop.enum
        if not enum or not use.prop.fields.written_here("enum"):
            continue
        texts = [v for v in enum if isinstance(v, str)]
        if len(texts) < 2:
            continue
        styles = {style_of(v) for v in texts}
        if len(styles) > 1 and not _all_lower_words(texts):
            shown = ", ".join(f"'{v}'" for v in texts[:6])
            yield Finding(f"The enum values of '{use.path}' mix naming styles ({shown}).", use.prop.where("enum"),
                          "Write every value in one style, for example all snake_case.", use.event, use.prop)


def _all_lower_words(values: list[str]) -> bool:
    """`[fair, good, very_good]` is one style: single lower-case words fit snake and kebab alike."""
    return all(STYLE_PATTERNS["snake_case"].match(v) for v in values) or \
        all(STYLE_PATTERNS["kebab_case"].match(v) for v in values)


RULE = Rule(
    id="mixed-enum-style",
    summary="The values of one enum share one naming style.",
    explanation="`[credit_card, PayPal, apple-pay]` invites typos and breaks dashboards that filter on values. "
                "All-capital codes (`EUR`, `USD`) and numbers count as one style of their own.",
    bad="payment_method: {type: string, enum: [credit_card, PayPal, apple-pay]}\n",
    good="payment_method: {type: string, enum: [credit_card, paypal, apple_pay]}\n",
    scope="property",
    check=check,
)
