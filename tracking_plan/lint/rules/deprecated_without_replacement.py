from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.naming import did_you_mean
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    events = ctx.plan.events
    for event in events.values():
        if event.replaced_by is not None and event.status != "deprecated":
            yield Finding(f"Event '{event.name}' names a replacement but is not deprecated.",
                          event.where("replaced_by"), "Add 'status: deprecated', or remove 'replaced_by'.", event)
            continue
        if event.status != "deprecated":
            continue
        replacement = event.replaced_by
        if replacement is None:
            yield Finding(f"Deprecated event '{event.name}' does not say what replaces it.", event.where("status"),
                          "Add 'replaced_by:' with the event to send instead.", event)
        elif replacement not in events:
            yield Finding(f"Event '{event.name}' is replaced by '{replacement}', which does not exist."
                          f"{did_you_mean(replacement, events)}", event.where("replaced_by"),
                          "Name an existing event.", event)
        elif replacement == event.name:
            continue  # reported by replacement-cycle
        elif events[replacement].status == "deprecated":
            yield Finding(f"Event '{event.name}' is replaced by '{replacement}', which is deprecated too.",
                          event.where("replaced_by"),
                          f"Point it at the event that replaces '{replacement}'.", event)


RULE = Rule(
    id="deprecated-without-replacement",
    summary="A deprecated event names an existing, active replacement.",
    explanation="Developers who meet a deprecated event need to know what to send instead, and generated code "
                "points them at it. The replacement must exist and must not itself be deprecated.",
    bad="events:\n  Trade In Started:\n    status: deprecated\n",
    good="events:\n  Trade In Started:\n    status: deprecated\n    replaced_by: Buyback Started\n"
         "  Buyback Started: {}\n",
    scope="event",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
