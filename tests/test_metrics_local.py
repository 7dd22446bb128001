"""`tracking-plan metrics FILES`: the plan's metrics computed over the files validate reads — the known answers of
test_metrics_sql.py from SDK-shaped NDJSON, warehouse-shaped NDJSON and Parquet; every event drawn by hypothesis
gives, metric by metric and day by day, what a plain Python reading of the metric's definition gives."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_metrics_sql import ANSWERS, ROWS, normal

from conftest import EXAMPLE_PLAN, Run
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Metric, Plan
from tracking_plan.metrics.local import compute


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load_plan(str(EXAMPLE_PLAN))
    assert loaded.plan is not None
    return loaded.plan


def sdk_shaped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """As an SDK (and `collect --out`) writes them: userId, ISO 8601 times with a Z."""
    return [{**{k: v for k, v in row.items() if k not in ("user_id", "anonymous_id")}, "userId": row["user_id"],
             "timestamp": row["timestamp"].replace(" ", "T") + "Z"} for row in rows]


def _computed(plan: Plan, sources: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    results = compute(plan, sources, only=list(ANSWERS)).metrics
    return {r.name: normal(list(r.rows)) for r in results}


def test_known_answers_from_sdk_and_warehouse_shaped_files_and_parquet(plan: Plan, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.ndjson"
    warehouse.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    sdk = tmp_path / "sdk.ndjson"
    sdk.write_text("".join(json.dumps(r) + "\n" for r in sdk_shaped(ROWS)), encoding="utf-8")
    parquet = tmp_path / "events.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_json('{warehouse}', columns = {{'type': 'VARCHAR', 'event': 'VARCHAR', "
               "'user_id': 'VARCHAR', 'anonymous_id': 'VARCHAR', 'timestamp': 'TIMESTAMP', 'properties': 'JSON', "
               f"'traits': 'JSON', 'context': 'JSON'}})) TO '{parquet}' (FORMAT parquet)")
    for source in (warehouse, sdk, parquet):
        assert _computed(plan, [str(source)]) == ANSWERS, source.name


def test_the_command(cli: Callable[..., Run], tmp_path: Path) -> None:
    source = tmp_path / "events.ndjson"
    source.write_text("".join(json.dumps(r) + "\n" for r in sdk_shaped(ROWS)), encoding="utf-8")
    run = cli("metrics", str(source), "--plan", str(EXAMPLE_PLAN), "--metric", "checkout_funnel", "--format", "json")
    assert run.code == 0, run.err
    assert run.json()["metrics"] == [{"name": "checkout_funnel", "type": "conversion", "rows": [
        {"day": "2026-11-05", "entered": 3, "converted": 1, "value": pytest.approx(1 / 3)}]}]
    text = cli("metrics", str(source), "--plan", str(EXAMPLE_PLAN), "--metric", "gmv")
    assert text.code == 0 and "2026-11-01" in text.out and "30.5" in text.out
    assert cli("metrics", "--plan", str(EXAMPLE_PLAN)).code == 2  # neither files nor --sql
    assert cli("metrics", str(source), "--sql", "duckdb", "--plan", str(EXAMPLE_PLAN)).code == 2
    unknown = cli("metrics", str(source), "--plan", str(EXAMPLE_PLAN), "--metric", "gmvv")
    assert unknown.code == 2 and "Did you mean 'gmv'" in unknown.err
    empty = tmp_path / "empty.ndjson"
    empty.write_text("", encoding="utf-8")
    nothing = cli("metrics", str(empty), "--plan", str(EXAMPLE_PLAN), "--metric", "gmv")
    assert nothing.code == 0 and "no event of it" in nothing.out
    broken = tmp_path / "broken.ndjson"
    broken.write_text('{"event": "Order Completed", "timestamp": \n', encoding="utf-8")
    assert cli("metrics", str(broken), "--plan", str(EXAMPLE_PLAN)).code == 2


def test_a_flat_table_is_read_as_validate_reads_it(cli: Callable[..., Run], tmp_path: Path) -> None:
    """A flat table (a column per property): its time column, read as validate reads it (the first time column
    the table has), and events with no time counted under no day, said so rather than crashing the text."""
    source = tmp_path / "flat.ndjson"
    source.write_text('{"event": "Order Completed", "timestamp": "2026-11-01T10:00:00Z", "user_id": "u1", '
                      '"revenue": 10.5}\n{"event": "Order Completed", "user_id": "u2", "revenue": 2}\n',
                      encoding="utf-8")
    document = cli("metrics", str(source), "--plan", str(EXAMPLE_PLAN), "--shape", "flat", "--metric", "gmv",
                   "--format", "json").json()
    assert document["metrics"][0]["rows"] == [{"day": None, "value": 2.0}, {"day": "2026-11-01", "value": 10.5}]
    text = cli("metrics", str(source), "--plan", str(EXAMPLE_PLAN), "--shape", "flat", "--metric", "gmv")
    assert text.code == 0 and "(no time)" in text.out


# -- Drawn events against a plain reading of each metric's definition -----------------------------------------

START = datetime(2026, 11, 1)
USERS = ["u1", "u2", "u3", None]


def _events(plan: Plan) -> list[str]:
    names = {name for m in plan.metrics.values() for name in (*m.steps, *([m.event] if m.event else []))}
    return sorted(names)


def expected(metric: Metric, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The metric by day, as its definition reads (docs/plan-format.md), in plain Python."""
    def at(row: dict[str, Any]) -> datetime:
        return datetime.fromisoformat(row["timestamp"].rstrip("Z"))

    if metric.type == "conversion":
        window = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}[metric.window[-1]] \
            * int(metric.window[:-1]) if metric.window else timedelta(days=7)
        by_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for start in rows:
            if start["event"] != metric.steps[0] or start.get("userId") is None:
                continue
            reached, began = at(start), at(start)
            for step in metric.steps[1:]:
                later = [at(r) for r in rows if r["event"] == step and r.get("userId") == start["userId"]
                         and reached <= at(r) <= began + window]
                if not later:
                    break
                reached = min(later)
            else:
                by_day[began.date().isoformat()][1] += 1
            by_day[began.date().isoformat()][0] += 1
        return [(day, n, c, round(c / n, 6)) for day, (n, c) in sorted(by_day.items())]
    days: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["event"] == metric.event and all(
                row["properties"].get(prop) in values for prop, values in metric.filter.items()):
            days[at(row).date().isoformat()].append(row)
    if metric.type == "count":
        return [(day, len(found)) for day, found in sorted(days.items())]
    if metric.type == "unique_users":
        return [(day, len({r.get("userId") for r in found} - {None})) for day, found in sorted(days.items())]
    numbers = [[r["properties"].get(metric.property) for r in found] for _, found in sorted(days.items())]
    out = []
    for (day, _), values in zip(sorted(days.items()), numbers, strict=True):
        kept = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        total = round(sum(kept), 6) if kept else None
        out.append((day, total if metric.type == "sum" else (round(sum(kept) / len(kept), 6) if kept else None)))
    return out


@st.composite
def drawn_rows(draw: st.DrawFn, names: list[str]) -> list[dict[str, Any]]:
    rows = []
    for _ in range(draw(st.integers(0, 30))):
        moment = START + timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
        props = {"revenue": draw(st.sampled_from([1, 2.5, None, "x"])),
                 "product_category": draw(st.sampled_from(["smartphone", "tablet", "laptop", None]))}
        rows.append({"type": "track", "event": draw(st.sampled_from(names)), "userId": draw(st.sampled_from(USERS)),
                     "timestamp": moment.isoformat() + "Z", "properties": props,
                     "context": {"library": {"name": "analytics-python"}}})
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_drawn_events_give_the_definitions_answer(plan: Plan, tmp_path: Path, data: st.DataObject) -> None:
    rows = data.draw(drawn_rows(_events(plan)))
    source = tmp_path / "drawn.ndjson"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    results = compute(plan, [str(source)]).metrics
    for result in results:
        metric = plan.metrics[result.name]
        got = [(day, *[round(float(v), 6) if isinstance(v, float) else v for v in rest])
               for day, *rest in result.rows]
        assert got == expected(metric, rows), (result.name, rows)
