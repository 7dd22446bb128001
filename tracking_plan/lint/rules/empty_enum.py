from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.helpers import defined_properties
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    for use in defined_properties(ctx):
        if use.prop.enum is not None and not use.prop.enum and use.prop.fields.written_here("enum"):
            yield Finding(f"Property '{use.path}' has an empty enum: no value can be sent.", use.prop.where("enum"),
                          "List the allowed values, or remove 'enum:'.", use.event, use.prop)


RULE = Rule(
    id="empty-enum",
    summary="An enum lists at least one value.",
    explanation="`enum: []` allows no value at all: every event carrying the property is invalid.",
    bad="status: {type: string, enum: []}\n",
    good="status: {type: string, enum: [active, cancelled]}\n",
    scope="property",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
