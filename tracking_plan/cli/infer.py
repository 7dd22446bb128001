"""`infer`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracking_plan.cli.common import EventColumnOption, app, choices, emit, format_option, readable_plan, with_progress
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.infer.render import FORMATS
from tracking_plan.shapes.columns import SHAPES

InferFormat = StrEnum("InferFormat", choices(FORMATS))  # type: ignore[misc]
Shape = StrEnum("Shape", choices((*SHAPES, "flat")))  # type: ignore[misc]


@app.command()
def infer(
    sources: Annotated[list[str], typer.Argument(
        metavar="SOURCE...", help="What validate reads: NDJSON / JSON Lines (.gz too), JSON arrays or Parquet: "
        "files, folders or globs (collect's --out too).", show_default=False)],
    out: Annotated[Path, typer.Option(metavar="DIR", help="The plan directory to write (with --against: the "
                                                          "folder for the new plan files).")],
    against: Annotated[str | None, typer.Option(metavar="PLAN", help="Write only what the traffic adds to this "
                                                "plan: its unplanned events as a new file, and a summary of the "
                                                "rest.", show_default=False)] = None,
    shape: Annotated[Shape | None, typer.Option(help="How the events are laid out. Default: detected.",
                                                show_default=False)] = None,
    event_column: EventColumnOption = "event",
    required_share: Annotated[float, typer.Option(metavar="PCT", help="A property present in at least PCT percent "
                                                  "of its messages is required.", min=0.0, max=100.0)] = 99.0,
    enum_max: Annotated[int, typer.Option(metavar="N", help="A text property with at most N distinct values (seen "
                                          "often enough) becomes an enum; 0: never.", min=0, max=25)] = 20,
    enum_support: Annotated[int, typer.Option(metavar="N", help="...seen at least N times per value, on average.",
                                              min=1)] = 5,
    bounds: Annotated[bool, typer.Option("--bounds", help="Write the numbers' observed minimum and maximum.")]
    = False,
    group_by: Annotated[str | None, typer.Option(metavar="PROPERTY|file", help="Put each event in a folder named "
                                                 "after that property's most frequent value, or after the source "
                                                 "file it is most seen in. Default: a file per first word.",
                                                 show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that already holds other files.")]
    = False,
    output_format: Annotated[InferFormat, format_option()] = InferFormat("text"),
) -> None:
    """Infer a draft plan from the events you already send, or what that traffic adds to a plan."""
    from tracking_plan.importers.write import check_destination
    from tracking_plan.infer.build import Thresholds
    from tracking_plan.infer.run import observed
    from tracking_plan.infer.write import groups_by_property, write_additions, write_inferred

    if not sources:
        raise UsageError("Name the events to read: files, folders or globs.", "tracking-plan infer events/ --out "
                         "plans")
    plan = readable_plan(against, "Nothing was inferred: fix the plan first.") if against is not None else None
    if plan is None:
        check_destination(out, force)  # before reading: a refusal costs nothing
    limits = Thresholds(required_share / 100.0, enum_max, enum_support, bounds)
    seen, groups = with_progress(lambda report: observed(sources, shape.value if shape else None, event_column,
                                                         report, by_file=group_by == "file"), "reading events")
    if group_by and group_by != "file":
        groups = groups_by_property(seen, group_by)
    if plan is not None and against is not None:
        result = write_additions(seen, plan, against, out, limits, event_column, force)
    else:
        result = write_inferred(seen, out, limits, groups, force)
    emit("tracking_plan.infer.render", output_format.value, result)
    raise typer.Exit(0)
