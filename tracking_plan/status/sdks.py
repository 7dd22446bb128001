"""The analytics SDKs status recognises, as data: which words name a vendor's client, which methods send an event,
where each SDK puts the event's name and properties. Adding an SDK is a row here, not a branch in a reader."""

from __future__ import annotations

from typing import NamedTuple

VENDOR_WORDS = (("amplitude", "amplitude"), ("firebase", "firebase"), ("rudder", "rudderstack"),
                ("mixpanel", "mixpanel"), ("segment", "segment"), ("analytics", "segment"))
"""A word in a client's name, type or module → its vendor; the first that matches wins (`analytics` alone is
Segment's analytics.js and its SDKs)."""

SEND_METHODS = ("track", "logEvent", "log_event")
"""The methods that send one event. On a Segment-named client, `logEvent`/`log_event` are Firebase's
(`Analytics.logEvent`, `analytics().logEvent`)."""

NAME_LABELS = frozenset({"event", "name", "eventType", "event_type", "eventName", "event_name"})
"""A labelled argument holding the event's name (Python keywords, Swift and Kotlin labels)."""
PROPS_LABELS = frozenset({"properties", "eventProperties", "event_properties", "parameters", "params"})
"""A labelled argument holding the event's properties."""

INNER_EVENTS = ("BaseEvent(", "Event(")
"""An SDK call whose first argument builds the event (Amplitude Python: `track(BaseEvent(event_type=...))`)."""


class NameAt(NamedTuple):
    """Where an SDK takes the event's name when it is not the first positional argument."""

    vendor: str
    languages: tuple[str, ...]
    position: int
    """The name's position among the positional arguments; the properties follow it."""
    only_after_a_client: bool
    """Only when the first argument is not itself a name (a literal or a forwarded parameter)."""
    why: str


NAME_POSITIONS = (
    NameAt("segment", ("python",), 1, False, "analytics-python: track(user_id, event, properties)"),
    NameAt("rudderstack", ("python",), 1, False, "rudder-sdk-python: track(user_id, event, properties)"),
    NameAt("firebase", ("typescript", "javascript"), 1, True, "modular Firebase: logEvent(analytics, name, params)"),
)


def vendor_of(text: str) -> str | None:
    lowered = text.lower()
    return next((vendor for word, vendor in VENDOR_WORDS if word in lowered), None)


def sending_vendor(vendor: str, method: str) -> str:
    """The vendor a send method on a client of `vendor` goes to."""
    return "firebase" if method != "track" and vendor == "segment" else vendor


IMPORTED_SENDS = ("track", "logEvent")
"""Send functions imported by name (`import { track } from '@amplitude/analytics-browser'`, modular Firebase's
`logEvent`)."""


CALL_METHODS = ("page", "screen")
"""The Segment spec's named calls a Segment or RudderStack client makes (`analytics.page("Home")`): judged against
the plan's pages and screens."""
CALL_VENDORS = ("segment", "rudderstack")
