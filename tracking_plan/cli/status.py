"""`status`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from tracking_plan.cli.common import PlanOnlyOption, app, choices, emit, format_option, readable_plan
from tracking_plan.status.render import FORMATS

StatusFormat = StrEnum("StatusFormat", choices(FORMATS))  # type: ignore[misc]
StatusFailOn = StrEnum("StatusFailOn", choices(("unplanned", "missing", "any", "never")))  # type: ignore[misc]


@app.command()
def status(
    sources: Annotated[list[str] | None, typer.Argument(
        metavar="SOURCE...", help="Folders or files of the app's code. Default: the status: section of "
        "tracking-plan.yaml, else '.'.", show_default=False)] = None,
    plan: PlanOnlyOption = None,
    platform: Annotated[list[str] | None, typer.Option(metavar="NAME=PATH", help="The code under PATH is the "
                                                       "platform NAME (repeatable), e.g. ios=App/iOS. Default: by "
                                                       "language (TypeScript/JavaScript web, Python backend, Kotlin "
                                                       "android, Swift ios).", show_default=False)] = None,
    output_format: Annotated[StatusFormat, format_option()] = StatusFormat("text"),
    fail_on: Annotated[StatusFailOn, typer.Option(help="Exit 1 on unplanned calls (unplanned or deprecated events, "
                                                  "wrong keys), on planned events never sent (missing), on any "
                                                  "finding, or never.")] = StatusFailOn("unplanned"),
    cache: Annotated[bool, typer.Option(help="Keep what each file holds, keyed by its content, so an unchanged "
                                        "tree is re-read at once.")] = True,
) -> None:
    """Which planned events the code really sends, per platform: read from the source (tree-sitter), not guessed."""
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.status.run import run_status
    from tracking_plan.status.scan import default_cache

    plan_dir, _ = find_plan_root(plan)
    result = run_status(plan_dir, lambda: readable_plan(plan, "Nothing was checked: fix the plan first."),
                        sources or [], platform or [], default_cache() if cache else None)
    emit("tracking_plan.status.render", output_format.value, result)
    raise typer.Exit(1 if result.failed(fail_on.value) else 0)
