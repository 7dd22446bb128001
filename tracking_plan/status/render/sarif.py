"""`--format sarif`: unplanned and deprecated calls (and every other finding) on their source lines."""

from __future__ import annotations

from tracking_plan.lint.render.sarif import LEVEL, document
from tracking_plan.status.model import CHECKS, StatusResult, diagnostics


def render(result: StatusResult) -> str:
    descriptors = [{"id": check.id, "name": "".join(w.capitalize() for w in check.id.split("-")),
                    "shortDescription": {"text": check.summary}, "fullDescription": {"text": check.summary},
                    "defaultConfiguration": {"level": LEVEL[check.severity]}, "properties": {"tags": ["status"]}}
                   for check in CHECKS.values()]
    return document(diagnostics(result), descriptors)
