"""`--format json`: everything, with pinned field names; `report --status` reads it back."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from tracking_plan.status.model import EventStatus, Finding, Sighting, StatusResult


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


def result(data: dict[str, Any], roots: tuple[str, ...]) -> StatusResult:
    """The result a document holds (the cache keeps the last run's this way)."""
    events = tuple(EventStatus(
        e["event"], e["owner"], e["status"], tuple(e["planned"]),
        {platform: tuple(Sighting(s["file"], s["line"], s["column"], platform, s["via"], s["name"]) for s in found)
         for platform, found in e["sent"].items()}, tuple(e["missing"])) for e in data["events"])
    findings = tuple(Finding(f["check"], f["message"], f["file"], f["line"], f["column"], f["event"], f["platform"],
                             f["hint"]) for f in data["findings"])
    summary = data["summary"]
    return StatusResult(roots, summary["files"], summary["platforms"], events, findings, summary["files"],
                        tuple(data["skipped"]))


def render(result: StatusResult) -> str:
    """One event, finding or squad per line: readable in a diff, and written by json's C encoder (an indented
    document of 20,000 calls takes json's Python encoder a second)."""
    parts = []
    for key, value in document(result).items():
        if isinstance(value, list) and value:
            items = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in value)
            parts.append(f"  {json.dumps(key)}: [\n{items}\n  ]")
        else:
            parts.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def read(path: str) -> dict[str, Any]:
    """A document this renderer wrote (`status --format json`), for `report --status`."""
    from tracking_plan.core.diagnostics import UsageError

    hint = "Write it with: tracking-plan status --format json > status.json"
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror or error}.", hint) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise UsageError(f"{path} is not a JSON document: {error}.", hint) from None
    try:
        platforms = data["summary"]["platforms"]
        events = data["events"]
        coverage = data["coverage"]
        well_formed = isinstance(platforms, dict) and isinstance(events, list) and isinstance(coverage, list) and all(
            isinstance(e, dict) and isinstance(e.get("event"), str) and isinstance(e.get("sent"), dict)
            and isinstance(e.get("missing"), list) for e in events)
    except (KeyError, TypeError):
        well_formed = False
    if not well_formed:
        raise UsageError(f"{path} is not the output of 'tracking-plan status --format json'.", hint)
    return dict(data)
