"""Which metrics and objectives a change touches, and when it breaks a metric.

A metric is read from the head plan (the one the change lands in): if the pull request moved the metric to the
renamed event, nothing breaks; if the metric still counts the removed event, it does. Breaking a metric is
breaking in every compatibility mode — a dashboard falls to zero whoever reads the events — and the reason
names the metric and its objective.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from tracking_plan.core.model import Metric, Plan
from tracking_plan.diff import changes as d
from tracking_plan.diff.changes import Change
from tracking_plan.diff.compat import JudgedChange, sort_judged


def _top(path: str | None) -> str | None:
    return path.split(".")[0].split("[")[0] if path else None


def _reads(metric: Metric, prop: str) -> bool:
    return metric.property == prop or prop in metric.filter


def touched(change: Change, metrics: Iterable[Metric]) -> list[Metric]:
    """The metrics computed from what changed."""
    names = {change.event, change.old if change.kind == d.EVENT_RENAMED else None} - {None}
    prop = _top(change.property)
    found = []
    for metric in metrics:
        on_event = bool(names & set(metric.events)) or change.scope == "global_properties"
        if not on_event:
            continue
        if (prop is None and change.scope == "event") or (prop is not None and _reads(metric, prop)):
            found.append(metric)
    return found


def breaks(change: Change, metric: Metric) -> str | None:
    """Why the change breaks the metric, if it does."""
    prop = _top(change.property)
    kind = change.kind
    if kind == d.EVENT_REMOVED and change.old in metric.events:
        return f"its event '{change.old}' is removed"
    if kind == d.EVENT_RENAMED and change.old in metric.events:
        return f"it still counts '{change.old}', now renamed '{change.new}'"
    if kind == d.EVENT_DEPRECATED and metric.type == "conversion" and change.event in metric.steps:
        return f"'{change.event}', one of its steps, is deprecated"
    if prop is None or not _reads(metric, prop) or change.property != prop:
        return None
    if kind == d.PROPERTY_REMOVED:
        return f"it reads '{prop}', which is removed"
    if kind == d.PROPERTY_ENUM_VALUES_REMOVED:
        gone = set(change.old or ()) & set(metric.filter.get(prop, ()))
        if gone:
            return f"its filter keeps {', '.join(map(repr, sorted(gone, key=str)))}, no longer a value of '{prop}'"
    if kind in (d.PROPERTY_TYPE_CHANGED, d.PROPERTY_TYPE_NARROWED, d.PROPERTY_TYPE_WIDENED) and \
            metric.type in ("sum", "average") and metric.property == prop:
        return f"it takes the {metric.type} of '{prop}', whose type changes"
    return None


def with_metrics(judged: list[JudgedChange], base: Plan | None, head: Plan | None) -> list[JudgedChange]:
    """Each change with the metrics and objectives it touches; breaking when it breaks one."""
    plan = head if head is not None else base
    if plan is None or not plan.metrics:
        return judged
    result = []
    for item in judged:
        hit = touched(item.change, plan.metrics.values())
        if not hit:
            result.append(item)
            continue
        broken = [(m, why) for m in hit if (why := breaks(item.change, m))]
        objectives = tuple(dict.fromkeys(m.objective for m in hit if m.objective))
        item = dataclasses.replace(item, metrics=tuple(m.name for m in hit), objectives=objectives)
        if broken:
            reasons = "; ".join(f"metric '{m.name}'" + (f" (objective '{m.objective}')" if m.objective else "")
                                + f" breaks: {why}" for m, why in broken)
            why = f"{item.why} Also, {reasons}." if item.impact == "breaking" else f"Breaks: {reasons}."
            item = dataclasses.replace(item, impact="breaking", why=why)
        result.append(item)
    return sort_judged(result)
