"""Small walks over the plan that several rules share."""

from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.lint.context import PropertyUse, RuleContext


def defined_properties(ctx: RuleContext) -> Iterator[PropertyUse]:
    """Every place a property is defined or named: library definitions, and uses that are not mere
    by-name references to the library (those are reported once, at the library's definition)."""
    yield from ctx.index.library_uses
    for use in ctx.index.uses:
        if use.prop.ref is None or use.prop.ref != use.prop.name or use.prop.fields.written_here("ref"):
            if use.path.endswith("[]"):
                continue
            yield use


def quoted(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f"'{n}'" for n in names)
