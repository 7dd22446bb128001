"""The report as one self-contained HTML file: inline CSS, JS and SVG, no network access, and every
piece of plan text escaped (a `<script>` in a description shows as text)."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

BAR_HEIGHT = 22
CHART_WIDTH = 640


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("tracking_plan.report", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def squad_bars(report: dict[str, Any]) -> dict[str, Any]:
    """Events per squad, as bars of an SVG chart."""
    squads = [(s["name"], len(s["events"])) for s in report["squads"]]
    most = max((n for _, n in squads), default=0) or 1
    label_width = 170
    scale = (CHART_WIDTH - label_width - 40) / most
    bars = [{"label": name, "count": n, "y": i * BAR_HEIGHT, "width": round(scale * n)}
            for i, (name, n) in enumerate(squads)]
    return {"bars": bars, "height": max(len(bars), 1) * BAR_HEIGHT, "label_width": label_width}


def growth_line(report: dict[str, Any]) -> dict[str, Any] | None:
    """Events at the end of each month, as an SVG polyline."""
    history = report["history"]
    if not history or len(history["monthly"]) < 2:
        return None  # one month is no line: the table says it
    months = history["monthly"]
    height, left, bottom = 180, 40, 24
    most = max(m["events"] for m in months) or 1
    step = (CHART_WIDTH - left - 20) / max(len(months) - 1, 1)
    points = [(left + i * step, height - bottom - (height - bottom - 10) * m["events"] / most)
              for i, m in enumerate(months)]
    return {"points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
            "dots": [{"x": f"{x:.1f}", "y": f"{y:.1f}",
                      "label": f"{m['month']}: {m['events']} event{'' if m['events'] == 1 else 's'}"}
                     for (x, y), m in zip(points, months, strict=True)],
            "first": months[0]["month"], "last": months[-1]["month"], "most": most, "height": height,
            "baseline": height - bottom}


def render(report: dict[str, Any]) -> str:
    template = _environment().get_template("report.html.j2")
    squads = sorted({e["owner"] or "(no owner)" for e in report["events"]})
    return template.render(report=report, bars=squad_bars(report), growth=growth_line(report), width=CHART_WIDTH,
                           bar_height=BAR_HEIGHT, squads=squads)
