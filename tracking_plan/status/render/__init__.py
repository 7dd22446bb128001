"""Renderers of a StatusResult, one module per --format, each a pure function of the result."""

from __future__ import annotations

from tracking_plan.core.diagnostics import Diagnostic, Location
from tracking_plan.status.model import StatusResult


def diagnostics(result: StatusResult) -> list[Diagnostic]:
    """The findings in the findings model every annotation format reads (SARIF, GitHub)."""
    return [Diagnostic(f.check, f.severity, f.message, Location(f.file, f.line, f.column) if f.file else None,
                       f.hint) for f in result.findings]
