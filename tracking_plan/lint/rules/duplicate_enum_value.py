from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.helpers import defined_properties
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    for use in defined_properties(ctx):
        enum = use.prop.enum
        if not enum or not use.prop.fields.written_here("enum"):
            continue
        seen: set[tuple[type, object]] = set()
        for value in enum:
            key = (type(value), value)
            if key in seen:
                yield Finding(f"Property '{use.path}' lists the enum value {value!r} twice.", use.prop.where("enum"),
                              "Remove the repeated value.", use.event, use.prop)
            seen.add(key)


RULE = Rule(
    id="duplicate-enum-value",
    summary="An enum lists each value once.",
    explanation="A repeated value is a copy-paste slip; generated code would declare the same member twice.",
    bad="currency: {type: string, enum: [EUR, USD, EUR]}\n",
    good="currency: {type: string, enum: [EUR, USD]}\n",
    scope="property",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
