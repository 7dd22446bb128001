"""Collected-event fixtures with a known answer, generated from a plan: one valid message per planned event in
each shape, plus one planted violation per check. Used by test_validate.py; run it to look at the data:
`python tests/validate_fixtures.py segment`."""

from __future__ import annotations

import json
import sys
from typing import Any

from tracking_plan.core.model import Event, Plan
from tracking_plan.core.naming import convert
from tracking_plan.shapes.examples import example_properties, example_traits

PLATFORM_LIBRARY = {"web": "analytics.js", "ios": "analytics-ios", "android": "analytics-android",
                    "backend": "analytics-python"}
valid_properties = example_properties
valid_traits = example_traits


def platform_of(event: Event) -> str:
    return event.platforms[0] if event.platforms else "backend"


# (check, event or "identify", property or None, how to break a valid message)
PLANTED: list[tuple[str, str, str | None, Any]] = [
    ("unplanned-event", "Ghost Event", None, lambda m: m),
    ("deprecated-event", "Trade In Quote Requested", None, lambda m: m),
    ("draft-event", "Wishlist Shared", None, lambda m: m),
    ("unplanned-platform", "Order Completed", None, "platform:web"),
    ("missing-property", "Order Completed", "shipping_method", "drop"),
    ("unplanned-property", "Product Viewed", "bogus", ("set", "bogus", 1)),
    ("wrong-type", "Checkout Started", "cart_id", ("set", "cart_id", 42)),
    ("enum", "Order Completed", "currency", ("set", "currency", "XXX")),
    ("pattern", "Account Created", "country", ("set", "country", "fr")),
    ("format", "Password Reset Requested", "email", ("set", "email", "not-an-email")),
    ("range", "Order Completed", "revenue", ("set", "revenue", -1)),
    ("length", "Products Searched", "search_query", ("set", "search_query", "q" * 101)),
    ("items", "Product List Viewed", "products", "items:101"),
    ("missing-trait", "identify", "email", "drop"),
    ("trait", "identify", "first_name", ("set", "first_name", 123)),
]


def planted_messages(plan: Plan) -> list[tuple[str, str, dict[str, Any], str]]:
    """(check, event, properties, platform) per planted violation."""
    out = []
    for check, name, prop, breaking in PLANTED:
        event = plan.events.get(name)
        props = (valid_traits(plan) if name == "identify" else valid_properties(plan, event) if event else {})
        platform = platform_of(event) if event else "backend"
        if breaking == "drop":
            props.pop(prop or "", None)
        elif breaking == "platform:web":
            platform = "web"
        elif breaking == "items:101" and prop:
            props[prop] = props[prop] * 101
        elif isinstance(breaking, tuple):
            props[breaking[1]] = breaking[2]
        out.append((check, name, props, platform))
    return out


def segment(name: str, props: dict[str, Any], platform: str, day: int) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "identify" if name == "identify" else "track", "userId": f"u{day}",
                               "timestamp": f"2026-11-{day:02d}T10:00:00Z",
                               "context": {"library": {"name": PLATFORM_LIBRARY[platform], "version": "1.0.0"}}}
    if name == "identify":
        message["traits"] = props
    else:
        message["event"] = name
        message["properties"] = props
    return message


def amplitude(name: str, props: dict[str, Any], platform: str, day: int) -> dict[str, Any]:
    row: dict[str, Any] = {"event_type": "$identify" if name == "identify" else name, "user_id": f"u{day}",
                           "platform": {"web": "Web", "ios": "iOS", "android": "Android"}.get(platform, "backend"),
                           "event_time": f"2026-11-{day:02d} 10:00:00.000000"}
    row["user_properties" if name == "identify" else "event_properties"] = props
    if name == "identify":
        row["event_properties"] = {}
    return row


def flat(name: str, props: dict[str, Any], platform: str, day: int) -> dict[str, Any]:
    return {"event": name, "timestamp": f"2026-11-{day:02d}T10:00:00", **props, "platform": platform}


def _ga4_value(v: Any) -> dict[str, Any]:
    if isinstance(v, bool):
        return {"int_value": int(v)}
    if isinstance(v, int):
        return {"int_value": v}
    if isinstance(v, float):
        return {"double_value": v}
    return {"string_value": v if isinstance(v, str) else json.dumps(v)}


def ga4(name: str, props: dict[str, Any], platform: str, day: int) -> dict[str, Any]:
    return {"event_name": convert(name, "snake_case"), "platform": platform.upper(),
            "event_timestamp": 1_793_000_000_000_000 + day * 86_400_000_000,
            "event_params": [{"key": convert(k, "snake_case"), "value": _ga4_value(v)} for k, v in props.items()]}


WRITERS = {"segment": segment, "amplitude": amplitude, "flat": flat, "ga4": ga4}


def dataset(plan: Plan, shape: str) -> tuple[list[dict[str, Any]], list[tuple[str, str, str | None]]]:
    """The rows (valid ones, then planted ones) and the planted (check, event, property) answers."""
    def write(name: str, props: dict[str, Any], platform: str, day: int) -> dict[str, Any]:
        if "platform" in props:  # the plan's `platform` global property says where the event was sent from
            props = {**props, "platform": platform}
        return WRITERS[shape](name, props, platform, day)

    def expressible(props: dict[str, Any]) -> bool:
        """GA4 parameters are flat text or numbers: events with lists, objects or booleans are left out of it."""
        return shape != "ga4" or all(isinstance(v, str | int | float) and not isinstance(v, bool)
                                     for v in props.values())

    rows = []
    for day, event in enumerate(sorted(plan.events.values(), key=lambda e: e.name), start=1):
        if event.status == "active" and expressible(valid_properties(plan, event)):
            rows.append(write(event.name, valid_properties(plan, event), platform_of(event), day % 28 + 1))
    if shape in ("segment", "amplitude"):
        rows.append(write("identify", valid_traits(plan), "backend", 3))
    answers = []
    for (check, name, props, platform), (_, _, prop, _) in zip(planted_messages(plan), PLANTED, strict=True):
        if (shape not in ("segment", "amplitude") and name == "identify") or not expressible(props):
            continue
        rows.append(write(name, props, platform, 28))
        answers.append((check, name, prop))
    return rows, answers


if __name__ == "__main__":
    from tracking_plan.core.discover import load_plan

    loaded = load_plan(sys.argv[2] if len(sys.argv) > 2 else "plans").plan
    assert loaded is not None
    for row in dataset(loaded, sys.argv[1])[0]:
        print(json.dumps(row))
