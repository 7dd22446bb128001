"""The ingestion APIs the collector speaks, read into messages: Segment's and RudderStack's HTTP Tracking API,
Amplitude's HTTP V2 API and GA4's Measurement Protocol. Each event is read into what the checks look at
(shapes/messages.py) and into the Segment-shaped message `--out` keeps, which `validate` reads back.

Limits (a body of 5 MB after gzip, 10,000 events per request) are the collector's own: it serves one developer's
app, and they keep a runaway test from filling memory.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tracking_plan.shapes import messages
from tracking_plan.shapes.messages import Message

MAX_BODY = 5 * 1024 * 1024
MAX_EVENTS = 10_000
SEGMENT_TYPES = ("track", "identify", "page", "screen", "group", "alias")


class Refused(Exception):
    """A request the collector cannot take: the status to answer and why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


Received = tuple[str, Message, dict[str, Any]]
"""(the API it came from, the message as the checks read it, the message as --out keeps it)."""


def _no_constant(name: str) -> Any:
    raise Refused(400, f"The body holds {name}, which is not JSON: send numbers as finite values.")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Refused(400, f"The body holds the number {text[:40]}, past what a double holds: it is not kept (its "
                           "JSON could not be written back).")
    return value


def parse_json(body: bytes) -> Any:
    """The body as JSON, strictly: NaN and Infinity (Python's extensions) and numbers past a double are refused, as
    are integers of more than 4,300 digits and nesting past Python's recursion limit — each is a 400 the SDK
    reports, never a 500 it retries."""
    try:
        return json.loads(body, parse_constant=_no_constant, parse_float=_finite)
    except UnicodeDecodeError:
        raise Refused(400, "The body is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise Refused(400, f"The body is not JSON: {error.msg} at line {error.lineno}, column {error.colno}.") \
            from None
    except RecursionError:
        raise Refused(400, "The body is nested too deep to be an event.") from None
    except ValueError as error:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
        raise Refused(400, f"The body holds a number the collector does not read: {error}.") from None


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Refused(400, f"{what} must be a JSON object.")
    return value


def _count(events: list[Any]) -> None:
    if len(events) > MAX_EVENTS:
        raise Refused(413, f"{len(events):,} events in one request; the collector takes at most {MAX_EVENTS:,}.")


def segment(body: Any, kind: str) -> list[Received]:
    """`/v1/<type>` holds one message, `/v1/batch` (and `/v1/import`) a `batch` of them; the batch's own
    `context` and `integrations` apply to every message, as Segment's API does."""
    document = _object(body, "The request")
    if kind == "batch":
        batch = document.get("batch")
        if not isinstance(batch, list):
            raise Refused(400, "A batch request needs `batch`, a list of messages.")
        _count(batch)
        shared = {k: document[k] for k in ("context", "integrations") if isinstance(document.get(k), dict)}
        items = [{**shared, **_object(m, f"Message {i + 1} of the batch")} for i, m in enumerate(batch)]
    else:
        items = [{**document, "type": document.get("type") or kind}]
    for message in items:
        if str(message.get("type") or "track").lower() not in SEGMENT_TYPES:
            raise Refused(400, f"Unknown message type '{message.get('type')}'.")
    return [("segment", messages.segment(m), m) for m in items]


def amplitude(body: Any) -> list[Received]:
    document = _object(body, "The request")
    events = document.get("events")
    if not isinstance(events, list):
        raise Refused(400, "Amplitude's HTTP API needs `events`, a list of events.")
    _count(events)
    out = []
    for i, event in enumerate(events):
        event = _object(event, f"Event {i + 1}")
        if not isinstance(event.get("event_type"), str):
            raise Refused(400, f"Event {i + 1} has no event_type.")
        message = messages.amplitude(event)
        out.append(("amplitude", message, _as_segment(message, "amplitude", event.get("user_id"),
                                                       event.get("device_id"), _millis(event.get("time")))))
    return out


def ga4(body: Any, event_name: Callable[[str], str], property_name: Callable[[str, str], str]) -> list[Received]:
    """A Measurement Protocol request: `events` of `{name, params}` for one `client_id`. Names are GA4's (snake
    case): `event_name` and `property_name` give the plan's, for the message --out keeps."""
    document = _object(body, "The request")
    events = document.get("events")
    if not isinstance(events, list) or not events:
        raise Refused(400, "A Measurement Protocol request needs `events`, a list of at least one event.")
    _count(events)
    out = []
    for i, event in enumerate(events):
        event = _object(event, f"Event {i + 1}")
        name = event.get("name")
        if not isinstance(name, str):
            raise Refused(400, f"Event {i + 1} has no name.")
        given = event.get("params")
        params: dict[str, Any] = given if isinstance(given, dict) else {}
        planned = event_name(name)
        message = Message("track", planned, None, {property_name(planned, k): v for k, v in params.items()}, None,
                          _millis(document.get("timestamp_micros"), 1000))
        out.append(("ga4", message, _as_segment(message, "ga4-measurement-protocol", document.get("user_id"),
                                                 document.get("client_id"), message.timestamp)))
    return out


_GA4_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
"""What GA4 takes as an event or parameter name: a letter first, then letters, digits and underscores, at most 40
characters (Measurement Protocol reference, "Event naming rules")."""


def ga4_names_invalid(body: Any) -> list[tuple[str, str]]:
    """The names in a Measurement Protocol request that GA4 itself refuses, as (field path, name): its debug
    endpoint answers NAME_INVALID for them, and so does the collector's."""
    events = body.get("events") if isinstance(body, dict) else None
    found = []
    for event in events if isinstance(events, list) else ():
        if not isinstance(event, dict) or not isinstance(event.get("name"), str):
            continue
        if not _GA4_NAME.fullmatch(event["name"]):
            found.append(("events.name", event["name"]))
        params = event.get("params")
        found += [("events.params", key) for key in (params if isinstance(params, dict) else ())
                  if not _GA4_NAME.fullmatch(key)]
    return found


def _millis(value: Any, per_milli: int = 1) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / per_milli / 1000, UTC).isoformat().replace("+00:00", "Z")
        except (OverflowError, OSError, ValueError):
            return None
    return None


def _as_segment(message: Message, library: str, user_id: Any, anonymous_id: Any,
                timestamp: str | None) -> dict[str, Any]:
    kept: dict[str, Any] = {"type": message.kind}
    if message.kind == "identify":
        kept["traits"] = message.traits
    else:
        kept["event"] = message.name
        kept["properties"] = message.properties
    if user_id is not None:
        kept["userId"] = user_id
    if anonymous_id is not None:
        kept["anonymousId"] = anonymous_id
    kept["timestamp"] = timestamp or datetime.now(UTC).isoformat().replace("+00:00", "Z")
    context: dict[str, Any] = {"library": {"name": library}}
    if message.platform:
        context["device"] = {"type": message.platform}
    kept["context"] = context
    return kept
