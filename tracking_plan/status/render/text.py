"""`--format text` (default): the findings with their file:line, then coverage per platform and squad."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from tracking_plan.core.diagnostics import Severity
from tracking_plan.output.terminal import visible, visible_name
from tracking_plan.status.model import StatusResult

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(result: StatusResult) -> Group:
    parts: list[Text] = []
    for finding in result.findings:
        line = Text()
        if finding.file:
            line.append(f"{visible_name(finding.file)}:{finding.line}:{finding.column}", style="bold")
            line.append(" ")
        line.append(f"{finding.severity.value} ", style=_STYLE[finding.severity])
        line.append(visible(finding.message))
        line.append(f" [{finding.check}]", style="dim")
        if finding.hint:
            line.append("\n  hint: ", style="green")
            line.append(visible(finding.hint))
        parts.append(line)
    active = [e for e in result.events if e.status == "active"]
    summary = Text()
    if parts:
        summary.append("\n")
    platforms = ", ".join(f"{name} ({count})" for name, count in result.platforms.items()) or "none"
    summary.append(f"{result.files} source files read ({result.cached} unchanged since the last run); platforms: "
                   f"{visible(platforms)}.\n")
    for platform in result.platforms:
        planned = [e for e in active if platform in e.planned]
        sent = sum(1 for e in planned if e.sent.get(platform))
        summary.append(f"  {visible(platform)}: {sent} of {len(planned)} planned events sent\n")
    for row in result.coverage():
        if row["planned"]:
            summary.append(f"  squad {visible(row['squad'])}: {row['sent']} of {row['planned']} "
                           f"({row['coverage'] * 100:.0f}%)\n")
    counts: dict[str, int] = {}
    for finding in result.findings:
        counts[finding.check] = counts.get(finding.check, 0) + 1
    summary.append(", ".join(f"{n} {check}" for check, n in sorted(counts.items())) or "No findings.",
                   style="bold")
    for skipped in result.skipped:
        summary.append(f"\nnot read: {visible_name(skipped)}", style="yellow")
    parts.append(summary)
    return Group(*parts)
