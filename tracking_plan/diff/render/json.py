"""`diff --format json`: stable fields for scripts."""

from __future__ import annotations

import json
from typing import Any

from tracking_plan.core.diagnostics import Location
from tracking_plan.diff.compare import Comparison
from tracking_plan.lint.render.json import diagnostic_dict


def _location(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {"file": location.file, "line": location.line, "column": location.column}


def render(comparison: Comparison) -> str:
    document = {
        "base": comparison.base.label,
        "head": comparison.head.label,
        "compatibility": comparison.mode,
        "base_version": comparison.base_version,
        "head_version": comparison.head_version,
        "bump": comparison.bump,
        "required_version": comparison.required_version,
        "version_ok": comparison.version_ok,
        "summary": {impact: comparison.count(impact) for impact in ("breaking", "additive", "cosmetic")},
        "changes": [
            {
                "kind": j.change.kind,
                "impact": j.impact,
                "scope": j.change.scope,
                "event": j.change.event,
                "property": j.change.property,
                "library": j.change.library,
                "message": j.message,
                "why": j.why,
                "producers": "ok" if j.producers_ok else "breaks",
                "consumers": "ok" if j.consumers_ok else "breaks",
                "review": j.review,
                "metrics": list(j.metrics),
                "objectives": list(j.objectives),
                "owner": j.change.owner,
                "base_location": _location(j.change.base_location),
                "head_location": _location(j.change.head_location),
            }
            for j in comparison.changes
        ],
        "diagnostics": [diagnostic_dict(d) for d in comparison.diagnostics],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
