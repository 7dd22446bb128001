"""What checking events against the plan finds: per event, how many were seen and valid, when, and each
violation with its count and a few samples. Values of properties marked `pii` never reach this model: the engine
replaces them with their type and length before they leave it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Violation:
    check: str
    property: str | None
    count: int
    samples: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventResult:
    event: str
    owner: str | None
    planned: bool
    status: str | None
    seen: int
    valid: int
    first_seen: str | None
    last_seen: str | None
    violations: tuple[Violation, ...] = ()
    suggestion: str | None = None
    """For an unplanned event, the planned one it most likely meant (a typo: `Checkout Startd`)."""

    @property
    def valid_rate(self) -> float:
        return self.valid / self.seen if self.seen else 1.0


@dataclass(frozen=True)
class ValidationResult:
    sources: tuple[str, ...]
    shape: str
    events: tuple[EventResult, ...]
    silent: tuple[str, ...]
    """Planned active events never seen in the data."""
    stale: tuple[str, ...] = ()
    """Events last seen before --since."""

    @property
    def total(self) -> int:
        return sum(e.seen for e in self.events)

    @property
    def valid(self) -> int:
        return sum(e.valid for e in self.events)

    @property
    def unplanned(self) -> tuple[EventResult, ...]:
        return tuple(e for e in self.events if not e.planned)

    def summary(self) -> dict[str, Any]:
        squads: dict[str, dict[str, int]] = {}
        for event in self.events:
            squad = squads.setdefault(event.owner or "(no owner)", {"seen": 0, "valid": 0})
            squad["seen"] += event.seen
            squad["valid"] += event.valid
        return {
            "events_read": self.total,
            "valid": self.valid,
            "valid_rate": round(self.valid / self.total, 6) if self.total else 1.0,
            "event_names": len(self.events),
            "unplanned_events": len(self.unplanned),
            "silent_events": len(self.silent),
            "violations": sum(v.count for e in self.events for v in e.violations),
            "by_squad": {name: {**counts, "valid_rate": round(counts["valid"] / counts["seen"], 6)
                                if counts["seen"] else 1.0} for name, counts in sorted(squads.items())},
        }
