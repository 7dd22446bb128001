"""What `infer` did, for its renderers: the calls it saw, what it wrote, and with --against the additions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracking_plan.infer.against import Additions
from tracking_plan.infer.stats import Observed


@dataclass(frozen=True)
class InferResult:
    observed: Observed
    out: str
    written: tuple[str, ...]
    against: str | None = None
    additions: Additions | None = None

    def calls(self) -> list[dict[str, Any]]:
        """Each call seen, as the summaries list it: its volume, time span and platforms (never a value)."""
        properties: dict[tuple[str, str], int] = {}
        for stats in self.observed.paths:
            if len(stats.path) == 1:
                properties[(stats.kind, stats.name)] = properties.get((stats.kind, stats.name), 0) + 1
        return [{"call": c.kind, "name": c.name, "messages": c.messages,
                 "first_seen": c.first_seen.isoformat() if c.first_seen else None,
                 "last_seen": c.last_seen.isoformat() if c.last_seen else None,
                 "platforms": list(c.platforms), "properties": properties.get((c.kind, c.name), 0)}
                for c in sorted(self.observed.calls, key=lambda c: (-c.messages, c.kind, c.name))]

    def items(self) -> list[dict[str, Any]]:
        if self.additions is None:
            return []
        return [{"kind": a.kind, "event": a.event, "property": a.property, "seen": a.seen, "of": a.of,
                 "values": list(a.values), "hidden_values": a.hidden} for a in self.additions.items]
