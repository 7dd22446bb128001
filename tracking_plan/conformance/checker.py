"""One message at a time: the checks `validate` runs in SQL, for the collector, which judges each event as it
arrives. Same check ids, same property paths, same reading of the plan (a test holds this checker to
`validate`'s answers on every fixture), and the same rule for samples: a property marked `pii` shows its type
and length, never its value.

The rule compiler's rule set (compiled.py, which the local engine and the warehouse query translate too) becomes
closures once per event; checking a message walks only what the plan names.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tracking_plan.conformance.compiled import (
    AUTOMATIC,
    ITEMS,
    WILDCARD,
    EventRule,
    PropertyRule,
    RuleSet,
    compile_plan,
    variant_key,
)
from tracking_plan.conformance.patterns import end_anchored
from tracking_plan.conformance.samples import shown, value_kind
from tracking_plan.core.loader import gc_paused
from tracking_plan.core.model import Plan
from tracking_plan.shapes.messages import TRAIT_CALLS, call_label, scope_of


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


Rule = Callable[[dict[str, Any], list[Finding]], None]
"""Checks one object (the message's properties or traits, or an object inside them), adding what it finds."""


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _value_checks(rule: PropertyRule) -> Callable[[Any], list[tuple[str, str]]]:
    """(check, sample) for a present value of the property, in the order `validate` applies them."""
    named = (lambda check: "trait") if rule.trait else (lambda check: check)
    allowed = set(rule.kinds)
    enum, pii = rule.enum, rule.pii
    texts = set(enum.texts) if enum is not None else set()
    numbers = set(enum.numbers) if enum is not None else set()
    booleans = set(enum.booleans) if enum is not None else set()
    pattern = re.compile(end_anchored(rule.pattern)) if rule.pattern is not None and _compiles(rule.pattern) \
        else None
    fmt = re.compile(rule.format_re) if rule.format_re is not None else None
    outside: list[tuple[float, Callable[[float, float], bool]]] = [
        (bound, test) for bound, test in ((rule.minimum, operator.lt), (rule.maximum, operator.gt),
                                          (rule.exclusive_minimum, operator.le), (rule.exclusive_maximum, operator.ge))
        if bound is not None]
    min_length, max_length, min_items, max_items = rule.min_length, rule.max_length, rule.min_items, rule.max_items

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
            if (min_length is not None and length < min_length) or (max_length is not None and length > max_length):
                failed.append("length")
        elif kind in ("integer", "number"):
            if any(test(float(value), bound) for bound, test in outside):
                failed.append("range")
        elif kind == "array" and ((min_items is not None and len(value) < min_items) or (
                max_items is not None and len(value) > max_items)):
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


Owned = dict[int, list[PropertyRule]]
"""The compiled rules by the rule (or minus the event) that holds them."""


def _object_rules(owner: int, owned: Owned, closed: bool, required: tuple[str, ...], label: str, trait: bool,
                  pii: bool, known: frozenset[str] = frozenset()) -> Rule:
    """An object's rule: its listed members, the schema of every other key (the `*` rule), closed or open."""
    members = []
    others: PropertyRule | None = None
    for member in owned.get(owner, ()):
        if member.key == WILDCARD:
            others = member
        elif member.key != ITEMS:
            path = _path(label, member.key)
            members.append((member.key, path, member.key in required, _property_rule(member, owned, path)))
    planned = {key for key, *_ in members} | known

    def rule(obj: dict[str, Any], found: list[Finding]) -> None:
        for key, path, is_required, check in members:
            if key in obj:
                check(obj[key], found)
            elif is_required:
                found.append(Finding("missing-trait" if trait else "missing-property", path, "(missing)"))
        if others is not None:
            for key, value in obj.items():
                if key not in planned:
                    _property_rule(others, owned, _path(label, key))(value, found)
        elif closed and not trait:
            for key, value in obj.items():
                if key not in planned:
                    found.append(Finding("unplanned-property", _path(label, key),
                                         shown(value, pii, "unplanned-property")))

    return rule


def _path(label: str, key: str) -> str:
    return f"{label}.{key}" if label else key


def _property_rule(rule: PropertyRule, owned: Owned, path: str) -> Callable[[Any, list[Finding]], None]:
    values = _value_checks(rule)
    nested = _object_rules(rule.rule_id, owned, rule.closed, rule.required, path, rule.trait, rule.pii) \
        if rule.members else None
    item_rule = next((r for r in owned.get(rule.rule_id, ()) if r.key == ITEMS), None) if rule.items else None
    items = _property_rule(item_rule, owned, f"{path}[]") if item_rule is not None else None

    def check(value: Any, found: list[Finding]) -> None:
        for name, sample in values(value):
            found.append(Finding(name, path, sample))
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

    return check


class Checker:
    """The plan, compiled for checking one message at a time."""

    def __init__(self, plan: Plan, wire_event: Callable[[str], str] = lambda name: name,
                 wire_property: Callable[[str], str] = lambda name: name, vendor: str | None = None) -> None:
        self.plan = plan
        compiled = compile_plan(plan, wire_event, wire_property, vendor)
        self.events: dict[tuple[str, str], tuple[EventRule, Rule]] = {}
        """By call (scope) and name on the wire."""
        self.variants: dict[tuple[str, str], Rule] = {}
        """The variants' rules, by the event's name on the wire and the discriminator's value."""
        with gc_paused(freeze=False):  # closures by the hundred thousand, and no cycle among them
            self._compile(compiled)

    def _compile(self, compiled: RuleSet) -> None:
        owned = compiled.children()
        for event in compiled.events:
            rule = _object_rules(-event.event_id, owned, event.closed, event.required, "", event.scope in TRAIT_CALLS,
                                 False, frozenset(compiled.known) if event.scope == "track" else frozenset())
            if event.variant is not None:
                self.variants[(event.wire, event.variant)] = rule
            else:
                self.events[(event.scope, event.wire)] = (event, rule)

    def check(self, kind: str, name: str | None, platform: str | None, properties: Any,
              traits: Any = None) -> Verdict:
        scope = scope_of(kind)
        planned = self.events.get((scope, name or ""))
        if planned is None:
            return Verdict(name or "(no name)", False, (Finding("unplanned-event", None, "not in the plan"),))
        event, rule = planned
        found: list[Finding] = []
        if event.status not in ("active", AUTOMATIC):  # a vendor's automatic event: counted, judged on nothing
            sample = "draft" if event.status == "draft" else \
                f"send {event.replaced_by} instead" if event.replaced_by else "no replacement is named"
            found.append(Finding(f"{event.status}-event", None, sample))
        if event.platforms and platform is not None and platform not in event.platforms:
            found.append(Finding("unplanned-platform", None, platform))
        payload = traits if scope in TRAIT_CALLS else properties
        payload = payload if isinstance(payload, dict) else {}
        if event.discriminator is not None:
            key = variant_key(payload.get(event.discriminator))
            rule = self.variants.get((event.wire, key), rule) if key is not None else rule
        rule(payload, found)
        return Verdict(call_label(scope, event.name), True, tuple(found))
