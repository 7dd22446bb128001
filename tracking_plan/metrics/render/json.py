"""Each metric by day, as JSON for scripts: `{shape, metrics: [{name, type, rows: [{day, value, ...}]}]}`."""

from __future__ import annotations

import json

from tracking_plan.metrics.local import MetricsReport


def render(report: MetricsReport) -> str:
    shape, results, sources = report.shape, report.metrics, report.files
    document = {"shape": shape, "files": sources, "metrics": [
        {"name": r.name, "type": r.type, "rows": [dict(zip(r.columns, row, strict=True)) for row in r.rows]}
        for r in results]}
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
