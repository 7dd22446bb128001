"""`infer --against PLAN`: what the observed traffic adds to a plan, item by item with its counts — the events (and
pages and screens) it does not plan, the properties its open events carry unplanned, the enum values sent that
the plan does not list, and the required properties often missing. The new events become new files; the rest is
for a person to decide, in the summary."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tracking_plan.core.destinations import AUTOMATIC_EVENTS, AUTOMATIC_PARAMETERS, automatic_mode
from tracking_plan.core.model import Plan, carried_properties, payload_properties
from tracking_plan.importers.model import ImportedPlan
from tracking_plan.infer.build import Thresholds, inferred_plan, label_name
from tracking_plan.infer.stats import Observed, PathStats
from tracking_plan.shapes.columns import Shape
from tracking_plan.shapes.messages import NAMED_CALLS, call_label

ITEM_KINDS = ("unplanned-event", "unplanned-property", "unplanned-enum-value", "often-missing")


@dataclass(frozen=True)
class Addition:
    kind: str
    """One of ITEM_KINDS."""
    event: str
    """The event (or `page Home`) as the engines label it."""
    property: str | None
    seen: int
    """Messages with it (the event's, the property's, the values'...)."""
    of: int
    """Messages of the event."""
    values: tuple[str, ...] = ()
    """The enum values sent and not planned; none shown for a personal property."""
    hidden: int = 0
    """How many values are not shown: of a personal property, or beyond the most frequent ones."""


@dataclass
class Additions:
    items: list[Addition] = field(default_factory=list)
    new: ImportedPlan | None = None
    """The unplanned events, pages and screens, as inferred: the files `--out` gets."""


def additions(plan: Plan, observed: Observed, shape: Shape, limits: Thresholds) -> Additions:
    wire_events = {shape.wire_event(name): event for name, event in plan.events.items()}
    automatic = automatic_mode(plan, shape.name) != "unplanned"
    vendor_events = AUTOMATIC_EVENTS.get(shape.name, frozenset()) if automatic else frozenset()
    vendor_params = AUTOMATIC_PARAMETERS.get(shape.name, frozenset()) if automatic else frozenset()
    described = {"page": plan.pages, "screen": plan.screens}
    top: dict[tuple[str, str], dict[str, PathStats]] = defaultdict(dict)
    for stats in observed.paths:
        if len(stats.path) == 1:
            top[(stats.kind, stats.name)][stats.path[0]] = stats
    result = Additions()
    unplanned = []
    for call in sorted(observed.calls, key=lambda c: (c.kind, c.name)):
        if call.kind in NAMED_CALLS:
            if label_name(call.kind, call.name) not in described[call.kind]:
                unplanned.append(call)
                result.items.append(Addition("unplanned-event", call.name, None, call.messages, call.messages))
            continue
        if call.kind != "track" or call.name == "(no name)" or call.name in vendor_events:
            continue
        event = wire_events.get(call.name)
        if event is None:
            unplanned.append(call)
            result.items.append(Addition("unplanned-event", call.name, None, call.messages, call.messages))
            continue
        props = {shape.wire_property(p.name): p for p in carried_properties(plan, event)}
        seen = top.get((call.kind, call.name), {})
        for key, stats in sorted(seen.items()):
            prop = props.get(key)
            if prop is None:
                if event.additional_properties and key not in vendor_params:
                    result.items.append(Addition("unplanned-property", call_label("track", call.name), key,
                                                 stats.present, call.messages))
                continue
            if prop.enum is not None and stats.strings:
                values = tuple(v for v in stats.top_texts if v not in prop.enum)
                beyond = max(stats.distinct_texts - len(stats.top_texts), 0)
                if values:
                    shown = () if prop.pii else values
                    result.items.append(Addition("unplanned-enum-value", call.name, key, stats.strings,
                                                 call.messages, shown, len(values) - len(shown) + beyond))
        for prop in payload_properties(plan, event):  # a variant's requirements hold for its messages only
            key = shape.wire_property(prop.name)
            if prop.required and event.status == "active":
                present = seen[key].present if key in seen else 0
                if present < limits.required_share * call.messages:
                    result.items.append(Addition("often-missing", call.name, key, present, call.messages))
    if unplanned:
        keep = {(c.kind, c.name) for c in unplanned}
        subset = Observed([c for c in observed.calls if (c.kind, c.name) in keep],
                          [p for p in observed.paths if (p.kind, p.name) in keep], observed.shape, observed.files)
        result.new = inferred_plan(subset, plan.id, limits)
    return result
