"""metrics --sql: every metric type's query executed for real — in DuckDB and, in its ClickHouse dialect, in
ClickHouse itself (chDB) — over events with known answers: a conversion with steps inside and outside its
window and out of order, a filter, nulls and missing values; the other dialects parsed back by sqlglot."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot

from conftest import EXAMPLE_PLAN, Run
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan
from tracking_plan.metrics.sql import metric_queries
from tracking_plan.warehouse.dialects import DIALECTS


def event(user: str, name: str, at: str, **props: Any) -> dict[str, Any]:
    return {"type": "track", "event": name, "user_id": user, "anonymous_id": None, "timestamp": at,
            "properties": props, "traits": None, "context": {"library": {"name": "analytics-python"}}}


ROWS = [
    event("u1", "Buyback Quote Requested", "2026-11-01 10:00:00"),
    event("u1", "Buyback Offer Accepted", "2026-11-01 12:00:00", product_category="smartphone"),  # converted
    event("u2", "Buyback Quote Requested", "2026-11-01 11:00:00"),
    event("u2", "Buyback Offer Accepted", "2026-11-10 11:00:00", product_category="laptop"),  # past 7 days
    event("u3", "Buyback Quote Requested", "2026-11-02 10:00:00"),  # never accepted
    event("u4", "Buyback Offer Accepted", "2026-11-02 09:00:00", product_category="tablet"),  # before its quote
    event("u4", "Buyback Quote Requested", "2026-11-02 10:00:00"),
    event("u5", "Buyback Offer Accepted", "2026-11-02 15:00:00"),  # no category: filtered out
    event("u1", "Order Completed", "2026-11-01 13:00:00", revenue=10.5),
    event("u1", "Order Completed", "2026-11-01 14:00:00", revenue=20),
    event("u2", "Order Completed", "2026-11-01 15:00:00", revenue=None),
    event("u3", "Order Completed", "2026-11-01 16:00:00"),
    event("u3", "Order Completed", "2026-11-03 10:00:00", revenue=5),
    # checkout_funnel (Cart Viewed, Checkout Started, Shipping Method Selected, Payment Info Entered, Order
    # Completed; 1 day): u6 goes through in order; u7 skips the middle steps; u8 pays before choosing shipping.
    *(event("u6", name, f"2026-11-05 10:0{i}:00") for i, name in enumerate(
        ["Cart Viewed", "Checkout Started", "Shipping Method Selected", "Payment Info Entered"])),
    event("u6", "Order Completed", "2026-11-05 10:05:00", revenue=7),
    event("u7", "Cart Viewed", "2026-11-05 11:00:00"),
    event("u7", "Order Completed", "2026-11-05 11:30:00", revenue=3),
    *(event("u8", name, f"2026-11-05 12:0{i}:00") for i, name in enumerate(
        ["Cart Viewed", "Checkout Started", "Payment Info Entered", "Shipping Method Selected"])),
    event("u8", "Order Completed", "2026-11-05 12:05:00", revenue=2),
]
ANSWERS = {
    "buyback_conversion": [("2026-11-01", 2, 1, 0.5), ("2026-11-02", 2, 0, 0.0)],
    "accepted_buybacks": [("2026-11-01", 1), ("2026-11-02", 1)],
    "gmv": [("2026-11-01", 30.5), ("2026-11-03", 5.0), ("2026-11-05", 12.0)],
    "buyers": [("2026-11-01", 3), ("2026-11-03", 1), ("2026-11-05", 3)],
    "checkout_funnel": [("2026-11-05", 3, 1, 0.333333)],  # MetricFlow's own conversion said 0.667 (#27.1)
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load_plan(str(EXAMPLE_PLAN))
    assert loaded.plan is not None
    return loaded.plan


def normal(rows: list[Any]) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        day = str(row[0])[:10]
        values = [round(float(v), 6) if isinstance(v, float) or (isinstance(v, str) and "." in v) else int(v)
                  for v in row[1:]]
        out.append((day, *values))
    return out


def test_duckdb_gives_the_known_answers(plan: Plan, tmp_path: Path) -> None:
    source = tmp_path / "events.ndjson"
    source.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE tracks AS SELECT * FROM read_json('{source}', columns = {{'type': 'VARCHAR', "
                       "'event': 'VARCHAR', 'user_id': 'VARCHAR', 'anonymous_id': 'VARCHAR', 'timestamp': 'TIMESTAMP', "
                       "'properties': 'JSON', 'traits': 'JSON', 'context': 'JSON'})")
    queries = metric_queries(plan, "duckdb", "tracks")
    for name, answer in ANSWERS.items():
        assert normal(connection.execute(queries[name]).fetchall()) == answer, name
    for query in queries.values():  # every metric of the example plan runs
        connection.execute(query).fetchall()


def test_clickhouse_gives_the_known_answers(plan: Plan, tmp_path: Path) -> None:
    from chdb import session

    text = [{**r, "properties": json.dumps(r["properties"]), "traits": None, "context": json.dumps(r["context"])}
            for r in ROWS]
    source = tmp_path / "events.ndjson"
    source.write_text("".join(json.dumps(r) + "\n" for r in text), encoding="utf-8")
    db = session.Session(str(tmp_path / "chdb"))
    try:
        db.query("CREATE TABLE default.tracks (`type` Nullable(String), `event` Nullable(String), "
                 "`user_id` Nullable(String), `anonymous_id` Nullable(String), `timestamp` DateTime64(3), "
                 "`properties` Nullable(String), `traits` Nullable(String), `context` Nullable(String)) "
                 "ENGINE = Memory")
        db.query(f"INSERT INTO default.tracks SELECT * FROM file('{source}', JSONEachRow)")
        queries = metric_queries(plan, "clickhouse", "default.tracks")
        for name, answer in ANSWERS.items():
            rows = json.loads(db.query(queries[name], "JSONCompact").bytes())["data"]
            assert normal(rows) == answer, name
    finally:
        db.close()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_parses_back(plan: Plan, dialect: str) -> None:
    for name, query in metric_queries(plan, dialect, "analytics.tracks").items():
        assert sqlglot.parse_one(query, read=dialect) is not None, name


def test_the_command(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("metrics", "--sql", "bigquery", "--table", "project.segment.tracks", "--plan", str(EXAMPLE_PLAN))
    assert run.code == 0, run.err
    assert run.out.count("-- metric ") == 26
    assert '-- metric "gmv": sum of "Order Completed" for objective' in run.out
    out = tmp_path / "metrics"
    assert cli("metrics", "--sql", "duckdb", "--table", "tracks", "--plan", str(EXAMPLE_PLAN), "--out",
               str(out)).code == 0
    assert len(list(out.glob("*.sql"))) == 26 and (out / "gmv.sql").read_text(encoding="utf-8").startswith("--")
    assert cli("metrics", "--sql", "oracle", "--table", "t", "--plan", str(EXAMPLE_PLAN)).code == 2
    assert cli("metrics", "--sql", "duckdb", "--plan", str(EXAMPLE_PLAN)).code == 2


@pytest.mark.toolchain
def test_dbt_export_is_accepted_by_dbt(cli: Callable[..., Run], dbt: Path, plan: Plan, tmp_path: Path) -> None:
    """`export dbt-metrics` writes what dbt's own parser (and its semantic-layer validation) accepts."""
    import subprocess

    project = tmp_path / "project"
    (project / "models" / "tracking_plan").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: shop\nversion: '1.0'\nprofile: shop\nconfig-version: 2\n",
                                             encoding="utf-8")
    (project / "profiles.yml").write_text(
        f"shop:\n  target: dev\n  outputs:\n    dev: {{type: duckdb, path: '{tmp_path / 'w.duckdb'}'}}\n",
        encoding="utf-8")
    exported = cli("export", "dbt-metrics", str(EXAMPLE_PLAN), "--sql", "duckdb", "--table", "main.tracks", "--out",
                   str(project / "models" / "tracking_plan"))
    assert exported.code == 0 and "Exported 26 metrics" in exported.err
    run = subprocess.run([str(dbt), "parse", "--project-dir", str(project), "--profiles-dir", str(project)],
                         capture_output=True, text=True, check=False, cwd=project)
    assert run.returncode == 0, run.stdout[-4000:]
    manifest = json.loads((project / "target" / "semantic_manifest.json").read_text(encoding="utf-8"))
    conversions = [name for name, metric in plan.metrics.items() if metric.type == "conversion"]
    assert sorted(m["name"] for m in manifest["metrics"]) == sorted(
        [*plan.metrics, *(f"{name}_{part}" for name in conversions for part in ("starts", "conversions"))])


@pytest.mark.toolchain
def test_metricflow_computes_what_metrics_sql_computes(cli: Callable[..., Run], dbt: Path, plan: Plan,
                                                      tmp_path: Path) -> None:
    """MetricFlow itself (`mf query`, dbt-duckdb) over the exported semantic layer and data with known answers
    gives, metric by metric and day by day, what `metrics --sql duckdb` gives — conversions included: a quote with
    no acceptance, an acceptance before its quote, a funnel whose middle steps are skipped or out of order (#27.1:
    MetricFlow said 1.0 and 0.667 where the answers are 0.0 and 0.333)."""
    import csv
    import os
    import subprocess

    source = tmp_path / "events.ndjson"
    source.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    connection = duckdb.connect(str(warehouse))
    connection.execute(f"CREATE TABLE tracks AS SELECT * FROM read_json('{source}', columns = {{'type': 'VARCHAR', "
                       "'event': 'VARCHAR', 'user_id': 'VARCHAR', 'anonymous_id': 'VARCHAR', 'timestamp': 'TIMESTAMP', "
                       "'properties': 'JSON', 'traits': 'JSON', 'context': 'JSON'})")
    ours = {name: normal(connection.execute(query).fetchall())
            for name, query in metric_queries(plan, "duckdb", "main.tracks").items() if name in ANSWERS}
    connection.close()
    assert {name: ours[name] for name in ANSWERS} == ANSWERS
    project = tmp_path / "project"
    (project / "models" / "tracking_plan").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: shop\nversion: '1.0'\nprofile: shop\nconfig-version: 2\n",
                                             encoding="utf-8")
    (project / "profiles.yml").write_text(
        f"shop:\n  target: dev\n  outputs:\n    dev: {{type: duckdb, path: '{warehouse}'}}\n", encoding="utf-8")
    exported = cli("export", "dbt-metrics", str(EXAMPLE_PLAN), "--sql", "duckdb", "--table", "main.tracks", "--out",
                   str(project / "models" / "tracking_plan"))
    assert exported.code == 0, exported.err
    env = {**os.environ, "DBT_PROFILES_DIR": str(project)}
    run = subprocess.run([str(dbt), "run", "--project-dir", str(project)], capture_output=True, text=True,
                         check=False, cwd=project, env=env)
    assert run.returncode == 0, run.stdout[-4000:]
    out = tmp_path / "mf.csv"
    query = subprocess.run([str(dbt.parent / "mf"), "query", "--metrics", ",".join(ANSWERS), "--group-by",
                            "metric_time__day", "--csv", str(out)], capture_output=True, text=True, check=False,
                           cwd=project, env=env)
    assert query.returncode == 0 and out.exists(), query.stdout[-4000:] + query.stderr[-4000:]
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    for name, answer in ANSWERS.items():
        computed = sorted((row["metric_time__day"][:10], round(float(row[name]), 6)) for row in rows if row[name])
        assert computed == [(day, round(float(values[-1]), 6)) for day, *values in answer], name


def test_names_cannot_leave_the_sql_comment(tmp_path: Path, cli: Callable[..., Run]) -> None:
    """A carriage return or line break in a metric or event name stays inside the header comment (found by the
    fuzz suite: the rest of the name became SQL)."""
    plan_dir = tmp_path / "p"
    (plan_dir / "events").mkdir(parents=True)
    (plan_dir / "tracking-plan.yaml").write_text("plan: t\nversion: 1.0.0\nsquads: {core: {}}\n", encoding="utf-8")
    (plan_dir / "events" / "a.yaml").write_text(
        'events:\n  "A\\rB\\nSELECT 1; --": {owner: core}\nobjectives: {goal: {}}\nmetrics:\n'
        '  "m\\r\\nDROP": {type: conversion, steps: ["A\\rB\\nSELECT 1; --", "A\\rB\\nSELECT 1; --"], '
        'objective: goal}\n', encoding="utf-8")
    run = cli("metrics", "--sql", "duckdb", "--table", "t", "--plan", str(plan_dir))
    assert run.code == 0, run.err
    assert len(sqlglot.parse(run.out, read="duckdb")) == 1
    assert "\r" not in run.out.splitlines()[0] and run.out.splitlines()[0].startswith("-- metric ")


def test_metric_names_never_write_outside_out(cli: Callable[..., Run], tmp_path: Path) -> None:
    """A plan PR naming a metric '../../escaped' or '/abs/path' cannot make `metrics --out` write outside the folder
    asked for (it wrote out/escaped.sql and /abs/path.sql); lint says which names the writers change."""
    plan_dir = tmp_path / "plan"
    (plan_dir / "events").mkdir(parents=True)
    (plan_dir / "tracking-plan.yaml").write_text("plan: p\nversion: 1.0.0\n", encoding="utf-8")
    absolute = tmp_path / "abs" / "path"
    (plan_dir / "events" / "a.yaml").write_text(
        "events:\n  Order Completed: {}\nmetrics:\n"
        "  ../../escaped: {type: count, event: Order Completed}\n"
        f"  {absolute}: {{type: count, event: Order Completed}}\n"
        "  orders: {type: count, event: Order Completed}\n", encoding="utf-8")
    out = tmp_path / "out" / "a" / "b"
    run = cli("metrics", "--sql", "duckdb", "--table", "t", "--plan", str(plan_dir), "--out", str(out))
    assert run.code == 0, run.err
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.sql"))
    assert written == sorted(f"out/a/b/{name}" for name in ("_.._.._escaped.sql", "orders.sql",
                                                            f"{str(absolute).replace('/', '_')}.sql"))
    lint = cli("lint", str(plan_dir), "--format", "json")
    assert {d["rule"] for d in lint.json()["diagnostics"]} >= {"unsafe-file-name"}


def test_no_writer_path_leaves_its_folder(tmp_path: Path) -> None:
    from tracking_plan.core.diagnostics import UsageError
    from tracking_plan.output.fileio import replace_tree

    for rel in ("../x.sql", "/etc/x.sql", "a/../../x.sql", "a//b.sql"):
        with pytest.raises(UsageError, match="not a path inside"):
            replace_tree(tmp_path / "out", {rel: "x"})
    assert not (tmp_path / "out").exists() and not (tmp_path / "x.sql").exists()


def test_a_flat_table_names_its_event_column(cli: Callable[..., Run]) -> None:
    """`--event-column` reaches the warehouse query as it reaches validate's: the metric is computed from the
    column named (the query read a column `event` the table does not have)."""
    run = cli("metrics", "--sql", "duckdb", "--table", "t", "--plan", str(EXAMPLE_PLAN), "--shape", "flat",
              "--event-column", "action", "--metric", "gmv")
    assert run.code == 0, run.err
    connection = duckdb.connect()
    connection.execute("CREATE TABLE t (action VARCHAR, timestamp TIMESTAMP, user_id VARCHAR, platform VARCHAR, "
                       "revenue DOUBLE)")
    connection.execute("INSERT INTO t VALUES ('Order Completed', '2026-01-02 10:00', 'u1', 'web', 30.5), "
                       "('Order Completed', '2026-01-02 11:00', 'u2', 'web', 9.5), "
                       "('Product Viewed', '2026-01-02 12:00', 'u1', 'web', 100)")
    assert connection.execute(run.out.rstrip().rstrip(";")).fetchall() == [(date(2026, 1, 2), 40.0)]
    assert cli("metrics", "--sql", "duckdb", "--table", "t", "--plan", str(EXAMPLE_PLAN), "--shape", "flat",
               "--event-column", " ").code == 2
