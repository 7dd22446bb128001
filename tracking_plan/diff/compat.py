"""Judge second: each neutral Change gets its impact on producers and consumers, then a verdict —
breaking, additive or cosmetic — under the plan's compatibility mode, as in schema registries:

- backward: code built against the old plan (producers) keeps sending valid events: the new plan
  accepts old data;
- forward: pipelines and dashboards built against the old plan (consumers) read new events;
- full: both (the default); none: nothing is breaking.

Each kind is judged by one small function; a kind without one is judged breaking, to be safe.
A team overrides the verdict of a kind in tracking-plan.yaml: `diff: {verdicts: {event-deprecated: breaking}}`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from tracking_plan.core.diagnostics import Diagnostic, Severity
from tracking_plan.core.loader import did_you_mean
from tracking_plan.core.model import Plan
from tracking_plan.core.yamlsource import YMap, at
from tracking_plan.diff import changes as d
from tracking_plan.diff.changes import Change

MODES = ("backward", "forward", "full", "none")
VERDICTS = ("breaking", "additive", "cosmetic")
BUMPS = {"breaking": "major", "additive": "minor", "cosmetic": "patch"}

COSMETIC_KINDS = frozenset({
    d.EVENT_OWNER_CHANGED, d.EVENT_DESCRIPTION_CHANGED, d.EVENT_TRIGGER_CHANGED, d.EVENT_TAGS_CHANGED,
    d.PROPERTY_DESCRIPTION_CHANGED, d.PROPERTY_PII_CHANGED,
})


class Impact(NamedTuple):
    producers_ok: bool
    """Old producers' events are still valid under the new plan (backward compatible)."""
    consumers_ok: bool
    """Old consumers can still read the new events (forward compatible)."""


SAFE = Impact(True, True)
Judge = Callable[[Change], Impact]


def _property_added(c: Change) -> Impact:
    # Closed before: old data cannot hold the new property, but old readers reject new data carrying it.
    # Open before: old data may already hold it with another type; old readers accept it.
    if c.required:
        return Impact(False, c.base_open)
    return Impact(not c.base_open, c.base_open)


def _property_removed(c: Change) -> Impact:
    # Old data still carries it: only an open new plan accepts that. Old readers miss it if it was required.
    return Impact(c.head_open, not c.required)


JUDGES: Mapping[str, Judge] = {
    d.EVENT_ADDED: lambda c: SAFE,
    d.EVENT_REMOVED: lambda c: Impact(False, False),
    d.EVENT_RENAMED: lambda c: Impact(False, False),
    d.EVENT_DEPRECATED: lambda c: SAFE,
    d.EVENT_STATUS_CHANGED: lambda c: SAFE,
    d.EVENT_PLATFORM_ADDED: lambda c: SAFE,
    d.EVENT_PLATFORM_REMOVED: lambda c: Impact(False, True),
    d.EVENT_DESTINATION_ADDED: lambda c: SAFE,
    d.EVENT_DESTINATION_REMOVED: lambda c: Impact(True, False),
    d.EVENT_OPENED: lambda c: Impact(True, False),
    d.EVENT_CLOSED: lambda c: Impact(False, True),
    d.PROPERTY_ADDED: _property_added,
    d.PROPERTY_REMOVED: _property_removed,
    d.PROPERTY_TYPE_WIDENED: lambda c: Impact(True, False),
    d.PROPERTY_TYPE_NARROWED: lambda c: Impact(False, True),
    d.PROPERTY_TYPE_CHANGED: lambda c: Impact(False, False),
    d.PROPERTY_MADE_REQUIRED: lambda c: Impact(False, True),
    d.PROPERTY_MADE_OPTIONAL: lambda c: Impact(True, False),
    d.PROPERTY_ENUM_VALUES_ADDED: lambda c: Impact(True, False),
    d.PROPERTY_ENUM_VALUES_REMOVED: lambda c: Impact(False, True),
    d.PROPERTY_CONSTRAINT_TIGHTENED: lambda c: Impact(False, True),
    d.PROPERTY_CONSTRAINT_LOOSENED: lambda c: Impact(True, False),
    d.PROPERTY_CONSTRAINT_CHANGED: lambda c: Impact(False, False),
    d.PROPERTY_DEPRECATED: lambda c: SAFE,
    d.PROPERTY_OPENED: lambda c: Impact(True, False),
    d.PROPERTY_CLOSED: lambda c: Impact(False, True),
}


def impact(change: Change) -> Impact:
    if change.kind in COSMETIC_KINDS:
        return SAFE
    judge = JUDGES.get(change.kind)
    return judge(change) if judge is not None else Impact(False, False)


def verdict(change: Change, mode: str, overrides: Mapping[str, str]) -> str:
    if change.kind in overrides:
        return overrides[change.kind]
    if change.kind in COSMETIC_KINDS:
        return "cosmetic"
    effect = impact(change)
    if (mode in ("backward", "full") and not effect.producers_ok) or \
            (mode in ("forward", "full") and not effect.consumers_ok):
        return "breaking"
    return "additive"


def _value(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def describe(change: Change) -> str:
    """One plain sentence saying what changed."""
    c, subject = change, d.subject(change)
    texts: dict[str, str] = {
        d.EVENT_ADDED: f"Event {subject} was added.",
        d.EVENT_REMOVED: f"Event {subject} was removed.",
        d.EVENT_RENAMED: f"Event '{c.old}' was renamed {subject}.",
        d.EVENT_DEPRECATED: f"Event {subject} was deprecated.",
        d.EVENT_STATUS_CHANGED: f"Event {subject} went from {c.old} to {c.new}.",
        d.EVENT_OWNER_CHANGED: f"Event {subject} moved from squad {c.old} to {c.new}.",
        d.EVENT_DESCRIPTION_CHANGED: f"The description of {subject} changed.",
        d.EVENT_TRIGGER_CHANGED: f"The trigger of {subject} changed.",
        d.EVENT_TAGS_CHANGED: f"The tags of {subject} changed.",
        d.EVENT_PLATFORM_ADDED: f"Event {subject} is now sent from {c.new}.",
        d.EVENT_PLATFORM_REMOVED: f"Event {subject} is no longer sent from {c.old}.",
        d.EVENT_DESTINATION_ADDED: f"Event {subject} now goes to {c.new}.",
        d.EVENT_DESTINATION_REMOVED: f"Event {subject} no longer goes to {c.old}.",
        d.EVENT_OPENED: f"Event {subject} now accepts properties the plan does not list.",
        d.EVENT_CLOSED: f"Event {subject} no longer accepts properties the plan does not list.",
        d.PROPERTY_ADDED: f"{'Required' if c.required else 'Optional'} property {subject} was added.",
        d.PROPERTY_REMOVED: f"{'Required' if c.required else 'Optional'} property {subject} was removed.",
        d.PROPERTY_TYPE_WIDENED: f"Property {subject} now also accepts {_value(c.new)} (was {_value(c.old)}).",
        d.PROPERTY_TYPE_NARROWED: f"Property {subject} now only accepts {_value(c.new)} (was {_value(c.old)}).",
        d.PROPERTY_TYPE_CHANGED: f"Property {subject} changed type from {_value(c.old)} to {_value(c.new)}.",
        d.PROPERTY_MADE_REQUIRED: f"Property {subject} became required.",
        d.PROPERTY_MADE_OPTIONAL: f"Property {subject} became optional.",
        d.PROPERTY_ENUM_VALUES_ADDED: f"Property {subject} accepts new values: {_value(c.new)}.",
        d.PROPERTY_ENUM_VALUES_REMOVED: f"Property {subject} no longer accepts: {_value(c.old)}.",
        d.PROPERTY_CONSTRAINT_TIGHTENED: f"Property {subject} got stricter: {_value(c.old or '-')} → "
                                         f"{_value(c.new or '-')}.",
        d.PROPERTY_CONSTRAINT_LOOSENED: f"Property {subject} got looser: {_value(c.old or '-')} → "
                                        f"{_value(c.new or '-')}.",
        d.PROPERTY_CONSTRAINT_CHANGED: f"Property {subject} changed its constraint: {_value(c.old)} → "
                                       f"{_value(c.new)}.",
        d.PROPERTY_DESCRIPTION_CHANGED: f"The description of property {subject} changed.",
        d.PROPERTY_PII_CHANGED: f"Property {subject} is {'now' if c.new else 'no longer'} marked as personal data.",
        d.PROPERTY_DEPRECATED: f"Property {subject} was deprecated.",
        d.PROPERTY_OPENED: f"Object {subject} now accepts keys the plan does not list.",
        d.PROPERTY_CLOSED: f"Object {subject} no longer accepts keys the plan does not list.",
    }
    return texts.get(change.kind, f"{change.kind}: {subject}.")


def explain(change: Change, judged: str) -> str:
    """Why it is judged so, for whom."""
    if judged == "cosmetic":
        return "Documentation only: nothing sent or read changes."
    effect = impact(change)
    parts = []
    if not effect.producers_ok:
        parts.append("apps built against the old plan send events the new plan rejects")
    if not effect.consumers_ok:
        parts.append("pipelines and dashboards built against the old plan miss or reject the new events")
    return ("Breaks: " + "; ".join(parts) + ".") if parts else "Safe for existing producers and consumers."


@dataclass(frozen=True)
class JudgedChange:
    change: Change
    impact: str
    message: str
    why: str
    producers_ok: bool
    consumers_ok: bool


def judge_all(changes: list[Change], mode: str, overrides: Mapping[str, str]) -> list[JudgedChange]:
    result = []
    for change in changes:
        judged = verdict(change, mode, overrides)
        effect = impact(change)
        result.append(JudgedChange(change, judged, describe(change), explain(change, judged),
                                   effect.producers_ok, effect.consumers_ok))
    order = {"breaking": 0, "additive": 1, "cosmetic": 2}
    result.sort(key=lambda j: (order[j.impact], j.change.owner or "", j.change.event or "",
                               j.change.property or "", j.change.kind))
    return result


def suggested_bump(judged: list[JudgedChange]) -> str:
    impacts = {j.impact for j in judged}
    for level in VERDICTS:
        if level in impacts:
            return BUMPS[level]
    return "none"


def read_diff_settings(plan: Plan | None) -> tuple[str, dict[str, str], list[Diagnostic]]:
    """The compatibility mode and verdict overrides of a plan's diff section."""
    if plan is None:
        return "full", {}, []
    mode = plan.compatibility
    overrides: dict[str, str] = {}
    problems: list[Diagnostic] = []
    raw = plan.settings.get("diff")
    file = plan.location.file
    if isinstance(raw, YMap):
        for key, value in raw.items():
            if key != "verdicts":
                problems.append(Diagnostic("diff-config", Severity.ERROR, f"The diff section has no key '{key}'."
                                           f"{did_you_mean(key, ['verdicts'])}", at(file, raw.key_pos[key]),
                                           "diff: {verdicts: {event-deprecated: breaking}}"))
            elif isinstance(value, YMap):
                for kind, judged in value.items():
                    if kind not in d.CHANGE_KINDS:
                        suggestion = did_you_mean(kind, d.CHANGE_KINDS)
                        problems.append(Diagnostic("diff-config", Severity.ERROR,
                                                   f"There is no change kind '{kind}'.{suggestion}",
                                                   at(file, value.key_pos[kind]), "docs/diff.md lists them."))
                    elif judged not in VERDICTS:
                        problems.append(Diagnostic("diff-config", Severity.ERROR,
                                                   f"The verdict for '{kind}' must be breaking, additive or cosmetic.",
                                                   at(file, value.value_pos[kind]), None))
                    else:
                        overrides[kind] = judged
    return mode, overrides, problems
