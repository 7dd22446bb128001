"""`--format json`: the findings and a summary, with stable field names for scripts."""

from __future__ import annotations

import json
from typing import Any

from tracking_plan.core.diagnostics import Diagnostic
from tracking_plan.lint.engine import LintResult


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    loc = d.location
    return {
        "rule": d.rule,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "file": loc.file if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
    }


def render(result: LintResult) -> str:
    document = {
        "diagnostics": [diagnostic_dict(d) for d in result.diagnostics],
        "summary": result.summary(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
