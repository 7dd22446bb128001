from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.model import MAX_WINDOW_MINUTES, window_minutes
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    for metric in ctx.plan.metrics.values():
        minutes = window_minutes(metric.window)
        if minutes is not None and minutes > MAX_WINDOW_MINUTES:
            yield Finding(f"Conversion '{metric.name}' has a window of {metric.window}, longer than ten years: no "
                          "warehouse adds that to a date.", metric.where("window"),
                          "Give a window a journey can take, e.g. window: 30d.")
        if metric.type == "conversion":
            if len(metric.steps) < 2:
                yield Finding(f"Conversion '{metric.name}' has {len(metric.steps)} step"
                              f"{'' if len(metric.steps) == 1 else 's'}; a conversion needs at least two.",
                              metric.where("steps"), "List the events in order: steps: [Cart Viewed, Order Completed].")
            if metric.event:
                yield Finding(f"Conversion '{metric.name}' has an event; a conversion goes through steps.",
                              metric.where("event"), "Put the events under steps:, in order.")
        else:
            if not metric.event:
                yield Finding(f"Metric '{metric.name}' ({metric.type}) names no event.", metric.location,
                              "Add event: with the event it is computed from.")
            if metric.type in ("sum", "average") and not metric.property:
                yield Finding(f"Metric '{metric.name}' ({metric.type}) names no property to {metric.type}.",
                              metric.location, "Add property: with a numeric property of the event.")
            if metric.steps or metric.window:
                yield Finding(f"Metric '{metric.name}' ({metric.type}) has steps or a window, which only a "
                              "conversion reads.", metric.where("steps" if metric.steps else "window"),
                              "Remove them, or make it type: conversion.")


RULE = Rule(
    id="metric-incomplete",
    summary="A metric says everything its type needs.",
    explanation="count and unique_users need an event; sum and average an event and a numeric property; a "
                "conversion at least two steps, in order, within a window of at most ten years.",
    bad="metrics:\n  checkout_conversion: {type: conversion, steps: [Cart Viewed]}\n",
    good="metrics:\n  checkout_conversion: {type: conversion, steps: [Cart Viewed, Order Completed], window: 1d}\n",
    scope="plan",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
