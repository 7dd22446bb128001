from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule

KINDS = ("amplitude",)
RESERVED_EVENTS = frozenset({"$identify", "$groupidentify", "revenue_amount", "session_start", "session_end"})
RESERVED_PREFIXES = ("[Amplitude]", "$", "amplitude_")
IDENTIFY_OPERATIONS = frozenset({"$set", "$setOnce", "$add", "$append", "$prepend", "$unset", "$preInsert",
                                 "$postInsert", "$remove", "$clearAll"})


def check(ctx: RuleContext) -> Iterator[Finding]:
    to_amplitude = [d for d in ctx.plan.destinations if (p := ctx.profile(d)) is not None and p.kind in KINDS]
    if not to_amplitude:
        return
    for event in ctx.plan.events.values():
        targets = [d for d in event.destinations if d in to_amplitude]
        if not targets:
            continue
        profile = ctx.profile(targets[0])
        assert profile is not None
        sent = profile.event_name(event.name)
        if sent in RESERVED_EVENTS or sent.startswith(RESERVED_PREFIXES):
            yield Finding(f"Event '{event.name}' uses a name Amplitude reserves for its own events.", event.location,
                          "Rename the event: names starting with '[Amplitude]', '$' or 'amplitude_', and "
                          "session_start / session_end, are Amplitude's.", event)
        for prop in event.properties:
            name = profile.property_name(prop.name)
            if name.startswith(RESERVED_PREFIXES):
                yield Finding(f"Property '{prop.name}' of event '{event.name}' starts with a prefix Amplitude "
                              "reserves ('[Amplitude]', '$', 'amplitude_').", prop.location,
                              "Rename the property.", event, prop)
    for trait in ctx.plan.traits:
        if trait.name in IDENTIFY_OPERATIONS or trait.name.startswith(RESERVED_PREFIXES):
            yield Finding(f"Trait '{trait.name}' collides with Amplitude's reserved user property names or identify "
                          "operations ($set, $add...).", trait.location, "Rename the trait.", None, trait)


RULE = Rule(
    id="amplitude-reserved",
    summary="Events and properties sent to Amplitude avoid the names Amplitude reserves.",
    explanation="Amplitude names its own events and properties with the `[Amplitude]` prefix (`[Amplitude] Page "
                "Viewed`), uses `$`-names for identify operations (`$set`, `$add`, `$identify`) and "
                "`session_start` / `session_end` for session events; a custom event or property with such a name is "
                "merged with or dropped in favour of Amplitude's. Checked for events sent to a destination of "
                "kind `amplitude`, and for traits when the plan declares one.",
    bad="events:\n  \"[Amplitude] Page Viewed\":\n    destinations: [amplitude]\n",
    good="events:\n  Page Viewed:\n    destinations: [amplitude]\n",
    scope="event",
    severity=Severity.ERROR,
    preset="minimal",
    sources=(
        "https://amplitude.com/docs/apis/analytics/http-v2 (HTTP V2 API: event fields, $identify)",
        "https://amplitude.com/docs/apis/analytics/identify (Identify API: $set, $setOnce, $add... operations)",
        "https://amplitude.com/docs/data/user-properties-and-events ([Amplitude] default properties)",
    ),
    check=check,
)
