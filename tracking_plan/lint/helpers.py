"""Small walks over the plan that several rules share."""

from __future__ import annotations

from tracking_plan.lint.context import PropertyUse, RuleContext


def defined_properties(ctx: RuleContext) -> tuple[PropertyUse, ...]:
    """Every place a property is defined or named (see PlanIndex.defined)."""
    return ctx.index.defined


def quoted(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f"'{n}'" for n in names)
