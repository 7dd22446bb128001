"""The collector's per-message checker gives `validate`'s answers: on every fixture (one planted violation per
check) and on the golden plan's cases (nested closed objects, list items, enums, bounds, pii)."""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import validate_fixtures
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate import found, write_ndjson
from test_validate_sql import GOLDEN_ANSWERS, GOLDEN_ROWS, GOLDENS, LAYOUT, clickhouse_result, duckdb_table
from validate_fixtures import PLATFORM_LIBRARY, dataset

from conftest import Run
from tracking_plan.conformance.checker import Checker, Verdict
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan
from tracking_plan.shapes import messages
from tracking_plan.validate.engine import validate
from tracking_plan.validate.sql import warehouse_sql


def answers(verdicts: list[Verdict]) -> list[tuple[str, str, str | None, int]]:
    counts = Counter((f.check, v.event, f.property) for v in verdicts for f in v.findings)
    return sorted((check, event, prop, n) for (check, event, prop), n in counts.items())


def check_all(checker: Checker, shape: str, rows: list[dict[str, Any]]) -> list[Verdict]:
    read = messages.segment if shape == "segment" else messages.amplitude
    return [checker.check(m.kind, m.name, m.platform, m.properties, m.traits) for m in map(read, rows)]


@pytest.mark.parametrize("shape", ["segment", "amplitude"])
def test_the_checker_gives_validates_answers(cli: Callable[..., Run], validate_plan: Plan,
                                             validate_plan_dir: Path, tmp_path: Path, shape: str) -> None:
    rows, _ = dataset(validate_plan, shape)
    run = cli("validate", str(write_ndjson(tmp_path / "rows.ndjson", rows)), "--plan", str(validate_plan_dir),
              "--format", "json", "--fail-on", "never")
    verdicts = check_all(Checker(validate_plan), shape, rows)
    assert answers(verdicts) == found(run)
    assert sum(v.valid for v in verdicts) == run.json()["summary"]["valid"]


def test_the_checker_on_every_rule_kind() -> None:
    loaded = load_plan(str(GOLDENS / "plan"))
    assert loaded.plan is not None
    assert answers(check_all(Checker(loaded.plan), "segment", GOLDEN_ROWS)) == GOLDEN_ANSWERS


def test_the_checker_never_shows_a_pii_value() -> None:
    loaded = load_plan(str(GOLDENS / "plan"))
    assert loaded.plan is not None
    checker = Checker(loaded.plan)
    verdict = checker.check("track", "Order Completed", None, {"order_id": "o-1", "revenue": 1, "card_holder": "X"})
    assert [f.sample for f in verdict.findings] == ["string of length 1"]  # its characters, not its JSON
    verdict = checker.check("identify", "identify", None, None, {"email": "leak@example"})
    assert "leak" not in json.dumps([f.sample for f in verdict.findings])


_VALUES = st.recursive(
    # Integers within 64 bits: beyond them DuckDB reads a JSON integer as a float (the checker, as an integer).
    st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1),
              st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8),
              st.sampled_from(["FR", "o-123", "EUR", "ann@example.com", "c" * 21])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(
        st.sampled_from(["sku", "price", "country", "express", "x"]), inner, max_size=3)), max_leaves=5)
_KEYS = ["order_id", "revenue", "quantity", "coupon", "gift", "rating", "card_holder", "shipping", "products",
         "unplanned"]


@st.composite
def _messages(draw: st.DrawFn) -> dict[str, Any]:
    """An order or an identify call of the golden plan with some values replaced, removed or added (any JSON,
    nested too), from any library."""
    identify = draw(st.booleans())
    row = next(r for r in GOLDEN_ROWS if r["type"] == "identify") if identify else GOLDEN_ROWS[0]
    field, keys = ("traits", ["email", "plan_tier", "x"]) if identify else ("properties", _KEYS)
    values = dict(row[field])
    for key in draw(st.lists(st.sampled_from(keys), max_size=4, unique=True)):
        if draw(st.booleans()):
            values[key] = draw(_VALUES)
        else:
            values.pop(key, None)
    library = draw(st.sampled_from(["analytics-python", "analytics.js", "analytics-ios"]))
    return {**row, field: values, "context": {"library": {"name": library}}}


_LIBRARY_PLATFORM = {library: platform for platform, library in PLATFORM_LIBRARY.items()}


def _as_amplitude(row: dict[str, Any]) -> dict[str, Any]:
    """The same message as an Amplitude export row."""
    identify = row["type"] == "identify"
    return validate_fixtures.amplitude("identify" if identify else row["event"],
                                       row["traits" if identify else "properties"],
                                       _LIBRARY_PLATFORM[row["context"]["library"]["name"]], 1)


@pytest.mark.parametrize("shape", ["segment", "amplitude"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_messages(), min_size=1, max_size=6))
def test_validate_and_the_checker_agree_on_any_message(tmp_path: Path, shape: str,
                                                       messages_: list[dict[str, Any]]) -> None:
    """Three implementations of one validation model — validate's local engine and its warehouse SQL over all
    messages at once, the collector's checker one message at a time — give the same counts, whatever the messages
    hold."""
    rows = messages_ if shape == "segment" else [_as_amplitude(row) for row in messages_]
    plan = _golden_plan()
    result = validate(plan, [str(write_ndjson(tmp_path / "rows.ndjson", rows))])
    local = Counter((v.check, e.event, v.property, v.count) for e in result.events for v in e.violations)
    verdicts = check_all(Checker(plan), shape, rows)
    per_message = Counter((f.check, v.event, f.property) for v in verdicts for f in v.findings)
    assert local == Counter((check, event, prop, n) for (check, event, prop), n in per_message.items())
    assert sum(e.valid for e in result.events) == sum(v.valid for v in verdicts)
    warehouse = duckdb_table(shape, rows, tmp_path).execute(_golden_sql("duckdb", "events", shape)).fetchall()
    assert Counter((r[5], r[0], r[6], int(r[7])) for r in warehouse if r[5] is not None) == local


@functools.cache
def _golden_plan() -> Plan:
    loaded = load_plan(str(GOLDENS / "plan"))
    assert loaded.plan is not None
    return loaded.plan


@functools.cache
def _golden_sql(dialect: str, table: str, shape: str = "segment") -> str:
    return warehouse_sql(_golden_plan(), dialect, table, shape)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_messages(), min_size=1, max_size=6))
def test_clickhouse_agrees_on_any_message(tmp_path_factory: pytest.TempPathFactory,
                                          rows: list[dict[str, Any]]) -> None:
    """The ClickHouse query, run by ClickHouse itself (chDB), counts what the local engine counts."""
    folder = tmp_path_factory.mktemp("clickhouse")
    result = validate(_golden_plan(), [str(write_ndjson(folder / "rows.ndjson", rows))])
    local = Counter((v.check, e.event, v.property, v.count) for e in result.events for v in e.violations)
    theirs = clickhouse_result(rows, LAYOUT["segment"], _golden_sql("clickhouse", "default.events"), folder)
    assert Counter((r[5], r[0], r[6], int(r[7])) for r in theirs if r[5] is not None) == local
