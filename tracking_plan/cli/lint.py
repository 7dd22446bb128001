"""`lint` and `rules`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracking_plan.cli.common import (
    PathArgument,
    PlanOption,
    app,
    choices,
    console,
    emit,
    end,
    format_option,
    plan_path,
    say,
)
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.lint.render import FORMATS
from tracking_plan.lint.rules_render import FORMATS as RULES_FORMATS

LintFormat = StrEnum("LintFormat", choices(FORMATS))  # type: ignore[misc]
FailOn = StrEnum("FailOn", choices(("error", "warning", "info", "any", "never")))  # type: ignore[misc]
Preset = StrEnum("Preset", choices(("minimal", "recommended", "strict")))  # type: ignore[misc]
RulesFormat = StrEnum("RulesFormat", choices(RULES_FORMATS))  # type: ignore[misc]


@app.command()
def lint(
    path: PathArgument = None,
    plan_option: PlanOption = None,
    output_format: Annotated[LintFormat, format_option()] = LintFormat("text"),
    fail_on: Annotated[FailOn, typer.Option(help="Lowest severity that makes the exit code 1.")] = FailOn("error"),
    preset: Annotated[Preset | None, typer.Option(help="Overrides lint.preset of tracking-plan.yaml.",
                                                  show_default=False)] = None,
    baseline: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Leave out the findings listed in this baseline file.", show_default=False)] = None,
    write_baseline: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Write the current findings to this baseline file, so later runs only show new ones.",
        show_default=False)] = None,
) -> None:
    """Check the plan: structure, naming, documentation, ownership, personal data, destination limits."""
    path = plan_path(path, plan_option)
    from tracking_plan.core.diagnostics import Severity
    from tracking_plan.lint.engine import baseline_saved, lint_plan

    result = lint_plan(path, preset=preset.value if preset else None,
                       baseline=str(baseline) if baseline and not write_baseline else None)
    if write_baseline is not None:
        say(console(stderr=True), baseline_saved(result, write_baseline, path))
        raise typer.Exit(0)
    emit("tracking_plan.lint.render", output_format.value, result)
    end(1 if result.fails(Severity.threshold(fail_on.value)) else 0)


@app.command()
def rules(
    rule_id: Annotated[str | None, typer.Argument(metavar="RULE", help="A rule id, to explain that rule.",
                                                  show_default=False)] = None,
    output_format: Annotated[RulesFormat, format_option()] = RulesFormat("text"),
) -> None:
    """List the lint rules, or explain one."""
    from tracking_plan.core.naming import did_you_mean
    from tracking_plan.lint.engine import all_rules
    from tracking_plan.lint.rules_render import RulesListing

    known = all_rules()
    selected = known
    if rule_id is not None:
        selected = tuple(rule for rule in known if rule.id == rule_id)
        if not selected:
            raise UsageError(f"There is no rule '{rule_id}'.{did_you_mean(rule_id, [r.id for r in known])}",
                             "'tracking-plan rules' lists them.")
    emit("tracking_plan.lint.rules_render", output_format.value, RulesListing(selected, rule_id is not None))
