"""What the collector received: every event with its verdict, in memory for the inspection API, and appended
to `--out` as NDJSON (Segment-shaped messages `validate` reads back)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracking_plan.collect.wire import Refused
from tracking_plan.conformance.checker import Checker, Verdict
from tracking_plan.conformance.compiled import AUTOMATIC
from tracking_plan.conformance.result import EventResult, ValidationResult, Violation
from tracking_plan.conformance.samples import shown
from tracking_plan.core.destinations import AUTOMATIC_EVENTS
from tracking_plan.core.model import Plan, Property, carried_properties
from tracking_plan.core.naming import closest_name, convert
from tracking_plan.shapes.messages import Message, named_calls, scope_of_label


@dataclass
class Judges:
    """The plan, compiled for each wire: GA4 names events and parameters in snake_case."""
    plan: Plan
    show_values: bool = False
    """`collect --show-values`: the inspection API shows every value as sent (the plan's pii ones still hidden)."""
    checker: Checker = field(init=False)
    ga4_events: dict[str, str] = field(init=False)
    ga4_properties: dict[str, dict[str, str]] = field(init=False)
    """Per planned event, its GA4 parameter names → the plan's property names."""
    owners: dict[str, str | None] = field(init=False)
    vendor_checkers: dict[str, Checker] = field(init=False, default_factory=dict)
    """The plan compiled with a vendor's automatic events and parameters, on the first message of its wire."""

    def __post_init__(self) -> None:
        """Everything a request needs, compiled once per plan (at start and on each --watch reload)."""
        self.checker = Checker(self.plan)

        def snake(name: str) -> str:
            return convert(name, "snake_case")

        self.ga4_events = {snake(name): name for name in self.plan.events}
        self.ga4_properties = {name: {snake(p.name): p.name for p in carried_properties(self.plan, event)}
                               for name, event in self.plan.events.items()}
        self.owners = {name: event.owner for name, event in (*self.plan.events.items(),
                                                             *named_calls(self.plan).items())}

    def judge(self, message: Message, wire: str = "segment") -> Verdict:
        """Every wire's message is judged as --out keeps it (GA4's snake_case names read as the plan's), so that
        `validate` on --out gives the verdict the collector gave; GA4's and Amplitude's with that vendor's automatic
        events and parameters, as --out's records say (their library) and validate reads them."""
        checker = self.checker
        if wire in AUTOMATIC_EVENTS:
            checker = self.vendor_checkers.get(wire) or self.vendor_checkers.setdefault(wire, Checker(
                self.plan, vendor=wire))
        return checker.check(message.kind, message.name, message.platform, message.properties, message.traits)

    def redacted(self, kept: dict[str, Any]) -> dict[str, Any]:
        """The message as the inspection API shows it. Only the values the plan names and does not mark pii are
        shown as sent; every other value — a pii property, a property or trait the plan does not list, the ids,
        the context (the IP, the device) — shows as its type and length, unless --show-values (and a pii one
        always). --out keeps the message as sent: it is the collected data, for `validate`."""
        out: dict[str, Any] = {}
        for key, value in kept.items():
            if key == "context" and isinstance(value, dict):  # its traits are the user's: the plan's rule for them
                out[key] = {k: _redact(v, self.plan.traits, self.show_values) if k == "traits" else
                            v if k == "library" or self.show_values else _masked(v) for k, v in value.items()}
            elif key in _SHOWN or key in ("properties", "traits") or self.show_values:
                out[key] = value  # properties and traits: redacted below, member by member
            else:
                out[key] = _masked(value)
        if kept.get("type") == "identify":
            out["traits"] = _redact(kept.get("traits"), self.plan.traits, self.show_values)
            return out
        event = self.plan.events.get(str(kept.get("event")))
        props = carried_properties(self.plan, event) if event is not None else ()
        if "properties" in kept:
            out["properties"] = _redact(kept.get("properties"), props, self.show_values)
        if "traits" in kept:
            out["traits"] = _redact(kept.get("traits"), self.plan.traits, self.show_values)
        return out

    def ga4_event(self, name: str) -> str:
        return self.ga4_events.get(name, name)

    def ga4_property(self, event: str, key: str) -> str:
        return self.ga4_properties.get(event, {}).get(key, key)


_SHOWN = frozenset({"type", "event", "name", "timestamp", "sentAt", "receivedAt", "originalTimestamp", "messageId",
                    "channel", "version"})
"""What a message says of itself, shown as sent: its kind, name, times and id (no person in them)."""


def _masked(value: Any) -> Any:
    """Every leaf as its type and length; the shape (keys, list lengths) kept, to see what was sent."""
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return f"<{shown(value, True)}>"


def _redact(value: Any, props: tuple[Property, ...], show_values: bool) -> Any:
    """An object's members: the plan's non-pii ones as sent (and, inside, the same rule), pii ones as type and
    length, those the plan does not list as type and length unless `show_values`."""
    if not isinstance(value, dict):
        return value if show_values else _masked(value)
    listed = {prop.name: prop for prop in props}
    out = {}
    for key, member in value.items():
        prop = listed.get(key)
        if prop is None:
            out[key] = member if show_values else _masked(member)
        elif prop.pii:
            out[key] = _masked(member)
        elif prop.properties and isinstance(member, dict):
            out[key] = _redact(member, prop.properties, show_values)
        elif prop.items is not None and prop.items.pii:
            out[key] = _masked(member)
        elif prop.items is not None and prop.items.properties and isinstance(member, list):
            out[key] = [_redact(item, prop.items.properties, show_values) for item in member]
        else:
            out[key] = member
    return out


MAX_KEPT = 100_000
"""Events the inspection API keeps in memory; past it the oldest are dropped (counted in /summary). --out keeps
them all."""


@dataclass
class Store:
    out: Path | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    """Batches are judged in worker threads: ids, the list and --out stay in arrival order."""
    keep_up_to: int = MAX_KEPT
    dropped: int = 0
    next_id: int = 1
    counted: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per event, received and valid: /summary counts every event received, kept or dropped since."""
    checks: Counter[str] = field(default_factory=Counter)

    def add(self, received: list[tuple[str, Message, dict[str, Any], Verdict]], owner_of: dict[str, str | None],
            redact: Callable[[dict[str, Any]], dict[str, Any]] = lambda kept: kept,
            keep: bool = True) -> list[dict[str, Any]]:
        """The records of the events received; kept (counted, listed, written to --out) unless `keep` is False:
        GA4's debug endpoint validates and records nothing, as Google's does."""
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        if not keep:
            return self._records(received, owner_of, redact, now, 0)
        with self.lock:
            return self._add(received, owner_of, redact, now)

    @staticmethod
    def _records(received: list[tuple[str, Message, dict[str, Any], Verdict]], owner_of: dict[str, str | None],
                 redact: Callable[[dict[str, Any]], dict[str, Any]], now: str, first_id: int) -> list[dict[str, Any]]:
        return [{
            "id": first_id + offset, "received_at": now, "source": source, "event": verdict.event,
            "owner": owner_of.get(verdict.event), "planned": verdict.planned, "valid": verdict.valid,
            "did_you_mean": None if verdict.planned or scope_of_label(verdict.event) != "track" else
            closest_name(verdict.event, owner_of),
            "violations": [{"check": f.check, "property": f.property, "sample": f.sample} for f in verdict.findings],
            "message": redact(kept),
        } for offset, (source, _message, kept, verdict) in enumerate(received)]

    def _add(self, received: list[tuple[str, Message, dict[str, Any], Verdict]], owner_of: dict[str, str | None],
             redact: Callable[[dict[str, Any]], dict[str, Any]], now: str) -> list[dict[str, Any]]:
        added = self._records(received, owner_of, redact, now, self.next_id)
        if self.out is not None and added:
            # When each message was received, as Segment's API sets it: `validate --since` and first / last seen
            # read it from --out when the SDK sent no timestamp. Written first: a request --out cannot take (a
            # full disk) is refused whole and kept nowhere, so the SDK's retry does not count it twice.
            lines = "".join(json.dumps({**kept, "receivedAt": now} if isinstance(kept, dict) else kept,
                                       ensure_ascii=False, default=str) + "\n" for _, _, kept, _ in received)
            try:
                with self.out.open("a", encoding="utf-8") as handle:  # one write per request: whole lines
                    handle.write(lines)
                    handle.flush()
            except OSError as error:
                raise Refused(503, f"--out cannot be written ({error.strerror or error}): the events were not "
                                   "taken, send them again.") from None
        self.next_id += len(added)
        self.records.extend(added)
        for record in added:
            counts = self.counted.setdefault(record["event"], {"received": 0, "valid": 0})
            counts["received"] += 1
            counts["valid"] += record["valid"]
            self.checks.update(v["check"] for v in record["violations"])
        excess = len(self.records) - self.keep_up_to
        if excess > 0:  # the oldest go first
            del self.records[:excess]
            self.dropped += excess
        return added

    def select(self, event: str | None, valid: bool | None) -> list[dict[str, Any]]:
        return [r for r in self.records if (event is None or r["event"] == event)
                and (valid is None or r["valid"] == valid)]

    def summary(self) -> dict[str, Any]:
        """Every event received since the start (or the last reset), kept in memory or dropped since."""
        with self.lock:
            received = sum(c["received"] for c in self.counted.values())
            valid = sum(c["valid"] for c in self.counted.values())
            return {"received": received, "valid": valid, "invalid": received - valid,
                    "events": {name: dict(c) for name, c in sorted(self.counted.items())},
                    "checks": dict(sorted(self.checks.items())), "kept": len(self.records),
                    "dropped": self.dropped}

    def result(self, plan: Plan) -> ValidationResult:
        """What arrived, in validate's model: the same report `validate --format json` gives for a file."""
        with self.lock:
            records = list(self.records)
        grouped: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            grouped.setdefault(record["event"], []).append(record)
        events = []
        calls = named_calls(plan)
        for name, items in grouped.items():
            found: dict[tuple[str, str | None], list[str]] = {}
            counts: Counter[tuple[str, str | None]] = Counter()
            for record in items:
                for v in record["violations"]:
                    key = (v["check"], v["property"])
                    counts[key] += 1
                    samples = found.setdefault(key, [])
                    if v["sample"] is not None and v["sample"] not in samples and len(samples) < 2:
                        samples.append(v["sample"])
            event = plan.events.get(name) or calls.get(name)
            times = sorted(r["received_at"] for r in items)
            events.append(EventResult(
                name, event.owner if event else None, items[0]["planned"], event.status if event else
                AUTOMATIC if items[0]["planned"] and scope_of_label(name) == "track" else None,
                len(items), sum(r["valid"] for r in items), times[0], times[-1],
                tuple(sorted((Violation(check, prop, n, tuple(found[(check, prop)]))
                              for (check, prop), n in counts.items()), key=lambda v: (v.check, v.property or ""))),
                None if items[0]["planned"] or scope_of_label(name) != "track" else closest_name(name, plan.events)))
        events.sort(key=lambda e: (e.planned, -e.seen, e.event))
        silent = tuple(sorted(n for n, e in plan.events.items() if e.status == "active" and n not in grouped))
        return ValidationResult(("collector",), "collected", tuple(events), silent)

    def reset(self) -> int:
        with self.lock:
            dropped = len(self.records)
            self.records.clear()
            self.counted.clear()
            self.checks.clear()
            self.dropped = 0
        return dropped
