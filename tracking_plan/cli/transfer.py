"""`import` and `export`: their choices are the importers' and exporters' registries."""

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
    plan_path,
    readable_plan,
    refuse_collisions,
    say,
    say_all,
)
from tracking_plan.cli.validate import Shape
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.exporters import EXPORTERS
from tracking_plan.importers import FORMATS as IMPORT_FORMATS

ImportFormat = StrEnum("ImportFormat", choices(IMPORT_FORMATS))  # type: ignore[misc]
ExportFormat = StrEnum("ExportFormat", choices(EXPORTERS))  # type: ignore[misc]


@app.command(name="import")
def import_plan(
    source_format: Annotated[ImportFormat, typer.Argument(metavar="FORMAT", help="segment, rudderstack, "
                                                          "mparticle or jsonschema.")],
    source: Annotated[Path, typer.Argument(metavar="SOURCE", help="The file or folder to import.")],
    out: Annotated[Path, typer.Option(metavar="DIR", help="The plan directory to create (or an earlier import to "
                                                          "replace).")],
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that already holds other files.")]
    = False,
) -> None:
    """Adopt an existing tracking plan: write it as a plan directory, and report what could not be carried over."""
    from tracking_plan.importers import read
    from tracking_plan.importers.write import check_destination, imported_summary, write_plan

    if not source.exists():
        raise UsageError(f"{source} does not exist.", "Pass the exported plan file or folder.")
    check_destination(out, force)  # before reading: a refusal costs nothing
    imported = read(source_format.value, source)
    say_all(imported_summary(imported, write_plan(imported, out, force), out))


@app.command()
def export(
    target_format: Annotated[ExportFormat, typer.Argument(metavar="FORMAT", help="segment, rudderstack, "
                                                          "jsonschema or dbt-metrics.")],
    path: PathArgument = None,
    plan_option: PlanOption = None,
    out: Annotated[Path, typer.Option(metavar="PATH", help="File (segment) or folder (rudderstack, jsonschema, "
                                                           "dbt-metrics) to write.")] = Path("-"),
    sql: Annotated[str, typer.Option("--sql", metavar="DIALECT", help="dbt-metrics: the warehouse's SQL dialect.")]
    = "bigquery",
    table: Annotated[str, typer.Option(metavar="NAME", help="dbt-metrics: the table of collected events.")]
    = "tracks",
    shape: Annotated[Shape, typer.Option(help="dbt-metrics: how the table lays events out.")] = Shape("segment"),
) -> None:
    """Hand the plan to another tool: Segment Public API rules, a rudder-cli project, JSON Schemas, or dbt
    semantic-layer metrics."""
    path = plan_path(path, plan_option)
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.exporters import ExportOptions, delivered, exported_summary
    from tracking_plan.generate import CodegenError
    from tracking_plan.output.fileio import refuse_plan_paths

    if str(out) != "-":
        refuse_plan_paths(out, find_plan_root(path)[0], "export")
    plan = readable_plan(path, "Nothing was exported: fix the plan first.")
    exporter = EXPORTERS[target_format.value]
    try:
        files = exporter.render(plan, ExportOptions(sql, table, shape.value))
    except CodegenError as error:
        refuse_collisions(plan, error, "Nothing was exported: names would collide in the schema file names "
                          "(tracking-plan generate jsonschema -o collisions=suffix adds suffixes).")
    text = delivered(exporter, files, out)
    if text is not None:
        sys.stdout.write(text)
    else:
        say(console(stderr=True), exported_summary(exporter, plan, out))
