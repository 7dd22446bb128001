"""`--format github`: workflow commands that annotate the calls in a pull request."""

from __future__ import annotations

from tracking_plan.lint.render.github import workflow_commands
from tracking_plan.status.model import StatusResult, diagnostics


def render(result: StatusResult) -> str:
    return workflow_commands(diagnostics(result))
