"""`report`."""

from __future__ import annotations

import sys
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
    format_option,
    plan_path,
    refuse,
    rendered,
    say,
)
from tracking_plan.report.render import FORMATS

ReportFormat = StrEnum("ReportFormat", choices(FORMATS))  # type: ignore[misc]


@app.command()
def report(
    path: PathArgument = None,
    plan_option: PlanOption = None,
    output_format: Annotated[ReportFormat | None, format_option(
        "html, markdown or json. Default: from --out's extension, else markdown.", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Write the report to this file (default: standard output).", show_default=False)] = None,
    history: Annotated[bool, typer.Option(help="Include the plan's history from git.")] = True,
    status_file: Annotated[str | None, typer.Option("--status", metavar="FILE", help="Show where each event is "
                                                    "implemented, from 'status --format json'.", show_default=False)]
    = None,
    status_source: Annotated[list[str] | None, typer.Option(metavar="PATH", help="Or read the app's code here "
                                                            "(repeatable), as 'status' does.", show_default=False)]
    = None,
    platform: Annotated[list[str] | None, typer.Option(metavar="NAME=PATH", help="With --status-source: the code "
                                                       "under PATH is platform NAME.", show_default=False)] = None,
) -> None:
    """Governance report: ownership, catalog, personal data, destinations, documentation health, history."""
    path = plan_path(path, plan_option)
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.lint.engine import lint_plan
    from tracking_plan.output.fileio import refuse_plan_paths, write_atomically
    from tracking_plan.report.build import build_report, chosen_format, implementation
    from tracking_plan.report.history import plan_history

    chosen = chosen_format(output_format.value if output_format else None, out)
    plan_dir, _ = find_plan_root(path)
    if out is not None:
        refuse_plan_paths(out, plan_dir, "report")
    linted = lint_plan(path)
    if linted.plan is None:
        refuse(linted, "No report: the plan cannot be read.")  # stdout is for the report alone
    data = build_report(linted.plan, linted, plan_history(plan_dir) if history else None,
                        implementation(linted.plan, plan_dir, status_file, status_source or [], platform or []))
    text = rendered("tracking_plan.report.render", chosen, data)
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomically({out: text})
        say(console(stderr=True), f"Wrote the {chosen} report to {out}.")
