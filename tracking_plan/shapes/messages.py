"""One collected message, in each tool's wire format, read into what the checks look at: its kind (track,
identify, page, screen, group or alias), event name, platform, properties and traits. The collector reads each
event this way; `validate` does the same in SQL (shapes/columns.py), and a test holds the two to the same
answers."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from tracking_plan.core.model import UNNAMED, Event, Plan

# Segment's and RudderStack's libraries name the platform they run on: context.library.name.
LIBRARY_PLATFORMS = (
    ("ios", "ios|swift"),
    ("android", "android|kotlin"),
    ("web", r"analytics\.js|analytics-next|rudder-sdk-js|javascript|browser"),
    ("backend", "python|node|java|go|ruby|php|dotnet|net|server"),
)
_PLATFORMS = tuple((name, re.compile(pattern)) for name, pattern in LIBRARY_PLATFORMS)

CALLS = ("track", "identify", "page", "screen", "group", "alias")
"""The calls of Segment's spec (RudderStack's too), each judged against its own part of the plan: its scope."""
NAMED_CALLS = ("page", "screen")
"""The calls that carry a name besides `track`: page() and screen() (their `name`, also `properties.name`)."""
TRAIT_CALLS = ("identify", "group")
"""The calls whose payload is traits."""
SPEC_PROPERTIES = {"page": ("name", "path", "referrer", "search", "title", "url", "keywords"), "screen": ("name",)}
"""The properties Segment's spec gives page() and screen() calls, which analytics.js and the mobile SDKs fill in
themselves: known on every page or screen, checked only where the plan describes them."""


VENDOR_LIBRARIES = {"ga4-measurement-protocol": "ga4", "amplitude": "amplitude"}
"""The library names `collect --out` writes for what it received on GA4's and Amplitude's wires (Segment-shaped
records): those messages are judged with that vendor's automatic events and parameters, as the collector judged
them."""


def scope_of(kind: str) -> str:
    """The part of the plan a message's call is judged against; an unknown type is read as track."""
    return kind if kind in CALLS else "track"


def named_calls(plan: Plan) -> dict[str, Event]:
    """The plan's pages and screens by the label the engines name their calls by (`page Home`)."""
    return {call_label(scope, name): event for scope, described in (("page", plan.pages), ("screen", plan.screens))
            for name, event in described.items()}


def scope_of_label(label: str) -> str:
    """The call a label names (see `call_label`), read back from a report that keeps only the label."""
    if label in CALLS:
        return label
    call = label.split(" ", 1)[0]
    return call if call in NAMED_CALLS and " " in label else "track"


def call_label(scope: str, name: str) -> str:
    """How every engine names what a message is judged as, and reports show it: an event by its name, a page or
    screen with its call (`page Home`, `screen Cart`), identify, group and alias by the call."""
    return f"{scope} {name}" if scope in NAMED_CALLS else name


class Message(NamedTuple):
    kind: str
    name: str | None
    platform: str | None
    properties: Any
    traits: Any
    timestamp: str | None


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def library_platform(context: Any) -> str | None:
    library = _get(context, "library", "name")
    if isinstance(library, str):
        lowered = library.lower()
        for name, pattern in _PLATFORMS:
            if pattern.search(lowered):
                return name
    device = _get(context, "device", "type")
    return device.lower() if isinstance(device, str) else None


def segment(message: dict[str, Any]) -> Message:
    """A Segment / RudderStack spec message (track, identify, page, screen, group, alias): a page or screen is
    named by its call and `name` (else `properties.name`, else it is unnamed: `page (unnamed)`); identify, group and
    alias by their call."""
    kind = scope_of(str(message.get("type") or "track").lower())
    context = message.get("context")
    traits = message.get("traits")
    if traits is None and kind == "identify":
        traits = _get(context, "traits")
    name = message.get("event")
    if kind in NAMED_CALLS:  # an empty name is no name
        name = message.get("name")
        if not isinstance(name, str) or not name:
            name = _get(message.get("properties"), "name")
        name = call_label(kind, name if isinstance(name, str) and name else UNNAMED)
    elif kind != "track":
        name = kind
    return Message(kind, name if isinstance(name, str) else None, library_platform(context),
                   message.get("properties"), traits,
                   _text(message.get("timestamp") or message.get("sentAt") or message.get("receivedAt")))


def amplitude(event: dict[str, Any]) -> Message:
    """An Amplitude HTTP V2 API event (or export row): `$identify` carries user properties."""
    name = event.get("event_type")
    identify = name == "$identify"
    platform = event.get("platform")
    user_properties = event.get("user_properties")
    if identify and isinstance(user_properties, dict) and "$set" in user_properties:
        user_properties = user_properties["$set"]  # the SDKs' Identify object
    return Message("identify" if identify else "track", "identify" if identify else
                   name if isinstance(name, str) else None, platform.lower() if isinstance(platform, str) else None,
                   event.get("event_properties"), user_properties if identify else None,
                   _text(event.get("time") or event.get("event_time")))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
