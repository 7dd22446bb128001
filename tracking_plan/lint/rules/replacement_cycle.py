from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.core.diagnostics import Severity
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Walk each replaced_by chain once (a functional graph): linear in the number of events."""
    events = ctx.plan.events
    done: set[str] = set()
    for start in events:
        position: dict[str, int] = {}
        path: list[str] = []
        name: str | None = start
        while name is not None and name in events and name not in done and name not in position:
            position[name] = len(path)
            path.append(name)
            name = events[name].replaced_by
        if name is not None and name in position:
            cycle = path[position[name]:]
            event = events[cycle[0]]
            loop = " → ".join([*cycle, cycle[0]])
            yield Finding(f"replaced_by loops: {loop}.", event.where("replaced_by"),
                          "Make the last event of the chain the active one, without replaced_by.", event)
        done.update(path)


RULE = Rule(
    id="replacement-cycle",
    summary="replaced_by chains end at an event, not in a loop.",
    explanation="`A replaced_by B` and `B replaced_by A` leave no event to send. Each loop is reported once.",
    bad="events:\n  A Happened: {status: deprecated, replaced_by: B Happened}\n"
        "  B Happened: {status: deprecated, replaced_by: A Happened}\n",
    good="events:\n  A Happened: {status: deprecated, replaced_by: B Happened}\n  B Happened: {}\n",
    scope="event",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
