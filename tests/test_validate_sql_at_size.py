"""validate --sql at the size of real plans: the 5,000-event synthetic plan and a 564-event plan imported from a
Segment Public API export. The rules are written with --rules-out, loaded as a table as README says, and the query
reads them (--rules-table): run for real in DuckDB and in ClickHouse itself (chDB, default settings), over messages
with planted violations, it counts exactly what the local engine counts. Every dialect's statement stays within
that warehouse's documented limits."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from test_validate_sql import LAYOUT, clickhouse_result, duckdb_table
from validate_fixtures import PLATFORM_LIBRARY, platform_of, valid_properties, valid_traits

from conftest import ROOT, Run
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan, payload_properties
from tracking_plan.validate.engine import validate
from tracking_plan.validate.rules import RULE_TABLE_COLUMNS
from tracking_plan.validate.sql import LIMITS, compiled_rules, warehouse_sql
from tracking_plan.warehouse.dialects import DIALECTS

sys.path.insert(0, str(ROOT / "bench"))
from synth import write_plan

Counts = Counter[tuple[str, str, str | None, int]]


def _break(props: dict[str, Any], plan: Plan, name: str, n: int) -> dict[str, Any]:
    """One message of the event with one planted violation, of a kind chosen by `n`."""
    event = plan.events[name]
    listed = payload_properties(plan, event)
    prop = listed[n % len(listed)]
    broken = dict(props)
    kind = n % 6
    if kind == 0:
        broken.pop(prop.name, None)  # missing when required
    elif kind == 1:
        broken[prop.name] = [1]  # a list where a scalar is planned
    elif kind == 2:
        broken[f"unplanned_{n}"] = n  # unplanned, when the event is closed
    elif kind == 3:
        broken[prop.name] = "opt_zz" if prop.enum else "x" * 300  # enum, or maxLength
    elif kind == 4:
        broken[prop.name] = -5 if "integer" in prop.type or "number" in prop.type else 1.5
    else:
        broken[prop.name] = None
    return broken


def _messages(plan: Plan, every: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, (name, event) in enumerate(sorted(plan.events.items())):
        props = valid_properties(plan, event)
        platform = platform_of(event)
        library = {"library": {"name": PLATFORM_LIBRARY[platform]}}
        rows.append({"type": "track", "event": name, "properties": props, "context": library,
                     "timestamp": f"2026-11-{n % 28 + 1:02d}T10:00:00Z"})
        if n % every == 0:
            rows.append({"type": "track", "event": name, "properties": _break(props, plan, name, n // every),
                         "context": library, "timestamp": "2026-11-28T10:00:00Z"})
    rows.append({"type": "identify", "traits": valid_traits(plan), "timestamp": "2026-11-03T10:00:00Z"})
    rows.append({"type": "track", "event": "Ghost Event", "properties": {}, "timestamp": "2026-11-03T10:00:00Z"})
    return rows


def _local(plan: Plan, rows: list[dict[str, Any]], folder: Path) -> Counts:
    source = folder / "events.ndjson"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = validate(plan, [str(source)])
    return Counter((v.check, e.event, v.property, v.count) for e in result.events for v in e.violations)


def _warehouse(rows: list[tuple[Any, ...]], plan: Plan) -> Counts:
    return Counter((r[5], r[0], r[6], int(r[7])) for r in rows if r[5] is not None)


def _rules_csv(cli: Callable[..., Run], plan_dir: Path, folder: Path, dialect: str) -> tuple[Path, str]:
    rules = folder / f"rules-{dialect}.csv"
    run = cli("validate", "--plan", str(plan_dir), "--sql", dialect, "--table", "events" if dialect == "duckdb"
              else "default.events", "--rules-table", "rules" if dialect == "duckdb" else "default.rules",
              "--rules-out", str(rules))
    assert run.code == 0, run.err
    assert "rules (read from" in run.err
    return rules, run.out


def _in_duckdb(rows: list[dict[str, Any]], rules: Path, sql: str, folder: Path) -> list[tuple[Any, ...]]:
    """README's DuckDB load: read_csv with the columns' types, a quoted empty field kept as the empty text."""
    connection = duckdb_table("segment", rows, folder)
    types = ", ".join(f"'{name}': '{'VARCHAR' if kind == 'TEXT' else kind}'"
                      for name, kind in RULE_TABLE_COLUMNS.items())
    connection.execute(f"CREATE TABLE rules AS SELECT * FROM read_csv('{rules}', header = true, "
                       f"delim = ',', quote = '\"', escape = '\"', columns = {{{types}}}, allow_quoted_nulls = false)")
    return list(connection.execute(sql).fetchall())


def _in_clickhouse(rows: list[dict[str, Any]], rules: Path, sql: str, folder: Path) -> list[tuple[Any, ...]]:
    """README's ClickHouse load: a table of Nullable columns, filled from the CSV with its header."""
    types = {"BIGINT": "Int64", "DOUBLE": "Float64", "TEXT": "String"}
    create = "CREATE TABLE default.rules (" + ", ".join(
        f"{name} Nullable({types[kind]})" for name, kind in RULE_TABLE_COLUMNS.items()) + ") ENGINE = Memory"
    load = f"INSERT INTO default.rules SELECT * FROM file('{rules}', CSVWithNames)"
    return clickhouse_result(rows, LAYOUT["segment"], sql, folder, setup=(create, load))


@pytest.fixture(scope="module")
def big_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Plan]:
    folder = tmp_path_factory.mktemp("plan5000")
    write_plan(folder)
    loaded = load_plan(str(folder))
    assert loaded.plan is not None and len(loaded.plan.events) == 5000
    return folder, loaded.plan


@pytest.fixture(scope="module")
def imported_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Plan]:
    """A 564-event plan (Webflow's size) written as a Segment Public API export (rules with jsonSchema), then
    imported as a team would."""
    from tracking_plan.cli import main

    folder = tmp_path_factory.mktemp("segment")
    write_plan(folder / "synthetic", events=564, files=12, library=120)
    exported = folder / "segment.json"
    for args in (["export", "segment", str(folder / "synthetic"), "--out", str(exported)],
                 ["import", "segment", str(exported), "--out", str(folder / "imported")]):
        with pytest.raises(SystemExit) as stop:
            main(args)
        assert stop.value.code in (0, None), args
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert len(document["rules"]) >= 564 and all("jsonSchema" in rule for rule in document["rules"])
    loaded = load_plan(str(folder / "imported"))
    assert loaded.plan is not None and len(loaded.plan.events) == 564
    return folder / "imported", loaded.plan


@pytest.mark.parametrize("which", ["big_plan", "imported_plan"])
def test_the_warehouse_query_counts_as_the_local_engine_at_size(cli: Callable[..., Run], which: str,
                                                                request: pytest.FixtureRequest,
                                                                tmp_path: Path) -> None:
    plan_dir, plan = request.getfixturevalue(which)
    rows = _messages(plan, every=7 if which == "big_plan" else 2)
    expected = _local(plan, rows, tmp_path)
    assert sum(n for (check, *_), n in expected.items() if check != "unplanned-event") >= len(rows) // 16
    duck_rules, duck_sql = _rules_csv(cli, plan_dir, tmp_path, "duckdb")
    assert _warehouse(_in_duckdb(rows, duck_rules, duck_sql, tmp_path), plan) == expected
    ch_rules, ch_sql = _rules_csv(cli, plan_dir, tmp_path, "clickhouse")
    assert _warehouse(_in_clickhouse(rows, ch_rules, ch_sql, tmp_path), plan) == expected


def test_every_dialect_fits_its_limits_at_5000_events(cli: Callable[..., Run], big_plan: tuple[Path, Plan]) -> None:
    """With the rules read from a table the query's text is the same whatever the plan; inlined, a plan this size
    is refused with the way out, never printed past the limit."""
    plan_dir, plan = big_plan
    rules = compiled_rules(plan, "segment")
    small = load_plan(str(ROOT / "tests" / "cases" / "validate-sql" / "plan")).plan
    assert small is not None
    for dialect in DIALECTS:
        text = warehouse_sql(plan, dialect, "analytics.events", rules_table="analytics.rules", rules=rules)
        limit = LIMITS[dialect]
        size = len(text.encode("utf-8")) if limit.in_bytes else len(text)
        assert limit.characters is None or size <= limit.characters, dialect
        tree = sqlglot.parse_one(text, read=dialect)
        assert limit.ast_elements is None or sum(1 for _ in tree.walk()) <= limit.ast_elements
        if dialect != "redshift":  # Redshift takes literal patterns only: one search per distinct pattern
            assert text == warehouse_sql(small, dialect, "analytics.events", rules_table="analytics.rules"), \
                f"{dialect}: the query's text depends on the plan"
        if dialect in ("bigquery", "clickhouse", "snowflake"):
            with pytest.raises(UsageError, match="do not fit") as refusal:
                warehouse_sql(plan, dialect, "analytics.events", rules=rules)
            assert "--rules-table" in (refusal.value.hint or "")
    refused = cli("validate", "--plan", str(plan_dir), "--sql", "clickhouse", "--table", "t")
    assert refused.code == 2 and "do not fit" in refused.err and "--rules-table" in refused.err and not refused.out


def test_the_rules_csv_is_one_row_per_rule(cli: Callable[..., Run], tmp_path: Path) -> None:
    plan_dir = ROOT / "tests" / "cases" / "validate-sql" / "plan"
    rules, _ = _rules_csv(cli, plan_dir, tmp_path, "bigquery")
    with rules.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == list(RULE_TABLE_COLUMNS)
    loaded = load_plan(str(plan_dir)).plan
    assert loaded is not None
    assert len(table) == len(compiled_rules(loaded, "segment").rows)
    checks = {row["check_id"] for row in table}
    assert {"event", "property", "required", "closed", "enum", "enum-number", "enum-boolean", "pattern", "minimum",
            "exclusive_maximum", "max_length", "min_items", "platform", "deprecated-event", "draft-event"} <= checks
    paths = {row["path"] for row in table if row["check_id"] == "property"}
    assert '["products", "[]", "price"]' in paths and '["shipping", "country"]' in paths
    assert {row["pii"] for row in table} == {"0", "1"}
