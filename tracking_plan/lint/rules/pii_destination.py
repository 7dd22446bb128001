from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    allowed = set(ctx.plan.pii_destinations)
    trait_forbidden = [d for d in ctx.plan.trait_destinations if d not in allowed]
    if trait_forbidden:
        for top in ctx.plan.traits:
            for path, prop in top.walk():
                if prop.pii:
                    yield Finding(
                        f"Personal data '{path}' is a trait: identify() sends it to {', '.join(trait_forbidden)}, "
                        "which may not receive personal data.", prop.location,
                        "Set traits_destinations in tracking-plan.yaml to the destinations that may receive the "
                        "traits (by default identify() goes to every destination), or drop the trait.", None, prop)
    group_forbidden = [d for d in ctx.plan.destinations if d not in allowed]
    if group_forbidden:  # group() goes to every destination
        for top in ctx.plan.group_traits:
            for path, prop in top.walk():
                if prop.pii:
                    yield Finding(
                        f"Personal data '{path}' is a group trait: group() sends it to {', '.join(group_forbidden)}, "
                        "which may not receive personal data.", prop.location,
                        "Drop the group trait, or add those destinations to pii_destinations once they are "
                        "cleared to hold personal data.", None, prop)
    global_pii = [(path, p) for top in ctx.plan.global_properties for path, p in top.walk() if p.pii]
    for noun, event in ctx.described():
        forbidden = [d for d in event.destinations if d not in allowed]
        if not forbidden:
            continue
        for top in (*event.properties, *(p for v in event.variants for p in v.written())):
            for path, prop in top.walk():
                if prop.pii:
                    yield Finding(
                        f"Personal data '{path}' of {noun.lower()} '{event.name}' is sent to {', '.join(forbidden)}, "
                        "which may not receive personal data.", prop.location,
                        f"Remove those destinations from the {noun.lower()}, drop the property, or add the "
                        "destinations to pii_destinations once they are cleared to hold personal data.", event, prop)
        if noun != "Event":
            continue  # the global properties ride on track events only
        for path, prop in global_pii:
            yield Finding(f"Global property '{path}' is personal data and goes with every event, including "
                          f"'{event.name}' sent to {', '.join(forbidden)}.", event.where("destinations"),
                          "Keep personal data out of global properties, or restrict the event's destinations.",
                          event, prop)


RULE = Rule(
    id="pii-destination",
    summary="Personal data goes only to destinations allowed to receive it.",
    explanation="`pii_destinations` in tracking-plan.yaml lists the destinations cleared to hold personal data "
                "(a warehouse under access control, say). A property marked `pii: true` — at any depth, or sent "
                "with every event as a global property — in an event sent anywhere else is an error, and so is "
                "a trait marked `pii: true` when identify() goes anywhere else (`traits_destinations`, by "
                "default every destination). Pages, screens and group traits are held to the same rule (group() "
                "goes to every destination).",
    bad="pii_destinations: [bigquery]\n---\nevents:\n  Account Created:\n    destinations: [amplitude]\n"
        "    properties:\n      email: {type: string, pii: true}\n",
    good="pii_destinations: [bigquery]\n---\nevents:\n  Account Created:\n    destinations: [bigquery]\n"
         "    properties:\n      email: {type: string, pii: true}\n",
    scope="property",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
