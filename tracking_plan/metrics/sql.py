"""`tracking-plan metrics --sql DIALECT`: each metric as one query over the collected events, by day, built with
sqlglot on the table layer validate's checks use (validate/sql.py: the same shapes, columns and renames).

- count, unique_users, sum, average: `day, value` over the metric's event, its filter applied;
- conversion: `day, entered, converted, value` — each first-step event is an entry, converted when the same
  user sends the next steps in order, each at or after the previous one, the last within `window` of the
  entry. Joins are on equality only (the time conditions are filters), so ClickHouse runs it as written.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from sqlglot import exp

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import MAX_WINDOW_MINUTES, Metric, Plan, window_minutes
from tracking_plan.shapes.columns import SHAPES
from tracking_plan.warehouse.table import USER_COLUMNS, TableLayer, col, lit, source_table, table_layer

_UNITS = {"d": "DAY", "h": "HOUR", "m": "MINUTE"}


def _day(value: exp.Expr) -> exp.Expr:
    return exp.cast(value, "DATE", copy=False)


class MetricQueries:
    def __init__(self, plan: Plan, dialect: str, table: str, shape: str = "segment",
                 renames: dict[str, str] | None = None) -> None:
        self.plan = plan
        self.layer: TableLayer = table_layer(dialect, shape, renames)
        self.dialect = dialect
        self.shape = shape
        self.table = source_table(table, dialect)

    def wire(self, event: str) -> str:
        return SHAPES[self.shape].wire_event(event) if self.shape in SHAPES else event

    def user(self) -> exp.Expr:
        """Who sent the event: the first of the shape's user columns that is set."""
        users = [col(self.layer.columns.get(key, key)) for key in USER_COLUMNS[self.shape]]
        return exp.Coalesce(this=users[0], expressions=users[1:]) if len(users) > 1 else users[0]

    def events(self) -> exp.Select:
        """The table as the metrics read it: the validate layer's columns, plus who sent each event."""
        return exp.select(exp.Star(), exp.alias_(self.user(), "tp_user", copy=False), copy=False).from_(
            self.layer.source(self.table).subquery("t", copy=False), copy=False)

    def value(self, prop: str) -> exp.Expr:
        key = self.layer.wire(prop)
        return self.layer.get(col("tp_props") if self.shape not in ("flat", "ga4") else None, [key])

    def filters(self, metric: Metric) -> list[exp.Expr]:
        out: list[exp.Expr] = []
        for prop, values in metric.filter.items():
            value = self.value(prop)
            texts = [v for v in values if isinstance(v, str)]
            numbers = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)
                       and math.isfinite(v)]
            booleans = [str(v).lower() for v in values if isinstance(v, bool)]
            terms: list[exp.Expr] = []
            if texts:
                terms.append(exp.In(this=self.layer.text(value.copy()), expressions=[lit(t) for t in texts]))
            if numbers:
                terms.append(exp.In(this=self.layer.spell(self.layer.spelling.number, v=value.copy()),
                                    expressions=[exp.Literal.number(repr(n)) for n in numbers]))
            if booleans:
                terms.append(exp.In(this=self.layer.raw(value.copy()), expressions=[lit(b) for b in booleans]))
            out.append(exp.paren(exp.or_(*terms, copy=False), copy=False) if terms else exp.false())
        return out

    def query(self, metric: Metric) -> exp.Query:
        if metric.type == "conversion":
            return self.conversion(metric)
        if not metric.event:
            raise UsageError(f"Metric '{metric.name}' names no event.", "Run tracking-plan lint: it says what is "
                                                                        "missing.")
        aggregate: exp.Expr
        if metric.type == "count":
            aggregate = exp.Count(this=exp.Star())
        elif metric.type == "unique_users":
            aggregate = exp.Count(this=exp.Distinct(expressions=[col("tp_user")]))
        else:
            if not metric.property:
                raise UsageError(f"Metric '{metric.name}' names no property to {metric.type}.",
                                 "Run tracking-plan lint: it says what is missing.")
            number = self.layer.spell(self.layer.spelling.number, v=self.value(metric.property))
            aggregate = exp.Sum(this=number) if metric.type == "sum" else exp.Avg(this=number)
        condition = exp.and_(exp.EQ(this=col("tp_event"), expression=lit(self.wire(metric.event))),
                             *self.filters(metric), copy=False)
        return exp.select(exp.alias_(_day(col("tp_ts")), "day", copy=False),
                          exp.alias_(aggregate, "value", copy=False), copy=False).from_(
            self.events().subquery("e", copy=False), copy=False).where(condition, copy=False).group_by(
            _day(col("tp_ts")), copy=False).order_by("day", copy=False)

    def conversion(self, metric: Metric) -> exp.Query:
        """Per day a conversion started: the starts, those that reached the last step through every step in order
        within the window, and their share."""
        converted = exp.Sum(this=col("did_convert"))  # named apart: ClickHouse reads an alias inside aggregates
        query = exp.select(
            exp.alias_(_day(col("tp_ts")), "day", copy=False), exp.alias_(exp.Count(this=exp.Star()), "entered",
                                                                            copy=False),
            exp.alias_(converted, "converted", copy=False),
            exp.alias_(exp.Div(this=exp.cast(converted.copy(), "DOUBLE", copy=False),
                               expression=exp.Count(this=exp.Star())), "value", copy=False), copy=False).from_(
            self.conversion_starts(metric).subquery("s", copy=False), copy=False).group_by(
            _day(col("tp_ts")), copy=False).order_by("day", copy=False)
        return query

    def conversion_starts(self, metric: Metric) -> exp.Select:
        """One row per start of a conversion (its first step, by a known user): who (`tp_user`), when (`tp_ts`) and
        whether it reached the last step through every step in order within the window (`did_convert`, 0 or 1).
        `conversion` counts it by day; `export dbt-metrics` hands it to MetricFlow as a model, so both give one
        answer."""
        steps = [self.wire(s) for s in metric.steps]
        if len(steps) < 2:
            raise UsageError(f"Conversion '{metric.name}' needs at least two steps.",
                             "Run tracking-plan lint: it says what is missing.")
        match = re.fullmatch(r"(\d+)([dhm])", metric.window or "")
        minutes = window_minutes(metric.window)
        if minutes is not None and minutes > MAX_WINDOW_MINUTES:
            raise UsageError(f"Conversion '{metric.name}' has a window of {metric.window}: past ten years, the "
                             "warehouse's date arithmetic overflows.", "Run tracking-plan lint: metric-incomplete "
                             "says where; give a window such as 30d.")
        amount, unit = (match[1], _UNITS[match[2]]) if match else ("7", "DAY")
        window = exp.Interval(this=exp.Literal.number(amount), unit=exp.var(unit))
        base = exp.select(col("tp_event"), col("tp_ts"), col("tp_user"), copy=False).from_(
            self.events().subquery("e", copy=False), copy=False).where(
            exp.In(this=col("tp_event"), expressions=[lit(s) for s in dict.fromkeys(steps)]), copy=False)
        ctes: list[tuple[str, exp.Query]] = [("steps", base), ("step_1", exp.select(
            col("tp_user"), exp.alias_(col("tp_ts"), "started", copy=False),
            exp.alias_(col("tp_ts"), "reached", copy=False), copy=False).from_("steps", copy=False).where(
            exp.and_(exp.EQ(this=col("tp_event"), expression=lit(steps[0])),
                     exp.not_(exp.Is(this=col("tp_user"), expression=exp.null())), copy=False), copy=False))]
        for index, step in enumerate(steps[1:], start=2):
            previous = f"step_{index - 1}"
            ctes.append((f"step_{index}", exp.select(
                col("tp_user", "p"), col("started", "p"),
                exp.alias_(exp.Min(this=col("tp_ts", "s")), "reached", copy=False), copy=False).from_(
                exp.alias_(exp.to_table(previous), "p"), copy=False).join(
                exp.alias_(exp.to_table("steps"), "s"),
                on=exp.EQ(this=col("tp_user", "s"), expression=col("tp_user", "p")), copy=False).where(
                exp.and_(exp.EQ(this=col("tp_event", "s"), expression=lit(step)),
                         exp.GTE(this=col("tp_ts", "s"), expression=col("reached", "p")),
                         exp.LTE(this=col("tp_ts", "s"),
                                 expression=exp.Add(this=col("started", "p"), expression=window.copy())),
                         copy=False), copy=False).group_by(col("tp_user", "p"), col("started", "p"), copy=False)))
        # A start that did not reach the end has no row there: 0 from the left join, through a constant column
        # (ClickHouse fills a missing row with default values, not nulls, unless join_use_nulls is set).
        ctes.append(("reached_end", exp.select(col("tp_user"), col("started"), exp.alias_(
            exp.Literal.number(1), "hit", copy=False), copy=False).from_(f"step_{len(steps)}", copy=False)))
        reached = exp.Coalesce(this=col("hit", "l"), expressions=[exp.Literal.number(0)])
        query = exp.select(col("tp_user", "p"), exp.alias_(col("started", "p"), "tp_ts", copy=False),
                           exp.alias_(reached, "did_convert", copy=False), copy=False).from_(
            exp.alias_(exp.to_table("step_1"), "p"), copy=False).join(
            exp.alias_(exp.to_table("reached_end"), "l"),
            on=exp.and_(exp.EQ(this=col("tp_user", "l"), expression=col("tp_user", "p")),
                        exp.EQ(this=col("started", "l"), expression=col("started", "p")), copy=False),
            join_type="left", copy=False)
        for name, cte in ctes:
            query = query.with_(name, as_=cte, copy=False)
        return query

    def sql(self, metric: Metric) -> str:
        return self.query(metric).sql(dialect=self.dialect, pretty=True) + "\n"


def metric_queries(plan: Plan, dialect: str, table: str, shape: str = "segment",
                   renames: dict[str, str] | None = None) -> dict[str, str]:
    """Every metric's query, by metric name."""
    queries = MetricQueries(plan, dialect, table, shape, renames)
    return {name: queries.sql(metric) for name, metric in plan.metrics.items()}


def metric_texts(plan: Plan, dialect: str, table: str, shape: str, renames: dict[str, str],
                 only: list[str]) -> dict[str, str]:
    """`metrics --sql`: each metric's query (only those named, when some are), under a comment naming it."""
    queries = metric_queries(plan, dialect.lower(), table, shape, renames)
    return {name: header(plan.metrics[name]) + query for name, query in queries.items() if not only or name in only}


def write_metric_files(texts: dict[str, str], out: Path) -> None:
    """One NAME.sql per metric in `out`, replaced whole; two names that would share a file are refused first."""
    from tracking_plan.output.fileio import replace_tree, safe_file_name

    files: dict[str, str] = {}
    for name, text in texts.items():
        file = f"{safe_file_name(name)}.sql"
        if file in files:
            raise UsageError(f"Two metrics would be written to {file}.", "Rename one (lint: unsafe-file-name).")
        files[file] = text
    replace_tree(out, files)


def header(metric: Metric) -> str:
    """A one-line SQL comment naming the metric; names are written as JSON strings, so no character in them (a
    line break, a carriage return) can end the comment and turn the rest of a name into SQL."""
    what = f"{metric.type} of {', '.join(map(quoted_name, metric.events)) or '(no event)'}"
    objective = f" for objective {quoted_name(metric.objective)}" if metric.objective else ""
    return f"-- metric {quoted_name(metric.name)}: {what}{objective}\n"


def quoted_name(name: str) -> str:
    """A name as a JSON string (ASCII only): inside a comment or a description, no character of it can end the line."""
    return json.dumps(name)



