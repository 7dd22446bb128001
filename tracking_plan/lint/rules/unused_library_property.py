from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    used = {use.prop.ref for use in ctx.index.uses if use.prop.ref}
    used.update(use.prop.ref for use in ctx.index.library_uses if use.prop.ref and use.path != use.prop.ref)
    for name, prop in ctx.plan.library.items():
        if name not in used:
            yield Finding(f"Library property '{name}' is used by no event, trait or global property.", prop.location,
                          "Remove it, or use it from an event ('" + name + ": {required: true}').", None, prop)


RULE = Rule(
    id="unused-library-property",
    summary="Every library property is used somewhere.",
    explanation="A library definition no event uses is dead weight, and often the sign of an event property "
                "defined inline by mistake instead of reusing the library's.",
    bad="properties:\n  coupon_code: {type: string}\n# ...and no event uses coupon_code\n",
    good="events:\n  Coupon Applied:\n    properties:\n      coupon_code: {required: true}\n",
    scope="property",
    check=check,
)
