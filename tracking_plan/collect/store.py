"""What the collector received: every event with its verdict, in memory for the inspection API, and appended
to `--out` as NDJSON (Segment-shaped messages `validate` reads back)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracking_plan.conformance.checker import Checker, Verdict
from tracking_plan.core.model import Plan
from tracking_plan.core.naming import convert
from tracking_plan.shapes.messages import Message


@dataclass
class Judges:
    """The plan, compiled for each wire: GA4 names events and parameters in snake_case."""
    plan: Plan
    checker: Checker = field(init=False)
    ga4: Checker = field(init=False)
    ga4_events: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.checker = Checker(self.plan)
        def snake(name: str) -> str:
            return convert(name, "snake_case")

        self.ga4 = Checker(self.plan, snake, snake)
        self.ga4_events = {snake(name): name for name in self.plan.events}

    def judge(self, source: str, message: Message) -> Verdict:
        checker = self.ga4 if source == "ga4" else self.checker
        return checker.check(message.kind, message.name, message.platform, message.properties, message.traits)

    def ga4_event(self, name: str) -> str:
        return self.ga4_events.get(name, name)

    def ga4_property(self, event: str, key: str) -> str:
        planned = self.plan.events.get(event)
        names = [p.name for p in planned.properties] if planned else []
        names += [p.name for p in self.plan.global_properties]
        return next((n for n in names if convert(n, "snake_case") == key), key)


@dataclass
class Store:
    out: Path | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    """Batches are judged in worker threads: ids, the list and --out stay in arrival order."""

    def add(self, received: list[tuple[str, Message, dict[str, Any], Verdict]], owner_of: dict[str, str | None]) \
            -> list[dict[str, Any]]:
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        with self.lock:
            return self._add(received, owner_of, now)

    def _add(self, received: list[tuple[str, Message, dict[str, Any], Verdict]], owner_of: dict[str, str | None],
             now: str) -> list[dict[str, Any]]:
        added = []
        for source, _message, kept, verdict in received:
            record = {
                "id": len(self.records) + 1, "received_at": now, "source": source, "event": verdict.event,
                "owner": owner_of.get(verdict.event), "planned": verdict.planned, "valid": verdict.valid,
                "violations": [{"check": f.check, "property": f.property, "sample": f.sample}
                               for f in verdict.findings],
                "message": kept,
            }
            self.records.append(record)
            added.append(record)
        if self.out is not None and added:
            lines = "".join(json.dumps(r["message"], ensure_ascii=False, default=str) + "\n" for r in added)
            with self.out.open("a", encoding="utf-8") as handle:  # one write per request: whole lines
                handle.write(lines)
                handle.flush()
        return added

    def select(self, event: str | None, valid: bool | None) -> list[dict[str, Any]]:
        return [r for r in self.records if (event is None or r["event"] == event)
                and (valid is None or r["valid"] == valid)]

    def summary(self) -> dict[str, Any]:
        by_event: dict[str, dict[str, int]] = {}
        checks: Counter[str] = Counter()
        for record in self.records:
            counts = by_event.setdefault(record["event"], {"received": 0, "valid": 0})
            counts["received"] += 1
            counts["valid"] += record["valid"]
            checks.update(v["check"] for v in record["violations"])
        valid = sum(r["valid"] for r in self.records)
        return {"received": len(self.records), "valid": valid, "invalid": len(self.records) - valid,
                "events": dict(sorted(by_event.items())), "checks": dict(sorted(checks.items()))}

    def reset(self) -> int:
        with self.lock:
            dropped = len(self.records)
            self.records.clear()
        return dropped
