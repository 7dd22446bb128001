"""What `status` found: where each planned event is sent, per platform, and the findings — one model that every
renderer (text, JSON, Markdown, SARIF, GitHub annotations) and the report read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tracking_plan.core.diagnostics import Diagnostic, Location, Severity


@dataclass(frozen=True)
class Check:
    id: str
    severity: Severity
    summary: str
    fails_on: tuple[str, ...]
    """The --fail-on levels that make this check's findings exit 1 (besides `any`)."""


CHECKS: Mapping[str, Check] = {c.id: c for c in (
    Check("unplanned-event", Severity.ERROR, "The code sends an event the plan does not define.", ("unplanned",)),
    Check("deprecated-event", Severity.WARNING, "The code still sends a deprecated event (the plan names what to "
          "send instead).", ("unplanned",)),
    Check("unplanned-platform", Severity.WARNING, "The code of a platform sends an event the plan does not list "
          "for that platform.", ("unplanned",)),
    Check("unplanned-property", Severity.ERROR, "A call sends a property key the plan does not define for the event "
          "(written inline, on an event that allows no other properties).", ("unplanned",)),
    Check("missing-property", Severity.ERROR, "A call written with literal property keys leaves out a required "
          "property of the event.", ("unplanned",)),
    Check("not-implemented", Severity.WARNING, "An active event planned for a platform is sent nowhere in that "
          "platform's code.", ("missing",)),
    Check("dynamic-name", Severity.INFO, "An event name is computed at run time: status cannot tell which event "
          "it is, so it lists the call instead of guessing.", ()),
)}
FAIL_ON = ("unplanned", "missing", "any", "never")


@dataclass(frozen=True, slots=True)
class Sighting:
    """One call that sends an event."""

    file: str
    line: int
    column: int
    platform: str
    via: str
    """`tracker` (the generated code) or the SDK's vendor: segment, rudderstack, amplitude, firebase."""
    sent: str
    """The name as written: the event name, or the tracker method."""

    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    message: str
    file: str | None = None
    line: int = 0
    column: int = 0
    event: str | None = None
    platform: str | None = None
    hint: str | None = None

    @property
    def severity(self) -> Severity:
        return CHECKS[self.check].severity


@dataclass(frozen=True)
class EventStatus:
    event: str
    owner: str | None
    status: str
    planned: tuple[str, ...]
    """The platforms the plan sends it from (all scanned platforms when the event lists none)."""
    sent: Mapping[str, tuple[Sighting, ...]]
    """Platform → the calls sending it there."""
    missing: tuple[str, ...]
    """Scanned platforms it is planned for and never sent from."""


@dataclass(frozen=True)
class StatusResult:
    roots: tuple[str, ...]
    files: int
    platforms: Mapping[str, int]
    """Each scanned platform and how many source files it has."""
    events: tuple[EventStatus, ...]
    findings: tuple[Finding, ...]
    cached: int = 0
    """Files whose facts came from the cache."""
    skipped: tuple[str, ...] = field(default=())
    """Files that could not be read (not UTF-8, unreadable), said rather than dropped."""

    def failed(self, level: str) -> bool:
        if level == "never":
            return False
        return any(level == "any" or level in CHECKS[f.check].fails_on for f in self.findings)

    def coverage(self) -> list[dict[str, Any]]:
        """Per squad: planned (active event, scanned platform) pairs, and how many are sent."""
        totals: dict[str, list[int]] = {}
        for event in self.events:
            if event.status != "active":
                continue
            pairs = [p for p in event.planned if p in self.platforms]
            row = totals.setdefault(event.owner or "(no owner)", [0, 0])
            row[0] += len(pairs)
            row[1] += sum(1 for p in pairs if event.sent.get(p))
        return [{"squad": squad, "planned": planned, "sent": sent,
                 "coverage": round(sent / planned, 4) if planned else None}
                for squad, (planned, sent) in sorted(totals.items())]


def diagnostics(result: StatusResult) -> list[Diagnostic]:
    """The findings in the findings model every annotation format reads (SARIF, GitHub)."""
    return [Diagnostic(f.check, f.severity, f.message, Location(f.file, f.line, f.column) if f.file else None,
                       f.hint) for f in result.findings]
