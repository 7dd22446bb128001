"""One collected message, in each tool's wire format, read into what the checks look at: its kind (track or
identify), event name, platform, properties and traits. The collector reads each event this way; `validate`
does the same in SQL (shapes/columns.py), and a test holds the two to the same answers."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

# Segment's and RudderStack's libraries name the platform they run on: context.library.name.
LIBRARY_PLATFORMS = (
    ("ios", "ios|swift"),
    ("android", "android|kotlin"),
    ("web", r"analytics\.js|analytics-next|rudder-sdk-js|javascript|browser"),
    ("backend", "python|node|java|go|ruby|php|dotnet|net|server"),
)
_PLATFORMS = tuple((name, re.compile(pattern)) for name, pattern in LIBRARY_PLATFORMS)


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
    """A Segment / RudderStack spec message (track, identify, page, screen, group, alias)."""
    kind = str(message.get("type") or "track").lower()
    context = message.get("context")
    traits = message.get("traits")
    if traits is None:
        traits = _get(context, "traits")
    name = message.get("event")
    return Message(kind, "identify" if kind == "identify" else name if isinstance(name, str) else None,
                   library_platform(context), message.get("properties"), traits,
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
