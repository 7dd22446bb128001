"""`metrics`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracking_plan.cli.common import (
    EventColumnOption,
    PlanOnlyOption,
    TableOption,
    app,
    choices,
    console,
    emit,
    format_option,
    readable_plan,
    say,
)
from tracking_plan.cli.validate import Shape
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.metrics.render import FORMATS

MetricsFormat = StrEnum("MetricsFormat", choices(FORMATS))  # type: ignore[misc]


@app.command()
def metrics(
    sources: Annotated[list[str] | None, typer.Argument(
        metavar="[SOURCE...]", help="Compute the metrics over these files (as validate reads them: NDJSON, JSON, "
        "Parquet; files, folders or globs).", show_default=False)] = None,
    sql: Annotated[str | None, typer.Option("--sql", metavar="DIALECT", help="Print each metric's query instead, "
                                            "for your warehouse: bigquery, clickhouse, databricks, duckdb, "
                                            "postgres, redshift or snowflake.", show_default=False)] = None,
    table: TableOption = None,
    plan: PlanOnlyOption = None,
    shape: Annotated[Shape | None, typer.Option(help="How the events are laid out. Default: detected in files, "
                                                "segment for --sql.", show_default=False)] = None,
    event_column: EventColumnOption = "event",
    metric: Annotated[list[str] | None, typer.Option("--metric", metavar="NAME", help="Only this metric "
                                                     "(repeatable).", show_default=False)] = None,
    output_format: Annotated[MetricsFormat, format_option("Output format, for files.")] = MetricsFormat("text"),
    column: Annotated[list[str] | None, typer.Option(metavar="KEY=NAME", help="With --sql: the table's name for "
                                                     "one of the layout's columns (repeatable).",
                                                     show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(metavar="FOLDER", help="With --sql: write one NAME.sql per metric "
                                             "there (default: all to standard output).", show_default=False)] = None,
) -> None:
    """Each metric of the plan by day: computed here over collected files, or as queries for your warehouse."""
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.metrics import check_metric_names
    from tracking_plan.output.fileio import refuse_plan_paths

    if bool(sources) == bool(sql):
        raise UsageError("Give files to compute the metrics over, or --sql DIALECT to print their queries."
                         if not sources else "Files and --sql do not go together: the files are computed here.",
                         "tracking-plan metrics events.ndjson, or tracking-plan metrics --sql bigquery --table T.")
    if out is not None:
        refuse_plan_paths(out, find_plan_root(plan)[0], "metrics")
    loaded = readable_plan(plan, "No metric was computed: fix the plan first." if sources else
                           "No query was written: fix the plan first.")
    check_metric_names(loaded, metric or ())
    if not loaded.metrics:
        say(console(stderr=True), "The plan defines no metrics: there is "
            + ("nothing to compute." if sources else "no query to write."))
    if sources:
        from tracking_plan.metrics.local import compute

        emit("tracking_plan.metrics.render", output_format.value,
             compute(loaded, sources, shape.value if shape else None, event_column, metric or ()))
        return
    from tracking_plan.metrics.sql import metric_texts, write_metric_files
    from tracking_plan.warehouse.table import named_table

    layout = shape.value if shape else "segment"
    table_name, renames = named_table(table, column or [], layout, event_column)
    texts = metric_texts(loaded, sql or "", table_name, layout, renames, metric or [])
    if out is None:
        sys.stdout.write("\n".join(text.rstrip("\n") + ";\n" for text in texts.values()))
        return
    write_metric_files(texts, out)
    say(console(stderr=True), f"Wrote {len(texts)} metric {'query' if len(texts) == 1 else 'queries'} to {out}.")
