"""Each metric by day, for a terminal: one block per metric, a conversion with its starts and conversions."""

from __future__ import annotations

from typing import Any

from tracking_plan.metrics.local import MetricsReport


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:.0f}"
    return str(value)


def render(report: MetricsReport) -> str:
    shape, results, sources = report.shape, report.metrics, report.files
    lines = [f"{len(results)} metric{'s' if len(results) != 1 else ''} over {sources} file"
             f"{'s' if sources != 1 else ''} ({shape} shape), by day (UTC):"]
    for result in results:
        lines.append("")
        lines.append(f"{result.name} ({result.type})")
        if not result.rows:
            lines.append("  no event of it in the data")
            continue
        header = "  " + "  ".join(f"{c:>12}" if i else f"{c:<10}" for i, c in enumerate(result.columns))
        lines.append(header)
        for row in result.rows:
            lines.append("  " + "  ".join(f"{_number(v):>12}" if i else f"{v or '(no time)':<10}"
                                          for i, v in enumerate(row)))
    return "\n".join(lines) + "\n"
