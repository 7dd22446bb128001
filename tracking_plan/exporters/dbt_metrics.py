"""dbt's semantic layer: the plan's metrics as MetricFlow definitions (dbt Core 1.9 to 1.11 spec) over a model of the
collected events, so the indicators defined next to the plan appear in MetricFlow and the dbt Semantic Layer.

Written: `tracking_plan_events.sql` (the events table as a dbt model, read by validate's table layer),
`tracking_plan_time_spine.sql` (the daily time spine MetricFlow requires), one model per conversion
(`tracking_plan_conversion_<metric>.sql`: one row per start, converted or not), and `tracking_plan_metrics.yml`: one
semantic model over the events (the `message` primary entity, the `user` who sent it, the event name, the properties
metrics filter on, as dimensions; one measure per count, distinct users, sum and average), one per conversion, and
one metric per plan metric.

A conversion is a MetricFlow ratio metric (conversions over starts, by the day each started) over the very rows
`metrics --sql` counts (`MetricQueries.conversion_starts`), so the two give one answer. MetricFlow's own conversion
metric was measured and refused: it looks for a conversion among every row of its semantic model (over one
all-events model, an event converts into itself), compares times at the dimension's grain (a step sent earlier the
same day converts), credits a conversion to the latest start only, and takes two steps, never a funnel's middle
ones. SQL expressions (property values, users) are built on validate's table layer, in the chosen dialect.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from sqlglot import exp

from tracking_plan.core.model import Metric, Plan
from tracking_plan.metrics.sql import MetricQueries, quoted_name


def _name(text: str) -> str:
    """A MetricFlow name: lowercase letters, digits and underscores, starting with a letter."""
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug if slug[:1].isalpha() else f"m_{slug}"


def render(plan: Plan, dialect: str = "duckdb", table: str = "tracks", shape: str = "segment") -> dict[str, str]:
    queries = MetricQueries(plan, dialect, table, shape)
    layer = queries.layer

    def sql(expression: exp.Expr) -> str:
        return expression.sql(dialect=dialect)

    def event_is(name: str) -> str:
        return f"{{{{ Dimension('message__event') }}}} = '{queries.wire(name)}'"

    dimensions: dict[str, dict[str, Any]] = {}
    measures: dict[str, dict[str, Any]] = {}
    conversions: dict[str, dict[str, Any]] = {}
    metrics: list[dict[str, Any]] = []
    for metric in plan.metrics.values():
        filters = [event_is(metric.event)] if metric.event and metric.type != "conversion" else []
        for prop, values in metric.filter.items():
            dimension = f"property_{_name(prop)}"
            dimensions.setdefault(dimension, {"name": dimension, "type": "categorical",
                                              "expr": sql(layer.text(queries.value(prop)))})
            quoted = ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)
            filters.append(f"{{{{ Dimension('message__{dimension}') }}}} IN ({quoted})")
        entry: dict[str, Any] = {"name": _name(metric.name), "label": metric.name,
                                 "description": metric.description or f"{metric.type} metric from the tracking plan"}
        if metric.type == "conversion":
            starts, converted = _conversion(metric, conversions, queries.conversion_starts(metric).sql(
                dialect=dialect, pretty=True))
            entry.update(type="ratio", type_params={"numerator": {"name": converted},
                                                    "denominator": {"name": starts}})
            for part, what in ((starts, "starts"), (converted, "conversions")):  # a ratio divides two metrics
                metrics.append({"name": part, "label": f"{metric.name}: {what}",
                                "description": f"The {what} of the conversion {quoted_name(metric.name)}, by the day "
                                               "each started.", "type": "simple",
                                "type_params": {"measure": {"name": part}}})
        else:
            measure = _measure(metric, queries, sql, measures)
            entry.update(type="simple", type_params={"measure": {"name": measure}})
            if filters:
                entry["filter"] = " AND ".join(filters)
        metrics.append(entry)
    semantic_model = {
        "name": "tracking_plan_events",
        "description": f"Events collected under the tracking plan {plan.id}, one row per event.",
        "model": "ref('tracking_plan_events')",
        "defaults": {"agg_time_dimension": "event_time"},
        "primary_entity": "message",  # one row per message, with no id column every shape has
        "entities": [{"name": "user", "type": "foreign", "expr": "tp_user"}],
        "dimensions": [{"name": "event_time", "type": "time", "expr": "tp_ts",
                        "type_params": {"time_granularity": "day"}},
                       {"name": "event", "type": "categorical", "expr": "tp_event"},
                       *dimensions.values()],
        "measures": list(measures.values()),
    }
    document = {
        "version": 2,
        "models": [{"name": "tracking_plan_time_spine", "description": "One row per day, for MetricFlow.",
                    "time_spine": {"standard_granularity_column": "date_day"},
                    "columns": [{"name": "date_day", "granularity": "day"}]}],
        "semantic_models": [semantic_model, *(c["semantic_model"] for c in conversions.values())],
        "metrics": metrics,
    }
    header = (f"# Generated by tracking-plan export dbt-metrics from the plan {json.dumps(plan.id)} "
              f"{json.dumps(plan.version)}: do not edit;\n# change the metrics in the plan and export again.\n")
    models = {f"{c['model']}.sql": f"-- Each start of the conversion {quoted_name(name)}, converted (1) or not (0).\n"
              f"{c['sql']}\n" for name, c in conversions.items()}
    return {
        **models,
        "tracking_plan_metrics.yml": header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100),
        "tracking_plan_events.sql": "-- The collected events, as validate reads them (tp_ columns), and who sent "
                                    "each (tp_user).\n" + queries.events().sql(dialect=dialect, pretty=True) + "\n",
        "tracking_plan_time_spine.sql": "-- One row per day, 2020 to 2035: MetricFlow's time spine.\n"
                                        + _spine(dialect) + "\n",
    }


def _measure(metric: Metric, queries: MetricQueries, sql: Any, measures: dict[str, dict[str, Any]]) -> str:
    if metric.type == "count":
        measures.setdefault("events", {"name": "events", "agg": "sum", "expr": "1"})
        return "events"
    if metric.type == "unique_users":
        measures.setdefault("users", {"name": "users", "agg": "count_distinct",
                                      "expr": "tp_user"})
        return "users"
    prop = metric.property or ""
    name = f"{_name(prop)}_{'sum' if metric.type == 'sum' else 'average'}"
    number = queries.layer.spell(queries.layer.spelling.number, v=queries.value(prop))
    measures.setdefault(name, {"name": name, "agg": "sum" if metric.type == "sum" else "average",
                               "expr": sql(number)})
    return name


def _conversion(metric: Metric, conversions: dict[str, dict[str, Any]], sql: str) -> tuple[str, str]:
    """A conversion's model (one row per start), its semantic model and its two measures: starts and conversions,
    by the user who started and the day they started."""
    name = _name(metric.name)
    conversions[metric.name] = {"model": f"tracking_plan_conversion_{name}", "sql": sql, "semantic_model": {
        "name": f"tracking_plan_conversion_{name}",
        "description": f"Each start of the conversion {quoted_name(metric.name)}, converted or not.",
        "model": f"ref('tracking_plan_conversion_{name}')",
        "defaults": {"agg_time_dimension": f"{name}_started"},
        "primary_entity": f"{name}_start",
        "entities": [{"name": "user", "type": "foreign", "expr": "tp_user"}],
        "dimensions": [{"name": f"{name}_started", "type": "time", "expr": "tp_ts",
                        "type_params": {"time_granularity": "day"}}],
        "measures": [{"name": f"{name}_starts", "agg": "sum", "expr": "1"},
                     {"name": f"{name}_conversions", "agg": "sum", "expr": "did_convert"}]}}
    return f"{name}_starts", f"{name}_conversions"


def _spine(dialect: str) -> str:
    days = exp.select(exp.alias_(exp.cast(exp.column("d"), "DATE"), "date_day")).from_(
        exp.Unnest(expressions=[exp.GenerateDateArray(start=exp.cast(exp.Literal.string("2020-01-01"), "DATE"),
                                                      end=exp.cast(exp.Literal.string("2035-12-31"), "DATE"),
                                                      step=exp.Interval(this=exp.Literal.number(1),
                                                                        unit=exp.var("DAY")))],
                   alias=exp.TableAlias(columns=[exp.to_identifier("d")])))
    return days.sql(dialect=dialect)
