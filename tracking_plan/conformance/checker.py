"""One message at a time: the checks `validate` runs in SQL, for the collector, which judges each event as it
arrives. Same check ids, same property paths, same reading of the plan (a test holds this checker to
`validate`'s answers on every fixture), and the same rule for samples: a property marked `pii` shows its type
and length, never its value.

The plan is compiled once into closures per event; checking a message walks only what the plan names.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tracking_plan.conformance.formats import FORMATS
from tracking_plan.conformance.patterns import end_anchored
from tracking_plan.core.model import Event, Plan, Property, json_type, payload_properties

_SAMPLE_WIDTH = 60
_TYPE_KINDS = {"string": {"string"}, "integer": {"integer"}, "number": {"integer", "number"},
               "boolean": {"boolean"}, "object": {"object"}, "array": {"array"}, "null": {"null"}}


@dataclass(frozen=True)
class Finding:
    check: str
    property: str | None
    sample: str | None


@dataclass(frozen=True)
class Verdict:
    event: str
    """The plan's name for it (or the name it was sent with, when unplanned); identify calls are `identify`."""
    planned: bool
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        return not self.findings


def _raw(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def value_kind(value: Any) -> str:
    """A collected value's JSON type as JSON Schema 2020-12 reads it: a number with no fractional part is an
    integer (`2.0`, `-0.0`), whatever its size."""
    kind = json_type(value)
    if kind == "number" and math.isfinite(value) and float(value).is_integer():
        return "integer"
    return kind


def shown(value: Any, pii: bool, check: str = "") -> str:
    """A sample of the value: its text, cut short; for a property marked pii (and a property the plan does not
    list, which may be personal), its type and length only: a text's length in characters, else its JSON's."""
    kind = value_kind(value)
    if pii or check == "unplanned-property":
        return f"{kind} of length {len(value) if isinstance(value, str) else len(_raw(value))}"
    text = value if isinstance(value, str) else _raw(value)
    return f"{kind}: {_raw(value)[:_SAMPLE_WIDTH]}" if check == "wrong-type" else text[:_SAMPLE_WIDTH]


Rule = Callable[[dict[str, Any], list[Finding]], None]
"""Checks one object (the message's properties or traits, or an object inside them), adding what it finds."""


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _value_checks(prop: Property, label: str, pii: bool, traits: bool) -> Callable[[Any], list[tuple[str, str]]]:
    """(check, sample) for a present value of the property, in the order `validate` applies them."""
    named = (lambda check: "trait") if traits else (lambda check: check)
    allowed = set().union(*(_TYPE_KINDS.get(t, set()) for t in prop.type)) if "any" not in prop.type else set()
    if allowed and prop.enum is not None and None in prop.enum:
        allowed.add("null")
    enum = prop.enum
    texts = {v for v in enum or () if isinstance(v, str)}
    numbers = {float(v) for v in enum or () if _number(v) is not None and math.isfinite(float(v))}
    booleans = {v for v in enum or () if isinstance(v, bool)}
    c = prop.constraints
    pattern = re.compile(end_anchored(c.pattern)) if c.pattern is not None and _compiles(c.pattern) else None
    fmt = re.compile(FORMATS[c.format]) if c.format in FORMATS else None
    outside: list[tuple[float, Callable[[float, float], bool]]] = [
        (bound, test) for bound, test in ((c.minimum, operator.lt), (c.maximum, operator.gt),
                                          (c.exclusive_minimum, operator.le), (c.exclusive_maximum, operator.ge))
        if bound is not None and math.isfinite(bound)]

    def check(value: Any) -> list[tuple[str, str]]:
        kind = value_kind(value)
        if allowed and kind not in allowed:
            return [(named("wrong-type"), shown(value, pii, "wrong-type"))]
        failed = []
        if enum is not None and kind != "null":
            number = _number(value)
            if not ((kind == "string" and value in texts) or (number is not None and number in numbers) or (
                    kind == "boolean" and value in booleans)):
                failed.append("enum")
        if kind == "string":
            if pattern is not None and not pattern.search(value):
                failed.append("pattern")
            if fmt is not None and not fmt.fullmatch(value):
                failed.append("format")
            length = len(value)
            if (c.min_length is not None and length < c.min_length) or (
                    c.max_length is not None and length > c.max_length):
                failed.append("length")
        elif kind in ("integer", "number"):
            if any(test(float(value), bound) for bound, test in outside):
                failed.append("range")
        elif kind == "array" and ((c.min_items is not None and len(value) < c.min_items) or (
                c.max_items is not None and len(value) > c.max_items)):
            failed.append("items")
        if not failed:  # the common case: no sample to make
            return []
        sample = shown(value, pii)
        return [(named(check), f"list of {len(value)} items" if check == "items" else sample) for check in failed]

    return check


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _object_rules(props: tuple[Property, ...], closed: bool, label: str, traits: bool, pii: bool,
                  wire: Callable[[str], str], others: Property | None = None) -> Rule:
    """An object's rule: its listed members, the schema of every other key (`others`), closed or open."""
    members = []
    for prop in props:
        key = prop.name if traits else wire(prop.name)
        path = _path(label, key)
        members.append((key, path, prop, _property_rule(prop, path, traits, pii or prop.pii, wire)))
    planned = {key for key, *_ in members}
    rest = (others._replace(required=False), pii or others.pii) if others is not None else None

    def rule(obj: dict[str, Any], found: list[Finding]) -> None:
        for key, path, prop, check in members:
            if key in obj:
                check(obj[key], found)
            elif prop.required:
                found.append(Finding("missing-trait" if traits else "missing-property", path, "(missing)"))
        if rest is not None:
            for key, value in obj.items():
                if key not in planned:
                    _property_rule(rest[0], _path(label, key), traits, rest[1], wire)(value, found)
        elif closed and not traits:
            for key, value in obj.items():
                if key not in planned:
                    found.append(Finding("unplanned-property", _path(label, key),
                                         shown(value, pii, "unplanned-property")))

    return rule


def _path(label: str, key: str) -> str:
    return f"{label}.{key}" if label else key


def _property_rule(prop: Property, path: str, traits: bool, pii: bool,
                   wire: Callable[[str], str]) -> Callable[[Any, list[Finding]], None]:
    values = _value_checks(prop, path, pii, traits)
    closed = not prop.additional_properties and prop.values is None  # with listed members or none (explicitly)
    nested = _object_rules(prop.properties, closed, path, traits, pii, wire, prop.values) \
        if prop.properties or prop.values is not None or closed else None
    items = _property_rule(prop.items._replace(required=False), f"{path}[]", traits, pii, wire) \
        if prop.items is not None else None

    def rule(value: Any, found: list[Finding]) -> None:
        for check, sample in values(value):
            found.append(Finding(check, path, sample))
        if nested is not None and isinstance(value, dict):
            nested(value, found)
        if items is not None and isinstance(value, list):
            seen: set[tuple[str, str | None]] = set()
            for item in value:  # a rule broken by several items counts once, with the first item's sample
                inner: list[Finding] = []
                items(item, inner)
                for finding in inner:
                    if (finding.check, finding.property) not in seen:
                        seen.add((finding.check, finding.property))
                        found.append(finding)

    return rule


class Checker:
    """The plan, compiled for checking one message at a time."""

    def __init__(self, plan: Plan, wire_event: Callable[[str], str] = lambda name: name,
                 wire_property: Callable[[str], str] = lambda name: name) -> None:
        self.plan = plan
        self.events: dict[str, tuple[Event, Rule]] = {}
        for event in plan.events.values():
            self.events[wire_event(event.name)] = (event, _object_rules(
                payload_properties(plan, event), not event.additional_properties, "", False, False, wire_property))
        self.traits = _object_rules(plan.traits, False, "", True, False, lambda name: name)

    def check(self, kind: str, name: str | None, platform: str | None, properties: Any,
              traits: Any = None) -> Verdict:
        found: list[Finding] = []
        if kind == "identify":
            self.traits(traits if isinstance(traits, dict) else {}, found)
            return Verdict("identify", True, tuple(found))
        planned = self.events.get(name or "")
        if planned is None:
            return Verdict(name or "(no name)", False, (Finding("unplanned-event", None, "not in the plan"),))
        event, rule = planned
        if event.status != "active":
            sample = "draft" if event.status == "draft" else \
                f"send {event.replaced_by} instead" if event.replaced_by else "no replacement is named"
            found.append(Finding(f"{event.status}-event", None, sample))
        if event.platforms and platform is not None and platform not in {p.lower() for p in event.platforms}:
            found.append(Finding("unplanned-platform", None, platform))
        rule(properties if isinstance(properties, dict) else {}, found)
        return Verdict(event.name, True, tuple(found))
