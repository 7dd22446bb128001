"""Runs the loader and the enabled rules over one plan and gathers their findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tracking_plan.diagnostics import Diagnostic, Severity
from tracking_plan.loader import load_plan
from tracking_plan.model import Plan


@dataclass(frozen=True)
class LintResult:
    plan: Plan | None
    diagnostics: tuple[Diagnostic, ...]
    files: int
    silenced: int = 0
    """Findings that an event or property silenced with lint_ignore: counted, never hidden."""
    baselined: int = 0
    """Findings present in the baseline file, so not shown."""
    silenced_by_rule: dict[str, int] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def fails(self, fail_on: Severity | None) -> bool:
        """Whether any finding is at or above `fail_on` (None: never fail)."""
        if fail_on is None:
            return False
        return any(d.severity.rank >= fail_on.rank for d in self.diagnostics)

    def summary(self) -> dict[str, int]:
        counts = Counter(d.severity.value for d in self.diagnostics)
        return {
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
            "silenced": self.silenced,
            "baselined": self.baselined,
            "files": self.files,
            "events": len(self.plan.events) if self.plan else 0,
            "properties": len(self.plan.library) if self.plan else 0,
        }


def lint_plan(path: str | None) -> LintResult:
    loaded = load_plan(path)
    files = len(loaded.plan.files) if loaded.plan else len({d.location.file for d in loaded.diagnostics if d.location})
    return LintResult(loaded.plan, loaded.diagnostics, files)
