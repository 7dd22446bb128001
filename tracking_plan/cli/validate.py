"""`validate`."""

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
    with_progress,
)
from tracking_plan.shapes.columns import SHAPES
from tracking_plan.validate.render import FORMATS

ValidateFormat = StrEnum("ValidateFormat", choices(FORMATS))  # type: ignore[misc]
Shape = StrEnum("Shape", choices((*SHAPES, "flat")))  # type: ignore[misc]
"""How collected events are laid out, from the shapes' registry."""


@app.command()
def validate(
    sources: Annotated[list[str] | None, typer.Argument(
        metavar="SOURCE...", help="NDJSON / JSON Lines (.gz too), JSON arrays or Parquet: files, folders or globs.",
        show_default=False)] = None,
    plan: PlanOnlyOption = None,
    shape: Annotated[Shape | None, typer.Option(help="How the events are laid out. Default: detected.",
                                                show_default=False)] = None,
    event_column: EventColumnOption = "event",
    output_format: Annotated[ValidateFormat, format_option()] = ValidateFormat("text"),
    fail_on: Annotated[str, typer.Option(metavar="any|never|PCT", help="Exit 1 on any violation (any), never, or "
                                         "when the share of valid events is below PCT percent (e.g. 99.5).")] = "any",
    since: Annotated[str | None, typer.Option(metavar="DURATION", help="List planned events not seen in the last "
                                              "DURATION of the data (e.g. 7d, 12h).", show_default=False)] = None,
    sql: Annotated[str | None, typer.Option("--sql", metavar="DIALECT", help="Print the checks as one SQL query "
                                            "for the warehouse instead: bigquery, clickhouse, databricks, duckdb, "
                                            "postgres, redshift or snowflake.", show_default=False)] = None,
    table: TableOption = None,
    column: Annotated[list[str] | None, typer.Option(metavar="KEY=NAME", help="With --sql: the table's name for "
                                                     "one of the layout's columns (repeatable), e.g. "
                                                     "properties=props.", show_default=False)] = None,
    rules_table: Annotated[str | None, typer.Option(metavar="NAME", help="With --sql: read the plan's rules from "
                                                    "this warehouse table (loaded from --rules-out): the query's "
                                                    "size no longer grows with the plan.", show_default=False)]
    = None,
    rules_out: Annotated[Path | None, typer.Option(metavar="FILE", help="With --sql: write the plan's rules as "
                                                   "CSV, to load as the --rules-table.", show_default=False)] = None,
    from_sql_result: Annotated[str | None, typer.Option(metavar="FILE", help="Report on the result of the --sql "
                                                        "query, exported as CSV or JSON.", show_default=False)]
    = None,
) -> None:
    """Check collected events against the plan (DuckDB, embedded): per event and per squad, what does not match."""
    from tracking_plan.validate.options import (
        checked_sources,
        checked_warehouse_options,
        fail_threshold,
        failed,
        since_window,
    )

    fail_threshold(fail_on)
    window = since_window(since)
    checked_warehouse_options(sql, rules_table, rules_out)
    loaded = readable_plan(plan, "Nothing was validated: fix the plan first.")
    layout = shape.value if shape else None
    if sql is not None:
        from tracking_plan.core.discover import find_plan_root
        from tracking_plan.validate.sql import warehouse_query

        warnings = console(stderr=True)
        sys.stdout.write(warehouse_query(loaded, find_plan_root(plan)[0], sql, table, layout or "segment",
                                         event_column, column or [], sources or [], rules_table, rules_out,
                                         note=lambda text: say(warnings, f"note: {text}")))
        raise typer.Exit(0)
    checked_sources(sources or [], from_sql_result)
    if from_sql_result is not None:
        from tracking_plan.validate.sqlresult import read_result

        result = read_result(loaded, from_sql_result, layout or "segment", window)
    else:
        from tracking_plan.validate.engine import validate as run_validation

        result = with_progress(lambda report: run_validation(loaded, sources or [], layout, event_column, window,
                                                             report))
    emit("tracking_plan.validate.render", output_format.value, result)
    raise typer.Exit(1 if failed(result, fail_on) else 0)
