from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule
from tracking_plan.output.fileio import safe_file_name


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Writers name files after metrics (`metrics --out`) and events (`export jsonschema`): a name holding a path
    separator, `..`, a leading dot, a control character or a device name Windows reserves would write elsewhere
    than asked, or nowhere, so the writers change it; say so where it is written."""
    for kind, items in (("Metric", ctx.plan.metrics.values()), ("Event", ctx.plan.events.values())):
        for item in items:
            safe = safe_file_name(item.name)
            if safe != item.name:
                yield Finding(f"{kind} '{item.name}' cannot be a file name as it is: files written for it are "
                              f"named '{safe}'.", item.location,
                              "Use letters, digits, spaces, '-' and '_' (no '/', '\\', '..', leading dot or "
                              "device name such as CON).")


RULE = Rule(
    id="unsafe-file-name",
    summary="Metric and event names can name a file.",
    explanation="metrics --out writes one NAME.sql per metric, and export jsonschema one schema per event. A name "
                "with a path separator or '..' would write outside the folder asked for (a plan change could "
                "overwrite a dbt model or a migration), and one with a control character or a reserved device "
                "name cannot be written everywhere: the writers change such names, and this rule says so.",
    bad="metrics:\n  ../../models/orders: {type: count, event: Order Completed}\n",
    good="metrics:\n  orders: {type: count, event: Order Completed}\n",
    scope="plan",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
