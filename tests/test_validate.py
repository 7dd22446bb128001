"""validate: fixtures with a known answer for every check and every shape (tests/validate_fixtures.py), exact
counts, outputs, PII and malformed input."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from validate_fixtures import PLANTED, dataset

from conftest import Run
from tracking_plan.conformance.checks import CHECK_IDS
from tracking_plan.core.model import Plan
from tracking_plan.core.naming import convert
from tracking_plan.validate.query import _JSON_TYPE, _TEXT


def write_ndjson(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def found(run: Run) -> list[tuple[str, str, str | None, int]]:
    document = run.json()
    events = [*document["events"], *({"event": u["event"], "violations": [
        {"check": "unplanned-event", "property": None, "count": u["seen"]}]} for u in document["unplanned"])]
    return sorted((v["check"], e["event"], v["property"], v["count"]) for e in events for v in e["violations"])


def test_every_check_has_a_planted_case() -> None:
    assert {check for check, *_ in PLANTED} == set(CHECK_IDS)


@pytest.mark.parametrize("shape", ["segment", "amplitude", "flat", "ga4"])
def test_every_check_counts_exactly(cli: Callable[..., Run], validate_plan: Plan, validate_plan_dir: Path,
                                    tmp_path: Path,
                                    shape: str) -> None:
    rows, answers = dataset(validate_plan, shape)
    source = write_ndjson(tmp_path / f"{shape}.ndjson", rows)
    run = cli("validate", str(source), "--plan", str(validate_plan_dir), "--format", "json")
    assert run.code == 1, run.err
    assert run.json()["summary"]["shape"] == shape  # detected
    # An unplanned event is named as it was seen: GA4 saw `ghost_event`.
    want = sorted((check, convert(name, "snake_case") if shape == "ga4" and check == "unplanned-event" else name,
                   prop, 1) for check, name, prop in answers)
    assert found(run) == want
    summary = run.json()["summary"]
    assert summary["events_read"] == len(rows)
    assert summary["valid"] == len(rows) - len(answers)


@pytest.mark.parametrize("shape", ["segment", "amplitude", "flat", "ga4"])
def test_typed_parquet_counts_as_its_json(cli: Callable[..., Run], validate_plan: Plan, validate_plan_dir: Path,
                                          tmp_path: Path, shape: str) -> None:
    """The same data written to Parquet by a pipeline that types it (objects as structs, each struct the union of
    every row's keys, dates and timestamps typed, as DuckDB's read_json_auto does): the answer of the JSON."""
    rows, _ = dataset(validate_plan, shape)
    source = write_ndjson(tmp_path / f"{shape}.ndjson", rows)
    parquet = tmp_path / f"{shape}.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_json_auto('{source}', sample_size = -1)) TO '{parquet}' (FORMAT parquet)")
    assert any(column_type.id == "struct" or column_type.id == "list"
               for column_type in duckdb.sql(f"SELECT * FROM '{parquet}'").types)
    from_json = cli("validate", str(source), "--plan", str(validate_plan_dir), "--format", "json")
    from_parquet = cli("validate", str(parquet), "--plan", str(validate_plan_dir), "--format", "json")
    assert from_parquet.code == from_json.code == 1, from_parquet.err
    assert found(from_parquet) == found(from_json)
    assert from_parquet.json()["summary"]["valid"] == from_json.json()["summary"]["valid"]
    seen = [[(e["event"], e["seen"], e["first_seen"], e["last_seen"]) for e in run.json()["events"]]
            for run in (from_json, from_parquet)]
    assert seen[0] == seen[1]


def test_pii_values_never_appear(cli: Callable[..., Run], validate_plan: Plan, validate_plan_dir: Path,
                                 tmp_path: Path) -> None:
    rows, _ = dataset(validate_plan, "segment")
    secret = "secret-person@example.com"
    rows.append({"type": "track", "event": "Password Reset Requested", "properties": {"email": 12345,
                 "platform": "backend", "country": "FR"}, "context": {"library": {"name": "analytics-python"}}})
    rows.append({"type": "identify", "traits": {"email": secret + " not valid", "first_name": ["Ada"],
                                                "country": "FR"}})
    source = write_ndjson(tmp_path / "pii.ndjson", rows)
    for output in ("text", "json", "markdown", "html"):
        run = cli("validate", str(source), "--plan", str(validate_plan_dir), "--format", output)
        assert run.code == 1
        assert secret not in run.out and "Ada" not in run.out and "12345" not in run.out
        assert "not-an-email" not in run.out
    assert "string of length" in cli("validate", str(source), "--plan", str(validate_plan_dir), "--format", "json").out


def test_formats_and_compression(cli: Callable[..., Run], validate_plan: Plan, validate_plan_dir: Path,
                                 tmp_path: Path) -> None:
    rows, _ = dataset(validate_plan, "segment")
    with gzip.open(tmp_path / "part-1.ndjson.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in rows[:10])
    (tmp_path / "part-2.json").write_text(json.dumps(rows[10:]), encoding="utf-8")  # a JSON array
    run = cli("validate", str(tmp_path), "--plan", str(validate_plan_dir), "--format", "json")
    assert run.json()["summary"]["events_read"] == len(rows)
    import duckdb

    parquet = tmp_path / "pq"
    parquet.mkdir()
    duckdb.sql(f"COPY (SELECT * FROM read_json_auto('{tmp_path / 'part-2.json'}')) TO "
               f"'{parquet / 'events.parquet'}' (FORMAT parquet)")
    run = cli("validate", str(parquet / "*.parquet"), "--plan", str(validate_plan_dir), "--format", "json")
    assert run.code == 1 and run.json()["summary"]["events_read"] == len(rows) - 10
    # Segment's S3 destination: segment-logs/{source}/{day}/{name}.gz, gzipped JSON lines, named anyhow.
    day = tmp_path / "segment-logs" / "src_1" / "1762041600000"
    day.mkdir(parents=True)
    with gzip.open(day / "1762045200000.a1b2c3d4-e5f6.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in rows)
    with gzip.open(day / "totals.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write("event,count\nOrder Completed,3\n")
    run = cli("validate", str(tmp_path / "segment-logs"), "--plan", str(validate_plan_dir), "--format", "json")
    assert run.json()["summary"]["events_read"] == len(rows), run.err


def test_silent_events_and_fail_on(cli: Callable[..., Run], validate_plan: Plan, validate_plan_dir: Path,
                                   tmp_path: Path) -> None:
    rows, _ = dataset(validate_plan, "segment")
    valid_only = write_ndjson(tmp_path / "valid.ndjson", rows[:5])
    run = cli("validate", str(valid_only), "--plan", str(validate_plan_dir), "--format", "json")
    active = sum(1 for e in validate_plan.events.values() if e.status == "active")
    assert run.code == 0 and len(run.json()["silent"]) == active - 5
    everything = write_ndjson(tmp_path / "all.ndjson", rows)
    assert cli("validate", str(everything), "--plan", str(validate_plan_dir), "--fail-on", "50").code == 0
    assert cli("validate", str(everything), "--plan", str(validate_plan_dir), "--fail-on", "99.9").code == 1
    assert cli("validate", str(everything), "--plan", str(validate_plan_dir), "--fail-on", "never").code == 0
    assert cli("validate", str(everything), "--plan", str(validate_plan_dir), "--fail-on", "most").code == 2
    for outside in ("150", "-5", "nan", "inf"):  # a share of valid events is from 0 to 100
        assert cli("validate", str(everything), "--plan", str(validate_plan_dir), "--fail-on", outside).code == 2


@pytest.mark.parametrize(("name", "content"), [
    ("truncated.ndjson", b'{"type": "track", "event": "Order Completed", "properties": {"order_'),
    ("latin1.ndjson", b'{"type": "track", "event": "Caf\xe9"}\n'),
    ("not-objects.ndjson", b'[1, 2]\n"text"\n'),
])
def test_malformed_input_is_a_usage_error(cli: Callable[..., Run], validate_plan_dir: Path, tmp_path: Path, name: str,
                                          content: bytes) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    run = cli("validate", str(source), "--plan", str(validate_plan_dir))
    assert run.code == 2, (run.code, run.out, run.err)
    assert "Traceback" not in run.err and "internal error" not in run.err


def test_html_is_self_contained_and_escaped(cli: Callable[..., Run], validate_plan_dir: Path, tmp_path: Path) -> None:
    rows = [{"type": "track", "event": "<script>alert(1)</script>", "properties": {}}]
    source = write_ndjson(tmp_path / "x.ndjson", rows)
    page = cli("validate", str(source), "--plan", str(validate_plan_dir), "--format", "html").out
    assert page.startswith("<!doctype html>") and "<script>" not in page and "&lt;script&gt;" in page
    assert "default-src 'none'" in page and "http" not in page.split("<body>")[1]


def test_an_empty_export_reads_no_event(cli: Callable[..., Run], validate_plan: Plan, validate_plan_dir: Path,
                                        tmp_path: Path) -> None:
    (tmp_path / "empty.ndjson").write_bytes(b"")
    run = cli("validate", str(tmp_path / "empty.ndjson"), "--plan", str(validate_plan_dir), "--format", "json")
    assert run.code == 0 and run.json()["summary"]["events_read"] == 0
    assert len(run.json()["silent"]) == sum(1 for e in validate_plan.events.values() if e.status == "active")


def test_a_one_gigabyte_line_is_refused_cleanly(cli: Callable[..., Run], validate_plan_dir: Path,
                                                tmp_path: Path) -> None:
    """One event of 1 GiB (a runaway text value): refused with the size limit named, memory bounded."""
    source = tmp_path / "huge.ndjson"
    chunk = b"a" * (16 << 20)
    with source.open("wb") as handle:
        handle.write(b'{"type": "track", "event": "Order Completed", "properties": {"order_id": "')
        for _ in range(64):
            handle.write(chunk)
        handle.write(b'"}}\n')
    run = cli("validate", str(source), "--plan", str(validate_plan_dir))
    assert run.code == 2, (run.code, run.err)
    assert "Traceback" not in run.err and "larger than 16 MiB" in run.err, run.err


def test_progress_is_drawn_on_a_terminal_only(validate_plan: Plan, validate_plan_dir: Path, tmp_path: Path) -> None:
    """A progress bar on stderr when it is a terminal; stdout stays the report; nothing drawn into a pipe."""
    import os
    import pty
    import subprocess
    import sys

    rows, _ = dataset(validate_plan, "segment")
    source = write_ndjson(tmp_path / "events.ndjson", rows * 200)
    command = [sys.executable, "-m", "tracking_plan", "validate", str(source), "--plan", str(validate_plan_dir),
               "--format", "json", "--fail-on", "never"]
    leader, follower = pty.openpty()
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=follower, check=False,
                          env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["summary"]["events_read"] == len(rows) * 200
    assert b"checking events" in drawn
    piped = subprocess.run(command, capture_output=True, check=False)
    assert piped.returncode == 0 and piped.stderr == b""


_JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12))
_JSON_VALUES = st.recursive(_JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)), max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(_JSON_VALUES, min_size=1, max_size=8))
def test_values_read_without_parsing_them_again_as_json_type_reads_them(values: list[Any]) -> None:
    """The engine reads a value's JSON type off its first character and a string's text from between its quotes
    (parsing neither again); for any value DuckDB hands over, that is json_type's and json_extract_string's answer,
    but for a number DuckDB reads as DOUBLE that has no fractional part: an integer, as JSON Schema reads it."""
    connection = duckdb.connect()
    document = json.dumps({f"k{i}": value for i, value in enumerate(values)}, ensure_ascii=False)
    rows = connection.execute(
        f"SELECT {_JSON_TYPE}, json_type(n.val), CASE WHEN json_type(n.val) = 'VARCHAR' THEN "
        f"{_TEXT.replace('val', 'n.val')} END, "
        "CASE WHEN json_type(n.val) = 'VARCHAR' THEN json_extract_string(n.val, '$') END "
        "FROM (SELECT unnest(json_extract(CAST(? AS JSON), '$.*')) AS val) n",
        [document]).fetchall()
    assert len(rows) == len(values)
    for value, (mine, theirs, text, their_text) in zip(values, rows, strict=True):
        whole = isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()
        assert (mine, text) == ("HUGEINT" if theirs == "DOUBLE" and whole else theirs, their_text)


# Whole numbers within 2**53: DuckDB may type a list of them as DOUBLE, exact that far. Text never looks like a
# date: a typing pipeline would make it one.
_LEAVES = {"int": st.integers(min_value=-(2**53), max_value=2**53), "bool": st.booleans(),
           "float": st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda f: not f.is_integer()),
           "text": st.text(alphabet="abcxyz é'\"\\", max_size=6)}
_KINDS = st.recursive(st.sampled_from(sorted(_LEAVES)), lambda inner: st.one_of(
    st.tuples(st.just("list"), inner),
    st.dictionaries(st.sampled_from(["a", "b", "c", "d e"]), inner, min_size=1, max_size=3)), max_leaves=5)


def _value_of(kind: Any) -> st.SearchStrategy[Any]:
    if isinstance(kind, str):
        return _LEAVES[kind]
    if isinstance(kind, tuple):
        return st.lists(_value_of(kind[1]), max_size=3)
    return st.fixed_dictionaries({}, optional={key: _value_of(inner) for key, inner in kind.items()})


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["p", "q", "r"]), _KINDS, min_size=1).flatmap(
    lambda kinds: st.lists(_value_of(kinds), min_size=1, max_size=5)))
def test_typed_parquet_gives_back_the_objects_written(rows: list[dict[str, Any]]) -> None:
    """Objects of any nesting written to Parquet by a typing pipeline (each row's keys a subset of the union, a
    type per key) come back from `conform` as they were written: absent keys absent, at every depth."""
    import tempfile

    from tracking_plan.shapes.columns import conform

    with tempfile.TemporaryDirectory() as folder:
        source, parquet = Path(folder) / "rows.ndjson", Path(folder) / "rows.parquet"
        write_ndjson(source, [{"id": i, "properties": row} for i, row in enumerate(rows)])
        connection = duckdb.connect()
        connection.execute(f"COPY (SELECT * FROM read_json_auto('{source}', sample_size = -1)) TO '{parquet}' "
                           "(FORMAT parquet)")
        relation = connection.sql(f"SELECT * FROM '{parquet}'")
        kind = relation.types[relation.columns.index("properties")]
        back = connection.execute(f"SELECT id, {conform('properties', kind, duckdb.sqltype('JSON'))} "
                                  f"FROM '{parquet}' ORDER BY id").fetchall()
    assert [json.loads(text) if text is not None else None for _, text in back] == rows


def test_a_glob_through_links_to_folders_above_ends_and_reads_each_file_once(cli: Callable[..., Run],
                                                                              validate_plan: Plan,
                                                                              validate_plan_dir: Path,
                                                                              tmp_path: Path) -> None:
    """`validate 'data/**/*.ndjson'` with `a -> .` and `b -> .` in the folder never returned (Python's recursive
    glob follows links); with one such link one file was read 41 times."""
    rows, _ = dataset(validate_plan, "segment")
    data = tmp_path / "data"
    (data / "day").mkdir(parents=True)
    write_ndjson(data / "day" / "events.ndjson", rows)
    (data / "a").symlink_to(".")
    (data / "b").symlink_to(".")
    run = cli("validate", str(data) + "/**/*.ndjson", "--plan", str(validate_plan_dir), "--format", "json",
              "--fail-on", "never")
    assert run.code == 0, run.err
    assert run.json()["summary"]["events_read"] == len(rows)


def test_a_pattern_no_engine_reads_is_the_plans_fault(cli: Callable[..., Run], tmp_path: Path) -> None:
    """An invalid pattern passed lint; validate then said 'The data cannot be read as JSON', blaming the data,
    and the --sql query failed in the warehouse. Now lint reports it, and validate stops at the plan's line."""
    plan = tmp_path / "plan"
    (plan / "events").mkdir(parents=True)
    (plan / "tracking-plan.yaml").write_text("plan: p\nversion: 1.0.0\n", encoding="utf-8")
    (plan / "events" / "a.yaml").write_text(
        "events:\n  Order Completed:\n    properties:\n      country: {type: string, pattern: \"^([A-Z]\"}\n",
        encoding="utf-8")
    source = write_ndjson(tmp_path / "e.ndjson", [{"type": "track", "event": "Order Completed",
                                                   "properties": {"country": "FR"}}])
    for args in ([str(source)], ["--sql", "duckdb", "--table", "t"]):
        run = cli("validate", *args, "--plan", str(plan))
        assert run.code == 2 and "a.yaml:4:" in run.err and "the pattern of 'country'" in run.err, run.err
        assert "cannot be read as JSON" not in run.err
    assert "invalid-pattern" in cli("lint", str(plan)).out
    rules = tmp_path / "rules.csv"
    refused = cli("validate", "--plan", str(plan), "--sql", "duckdb", "--table", "t", "--rules-out", str(rules))
    assert refused.code == 2 and not rules.exists()  # nothing written for a plan that cannot be checked


def test_inputs_that_were_internal_errors_or_misleading(cli: Callable[..., Run], validate_plan_dir: Path,
                                                        tmp_path: Path) -> None:
    """A Parquet BINARY event column under --shape flat, a --from-sql-result nested 100,000 deep or holding a
    5,000-digit number: exit 2 or a report, never 3. A wrong --shape names the shape, not a Binder Error; a file
    of white space is an empty export, as an empty file is; a FIFO or /dev/null is not a regular file."""
    binary = tmp_path / "binary.parquet"
    duckdb.sql(f"COPY (SELECT 'Order Completed'::BLOB AS event, 1 AS order_id) TO '{binary}' (FORMAT parquet)")
    run = cli("validate", str(binary), "--plan", str(validate_plan_dir), "--shape", "flat", "--format", "json",
              "--fail-on", "never")
    assert run.code == 0 and run.json()["events"][0]["event"] == "Order Completed", run.err
    deep, big = tmp_path / "deep.json", tmp_path / "big.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    big.write_text('[{"event": "x", "seen": ' + "9" * 5000 + "}]", encoding="utf-8")
    for exported, message in ((deep, "nested too deep"), (big, "a number the reader does not take")):
        run = cli("validate", "--from-sql-result", str(exported), "--plan", str(validate_plan_dir))
        assert run.code == 2 and message in run.err, run.err
    segment = write_ndjson(tmp_path / "segment.ndjson", [{"type": "track", "event": "Order Completed",
                                                          "properties": {}}])
    run = cli("validate", str(segment), "--plan", str(validate_plan_dir), "--shape", "amplitude")
    assert run.code == 2 and "not in the amplitude shape" in run.err and "Binder" not in run.err
    blank, empty = tmp_path / "blank.ndjson", tmp_path / "empty.ndjson"
    blank.write_text("  \n\t\n", encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    assert [cli("validate", str(f), "--plan", str(validate_plan_dir)).code for f in (blank, empty)] == [0, 0]
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for special in (fifo, Path("/dev/null")):
        run = cli("validate", str(special), "--plan", str(validate_plan_dir))
        assert run.code == 2 and "is not a regular file" in run.err, run.err


def test_an_unplanned_name_close_to_a_planned_one_is_suggested(cli: Callable[..., Run], validate_plan_dir: Path,
                                                               tmp_path: Path) -> None:
    source = write_ndjson(tmp_path / "typo.ndjson", [{"type": "track", "event": "Order Complted", "properties": {}}])
    text = cli("validate", str(source), "--plan", str(validate_plan_dir)).out
    assert "Order Complted  (did you mean 'Order Completed'?)" in text
    document = cli("validate", str(source), "--plan", str(validate_plan_dir), "--format", "json").json()
    assert document["unplanned"][0]["did_you_mean"] == "Order Completed"


@pytest.mark.parametrize("mode", ["ignored", "expected", "unplanned"])
def test_a_ga4_export_with_automatic_events(mode: str, tmp_path: Path) -> None:
    """A real GA4 export holds events and parameters GA4 collects by itself (page_view, session_start;
    ga_session_id, engagement_time_msec, page_location on every event). By default they are neither flagged nor
    hidden: counted, as automatic; `automatic: {ga4: unplanned}` judges them as any event the plan does not
    describe; `expected` lists the ones never seen as silent. The local engine and the warehouse query agree."""
    from test_validate_sql import duckdb_table
    from validate_fixtures import ga4

    from tracking_plan.core.discover import load_plan
    from tracking_plan.validate.engine import validate
    from tracking_plan.validate.sql import RESULT_COLUMNS, warehouse_sql
    from tracking_plan.validate.sqlresult import read_result

    plan_dir = tmp_path / "plan"
    (plan_dir / "events").mkdir(parents=True)
    (plan_dir / "tracking-plan.yaml").write_text(f"plan: ga\nversion: 1.0.0\nautomatic: {{ga4: {mode}}}\n",
                                                 encoding="utf-8")
    (plan_dir / "events" / "game.yaml").write_text(
        "events:\n  Level Started:\n    properties:\n      level: {type: integer, required: true}\n", encoding="utf-8")
    plan = load_plan(str(plan_dir)).plan
    assert plan is not None
    automatic = {"ga_session_id": 171, "engagement_time_msec": 5, "page_location": "https://game/"}
    rows = [ga4("Level Started", {"level": 2, **automatic}, "web", 1),
            ga4("page_view", {"page_title": "Game", **automatic}, "web", 1),
            ga4("session_start", automatic, "web", 1),
            ga4("Bonus Found", {"points": 3}, "web", 1)]
    source = tmp_path / "ga4.ndjson"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    local = validate(plan, [str(source)])
    rows_sql = duckdb_table("ga4", rows, tmp_path).execute(warehouse_sql(plan, "duckdb", "events", "ga4")).fetchall()
    result_file = tmp_path / "result.json"
    result_file.write_text(json.dumps([dict(zip(RESULT_COLUMNS, r, strict=True)) for r in rows_sql], default=str),
                           encoding="utf-8")
    warehouse = read_result(plan, str(result_file), "ga4")
    for result in (local, warehouse):
        verdicts = {e.event: (e.planned, e.status, [(v.check, v.property) for v in e.violations])
                    for e in result.events}
        assert verdicts["bonus_found"] == (False, None, [("unplanned-event", None)])
        if mode == "unplanned":  # GA4's own events and parameters, judged as any the plan does not describe
            assert verdicts["Level Started"] == (True, "active", [("unplanned-property", key) for key in sorted(
                automatic)])
            assert verdicts["page_view"] == verdicts["session_start"] == (False, None, [("unplanned-event", None)])
        else:
            assert verdicts["Level Started"] == (True, "active", [])  # its automatic parameters are not unplanned
            assert verdicts["page_view"] == verdicts["session_start"] == (True, "automatic", [])
        assert ("first_visit" in result.silent) == (mode == "expected")
