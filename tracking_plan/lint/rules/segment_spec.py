from __future__ import annotations

from collections.abc import Iterator, Mapping

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.model import Property
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule

KINDS = ("segment", "rudderstack")
# Track properties Segment reserves with a meaning and a type (Spec: Track, "Properties").
RESERVED_PROPERTIES: Mapping[str, str] = {"revenue": "number", "value": "number", "currency": "string"}
# Identify traits Segment reserves (Spec: Identify, "Traits").
RESERVED_TRAITS: Mapping[str, str] = {
    "address": "object", "age": "number", "avatar": "string", "birthday": "string", "company": "object",
    "createdAt": "string", "description": "string", "email": "string", "firstName": "string", "gender": "string",
    "id": "string", "lastName": "string", "name": "string", "phone": "string", "title": "string",
    "username": "string", "website": "string",
}
# Events Segment's own calls and mobile lifecycle spec send.
RESERVED_EVENTS = frozenset({
    "Application Installed", "Application Opened", "Application Backgrounded", "Application Updated",
    "Application Uninstalled", "Application Crashed", "Install Attributed", "Push Notification Received",
    "Push Notification Tapped", "Push Notification Bounced", "Deep Link Opened", "Deep Link Clicked",
    "Identify", "Page", "Screen", "Group", "Alias", "Track",
})


def _fits(prop: Property, expected: str) -> bool:
    kinds = set(prop.value_types)
    if expected == "number":
        return bool(kinds) and kinds <= {"number", "integer"}
    return kinds == {expected}


def check(ctx: RuleContext) -> Iterator[Finding]:
    kinds_used = {p.kind for d in ctx.plan.destinations if (p := ctx.profile(d)) is not None}
    if not kinds_used & set(KINDS):
        return
    for event in ctx.plan.events.values():
        if not any((p := ctx.profile(d)) is not None and p.kind in KINDS for d in event.destinations):
            continue
        if event.name in RESERVED_EVENTS:
            yield Finding(f"'{event.name}' is an event Segment sends itself (lifecycle or a reserved call).",
                          event.location, "Rename your event, or let the SDK send it.", event)
        for prop in event.properties:
            expected = RESERVED_PROPERTIES.get(prop.name)
            if expected and not _fits(prop, expected):
                yield Finding(f"Segment reserves '{prop.name}' as a {expected}; here it is "
                              f"{'/'.join(prop.type) or 'untyped'}.", prop.where("type"),
                              f"Make it a {expected}, or rename it.", event, prop)
    for trait in ctx.plan.traits:
        expected = RESERVED_TRAITS.get(trait.name)
        if expected and not _fits(trait, expected):
            yield Finding(f"Segment reserves the trait '{trait.name}' as a {expected}; here it is "
                          f"{'/'.join(trait.type) or 'untyped'}.", trait.where("type"),
                          f"Make it a {expected}, or rename it.", None, trait)


RULE = Rule(
    id="segment-spec",
    summary="Events sent through Segment or RudderStack respect the names their spec reserves.",
    explanation="Segment's spec gives some names a fixed meaning that destinations rely on: the track properties "
                "`revenue` and `value` are numbers and `currency` an ISO code string; identify traits such as "
                "`email`, `age`, `address` or `createdAt` have set types; lifecycle events (`Application "
                "Opened`...) are sent by the SDKs themselves. RudderStack follows the same spec. Checked for "
                "events sent to a destination of kind `segment` or `rudderstack`.",
    bad="events:\n  Order Completed:\n    destinations: [segment]\n    properties:\n"
        "      revenue: {type: string}\n",
    good="events:\n  Order Completed:\n    destinations: [segment]\n    properties:\n"
         "      revenue: {type: number}\n",
    scope="property",
    severity=Severity.ERROR,
    preset="minimal",
    sources=(
        "https://segment.com/docs/connections/spec/track/ (reserved properties revenue, currency, value)",
        "https://segment.com/docs/connections/spec/identify/ (reserved traits)",
        "https://segment.com/docs/connections/spec/mobile/ (lifecycle events)",
    ),
    check=check,
)
