"""Lint: the loader's diagnostics plus the findings of every enabled rule."""

from tracking_plan.lint.engine import LintResult, lint_plan

__all__ = ["LintResult", "lint_plan"]
