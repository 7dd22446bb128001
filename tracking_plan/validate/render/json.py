"""`validate --format json`: everything, with pinned field names."""

from __future__ import annotations

import json
from typing import Any

from tracking_plan.conformance.result import EventResult, ValidationResult


def event_dict(event: EventResult) -> dict[str, Any]:
    return {"event": event.event, "owner": event.owner, "planned": event.planned, "status": event.status,
            "seen": event.seen, "valid": event.valid, "first_seen": event.first_seen, "last_seen": event.last_seen,
            "violations": [{"check": v.check, "property": v.property, "count": v.count, "samples": list(v.samples)}
                           for v in event.violations]}


def document(result: ValidationResult) -> dict[str, Any]:
    return {"summary": {**result.summary(), "shape": result.shape, "sources": list(result.sources)},
            "events": [event_dict(e) for e in result.events if e.planned],
            "silent": list(result.silent), "stale": list(result.stale),
            "unplanned": [{"event": e.event, "seen": e.seen, "first_seen": e.first_seen, "last_seen": e.last_seen,
                           "did_you_mean": e.suggestion} for e in result.unplanned]}


def render(result: ValidationResult) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
