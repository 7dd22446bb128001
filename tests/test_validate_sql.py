"""validate --sql: the warehouse query run for real — in DuckDB, and its ClickHouse dialect in ClickHouse itself
(chDB) — over the fixture data loaded as a table, giving the same counts as the local engine; every dialect
parsed back by sqlglot and held to golden files; --from-sql-result rendering the same report."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st
from test_validate import found, write_ndjson
from validate_fixtures import dataset

from conftest import CASES, Run
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan
from tracking_plan.shapes.columns import SHAPES
from tracking_plan.validate.sql import RESULT_COLUMNS, source_table, warehouse_sql
from tracking_plan.warehouse.dialects import DIALECTS

GOLDENS = CASES / "validate-sql"
TEXT_COLUMNS = {"type", "event", "timestamp", "event_type", "event_time", "platform", "event_name"}
GA4_PARAMS = ("STRUCT(key VARCHAR, value STRUCT(string_value VARCHAR, int_value BIGINT, float_value DOUBLE, "
              "double_value DOUBLE))[]")  # as BigQuery's GA4 export types event_params
LAYOUT = {"segment": ["type", "event", "timestamp", "properties", "traits", "context"],
          "amplitude": ["event_type", "event_time", "platform", "event_properties", "user_properties"]}


def columns_of(shape: str, rows: list[dict[str, Any]]) -> list[str]:
    return LAYOUT.get(shape) or sorted({key for row in rows for key in row})


def duckdb_table(shape: str, rows: list[dict[str, Any]], folder: Path) -> duckdb.DuckDBPyConnection:
    """The rows as the warehouse table the query reads: text columns, and JSON for nested values."""
    source = write_ndjson(folder / "rows.ndjson", rows)
    types = {"event_timestamp": "BIGINT", "event_params": GA4_PARAMS} if shape == "ga4" else {}
    typed = ", ".join(f"'{c}': '{types.get(c, 'VARCHAR' if c in TEXT_COLUMNS else 'JSON')}'"
                      for c in columns_of(shape, rows))
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE events AS SELECT * FROM read_json('{source}', columns = {{{typed}}})")
    return connection


def clickhouse_result(rows: list[dict[str, Any]], columns: list[str], sql: str, folder: Path,
                      setup: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """The query run by ClickHouse itself (chDB, default settings), over the rows as a PostHog-style table: nested
    values as JSON text in String columns. `setup` statements run first (loading a rules table)."""
    from chdb import session

    as_text = [{c: row.get(c) if c in TEXT_COLUMNS or row.get(c) is None else json.dumps(row[c]) for c in columns}
               for row in rows]
    source = write_ndjson(folder / "rows-as-text.ndjson", as_text)
    db = session.Session(str(folder / "chdb"))
    try:
        db.query(f"CREATE TABLE default.events ({', '.join(f'`{c}` Nullable(String)' for c in columns)}) "
                 "ENGINE = Memory")
        db.query(f"INSERT INTO default.events SELECT * FROM file('{source}', JSONEachRow)")
        for statement in setup:
            db.query(statement)
        data = json.loads(db.query(sql, "JSONCompact").bytes())["data"]
    finally:
        db.close()
    return [tuple(row) for row in data]


def violations(rows: list[tuple[Any, ...]]) -> list[tuple[str, str, str | None, int]]:
    return sorted((r[5], r[0], r[6], int(r[7])) for r in rows if r[5] is not None)


def local(cli: Callable[..., Run], validate_plan_dir: Path, source: Path) -> Run:
    return cli("validate", str(source), "--plan", str(validate_plan_dir), "--format", "json", "--fail-on", "never")


@pytest.mark.parametrize("shape", ["segment", "amplitude", "flat", "ga4"])
def test_duckdb_sql_counts_as_the_local_engine(cli: Callable[..., Run], validate_plan: Plan, validate_plan_dir: Path,
                                               tmp_path: Path, shape: str) -> None:
    rows, answers = dataset(validate_plan, shape)
    connection = duckdb_table(shape, rows, tmp_path)
    result = connection.execute(warehouse_sql(validate_plan, "duckdb", "events", shape)).fetchall()
    expected = found(local(cli, validate_plan_dir, write_ndjson(tmp_path / "local.ndjson", rows)))
    if shape == "flat":  # a flat table's columns are not known to the query: no top-level unplanned-property
        expected = [v for v in expected if not (v[0] == "unplanned-property" and "." not in (v[2] or ""))]
    # The query names events as the wire does (GA4: order_completed); the report, as the plan does.
    named = {SHAPES[shape].wire_event(name): name for name in validate_plan.events} if shape in SHAPES else {}
    assert sorted((c, named.get(e, e), p, n) for c, e, p, n in violations(result)) == expected
    assert len(expected) >= len(answers) - 1
    assert sum(r[1] for r in result if r[1] is not None) == len(rows)


@pytest.mark.parametrize("shape", ["segment", "amplitude"])
def test_clickhouse_sql_runs_in_clickhouse(cli: Callable[..., Run], validate_plan: Plan, validate_plan_dir: Path,
                                           tmp_path: Path,
                                           shape: str) -> None:
    rows, _ = dataset(validate_plan, shape)
    result = clickhouse_result(rows, columns_of(shape, rows), warehouse_sql(validate_plan, "clickhouse",
                                                                            "default.events", shape), tmp_path)
    expected = found(local(cli, validate_plan_dir, write_ndjson(tmp_path / "local.ndjson", rows)))
    assert violations(result) == expected
    assert sum(int(r[1]) for r in result if r[1] is not None) == len(rows)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_parses_back_and_matches_its_golden_file(dialect: str) -> None:
    loaded = load_plan(str(GOLDENS / "plan"))
    assert loaded.plan is not None
    notes: list[str] = []
    sql = warehouse_sql(loaded.plan, dialect, "analytics.tracks", warn=notes.append)
    parsed = sqlglot.parse(sql, read=dialect)
    assert len(parsed) == 1 and parsed[0] is not None
    golden = GOLDENS / f"{dialect}.sql"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(sql, encoding="utf-8")
    assert sql == golden.read_text(encoding="utf-8"), f"regenerate with UPDATE_GOLDEN=1 pytest {__file__}"
    assert bool(notes) == (dialect == "redshift")


def test_the_query_is_the_same_tree_in_every_dialect() -> None:
    """One tree: every dialect's query has the same parts and result columns; read from a rules table, it names
    nothing of the plan (no event, no property): the rules are data."""
    loaded = load_plan(str(GOLDENS / "plan"))
    assert loaded.plan is not None
    parts = None
    for dialect in DIALECTS:
        sql = warehouse_sql(loaded.plan, dialect, "t", rules_table="r")
        tree = sqlglot.parse_one(sql, read=dialect)
        assert [s.alias_or_name for s in tree.selects] == list(RESULT_COLUMNS)
        names = [cte.alias for cte in tree.find_all(sqlglot.exp.CTE)]
        assert parts is None or names == parts, dialect
        parts = names
        for name in ("Order Completed", "order_id", "shipping", "SPRING"):
            assert name not in sql, (dialect, name)


def test_from_sql_result_renders_the_local_report(cli: Callable[..., Run], validate_plan: Plan, validate_plan_dir: Path,
                                                  tmp_path: Path) -> None:
    rows, _ = dataset(validate_plan, "segment")
    connection = duckdb_table("segment", rows, tmp_path)
    cursor = connection.execute(warehouse_sql(validate_plan, "duckdb", "events"))
    header = [d[0] for d in cursor.description]
    assert header == list(RESULT_COLUMNS)
    result = cursor.fetchall()
    exported_csv = tmp_path / "result.csv"
    with exported_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in result)
    exported_json = tmp_path / "result.json"
    exported_json.write_text(json.dumps([dict(zip(header, row, strict=True)) for row in result]), encoding="utf-8")
    here = local(cli, validate_plan_dir, write_ndjson(tmp_path / "local.ndjson", rows)).json()
    for exported in (exported_csv, exported_json):
        run = cli("validate", "--from-sql-result", str(exported), "--plan", str(validate_plan_dir), "--format", "json")
        assert run.code == 1, run.err
        there = run.json()
        assert found(run) == sorted((v["check"], e["event"], v["property"], v["count"])
                                    for e in [*here["events"], *({"event": u["event"], "violations": [
                                        {"check": "unplanned-event", "property": None, "count": u["seen"]}]}
                                        for u in here["unplanned"])] for v in e["violations"])
        for key in ("events_read", "valid", "unplanned_events", "silent_events", "by_squad"):
            assert there["summary"][key] == here["summary"][key], key
        assert there["silent"] == here["silent"]
        html = cli("validate", "--from-sql-result", str(exported), "--plan", str(validate_plan_dir),
                   "--format", "html")
        assert html.code == 1


def test_no_pii_value_leaves_the_warehouse(validate_plan: Plan, tmp_path: Path) -> None:
    rows, _ = dataset(validate_plan, "segment")
    secret = "secret-person@example.com"
    for row in rows:
        if row.get("type") == "identify":
            row["traits"]["email"] = secret + " broken"  # fails the email format
            row["traits"]["first_name"] = 12345  # pii, wrong type
    connection = duckdb_table("segment", rows, tmp_path)
    result = connection.execute(warehouse_sql(validate_plan, "duckdb", "events")).fetchall()
    cells = json.dumps(result, default=str)
    assert secret not in cells and "12345" not in cells
    assert "string of length" in cells and "integer of length" in cells


@pytest.mark.parametrize(("args", "message"), [
    (["--sql", "duckdb"], "needs the table"),
    (["--sql", "oracle", "--table", "t"], "Unknown SQL dialect"),
    (["--sql", "duckdb", "--table", "t", "--column", "nope"], "KEY=NAME"),
    (["--sql", "duckdb", "--table", "t", "--column", "bogus=x"], "no column 'bogus'"),
    (["--sql", "clickhouse", "--table", "t", "--shape", "ga4"], "BigQuery's"),
    (["--sql", "duckdb", "--table", "t", "events.ndjson"], "reads no SOURCE"),
    ([], "Nothing to validate"),
])
def test_sql_usage_errors(cli: Callable[..., Run], validate_plan_dir: Path, args: list[str], message: str) -> None:
    run = cli("validate", *args, "--plan", str(validate_plan_dir))
    assert run.code == 2 and message in run.err, run.err


@pytest.mark.parametrize(("content", "message"), [
    ("event,seen\nx,1\n", "lacks the columns"),
    (",".join(RESULT_COLUMNS) + "\nOrder Completed,many,,,,,,,,\n", "must be a count"),
    (",".join(RESULT_COLUMNS) + "\nOrder Completed,,,,,bogus-check,,1,,\n", "not a check"),
    (",".join(RESULT_COLUMNS) + "\nOrder Completed,2,3,,,,,,,\n", "3 valid events of 2 seen"),
    (",".join(RESULT_COLUMNS) + "\nOrder Completed,,,,,enum,currency,1,,\n", "no row counting it"),
    ('[{"event": 1}, 2]', "must be a JSON object"),
    ('{"event": "a"}\n{oops\n', "not JSON"),
    ("\udcff", "not UTF-8"),
])
def test_from_sql_result_refuses_bad_exports(cli: Callable[..., Run], validate_plan_dir: Path, tmp_path: Path,
                                             content: str, message: str) -> None:
    exported = tmp_path / "result.csv"
    exported.write_bytes(content.encode("utf-8", errors="surrogateescape"))
    run = cli("validate", "--from-sql-result", str(exported), "--plan", str(validate_plan_dir))
    assert run.code == 2 and message in run.err, run.err
    assert "Traceback" not in run.err


def _order(**changes: Any) -> dict[str, Any]:
    props = {"order_id": "o-1", "revenue": 10.5, "quantity": 2, "coupon": None, "gift": False, "rating": 1,
             "card_holder": "Ann Lee", "shipping": {"country": "FR", "express": True},
             "products": [{"sku": "a", "price": 1}]}
    props.update(changes)
    return {"type": "track", "event": "Order Completed", "properties": props, "timestamp": "2026-11-01T10:00:00Z",
            "context": {"library": {"name": "analytics-python"}}}


GOLDEN_ROWS: list[dict[str, Any]] = [
    _order(), _order(rating=4.5, coupon="SPRING"),
    _order(order_id="x1"), _order(revenue=100000), _order(quantity=1.5), _order(coupon="c" * 21),
    _order(gift=True), _order(rating=5), _order(card_holder="A"),
    _order(shipping={"country": "fr", "extra": 1}), _order(shipping={}),
    _order(products=[]), _order(products=[{"sku": "a"}, {"price": -1}]), _order(products=[{"sku": "a", "x": 1}]),
    {**_order(), "context": {"library": {"name": "analytics.js"}}},
    {"type": "track", "event": "Order Completed", "timestamp": "2026-11-01T11:00:00Z"},  # no properties at all
    {"type": "track", "event": "Coupon Entered", "properties": {"code": "A"}, "timestamp": "2026-11-02T10:00:00Z"},
    {"type": "track", "event": "Wallet Opened", "properties": {"balance": [1]}, "timestamp": "2026-11-02T10:00:00Z",
     "context": {"library": {"name": "analytics-ios"}}},
    {"type": "identify", "traits": {"email": "ann@example.com", "plan_tier": "pro"}, "timestamp": "2026-11-03"},
    {"type": "identify", "traits": {"email": "nope"}, "timestamp": "2026-11-03T10:00:00Z"},
    {"type": "identify", "traits": {"plan_tier": "gold"}, "timestamp": "2026-11-03T10:00:00Z"},
]
GOLDEN_ANSWERS = sorted([
    ("pattern", "Order Completed", "order_id", 1), ("range", "Order Completed", "revenue", 1),
    ("missing-property", "Order Completed", "order_id", 1), ("missing-property", "Order Completed", "revenue", 1),
    ("wrong-type", "Order Completed", "quantity", 1), ("length", "Order Completed", "coupon", 1),
    ("enum", "Order Completed", "gift", 1), ("enum", "Order Completed", "rating", 1),
    ("length", "Order Completed", "card_holder", 1), ("pattern", "Order Completed", "shipping.country", 1),
    ("unplanned-property", "Order Completed", "shipping.extra", 1),
    ("missing-property", "Order Completed", "shipping.country", 1), ("items", "Order Completed", "products", 1),
    ("missing-property", "Order Completed", "products[].sku", 1), ("range", "Order Completed", "products[].price", 1),
    ("unplanned-property", "Order Completed", "products[].x", 1), ("unplanned-platform", "Order Completed", None, 1),
    ("deprecated-event", "Coupon Entered", None, 1), ("draft-event", "Wallet Opened", None, 1),
    ("trait", "identify", "email", 1), ("missing-trait", "identify", "email", 1),
    ("trait", "identify", "plan_tier", 1),
])


def test_every_rule_kind_counts_exactly_in_every_engine(cli: Callable[..., Run], tmp_path: Path) -> None:
    """The golden plan's rules (nested closed objects, list items, enums of numbers and booleans, exclusive
    bounds, nullable types, pii), each broken once: the local engine, DuckDB and ClickHouse agree on the answer."""
    loaded = load_plan(str(GOLDENS / "plan"))
    assert loaded.plan is not None
    run = local(cli, GOLDENS / "plan", write_ndjson(tmp_path / "events.ndjson", GOLDEN_ROWS))
    assert found(run) == GOLDEN_ANSWERS
    connection = duckdb_table("segment", GOLDEN_ROWS, tmp_path)
    assert violations(connection.execute(warehouse_sql(loaded.plan, "duckdb", "events")).fetchall()) \
        == GOLDEN_ANSWERS
    result = clickhouse_result(GOLDEN_ROWS, LAYOUT["segment"],
                               warehouse_sql(loaded.plan, "clickhouse", "default.events"), tmp_path)
    assert violations(result) == GOLDEN_ANSWERS


@pytest.mark.toolchain
def test_the_query_runs_unchanged_as_a_dbt_test(dbt: Path, validate_plan: Plan, validate_plan_dir: Path,
                                                tmp_path: Path) -> None:
    """README's recipe, run by dbt itself, with the rules as a seed: `dbt seed` loads the CSV --rules-out wrote
    (typed as README's dbt_project.yml says), the test fails with one result per violation and passes on valid
    data."""
    import subprocess

    from tracking_plan.cli import main
    from tracking_plan.validate.rules import RULE_TABLE_COLUMNS

    rows, answers = dataset(validate_plan, "segment")
    database = tmp_path / "warehouse.duckdb"
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    (project / "seeds").mkdir()
    types = ", ".join(f"{name}: {'varchar' if kind == 'TEXT' else kind.lower()}"
                      for name, kind in RULE_TABLE_COLUMNS.items())
    (project / "dbt_project.yml").write_text(
        "name: shop\nversion: '1.0'\nprofile: shop\nconfig-version: 2\n"
        f"seeds:\n  shop:\n    tracking_plan_rules:\n      +column_types: {{{types}}}\n", encoding="utf-8")
    (project / "profiles.yml").write_text(
        f"shop:\n  target: dev\n  outputs:\n    dev: {{type: duckdb, path: '{database}'}}\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["validate", "--plan", str(validate_plan_dir), "--sql", "duckdb", "--table", "main.tracks",
              "--rules-table", "main.tracking_plan_rules", "--rules-out",
              str(project / "seeds" / "tracking_plan_rules.csv")])
    assert stop.value.code == 0
    query = warehouse_sql(validate_plan, "duckdb", "main.tracks", rules_table="main.tracking_plan_rules")
    (project / "tests" / "tracking_plan_conformance.sql").write_text(
        '{{ config(fail_calc = "count(*) - count(seen)") }}\n' + query, encoding="utf-8")
    for label, data in (("invalid", rows), ("valid", rows[:5])):
        table = duckdb_table("segment", data, tmp_path)
        table.execute(f"ATTACH '{database}' AS warehouse")
        table.execute("CREATE OR REPLACE TABLE warehouse.main.tracks AS SELECT * FROM events")
        table.close()
        for command in ("seed", "test"):
            run = subprocess.run([str(dbt), command, "--project-dir", str(project), "--profiles-dir", str(project)],
                                 capture_output=True, text=True, check=False, cwd=project)
            if command == "seed":
                assert run.returncode == 0, run.stdout
        if label == "invalid":
            assert run.returncode == 1, run.stdout
            assert f"Got {len(answers)} results" in run.stdout, run.stdout
        else:
            assert run.returncode == 0, run.stdout


@pytest.mark.parametrize(("dialect", "shape"), [("bigquery", "ga4"), ("snowflake", "amplitude"),
                                                ("databricks", "flat")])
def test_other_layouts_parse_back_and_match_their_golden_files(dialect: str, shape: str) -> None:
    loaded = load_plan(str(GOLDENS / "plan"))
    assert loaded.plan is not None
    sql = warehouse_sql(loaded.plan, dialect, "analytics.events", shape)
    assert sqlglot.parse_one(sql, read=dialect) is not None
    golden = GOLDENS / f"{dialect}-{shape}.sql"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(sql, encoding="utf-8")
    assert sql == golden.read_text(encoding="utf-8"), f"regenerate with UPDATE_GOLDEN=1 pytest {__file__}"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.sampled_from(sorted(DIALECTS)))
def test_any_table_name_is_a_table_or_a_usage_error(table: str, dialect: str) -> None:
    """Whatever is typed after --table, the SQL commands name a table or say the name cannot be read (exit 2):
    never an internal error from the SQL tokenizer."""
    try:
        parsed = source_table(table, dialect)
    except UsageError as error:
        assert error.hint
    else:
        assert isinstance(parsed, sqlglot.exp.Table)


def test_an_unreadable_table_name_is_a_usage_error(cli: Callable[..., Run], validate_plan_dir: Path) -> None:
    for command in ("validate", "metrics"):
        run = cli(command, "--plan", str(validate_plan_dir), "--sql", "bigquery", "--table", 'x"y')
        assert run.code == 2 and "is not a table name bigquery can read" in run.err, run.err
    for command in ("validate", "metrics"):  # a second statement, a comment: never inside the printed query
        for table in ("a.b; VACUUM", "a.b -- x", "a.b c"):
            run = cli(command, "--plan", str(validate_plan_dir), "--sql", "duckdb", "--table", table)
            assert run.code == 2 and "is not one table name" in run.err and not run.out, run.err
    empty = cli("validate", "--plan", str(validate_plan_dir), "--sql", "bigquery", "--table", "t", "--shape", "flat",
                "--event-column", " ")
    assert empty.code == 2 and "--event-column is empty" in empty.err
