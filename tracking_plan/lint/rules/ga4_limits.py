from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.model import Event, Property
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule

KINDS = ("ga4", "firebase")
MAX_NAME = 40
MAX_PARAMETERS = 25
MAX_TEXT_VALUE = 100
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
RESERVED_PREFIXES = ("firebase_", "google_", "ga_")
RESERVED_EVENT_PREFIXES = (*RESERVED_PREFIXES, "query_id")
RESERVED_PARAMETER_PREFIXES = (*RESERVED_PREFIXES, "gtag.", "_")
# Web and app streams together (Google Analytics help "Event naming rules", Firebase "Automatically
# collected events").
RESERVED_EVENTS = frozenset({
    "ad_activeview", "ad_click", "ad_exposure", "ad_impression", "ad_query", "ad_reward", "adunit_exposure",
    "app_background", "app_clear_data", "app_exception", "app_install", "app_remove", "app_store_refund",
    "app_store_subscription_cancel", "app_store_subscription_convert", "app_store_subscription_renew", "app_update",
    "app_upgrade", "click", "dynamic_link_app_open", "dynamic_link_app_update", "dynamic_link_first_open", "error",
    "file_download", "firebase_campaign", "firebase_in_app_message_action", "firebase_in_app_message_dismiss",
    "firebase_in_app_message_impression", "first_open", "first_visit", "form_start", "form_submit",
    "in_app_purchase", "notification_dismiss", "notification_foreground", "notification_open",
    "notification_receive", "os_update", "page_view", "screen_view", "scroll", "session_start",
    "session_start_with_rollout", "user_engagement", "video_complete", "video_progress", "video_start",
    "view_search_results"
})
RESERVED_PARAMETERS = frozenset({
    "cid", "customer_id", "customerid", "dclid", "engagement_time_msec", "gclid", "session_id", "session_number",
    "sessionid", "sfmc_id", "sid", "srsltid", "uid", "user_id", "userid"
})


def check(ctx: RuleContext) -> Iterator[Finding]:
    globals_ = ctx.plan.global_properties
    for event in ctx.plan.events.values():
        for destination in event.destinations:
            profile = ctx.profile(destination)
            if profile is None or profile.kind not in KINDS:
                continue
            yield from _event(event, destination, profile.event_name(event.name), len(globals_))
            for prop in (*event.properties, *globals_):
                sent = profile.property_name(prop.name)
                problems = _name_problems(sent)
                nested = ("object" in prop.type or "array" in prop.type) and sent != "items"
                max_length = prop.constraints.max_length
                long_text = "string" in prop.type and max_length is not None and max_length > MAX_TEXT_VALUE
                if problems or nested or long_text:  # most are fine: messages are built for the others only
                    yield from _parameter(event, destination, sent, prop, problems, nested, long_text)


@lru_cache(maxsize=65536)
def _name_problems(sent: str) -> tuple[str, ...]:
    """What is wrong with a parameter name as GA4 receives it (names repeat across events: judged once)."""
    return tuple(problem for problem, found in (
        ("reserved", sent in RESERVED_PARAMETERS or sent.startswith(RESERVED_PARAMETER_PREFIXES)),
        ("long", len(sent) > MAX_NAME),
        ("characters", not NAME.match(sent) and not sent.startswith("_"))) if found)


def _event(event: Event, destination: str, sent: str, n_globals: int) -> Iterator[Finding]:
    shown = f"'{event.name}' (sent to {destination} as '{sent}')" if sent != event.name else f"'{event.name}'"
    if sent in RESERVED_EVENTS:
        yield Finding(f"Event {shown} uses a name GA4/Firebase reserves for its own events.", event.location,
                      "Rename the event; GA4 would refuse or merge it with its automatic event.", event)
    elif sent.startswith(RESERVED_EVENT_PREFIXES):
        yield Finding(f"Event {shown} starts with a prefix GA4/Firebase reserves "
                      f"({', '.join(RESERVED_EVENT_PREFIXES)}).", event.location, "Rename the event.", event)
    if len(sent) > MAX_NAME:
        yield Finding(f"Event {shown} is {len(sent)} characters long; GA4/Firebase accept at most {MAX_NAME}.",
                      event.location, "Shorten the name.", event)
    if not NAME.match(sent):
        yield Finding(f"Event {shown} has characters GA4/Firebase refuse: names start with a letter and use only "
                      "letters, digits and underscores.", event.location,
                      f"Rename it, or transform names for {destination} in destination_settings "
                      "(event_names: snake_case).", event)
    count = len(event.properties) + n_globals
    if count > MAX_PARAMETERS:
        yield Finding(f"Event '{event.name}' has {count} parameters (global properties included); GA4/Firebase "
                      f"keep at most {MAX_PARAMETERS} per event.", event.where("properties"),
                      "Move some properties to user properties or split the event.", event)


def _parameter(event: Event, destination: str, sent: str, prop: Property, problems: tuple[str, ...], nested: bool,
               long_text: bool) -> Iterator[Finding]:
    name = prop.name
    shown = f"'{name}' (sent as '{sent}')" if sent != name else f"'{name}'"
    where = f"of event '{event.name}' sent to {destination}"
    if "reserved" in problems:
        yield Finding(f"Parameter {shown} {where} is a name GA4/Firebase reserves.", prop.location,
                      "Rename the property.", event, prop)
    if "long" in problems:
        yield Finding(f"Parameter {shown} {where} is {len(sent)} characters long; GA4/Firebase accept at most "
                      f"{MAX_NAME}.", prop.location, "Shorten the name.", event, prop)
    if "characters" in problems:
        yield Finding(f"Parameter {shown} {where} has characters GA4/Firebase refuse.", prop.location,
                      "Use letters, digits and underscores, starting with a letter.", event, prop)
    if nested:
        yield Finding(f"Parameter {shown} {where} is {'/'.join(prop.value_types)}; GA4/Firebase parameters are "
                      "text or numbers (only the ecommerce 'items' array is nested).", prop.location,
                      "Flatten it into separate parameters, or stop sending this event to GA4.", event, prop)
    if long_text:
        yield Finding(f"Parameter {shown} {where} may be {prop.constraints.max_length} characters long; GA4 cuts "
                      f"text values at {MAX_TEXT_VALUE}.", prop.where("maxLength"),
                      f"Set maxLength: {MAX_TEXT_VALUE} or less.", event, prop)


RULE = Rule(
    id="ga4-limits",
    summary="Events sent to GA4 or Firebase respect Google's naming rules and limits.",
    explanation="For each event sent to a destination of kind `ga4` or `firebase`, the name as GA4 receives it "
                "(snake_case by default: `Level Started` → `level_started`; set `event_names` / `property_names` "
                "in `destination_settings` to change it) must: start with a letter and use only letters, digits and "
                "underscores; be at most 40 characters; not be a reserved event name (`ad_impression`, "
                "`first_open`, `session_start`, `page_view`...) nor start with `firebase_`, `google_` or `ga_`. "
                "An event carries at most 25 parameters (global properties included); parameter names follow the "
                "same rules, must not be reserved (`session_id`, `user_id`, `gclid`...) nor start with `_`, "
                "`firebase_`, `google_`, `ga_`, `gtag.`; text values are cut at 100 characters; parameters are "
                "flat (only the ecommerce `items` array may nest).",
    bad="destinations: [ga4]\n---\nevents:\n  Ad Impression:          # → ad_impression, reserved by Firebase\n"
        "    destinations: [ga4]\n",
    good="destinations: [ga4]\n---\nevents:\n  Promo Banner Viewed:\n    destinations: [ga4]\n",
    scope="event",
    severity=Severity.ERROR,
    preset="minimal",
    sources=(
        "https://support.google.com/analytics/answer/13316687 (GA4 event naming rules, reserved names and prefixes)",
        "https://support.google.com/analytics/answer/9267744 (GA4 collection limits: 40-character names, "
        "25 parameters per event, 100-character values)",
        "https://firebase.google.com/docs/reference/android/com/google/firebase/analytics/FirebaseAnalytics.Event "
        "(Firebase reserved events and prefixes)",
        "https://support.google.com/firebase/answer/6317485 (Firebase automatically collected events)",
    ),
    check=check,
)
