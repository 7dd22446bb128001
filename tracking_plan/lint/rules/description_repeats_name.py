from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from tracking_plan.core.naming import words
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.helpers import defined_properties
from tracking_plan.lint.rule import Finding, Rule

_FILLER = frozenset({"a", "an", "the", "this", "event", "property", "is", "was", "when", "of", "fired", "sent", "value",
                     "user", "has", "been", "triggered", "tracks", "track"})
_WORDS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65536)
def repeats(name: str, description: str | None) -> bool:
    """Whether the description says nothing but the name's own words (and filler)."""
    if not description or len(description) > 3 * len(name) + 40:
        return False
    said = {w.lower() for w in _WORDS.findall(description)} - _FILLER
    return bool(said) and said <= set(words(name))


def check(ctx: RuleContext) -> Iterator[Finding]:
    for event in ctx.plan.events.values():
        if repeats(event.name, event.description):
            yield Finding(f"The description of '{event.name}' only repeats its name.", event.where("description"),
                          "Say what happened and what it means for the business, not the name again.", event)
    for use in defined_properties(ctx):
        if use.prop.fields.written_here("description") and repeats(use.prop.name, use.prop.description):
            yield Finding(f"The description of property '{use.path}' only repeats its name.",
                          use.prop.where("description"), "Say what the value means, its unit and its source.",
                          use.event, use.prop)


RULE = Rule(
    id="description-repeats-name",
    summary="Descriptions say more than the name.",
    explanation="`Order Completed: {description: Order completed.}` tells a reader nothing. Words such as 'the', "
                "'event', 'when' and 'fired' are ignored in the comparison.",
    bad="events:\n  Order Completed:\n    description: Order completed event.\n",
    good="events:\n  Order Completed:\n    description: The payment was accepted and the order was created.\n",
    scope="event",
    check=check,
)
