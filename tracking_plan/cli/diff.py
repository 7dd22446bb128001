"""`diff`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from tracking_plan.cli.common import app, choices, emit, format_option
from tracking_plan.diff.compat import MODES
from tracking_plan.diff.render import FORMATS

DiffFormat = StrEnum("DiffFormat", choices(FORMATS))  # type: ignore[misc]
Compatibility = StrEnum("Compatibility", choices(MODES))  # type: ignore[misc]
DiffFailOn = StrEnum("DiffFailOn", choices(("breaking", "any", "never")))  # type: ignore[misc]


@app.command()
def diff(
    base: Annotated[str | None, typer.Argument(
        metavar="BASE", help="Git ref or plan directory to compare from. Default: the merge-base of HEAD with the "
        "default branch.", show_default=False)] = None,
    head: Annotated[str | None, typer.Argument(
        metavar="HEAD", help="Git ref or plan directory to compare to. Default: the working tree, uncommitted "
        "edits included.", show_default=False)] = None,
    plan: Annotated[str | None, typer.Option("--plan", metavar="DIR", help="The plan directory inside the repository.",
                                             show_default=False)] = None,
    output_format: Annotated[DiffFormat, format_option()] = DiffFormat("text"),
    fail_on: Annotated[DiffFailOn, typer.Option(help="Which changes make the exit code 1.")] = DiffFailOn("never"),
    check_version: Annotated[bool, typer.Option(
        "--check-version", help="Exit 1 when HEAD's declared version is lower than the suggested bump.")] = False,
    compatibility: Annotated[Compatibility | None, typer.Option(
        "--compatibility", help="How changes are judged, overriding the plan's 'compatibility': full (default: both "
        "of the next two), backward (events from apps built against the old plan stay valid), forward (readers "
        "of the old plan read new events), strict (full, for readers that validate closed schemas and every "
        "enum value), none.", show_default=False)] = None,
) -> None:
    """Compare two versions of the plan and say what breaks, for whom, and how to bump the version."""
    from tracking_plan.diff.compare import compare

    comparison = compare(base, head, plan, compatibility.value if compatibility else None)
    emit("tracking_plan.diff.render", output_format.value, comparison)
    raise typer.Exit(1 if comparison.fails(fail_on.value, check_version) else 0)
