"""Judge second: each neutral Change gets its impact on producers and consumers, then a verdict —
breaking, additive or cosmetic — under the plan's compatibility mode.

Who can be hurt by a change:
- producers: apps and services built against the old plan keep sending old events; the new plan
  must accept them (backward compatibility; Snowplow's "compatible with all historical data");
- consumers: pipelines, warehouse tables and dashboards built against the old plan read the new
  events (forward compatibility). Consumers are tolerant readers, as analytics pipelines are: they
  ignore a property they do not know, put an unknown enum value in "other", and read null like a
  missing value; a value of another type, or beyond the range, length or format they were promised,
  still breaks them. The `strict` mode judges for readers that validate events against the old
  closed schema and switch over every enum value.

The modes: `full` (the default: both, for tolerant readers — what tracking teams, SchemaVer,
Confluent, buf and oasdiff call additive is additive), `backward`, `forward`, `strict` and `none`.
Each kind is judged by one small function in JUDGES; a kind without one is breaking, to be safe.
A team overrides the verdict of a kind in tracking-plan.yaml: `diff: {verdicts: {event-deprecated: breaking}}`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from tracking_plan.core.diagnostics import Diagnostic, Severity
from tracking_plan.core.model import Plan
from tracking_plan.core.naming import did_you_mean
from tracking_plan.core.yamlsource import YMap, at
from tracking_plan.diff import changes as d
from tracking_plan.diff.changes import Change

MODES = ("backward", "forward", "full", "strict", "none")
DEFAULT_MODE = "full"
VERDICTS = ("breaking", "additive", "cosmetic")
BUMPS = {"breaking": "major", "additive": "minor", "cosmetic": "patch"}

COSMETIC_KINDS = frozenset({
    d.EVENT_OWNER_CHANGED, d.EVENT_DESCRIPTION_CHANGED, d.EVENT_TRIGGER_CHANGED, d.EVENT_TAGS_CHANGED,
    d.PROPERTY_DESCRIPTION_CHANGED, d.EVENT_EXTENSION_CHANGED, d.PROPERTY_EXTENSION_CHANGED,
})
PRIVACY_KINDS = frozenset({d.PROPERTY_PII_CHANGED, d.EVENT_DESTINATION_ADDED, d.EVENT_DESTINATION_REMOVED})
"""Governance changes: never cosmetic, and flagged for the privacy reviewer whatever their verdict."""


class Impact(NamedTuple):
    producers: str | None = None
    """Why events from apps built against the old plan stop being valid; None when they stay valid."""
    consumers: str | None = None
    """Why readers built against the old plan cannot read the new events; None when they can."""


SAFE = Impact()
Judge = Callable[[Change, bool], Impact]
"""A judge takes the change and whether readers are strict (validate against closed schemas)."""

_OLD_APPS_SEND_IT = "apps built against the old plan still send it, and the new plan does not accept it"
_READERS_LOSE_IT = "pipelines and dashboards that read it stop receiving it"
_STRICT_READERS = "readers validating against the old closed schema reject events that carry it"


def _property_added(c: Change, strict: bool) -> Impact:
    producers = "apps built against the old plan do not send it" if c.required else \
        "old events may already carry it with another value" if strict and c.base_open else None
    consumers = _STRICT_READERS if strict and not c.base_open else None
    return Impact(producers, consumers)


def _property_removed(c: Change, strict: bool) -> Impact:
    return Impact(None if c.head_open else _OLD_APPS_SEND_IT,
                  "readers that expect it no longer get it" if c.required else None)


_TOLERATED_LOOSENING = frozenset({"minLength", "minItems", "enum"})
"""Loosenings a tolerant reader absorbs: shorter strings and lists still fit its columns, and an unknown value
lands in "other". A wider range, a longer string or a value without its format or pattern may not fit."""


def _loosened(c: Change, strict: bool) -> Impact:
    keywords = {k for side in (c.old, c.new) if isinstance(side, dict) for k in side}
    if strict or not keywords <= _TOLERATED_LOOSENING:
        return Impact(consumers="readers get values outside the range, length or shape they were promised")
    return SAFE


def _both(producers: str, consumers: str) -> Judge:
    return lambda c, strict: Impact(producers, consumers)


def _producers(reason: str) -> Judge:
    return lambda c, strict: Impact(producers=reason)


def _consumers(reason: str) -> Judge:
    return lambda c, strict: Impact(consumers=reason)


def _strict_consumers(reason: str) -> Judge:
    return lambda c, strict: Impact(consumers=reason if strict else None)


def _safe(c: Change, strict: bool) -> Impact:
    return SAFE


JUDGES: Mapping[str, Judge] = {
    d.EVENT_ADDED: _safe,
    d.EVENT_REMOVED: _both(_OLD_APPS_SEND_IT, _READERS_LOSE_IT),
    d.EVENT_RENAMED: _both("apps built against the old plan still send the old name",
                           "pipelines and dashboards that read the old name stop receiving it"),
    d.EVENT_DEPRECATED: _safe,
    d.EVENT_STATUS_CHANGED: _safe,
    d.EVENT_PLATFORM_ADDED: _safe,
    d.EVENT_PLATFORM_REMOVED: _producers("app versions on that platform still send it"),
    d.EVENT_DESTINATION_ADDED: _safe,
    d.EVENT_DESTINATION_REMOVED: _consumers("that destination stops receiving it"),
    d.EVENT_VARIANT_ADDED: _safe,
    d.EVENT_VARIANT_REMOVED: _producers("apps built against the old plan send its properties, which the event's own "
                                        "rules may not accept"),
    d.EVENT_DISCRIMINATOR_CHANGED: _both("apps built against the old plan pick the variant by the old property",
                                         "readers split the event by the old property"),
    d.EVENT_OPENED: _strict_consumers("readers validating against the old closed schema reject unlisted properties"),
    d.EVENT_CLOSED: _producers("apps built against the old plan may send properties the plan does not list"),
    d.PROPERTY_ADDED: _property_added,
    d.PROPERTY_REMOVED: _property_removed,
    d.PROPERTY_TYPE_WIDENED: _consumers("readers get values of a type they did not expect"),
    d.PROPERTY_MADE_NULLABLE: _strict_consumers("readers that expect a value may get null"),
    d.PROPERTY_TYPE_NARROWED: _producers("apps built against the old plan may send a type no longer accepted"),
    d.PROPERTY_TYPE_CHANGED: _both("apps built against the old plan send the old type",
                                   "readers get values of a type they did not expect"),
    d.PROPERTY_MADE_REQUIRED: _producers("apps built against the old plan may not send it"),
    d.PROPERTY_MADE_OPTIONAL: _strict_consumers("readers that expect it may not get it"),
    d.PROPERTY_ENUM_VALUES_ADDED: _strict_consumers("readers that handle every known value meet new ones"),
    d.PROPERTY_ENUM_VALUES_REMOVED: _producers("apps built against the old plan may send a value no longer accepted"),
    d.PROPERTY_CONSTRAINT_TIGHTENED: _producers("apps built against the old plan may send values it now rejects"),
    d.PROPERTY_CONSTRAINT_LOOSENED: _loosened,
    d.PROPERTY_CONSTRAINT_CHANGED: _both("apps built against the old plan may send values it now rejects",
                                         "readers get values outside the bounds they were promised"),
    d.PROPERTY_BOUND_ADDED: lambda c, strict: Impact(
        producers="apps built against the old plan may send values beyond the new bound" if strict else None),
    d.PROPERTY_VALUES_TYPED: _producers("apps built against the old plan may send unlisted keys whose values do "
                                        "not follow the new schema"),
    d.PROPERTY_VALUES_UNTYPED: _consumers("readers get unlisted keys whose values follow no schema"),
    d.PROPERTY_PII_CHANGED: _safe,
    d.PROPERTY_DEPRECATED: _safe,
    d.PROPERTY_OPENED: _strict_consumers("readers validating against the old closed schema reject unlisted keys"),
    d.PROPERTY_CLOSED: _producers("apps built against the old plan may send keys the plan does not list"),
}


def impact(change: Change, mode: str = DEFAULT_MODE) -> Impact:
    if change.kind in COSMETIC_KINDS:
        return SAFE
    judge = JUDGES.get(change.kind)
    if judge is None:
        return Impact("its effect is unknown", "its effect is unknown")
    return judge(change, mode == "strict")


def _counted(effect: Impact, mode: str) -> list[str]:
    """The reasons that make a change breaking under a mode."""
    reasons = []
    if mode in ("backward", "full", "strict") and effect.producers:
        reasons.append(effect.producers)
    if mode in ("forward", "full", "strict") and effect.consumers:
        reasons.append(effect.consumers)
    return reasons


def verdict(change: Change, mode: str, overrides: Mapping[str, str]) -> str:
    if change.kind in overrides:
        return overrides[change.kind]
    if change.kind in COSMETIC_KINDS:
        return "cosmetic"
    return "breaking" if _counted(impact(change, mode), mode) else "additive"


def review(change: Change) -> str | None:
    """Who else must look at the change: `privacy` for personal data and where events go."""
    return "privacy" if change.kind in PRIVACY_KINDS else None


def _value(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


_EXTENSION_NOTE = (": an annotation no check reads, so diff does not judge it (import keeps in x-json-schema what "
                   "the plan format cannot say of the source schema): review it.")


def _extension(change: Change) -> str:
    """The `x-` key an extension change is about (describe builds every kind's text: any other change has none)."""
    value = change.new or change.old
    return str(next(iter(value))) if isinstance(value, dict) and value else ""


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
        d.EVENT_VARIANT_ADDED: f"Event {subject} has a new variant: {c.new}.",
        d.EVENT_VARIANT_REMOVED: f"Event {subject} no longer has the variant {c.old}.",
        d.EVENT_DISCRIMINATOR_CHANGED: f"The variants of {subject} are now picked by '{c.new}' (was '{c.old}').",
        d.EVENT_CLOSED: f"Event {subject} no longer accepts properties the plan does not list.",
        d.EVENT_EXTENSION_CHANGED: f"The {_extension(c)} of {subject} changed{_EXTENSION_NOTE}",
        d.PROPERTY_ADDED: f"{'Required' if c.required else 'Optional'} property {subject} was added.",
        d.PROPERTY_REMOVED: f"{'Required' if c.required else 'Optional'} property {subject} was removed.",
        d.PROPERTY_TYPE_WIDENED: f"Property {subject} now also accepts {_value(c.new)} (was {_value(c.old)}).",
        d.PROPERTY_MADE_NULLABLE: f"Property {subject} may now be null.",
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
        d.PROPERTY_BOUND_ADDED: f"Property {subject} got a bound it did not have: {_value(c.new)}.",
        d.PROPERTY_VALUES_TYPED: f"The unlisted keys of {subject} must now have values of type {_value(c.new)}.",
        d.PROPERTY_VALUES_UNTYPED: f"The unlisted keys of {subject} no longer need values of a given type.",
        d.PROPERTY_DESCRIPTION_CHANGED: f"The description of property {subject} changed.",
        d.PROPERTY_PII_CHANGED: f"Property {subject} is {'now' if c.new else 'no longer'} marked as personal data.",
        d.PROPERTY_DEPRECATED: f"Property {subject} was deprecated.",
        d.PROPERTY_OPENED: f"Object {subject} now accepts keys the plan does not list.",
        d.PROPERTY_CLOSED: f"Object {subject} no longer accepts keys the plan does not list.",
        d.PROPERTY_EXTENSION_CHANGED: f"The {_extension(c)} of property {subject} changed{_EXTENSION_NOTE}",
    }
    return texts.get(change.kind, f"{change.kind}: {subject}.")


_PRIVACY_NOTES = {
    (d.PROPERTY_PII_CHANGED, True): "Privacy review: it is now personal data; check the destinations that receive it.",
    (d.PROPERTY_PII_CHANGED, False): "Privacy review: it is no longer treated as personal data.",
    (d.EVENT_DESTINATION_ADDED, True): "Privacy review: a new destination receives this event and its properties.",
    (d.EVENT_DESTINATION_REMOVED, True): "Privacy review: the destination's copy of past events may need deleting.",
}


def explain(change: Change, judged: str, mode: str = DEFAULT_MODE) -> str:
    """Why it is judged so, for whom; always in agreement with the verdict."""
    note = _PRIVACY_NOTES.get((change.kind, bool(change.new) if change.kind == d.PROPERTY_PII_CHANGED else True))
    if judged == "cosmetic":
        return "Documentation only: nothing sent or read changes."
    effect = impact(change, mode)
    counted = _counted(effect, mode)
    if judged == "breaking":
        reasons = counted or [r for r in effect if r] or ["the plan's diff settings judge this kind breaking"]
        text = "Breaks: " + "; ".join(reasons) + "."
    else:
        others = [r for r in effect if r]
        text = "Additive: events from apps built against the old plan stay valid and readers keep working."
        if others:
            text = (f"Additive under {mode} compatibility. In a stricter mode it would break: "
                    + "; ".join(others) + ".")
    return f"{text} {note}" if note else text


@dataclass(frozen=True)
class JudgedChange:
    change: Change
    impact: str
    message: str
    why: str
    producers_ok: bool
    consumers_ok: bool
    review: str | None = None
    """`privacy` when the privacy reviewer must see it (personal data, destinations)."""
    metrics: tuple[str, ...] = ()
    """The head plan's metrics computed from what changed (diff/metrics.py)."""
    objectives: tuple[str, ...] = ()


def judge_all(changes: list[Change], mode: str, overrides: Mapping[str, str]) -> list[JudgedChange]:
    result = []
    for change in changes:
        judged = verdict(change, mode, overrides)
        effect = impact(change, mode)
        result.append(JudgedChange(change, judged, describe(change), explain(change, judged, mode),
                                   effect.producers is None, effect.consumers is None, review(change)))
    return sort_judged(result)


def sort_judged(judged: list[JudgedChange]) -> list[JudgedChange]:
    """Breaking first, then by squad, event, property and kind."""
    order = {"breaking": 0, "additive": 1, "cosmetic": 2}
    return sorted(judged, key=lambda j: (order[j.impact], j.change.owner or "", j.change.event or "",
                                         j.change.property or "", j.change.kind))


def suggested_bump(judged: list[JudgedChange]) -> str:
    impacts = {j.impact for j in judged}
    for level in VERDICTS:
        if level in impacts:
            return BUMPS[level]
    return "none"


def read_diff_settings(plan: Plan | None) -> tuple[str, dict[str, str], list[Diagnostic]]:
    """The compatibility mode and verdict overrides of a plan's diff section."""
    if plan is None:
        return DEFAULT_MODE, {}, []
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


# One example of each situation a kind is judged in: docs/diff.md's table is generated from these.
VARIANTS: tuple[tuple[str, str, dict[str, Any]], ...] = tuple(
    [(kind, "", {}) for kind in d.CHANGE_KINDS
     if kind not in (d.PROPERTY_ADDED, d.PROPERTY_REMOVED, d.PROPERTY_CONSTRAINT_LOOSENED)] + [
        (d.PROPERTY_CONSTRAINT_LOOSENED, "minLength, minItems lowered or enum dropped", {"old": {"minLength": 1}}),
        (d.PROPERTY_CONSTRAINT_LOOSENED, "range, length, format or pattern loosened", {"old": {"maximum": 10}}),
        (d.PROPERTY_ADDED, "optional, closed event", {}),
        (d.PROPERTY_ADDED, "optional, open event", {"base_open": True, "head_open": True}),
        (d.PROPERTY_ADDED, "required, closed event", {"required": True}),
        (d.PROPERTY_ADDED, "required, open event", {"required": True, "base_open": True, "head_open": True}),
        (d.PROPERTY_REMOVED, "optional, closed event", {}),
        (d.PROPERTY_REMOVED, "optional, open event", {"base_open": True, "head_open": True}),
        (d.PROPERTY_REMOVED, "required, closed event", {"required": True}),
        (d.PROPERTY_REMOVED, "required, open event", {"required": True, "base_open": True, "head_open": True}),
    ])


def verdict_table() -> list[tuple[str, str, dict[str, str], str]]:
    """(kind, situation, verdict per mode, reasons) for each variant, in kind order."""
    rows = []
    for kind, situation, attrs in sorted(VARIANTS, key=lambda v: (v[0], v[1])):
        change = Change(kind, "event", "E", None, attrs.get("old"), True, None, None, None,
                        **{k: v for k, v in attrs.items() if k != "old"})
        verdicts = {mode: verdict(change, mode, {}) for mode in MODES}
        effect = impact(change, "strict")
        reasons = [f"producers: {effect.producers}" if effect.producers else "",
                   f"consumers: {effect.consumers}" if effect.consumers else ""]
        why = "; ".join(r for r in reasons if r) or ("documentation only" if kind in COSMETIC_KINDS else "safe")
        if kind in PRIVACY_KINDS:
            why += " (flagged for privacy review)"
        rows.append((kind, situation, verdicts, why))
    return rows
