"""`--format markdown`: a pull-request comment — coverage per squad, the findings, and where each event is sent."""

from __future__ import annotations

from tracking_plan.output.markdown import code, escape
from tracking_plan.status.model import CHECKS, StatusResult


def render(result: StatusResult) -> str:
    platforms = list(result.platforms)
    lines = ["# Is the plan implemented?", "",
             f"{result.files} source files read ({', '.join(f'{p}: {n}' for p, n in result.platforms.items())})."
             if result.platforms else "No source file was found.", ""]
    lines += ["## Coverage per squad", "", "| squad | planned (event, platform) | sent | coverage |",
              "|---|---:|---:|---:|"]
    for row in result.coverage():
        share = f"{row['coverage'] * 100:.0f}%" if row["coverage"] is not None else "—"
        lines.append(f"| {escape(row['squad'])} | {row['planned']} | {row['sent']} | {share} |")
    lines += ["", "## Findings", ""]
    if not result.findings:
        lines.append("None: every call matches the plan.")
    for finding in result.findings:
        where = f"{code(f'{finding.file}:{finding.line}')} " if finding.file else ""
        lines.append(f"- **{finding.check}** ({CHECKS[finding.check].severity.value}) {where}{escape(finding.message)}"
                     + (f" {escape(finding.hint)}" if finding.hint else ""))
    lines += ["", "## Events", "", "| event | owner | status | " + " | ".join(escape(p) for p in platforms) + " |",
              "|---|---|---|" + "---|" * len(platforms)]
    for event in result.events:
        cells = []
        for platform in platforms:
            found = event.sent.get(platform, ())
            if found:
                cells.append("✓ " + ", ".join(code(s.where()) for s in found[:3]) + (" …" if len(found) > 3 else ""))
            elif platform in event.missing:
                cells.append("✗ not sent")
            else:
                cells.append("—")
        lines.append(f"| {escape(event.event)} | {escape(event.owner or '')} | {event.status} | " + " | ".join(cells)
                     + " |")
    if result.skipped:
        lines += ["", "## Not read", "", *[f"- {escape(s)}" for s in result.skipped]]
    return "\n".join(lines) + "\n"


def checks_table() -> str:
    """README's table of status checks, from the registry (a test holds README to it)."""
    rows = ["| check | severity | fails with --fail-on | what it says |", "|---|---|---|---|"]
    for check in CHECKS.values():
        levels = ", ".join((*check.fails_on, "any"))
        rows.append(f"| `{check.id}` | {check.severity.value} | {levels} | {check.summary} |")
    return "\n".join(rows) + "\n"
