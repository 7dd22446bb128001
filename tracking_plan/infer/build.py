"""The statistics of the collected events → a draft plan, as the importers build one (importers/model.py), so it
is written the way an import is: a library for the properties several events define alike, a file per first word
(or per group), all at once.

Every choice is a threshold on counts (`Thresholds`), never on a value: a property is required when it is there
in `required_share` of the messages, a text an enum when it has few distinct values seen often enough, a format
when every text meets it. A property whose name or values look personal is marked `pii: true`, and gets no enum:
the inferred plan holds no value of a personal property, and no value of any property but the enum values of
non-personal ones.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from tracking_plan.core.model import UNNAMED
from tracking_plan.importers.model import ImportedEvent, ImportedPlan, call_entry, plan_id
from tracking_plan.infer.stats import ITEM, Observed, PathStats
from tracking_plan.shapes.messages import NAMED_CALLS, SPEC_PROPERTIES


@dataclass(frozen=True)
class Thresholds:
    required_share: float = 0.99
    """A property is required when it is in at least this share of its event's messages (or its objects)."""
    enum_max: int = 20
    """A text property with at most this many distinct values may be an enum..."""
    enum_support: int = 5
    """...when it was seen at least this many times per distinct value, on average."""
    bounds: bool = False
    """Write the numbers' observed minimum and maximum."""
    dictionary_keys: int = 30
    """An object with more distinct keys than this, none in half of its instances, is a dictionary: its keys are
    data (ids, labels), its values one schema (`additional_properties`)."""


_PERSONAL_NAME = re.compile(
    r"(^|[_\W])(e[_-]?mail|email[_-]?address|phone|phone[_-]?number|mobile|telephone|tel|ip|ip[_-]?address|"
    r"first[_-]?name|last[_-]?name|full[_-]?name|given[_-]?name|family[_-]?name|surname|user[_-]?name|address|"
    r"street|postcode|postal[_-]?code|zip|zip[_-]?code|birth[_-]?date|date[_-]?of[_-]?birth|birthday|dob|ssn|"
    r"iban|card[_-]?number|passport)($|[_\W])", re.IGNORECASE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
DESTINATIONS = {"segment": "segment", "amplitude": "amplitude", "ga4": "ga4"}
"""The destination a shape's data comes from, named in the inferred plan's root."""


def personal_name(name: str) -> bool:
    """Whether a property's name says it holds personal data (`email`, `userEmail`, `shipping_address`...)."""
    return bool(_PERSONAL_NAME.search(_CAMEL.sub("_", name)))


def personal_values(stats: PathStats) -> bool:
    """Whether its values do: any text an e-mail address or a phone number, or every one an IP address."""
    return stats.formats["email"] > 0 or stats.phones > 0 or (stats.strings > 0 and
                                                              stats.formats["ipv4"] == stats.strings)


def label_name(kind: str, label: str) -> str:
    """The page's or screen's own name in its label (`page Home` → `Home`)."""
    return label[len(kind) + 1:] if kind in NAMED_CALLS and label.startswith(kind + " ") else label


class _Tree:
    """One call's paths, by path."""

    def __init__(self, paths: list[PathStats]) -> None:
        self.by_path = {p.path: p for p in paths}
        self.children: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for p in paths:
            self.children[p.path[:-1]].append(p.path[-1])

    def keys(self, parent: tuple[str, ...]) -> list[str]:
        return sorted(k for k in self.children.get(parent, ()) if k != ITEM)


def definition(tree: _Tree, stats: PathStats, parent_count: int, limits: Thresholds,
               personal: bool = False) -> dict[str, Any]:
    """The plan's definition of one property from its statistics (its members and items too)."""
    result: dict[str, Any] = {}
    kinds = []
    if stats.strings:
        kinds.append("string")
    if stats.numbers:
        kinds.append("number")
    elif stats.integers:
        kinds.append("integer")
    for kind, count in (("boolean", stats.booleans), ("object", stats.objects), ("array", stats.arrays)):
        if count:
            kinds.append(kind)
    if not kinds:
        result["type"] = "any"
    else:
        if stats.nulls:
            kinds.append("null")
        result["type"] = kinds[0] if len(kinds) == 1 else kinds
    if parent_count and stats.present >= limits.required_share * parent_count:
        result["required"] = True
    personal = personal or personal_name(stats.path[-1]) or personal_values(stats)
    if personal:
        result["pii"] = True
    only_text = stats.strings and stats.strings == stats.present - stats.nulls
    form = next((f for f, n in stats.formats.items() if n == stats.strings), None) if only_text else None
    if form is not None:
        result["format"] = form
    elif only_text and not personal and 0 < len(stats.top_texts) <= limits.enum_max and \
            stats.distinct_texts <= limits.enum_max and \
            stats.strings >= limits.enum_support * len(stats.top_texts):
        result["enum"] = sorted(stats.top_texts)
    if limits.bounds and (stats.integers or stats.numbers) and stats.minimum is not None:
        result["minimum"], result["maximum"] = _number(stats.minimum), _number(stats.maximum)
    if stats.objects:
        _members(tree, stats, limits, personal, result)
    item = tree.by_path.get((*stats.path, ITEM))
    if stats.arrays and item is not None:
        items = definition(tree, item, 0, limits, personal)
        items.pop("required", None)
        result["items"] = items
    return result


def _members(tree: _Tree, stats: PathStats, limits: Thresholds, personal: bool, result: dict[str, Any]) -> None:
    keys = tree.keys(stats.path)
    members = [tree.by_path[(*stats.path, k)] for k in keys]
    if len(keys) > limits.dictionary_keys and all(m.present * 2 < stats.objects for m in members):
        values = [definition(tree, m, 0, limits, personal) for m in members]
        types = Counter(str(v.get("type")) for v in values)
        common = next(v for v in values if str(v.get("type")) == types.most_common(1)[0][0])
        common.pop("required", None)
        common.pop("enum", None)
        result["additional_properties"] = {"type": common.get("type", "any")}
        return
    if keys:
        result["properties"] = {k: definition(tree, m, stats.objects, limits, personal)
                                for k, m in zip(keys, members, strict=True)}


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and value.is_integer() else value


def properties_of(tree: _Tree, messages: int, limits: Thresholds, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: definition(tree, tree.by_path[(k,)], messages, limits) for k in tree.keys(()) if k not in skip}


def inferred_plan(observed: Observed, name: str, limits: Thresholds,
                  groups: dict[tuple[str, str], str] | None = None) -> ImportedPlan:
    """The draft plan: events (or traits, group traits, pages and screens) as seen; `groups` puts an event in a
    folder of its own (`--group-by`)."""
    plan = ImportedPlan(plan_id(name, "inferred-plan"), version="0.1.0")
    by_call: dict[tuple[str, str], list[PathStats]] = defaultdict(list)
    for stats in observed.paths:
        by_call[(stats.kind, stats.name)].append(stats)
    for call in sorted(observed.calls, key=lambda c: (c.kind, c.name)):
        tree = _Tree(by_call.get((call.kind, call.name), []))
        if call.kind == "alias":
            plan.settings["alias"] = True
        elif call.kind in ("identify", "group"):
            traits = properties_of(tree, call.messages, limits)
            (plan.traits if call.kind == "identify" else plan.group_traits).update(traits)
        elif call.kind in NAMED_CALLS:
            props = properties_of(tree, call.messages, limits, SPEC_PROPERTIES[call.kind])
            entry = call_entry(plan, None, props, {"platforms": list(call.platforms)}, call.name)
            plan.calls[f"{call.kind}s"][label_name(call.kind, call.name) or UNNAMED] = entry
        elif call.name != "(no name)":
            event = ImportedEvent(call.name, None, properties_of(tree, call.messages, limits))
            if call.platforms:
                event.metadata["platforms"] = list(call.platforms)
            event.group = (groups or {}).get((call.kind, call.name))
            plan.add(event, call.name)
    destination = DESTINATIONS.get(observed.shape)
    if destination:
        plan.settings["destinations"] = [destination]
        if _personal(plan):  # it goes there today: said, for review, rather than a lint error on every property
            plan.settings["pii_destinations"] = [destination]
    return plan


def _personal(plan: ImportedPlan) -> bool:
    def any_pii(definition: dict[str, Any]) -> bool:
        return bool(definition.get("pii")) or any(any_pii(d) for d in definition.get("properties", {}).values()) \
            or (isinstance(definition.get("items"), dict) and any_pii(definition["items"]))

    every = [*plan.traits.values(), *plan.group_traits.values(), *(d for e in plan.events
                                                                    for d in e.properties.values()),
             *(d for section in plan.calls.values() for entry in section.values()
               for d in entry.get("properties", {}).values())]
    return any(any_pii(d) for d in every)

