"""`--format json`: everything, with pinned field names; `report --status` reads it back."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from tracking_plan.status.model import StatusResult


def document(result: StatusResult) -> dict[str, Any]:
    active = [e for e in result.events if e.status == "active"]
    return {
        "summary": {
            "files": result.files, "cached": result.cached, "platforms": dict(result.platforms),
            "active_events": len(active), "sent": sum(1 for e in active if e.sent),
            "never_sent": sum(1 for e in active if not e.sent),
            "findings": dict(sorted(Counter(f.check for f in result.findings).items())),
        },
        "events": [{"event": e.event, "owner": e.owner, "status": e.status, "planned": list(e.planned),
                    "sent": {platform: [{"file": s.file, "line": s.line, "column": s.column, "via": s.via,
                                         "name": s.sent} for s in found] for platform, found in e.sent.items()},
                    "missing": list(e.missing)} for e in result.events],
        "findings": [{"check": f.check, "severity": f.severity.value, "message": f.message, "file": f.file,
                      "line": f.line, "column": f.column, "event": f.event, "platform": f.platform, "hint": f.hint}
                     for f in result.findings],
        "coverage": result.coverage(),
        "skipped": list(result.skipped),
    }


def render(result: StatusResult) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
