"""`tracking-plan metrics FILES...`: the plan's metrics computed here, over the files `validate` reads, before their
SQL ships. The files are read by validate's own reader (`open_events`: the same shapes, formats and detection),
laid out as the warehouse table the metric queries expect, and the DuckDB dialect of those very queries runs over
them in embedded DuckDB: a metric computed here and in the warehouse is one query."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan
from tracking_plan.metrics.sql import MetricQueries
from tracking_plan.shapes.columns import TIME_COLUMNS, event_time, identifier
from tracking_plan.validate.engine import connect, expand, first_line, open_events
from tracking_plan.warehouse.table import LAYOUTS, USER_COLUMNS

VIEW = "tracking_plan_events"
_ALIASES = {"user_id": ("user_id", "userId"), "anonymous_id": ("anonymous_id", "anonymousId")}
"""Segment's warehouses write user_id, its SDKs and `collect --out` userId: either is who sent the event."""
_JSON = frozenset({"properties", "traits", "context", "event_properties", "user_properties"})


@dataclass(frozen=True)
class MetricsReport:
    """What `metrics FILES` computed: the shape the files were read in, how many were named, each metric."""
    shape: str
    files: int
    metrics: tuple[MetricResult, ...]


@dataclass(frozen=True)
class MetricResult:
    name: str
    type: str
    columns: tuple[str, ...]
    """`day, value`; a conversion's `day, entered, converted, value`."""
    rows: tuple[tuple[Any, ...], ...]


def compute(plan: Plan, sources: list[str], shape_name: str | None = None, event_column: str = "event",
            only: Collection[str] = ()) -> MetricsReport:
    """Each metric (those named in `only`, else all) by day, over the files."""
    import duckdb

    files, kind = expand(sources)
    wanted = [plan.metrics[name] for name in (only or plan.metrics)]
    connection = connect()
    try:
        who = [alias for names in _ALIASES.values() for alias in names] + [
            c for columns in USER_COLUMNS.values() for c in columns]
        opened = open_events(connection, files, kind, shape_name, event_column, extra=who)
        if opened is None:
            return MetricsReport(shape_name or "segment", len(sources), tuple(
                MetricResult(m.name, m.type, _columns(m.type), ()) for m in wanted))
        shape, present, source = opened
        connection.execute(f"CREATE TEMP VIEW {VIEW} AS {_layout(shape.name, present, source, event_column)}")
        queries = MetricQueries(plan, "duckdb", VIEW, shape.name)
        results = []
        for metric in wanted:
            rows = connection.execute(queries.sql(metric)).fetchall()
            results.append(MetricResult(metric.name, metric.type, _columns(metric.type), tuple(
                (None if row[0] is None else str(row[0])[:10], *row[1:]) for row in rows)))
        return MetricsReport(shape.name, len(sources), tuple(results))
    except duckdb.Error as error:
        raise UsageError(f"The data cannot be read for metrics: {first_line(str(error))}",
                         "Check the file, or choose the shape with --shape.") from None
    finally:
        connection.close()


def _columns(kind: str) -> tuple[str, ...]:
    return ("day", "entered", "converted", "value") if kind == "conversion" else ("day", "value")


def _layout(shape: str, present: list[str], source: str, event_column: str) -> str:
    """The files as the warehouse table of their shape: every column the metric queries read, by its layout name
    (NULL when the files lack it), times as timestamps, who sent each event under the layout's names."""
    have = set(present)
    aliases = {alias for names in _ALIASES.values() for alias in names}
    columns: list[str] = []
    layout = [*LAYOUTS[shape], *USER_COLUMNS[shape]]
    for name in layout:
        candidates: tuple[str, ...] = _ALIASES.get(
            name, (event_column,) if shape == "flat" and name == "event" else (name,))
        found = [identifier(c) for c in candidates if c in have]
        value = found[0] if len(found) == 1 else f"coalesce({', '.join(found)})" if found else "NULL"
        if name in ("timestamp", "event_time") and shape in TIME_COLUMNS:  # when it happened, as validate reads it
            value = event_time(shape, have)
        elif name in _JSON:
            value = f"CAST({value} AS JSON)"
        elif name == "event_timestamp" and not found:
            value = "CAST(NULL AS BIGINT)"
        columns.append(f"{value} AS {identifier(name)}")
    used = set(layout) | aliases | {event_column, *TIME_COLUMNS.get(shape, ())}
    rest = [identifier(c) for c in present if c not in used]  # a flat table's property columns
    return f"SELECT {', '.join(columns + rest)} FROM {source}"
