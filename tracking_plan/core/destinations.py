"""What each destination is, and how event and property names are transformed on the way to it.

GA4 and Firebase conventionally receive snake_case names (`Level Started` → `level_started`), and
warehouse loaders (Segment, RudderStack, Snowplow) snake_case column names for BigQuery. A team
overrides this in `destination_settings` of tracking-plan.yaml:

    destination_settings:
      ga4-web: {kind: ga4, event_names: as_is, property_names: snake_case}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from tracking_plan.core.diagnostics import Diagnostic, Severity
from tracking_plan.core.model import Plan
from tracking_plan.core.naming import CONVERTERS, convert, did_you_mean
from tracking_plan.core.yamlsource import YMap, at

KINDS = ("ga4", "firebase", "amplitude", "segment", "rudderstack", "mixpanel", "bigquery", "snowflake", "other")
TRANSFORMS = ("as_is", *CONVERTERS)
_KEYS = ("kind", "event_names", "property_names")


class Profile(NamedTuple):
    name: str
    kind: str
    event_names: str = "as_is"
    property_names: str = "as_is"

    def event_name(self, name: str) -> str:
        return convert(name, self.event_names)

    def property_name(self, name: str) -> str:
        return convert(name, self.property_names)


DEFAULTS: Mapping[str, Profile] = {
    "ga4": Profile("ga4", "ga4", "snake_case", "snake_case"),
    "firebase": Profile("firebase", "firebase", "snake_case", "snake_case"),
    "bigquery": Profile("bigquery", "bigquery", "as_is", "snake_case"),
    "amplitude": Profile("amplitude", "amplitude"),
    "segment": Profile("segment", "segment"),
    "rudderstack": Profile("rudderstack", "rudderstack"),
    "mixpanel": Profile("mixpanel", "mixpanel"),
    "snowflake": Profile("snowflake", "snowflake", "as_is", "snake_case"),
}


def profiles(plan: Plan) -> tuple[dict[str, Profile], list[Diagnostic]]:
    """A profile for every declared destination, and problems in `destination_settings`."""
    result: dict[str, Profile] = {}
    diagnostics: list[Diagnostic] = []
    for name in plan.destinations:
        default = DEFAULTS.get(name)
        result[name] = default._replace(name=name) if default else Profile(name, "other")
    settings = plan.settings.get("destination_settings")
    if not isinstance(settings, YMap):
        return result, diagnostics
    file = plan.location.file
    for name, raw in settings.items():
        if name not in result:
            diagnostics.append(Diagnostic(
                "lint-config", Severity.ERROR,
                f"destination_settings names '{name}', which is not a declared destination."
                f"{did_you_mean(name, result)}", at(file, settings.key_pos[name]),
                "Declare it under destinations: or fix the name."))
            continue
        if not isinstance(raw, YMap):
            diagnostics.append(Diagnostic(
                "lint-config", Severity.ERROR, f"Settings of destination '{name}' must be a mapping.",
                at(file, settings.value_pos[name]), "Write {kind: ga4, event_names: snake_case}."))
            continue
        values: dict[str, Any] = {}
        for key, value in raw.items():
            allowed = {"kind": KINDS, "event_names": TRANSFORMS, "property_names": TRANSFORMS}.get(key)
            if allowed is None:
                diagnostics.append(Diagnostic(
                    "lint-config", Severity.ERROR,
                    f"Destination settings have no key '{key}'.{did_you_mean(key, _KEYS)}",
                    at(file, raw.key_pos[key]), "Allowed keys: " + ", ".join(_KEYS) + "."))
            elif value not in allowed:
                diagnostics.append(Diagnostic(
                    "lint-config", Severity.ERROR,
                    f"'{key}' of destination '{name}' must be one of {', '.join(allowed)}, not '{value}'."
                    f"{did_you_mean(str(value), allowed)}", at(file, raw.value_pos[key]), None))
            else:
                values[key] = value
        kind = values.get("kind", result[name].kind)
        base = DEFAULTS.get(kind, Profile(name, kind))
        result[name] = Profile(name, kind, values.get("event_names", base.event_names),
                               values.get("property_names", base.property_names))
    return result, diagnostics


AUTOMATIC_EVENTS: Mapping[str, frozenset[str]] = {
    "ga4": frozenset({
        "first_visit", "first_open", "session_start", "user_engagement", "page_view", "screen_view", "scroll",
        "click", "view_search_results", "video_start", "video_progress", "video_complete", "file_download",
        "form_start", "form_submit", "app_remove", "app_update", "os_update", "app_exception", "app_clear_data",
        "in_app_purchase", "notification_receive", "notification_open", "notification_dismiss",
        "notification_foreground", "dynamic_link_first_open", "dynamic_link_app_open", "dynamic_link_app_update",
        "firebase_campaign", "error"}),
    "amplitude": frozenset({
        "[Amplitude] Page Viewed", "[Amplitude] Start Session", "[Amplitude] End Session",
        "[Amplitude] Application Installed", "[Amplitude] Application Updated", "[Amplitude] Application Opened",
        "[Amplitude] Application Backgrounded", "[Amplitude] Deep Link Opened", "[Amplitude] Screen Viewed",
        "[Amplitude] Form Started", "[Amplitude] Form Submitted", "[Amplitude] File Downloaded",
        "[Amplitude] Element Clicked", "session_start", "session_end"}),
}
"""The events a vendor's SDK or collector sends by itself (GA4's automatically collected and enhanced-measurement
events, Amplitude's autocapture), by the shape of data they arrive in."""

AUTOMATIC_PARAMETERS: Mapping[str, frozenset[str]] = {
    "ga4": frozenset({
        "ga_session_id", "ga_session_number", "engagement_time_msec", "session_engaged", "engaged_session_event",
        "entrances", "page_location", "page_referrer", "page_title", "percent_scrolled", "link_url", "link_domain",
        "link_classes", "link_id", "link_text", "outbound", "file_extension", "file_name", "search_term",
        "video_current_time", "video_duration", "video_percent", "video_provider", "video_title", "video_url",
        "visible", "form_id", "form_name", "form_destination", "form_submit_text", "firebase_screen",
        "firebase_screen_class", "firebase_screen_id", "firebase_previous_screen", "firebase_previous_class",
        "firebase_previous_id", "firebase_event_origin", "firebase_conversion", "ignore_referrer", "debug_mode",
        "batch_page_id", "batch_ordering_id", "medium", "source", "campaign", "term", "content", "gclid",
        "previous_app_version", "previous_os_version", "update_with_analytics"}),
    "amplitude": frozenset(),
}
"""The parameters the vendor adds to every event (GA4's session and page parameters): never unplanned where the
plan lets the vendor's automatic data through."""

AUTOMATIC_MODES = ("ignored", "expected", "unplanned")
"""How a plan takes a vendor's automatic events (`automatic: {ga4: ...}`): `ignored` (the default: neither flagged
nor hidden, counted as automatic), `expected` (the same, and listed as silent when never seen), `unplanned`
(judged as any event the plan does not describe)."""


def automatic_mode(plan: Plan, vendor: str) -> str:
    """The plan's mode for the vendor's automatic events: what `automatic:` says, else `ignored`."""
    raw = plan.settings.get("automatic")
    mode = raw.get(vendor) if isinstance(raw, Mapping) else None
    return mode if mode in AUTOMATIC_MODES else "ignored"
