from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from tracking_plan.core.diagnostics import Severity
from tracking_plan.core.model import Event, Property
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule

KINDS = ("bigquery",)
MAX_COLUMN = 300
COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RESERVED_PREFIXES = ("_table_", "_file_", "_partition", "_row_timestamp", "__root__", "_colidentifier")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for event in ctx.plan.events.values():
        for destination in event.destinations:
            profile = ctx.profile(destination)
            if profile is None or profile.kind not in KINDS:
                continue
            yield from _columns(event, destination, event.properties, profile.property_name, "")
            break


def _columns(event: Event, destination: str, props: tuple[Property, ...], transform: Callable[[str], str],
             parent: str) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for prop in props:
        column = transform(prop.name)
        problem = _problem(column)
        if problem is not None:
            shown = f"'{parent}{prop.name}'" + (f" (column '{column}')" if column != prop.name else "")
            message, hint = _PROBLEMS[problem]
            yield Finding(f"Property {shown} of event '{event.name}' {message.format(destination=destination)}",
                          prop.location, hint, event, prop)
        folded = column.lower()
        if seen.setdefault(folded, prop.name) != prop.name:
            yield Finding(f"Properties '{seen[folded]}' and '{prop.name}' of event '{event.name}' become the same "
                          f"{destination} column '{column}' (column names ignore case).", prop.location,
                          "Rename one of them.", event, prop)
        nested = prop.items.properties if prop.items is not None else prop.properties
        if nested:
            yield from _columns(event, destination, nested, transform, f"{parent}{prop.name}.")


_PROBLEMS = {
    "invalid": ("is not a valid {destination} column name: letters, digits and underscores, starting with a letter "
                "or underscore.", "Rename it, or set property_names: snake_case for this destination."),
    "long": (f"is longer than BigQuery's {MAX_COLUMN} characters.", "Shorten the name."),
    "reserved": ("starts with a prefix BigQuery reserves (_TABLE_, _FILE_, _PARTITION, _ROW_TIMESTAMP, __ROOT__, "
                 "_COLIDENTIFIER).", "Rename it."),
}


@lru_cache(maxsize=65536)
def _problem(column: str) -> str | None:
    """Which of _PROBLEMS a column name has, if any (names repeat across events: each is judged once)."""
    if not COLUMN.match(column):
        return "invalid"
    if len(column) > MAX_COLUMN:
        return "long"
    if column.lower().startswith(RESERVED_PREFIXES):
        return "reserved"
    return None


RULE = Rule(
    id="bigquery-columns",
    summary="Properties sent to BigQuery make valid, distinct column names.",
    explanation="Each property of an event sent to a destination of kind `bigquery` becomes a column (nested "
                "objects become RECORD fields), named as the loader writes it — snake_case by default, as the "
                "Segment, RudderStack and Snowplow warehouse loaders do (set `property_names` in "
                "`destination_settings` to change it). Column names use letters, digits and underscores, start "
                "with a letter or underscore, are at most 300 characters, do not start with a reserved prefix, "
                "and are compared without case, so `orderId` and `order_id` collide.",
    bad="events:\n  Order Completed:\n    destinations: [bigquery]\n    properties:\n"
        "      _PARTITION_date: {type: string}\n",
    good="events:\n  Order Completed:\n    destinations: [bigquery]\n    properties:\n"
         "      order_date: {type: string}\n",
    scope="property",
    severity=Severity.ERROR,
    preset="minimal",
    sources=("https://cloud.google.com/bigquery/docs/schemas#column_names (column names and reserved prefixes)",),
    check=check,
)
