"""What a rule's check receives: the plan, the rule's options, and indexes shared by all rules.

Indexes are computed once per run, on first use, so that no rule walks the plan more than once
per question and none is quadratic in the number of events.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from tracking_plan.core.destinations import Profile
from tracking_plan.core.model import Event, Plan, Property, data_key_paths


class PropertyUse(NamedTuple):
    """A property where it is used: in an event (or None for traits and global properties)."""

    event: Event | None
    path: str
    prop: Property
    variant: str | None = None
    """The variant of the event that writes it (what its case changes or adds), if any."""


class PlanIndex:
    def __init__(self, plan: Plan, destinations: Mapping[str, Profile]) -> None:
        self.plan = plan
        self.destinations = destinations

    def prepare(self) -> None:
        """Compute the shared views now, before rules run in two processes: each then reads them instead of
        computing them again."""
        _ = (self.uses, self.defined, self.data_keys, self.library_uses)  # each a cached property

    @cached_property
    def uses(self) -> tuple[PropertyUse, ...]:
        """Every property of every event (page and screen) at any depth, the properties its variants write
        included, then traits, global properties and group traits."""
        result: list[PropertyUse] = []
        append = result.append
        for event in (*self.plan.events.values(), *self.plan.pages.values(), *self.plan.screens.values()):
            written = ((v.value, p) for v in event.variants for p in v.written())
            for variant, top in (*((None, p) for p in event.properties), *written):
                if top.items is None and not top.properties:
                    append(PropertyUse(event, top.name, top, variant))
                else:
                    result.extend(PropertyUse(event, path, prop, variant) for path, prop in top.walk())
        for group in (self.plan.traits, self.plan.global_properties, self.plan.group_traits):
            result.extend(PropertyUse(None, path, prop) for top in group for path, prop in top.walk())
        return tuple(result)

    @cached_property
    def defined(self) -> tuple[PropertyUse, ...]:
        """Every place a property is defined or named: library definitions, and uses that are not mere
        by-name references to the library (those are reported once, at the library's definition).
        Array item nodes (`products[]`) and value schemas (`labels{}`) are left out: their parent describes them."""
        result = list(self.library_uses)
        for use in self.uses:
            prop = use.prop
            if prop.ref is not None and prop.ref == prop.name and not prop.fields.written_here("ref"):
                continue
            if not use.path.endswith(("[]", "{}")):
                result.append(use)
        return tuple(u for u in result if not u.path.endswith(("[]", "{}")))

    @cached_property
    def data_keys(self) -> frozenset[tuple[str | None, str]]:
        """(event name or None, path) of the properties listed under dictionary-like objects: their names are
        data, so the rules about names leave them alone."""
        found: set[tuple[str | None, str]] = set()
        for event in self.plan.events.values():
            for top in event.properties:
                if top.properties or top.items is not None or top.values is not None:  # leaves hold no keys
                    found.update((event.name, path) for path in data_key_paths(top))
        for group in (self.plan.traits, self.plan.global_properties, tuple(self.plan.library.values())):
            for top in group:
                if top.properties or top.items is not None or top.values is not None:
                    found.update((None, path) for path in data_key_paths(top))
        return frozenset(found)

    def is_data_key(self, use: PropertyUse) -> bool:
        return bool(self.data_keys) and (use.event.name if use.event else None, use.path) in self.data_keys

    @cached_property
    def library_uses(self) -> tuple[PropertyUse, ...]:
        return tuple(PropertyUse(None, path, prop) for top in self.plan.library.values() for path, prop in top.walk())


@dataclass(frozen=True)
class RuleContext:
    plan: Plan
    index: PlanIndex
    options: Mapping[str, Any]

    def profile(self, destination: str) -> Profile | None:
        return self.index.destinations.get(destination)

    def described(self) -> Iterator[tuple[str, Event]]:
        """What the plan describes as events are, with the noun findings name it by: its events, then its pages
        and screens (the page() and screen() calls)."""
        for noun, described in (("Event", self.plan.events), ("Page", self.plan.pages), ("Screen", self.plan.screens)):
            for event in described.values():
                yield noun, event

