"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

Values are escaped as the Actions runner expects: `%`, `\\r`, `\\n` in the message, and also `:` and
`,` in the properties (file, title), which would otherwise end the property early.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracking_plan.core.diagnostics import Diagnostic, Severity
from tracking_plan.lint.engine import LintResult
from tracking_plan.output.terminal import visible

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return visible(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult) -> str:
    return workflow_commands(result.diagnostics)


def workflow_commands(diagnostics: Iterable[Diagnostic]) -> str:
    """One workflow command per diagnostic (lint's findings, status's calls)."""
    lines = []
    for d in diagnostics:
        properties = []
        if d.location is not None:
            properties += [f"file={escape_property(d.location.file)}", f"line={d.location.line}",
                           f"col={d.location.column}"]
        properties.append(f"title={escape_property(d.rule)}")
        message = d.message + (f"\n{d.hint}" if d.hint else "")
        lines.append(f"::{_COMMAND[d.severity]} {','.join(properties)}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)
