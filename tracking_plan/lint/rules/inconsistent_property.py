from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from tracking_plan.lint.context import PropertyUse, RuleContext
from tracking_plan.lint.rule import Finding, Rule


def _signature(use: PropertyUse) -> tuple[tuple[str, ...], Any]:
    prop = use.prop
    enum = None if prop.enum is None else tuple(sorted(map(repr, prop.enum)))
    return tuple(sorted(prop.type)), enum


def _describe(signature: tuple[tuple[str, ...], Any]) -> str:
    kinds, enum = signature
    text = " or ".join(kinds) or "untyped"
    return f"{text} with values {', '.join(enum)}" if enum is not None else text


def check(ctx: RuleContext) -> Iterator[Finding]:
    by_name: dict[str, list[PropertyUse]] = defaultdict(list)
    for use in ctx.index.uses:
        if use.variant is not None and use.event is not None and use.event.property(use.prop.name) is not None:
            continue  # a variant narrowing its own event's property (an enum, a bound) is what variants are for
        if "." not in use.path and not use.path.endswith("[]"):
            by_name[use.prop.name].append(use)
    for name, uses in by_name.items():
        signatures = Counter(_signature(u) for u in uses)
        if len(signatures) < 2:
            continue
        usual, _ = signatures.most_common(1)[0]
        example = next(u for u in uses if _signature(u) == usual)
        where = f"'{example.event.name}'" if example.event else "the traits or global properties"
        for use in uses:
            signature = _signature(use)
            if signature != usual:
                yield Finding(
                    f"Property '{name}' is {_describe(signature)} here, but {_describe(usual)} in {where} "
                    f"({example.prop.location}).", use.prop.location,
                    "Use one definition everywhere (a library property), or give this one another name.",
                    use.event, use.prop)


RULE = Rule(
    id="inconsistent-property",
    summary="A property name means the same type and values in every event.",
    explanation="Analysts query `price` across events; if it is a number in one event and a string in another, "
                "or `currency` allows different values, every query breaks somewhere. Each property that "
                "differs from the most common definition of its name is reported, with where that one is.",
    bad="events:\n  A Happened: {properties: {price: {type: number}}}\n"
        "  B Happened: {properties: {price: {type: string}}}\n",
    good="properties:\n  price: {type: number}\nevents:\n  A Happened: {properties: {price: {}}}\n"
         "  B Happened: {properties: {price: {}}}\n",
    scope="property",
    check=check,
)
