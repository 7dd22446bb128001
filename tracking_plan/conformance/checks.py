"""The checks collected events are held to, by stable id. Renderers, docs and `--fail-on` read this registry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    id: str
    summary: str
    scope: str
    """event (once per event sent) or property (per property of an event)."""


CHECKS: tuple[Check, ...] = (
    Check("unplanned-event", "The event is not in the plan.", "event"),
    Check("deprecated-event", "The event is deprecated in the plan: send its replacement.", "event"),
    Check("draft-event", "The event is still a draft in the plan.", "event"),
    Check("unplanned-platform", "The event was sent from a platform the plan does not list for it.", "event"),
    Check("missing-property", "A required property (global properties included) is missing.", "property"),
    Check("unplanned-property", "A property the plan does not list, on a closed event or object.", "property"),
    Check("wrong-type", "A value of a type the plan does not allow (integer and number apart, null included).",
          "property"),
    Check("enum", "A value outside the property's enum.", "property"),
    Check("pattern", "A text that does not match the property's pattern.", "property"),
    Check("format", "A text that is not in the property's format (date-time, date, email, uuid, uri...).",
          "property"),
    Check("range", "A number outside minimum, maximum, exclusiveMinimum or exclusiveMaximum.", "property"),
    Check("length", "A text shorter than minLength or longer than maxLength.", "property"),
    Check("items", "A list with fewer items than minItems or more than maxItems.", "property"),
    Check("missing-trait", "An identify call without a required trait.", "property"),
    Check("trait", "An identify call with a trait of the wrong type or value.", "property"),
)
CHECK_IDS = tuple(c.id for c in CHECKS)
