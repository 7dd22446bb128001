"""One verdict everywhere, message by message: the local engine, the DuckDB and ClickHouse (chDB) dialects of the
warehouse query, the collector's checker and the JSON Schemas `export jsonschema` writes — judged by an independent
oracle, jsonschema-rs — give every generated message the same verdict, the same check ids and the same property
paths.

Each message is sent as its own event (the plan holds one copy of the event per message), so the engines that count
per event give a verdict per message. Messages start valid and take mutations from a catalogue of the edge values
that set engines apart: whole floats, -0.0, integers past 64 bits, a newline before the end of a text, the empty
key, null, unicode, members of dictionaries, items of lists.

Profiles: the fast one runs in the normal suite; `TRACKING_PLAN_LONG=1 pytest tests/test_one_verdict.py` runs
thousands of examples (about half an hour)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate_sql import LAYOUT, clickhouse_result, duckdb_table

from conftest import Run, kotlin_case, tool
from tracking_plan.conformance.checker import Checker
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan
from tracking_plan.generate import generate_files
from tracking_plan.validate.engine import validate
from tracking_plan.validate.sql import warehouse_sql

LONG = bool(os.environ.get("TRACKING_PLAN_LONG"))
BATCH = 6
EVENT = """  Event {n}:
    description: One copy of the event, for message {n}.
    properties:
      mode: {{type: [string, "null"], enum: [a, b, null], description: A nullable enum.}}
      count: {{type: integer, minimum: 0, maximum: 1000, required: true, description: A count.}}
      ratio: {{type: number, exclusiveMinimum: 0, exclusiveMaximum: 1, description: A ratio.}}
      country: {{type: string, pattern: "^[A-Z]{{2}}$", description: A country.}}
      code: {{type: string, minLength: 2, maxLength: 5, description: A code.}}
      flag: {{type: boolean, enum: [true], description: A flag.}}
      level: {{type: integer, enum: [1, 2, 3], description: A level.}}
      tags:
        type: array
        minItems: 1
        maxItems: 3
        description: Tags.
        items: {{type: string, maxLength: 3, description: A tag.}}
      address:
        type: object
        additional_properties: false
        description: An address.
        properties:
          city: {{type: string, required: true, description: A city.}}
          zip: {{type: string, pattern: "^[0-9]{{5}}$", description: A zip code.}}
      sections:
        type: object
        description: Sections, the others text.
        additional_properties: {{type: string}}
        properties:
          title: {{type: string, description: A title.}}
      scores:
        type: object
        description: Scores by name.
        additional_properties: {{type: integer}}
      lines:
        type: array
        description: Lines.
        items:
          type: object
          additional_properties: false
          properties:
            sku: {{type: string, required: true, description: A product.}}
            qty: {{type: integer, minimum: 1, description: Units.}}
"""
VALID: dict[str, Any] = {
    "mode": "a", "count": 3, "ratio": 0.5, "country": "FR", "code": "abc", "flag": True, "level": 2,
    "tags": ["x", "yz"], "address": {"city": "Paris", "zip": "75001"}, "sections": {"title": "T", "intro": "I"},
    "scores": {"math": 3}, "lines": [{"sku": "s1", "qty": 2}],
}
EDGES = [None, 2.0, -0.0, 100.0, 18446744073709551617, -(2**70), 1.5, 0, -1, 1001, "", "FR\n", "fr", "é", "ab",
         "abcdef", True, False, [], [1], ["x", "y", "z", "w"], ["toolong"], {}, {"city": "X"}, {"": 1},
         "not a number", 1e300, "2"]
PATHS: list[tuple[str, ...]] = [
    ("mode",), ("count",), ("ratio",), ("country",), ("code",), ("flag",), ("level",), ("tags",), ("tags", 0),
    ("address",), ("address", "city"), ("address", "zip"), ("address", "extra"), ("sections",),
    ("sections", "title"), ("sections", "other"), ("scores",), ("scores", "x"), ("lines",), ("lines", 0),
    ("lines", 0, "sku"), ("lines", 0, "qty"), ("lines", 0, "more"), ("",), ("unplanned",)]

_ORACLE_CHECKS = {"Type": "wrong-type", "Enum": "enum", "Required": "missing-property",
                  "AdditionalProperties": "unplanned-property", "Pattern": "pattern", "Format": "format",
                  "Minimum": "range", "Maximum": "range", "ExclusiveMinimum": "range", "ExclusiveMaximum": "range",
                  "MinLength": "length", "MaxLength": "length", "MinItems": "items", "MaxItems": "items"}

Verdict = frozenset[tuple[str, str]]


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    """A valid message's properties with up to three mutations: a value set (an edge value) or a key dropped."""
    props = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(PATHS))
        holder: Any = props
        for key in path[:-1]:
            holder = holder[key] if (isinstance(holder, dict) and key in holder) or (
                isinstance(holder, list) and isinstance(key, int) and key < len(holder)) else None
            if holder is None:
                break
        if holder is None or not isinstance(holder, dict | list):
            continue
        last = path[-1]
        if draw(st.booleans()) and isinstance(holder, dict):
            holder.pop(last, None)
        elif (isinstance(holder, dict) and isinstance(last, str)) or (
                isinstance(holder, list) and isinstance(last, int) and last < len(holder)):
            holder[last] = copy.deepcopy(draw(st.sampled_from(EDGES)))
    return props


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_plan(tmp_path_factory.mktemp("one-verdict"))


@pytest.fixture(scope="module")
def plan(plan_dir: Path) -> Plan:
    loaded = load_plan(str(plan_dir))
    assert loaded.ok and loaded.plan is not None, loaded.diagnostics
    return loaded.plan


@pytest.fixture(scope="module")
def oracle(plan_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tracking_plan.cli import main

    out = tmp_path_factory.mktemp("schemas")
    with pytest.raises(SystemExit) as stop:
        main(["export", "jsonschema", str(plan_dir), "--out", str(out)])
    assert stop.value.code in (0, None)
    schema = json.loads(next(p for p in out.glob("*.json") if "Event 0" in p.read_text(encoding="utf-8"))
                        .read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def _label(path: list[Any]) -> str:
    label = ""
    for part in path:
        label = f"{label}[]" if isinstance(part, int) else f"{label}.{part}" if label else str(part)
    return label


def _instance_path(error: Any, props: dict[str, Any]) -> list[Any]:
    """The error's path in the message. jsonschema-rs leaves an empty key (`""`) out of the paths it reports
    (`sections.""` comes back as `sections`): the path is walked in the message, and an empty key put back where
    the walk needs one to reach the value that failed."""
    path: list[Any] = []
    here: Any = props
    for part in error.instance_path:
        while isinstance(here, dict) and part not in here and "" in here:
            path.append("")
            here = here[""]
        path.append(part)
        here = here[part]
    if isinstance(here, dict) and "" in here and here[""] == error.instance and here != error.instance:
        path.append("")  # the value that failed (or the object missing or holding a key) is under the empty key
    return path


def oracle_verdict(validator: Any, props: dict[str, Any]) -> Verdict:
    """jsonschema-rs's errors as (check, property path); a value of the wrong type is reported as that alone, as
    every engine of ours does (JSON Schema also reports its enum). The wrong type masks the other checks of that
    value only: of one list item, not of its siblings, which share its path (`tags[]`)."""
    found: set[tuple[str, tuple[Any, ...]]] = set()
    for error in validator.iter_errors(props):
        kind = type(error.kind).__name__
        path = tuple(_instance_path(error, props))
        if kind == "Required":
            found.add(("missing-property", (*path, error.kind.property)))
        elif kind == "AdditionalProperties":
            found.update(("unplanned-property", (*path, key)) for key in error.kind.unexpected)
        else:
            found.add((_ORACLE_CHECKS.get(kind, kind), path))
    typed = {path for check, path in found if check == "wrong-type"}
    return frozenset((check, _label(list(path))) for check, path in found if check == "wrong-type" or path not in typed)


def clickhouse_reads_alike(value: Any) -> bool:
    """ClickHouse's JSON functions (simdjson) hand an integer past 64 bits over as text (`"18446744073709551617"`,
    quoted): there it is checked as a string. The one value whose verdict ClickHouse cannot give (README says so)."""
    if isinstance(value, dict):
        return all(clickhouse_reads_alike(v) for v in value.values())
    if isinstance(value, list):
        return all(clickhouse_reads_alike(v) for v in value)
    return not (isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64)


def _rows(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "track", "event": f"Event {n}", "properties": props, "timestamp": "2026-11-20T10:00:00Z"}
            for n, props in enumerate(batch)]


def _per_event(pairs: list[tuple[str, str, str | None]], count: int) -> list[Verdict]:
    verdicts: list[set[tuple[str, str]]] = [set() for _ in range(count)]
    for check, event, prop in pairs:
        verdicts[int(event.rsplit(" ", 1)[1])].add((check, prop if prop is not None else ""))
    return [frozenset(v) for v in verdicts]


def local_verdicts(plan: Plan, batch: list[dict[str, Any]], folder: Path) -> list[Verdict]:
    source = folder / "batch.ndjson"
    source.write_text("".join(json.dumps(row) + "\n" for row in _rows(batch)), encoding="utf-8")
    result = validate(plan, [str(source)])
    return _per_event([(v.check, e.event, v.property) for e in result.events for v in e.violations], len(batch))


def sql_verdicts(rows: list[tuple[Any, ...]], count: int) -> list[Verdict]:
    return _per_event([(r[5], r[0], r[6]) for r in rows if r[5] is not None], count)


def checker_verdicts(plan: Plan, batch: list[dict[str, Any]]) -> list[Verdict]:
    checker = Checker(plan)
    return [frozenset((f.check, f.property or "") for f in checker.check("track", f"Event {n}", None, props).findings)
            for n, props in enumerate(batch)]


def import_generated_python(plan: Plan, folder: Path, name: str) -> Any:
    """The Python module `generate python` writes for the plan, imported: its run-time check is an engine too."""
    import importlib.util

    path = folder / f"{name}.py"
    path.write_text(generate_files(plan, "python")["tracking.py"], encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated_python(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return import_generated_python(plan, tmp_path_factory.mktemp("generated-python"), "one_verdict_tracking")


def generated_verdicts(module: Any, batch: list[dict[str, Any]]) -> list[Verdict]:
    verdicts = []
    for props in batch:
        found: list[tuple[str, str]] = []
        module._check(module.SCHEMAS["Event 0"], props, "",
                      lambda path, check, message, value, found=found: found.append((check, path)))
        verdicts.append(frozenset(found))
    return verdicts


TS_RUNNER = """
declare const process: { argv: string[] };
declare function require(name: string): { readFileSync(path: string, encoding: string): string };
import { Tracker } from "./tracking-plan";
const batch: Record<string, unknown>[] = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const verdicts = batch.map((props) => {
  const found: [string, string][] = [];
  const tracker = new Tracker({ transport: { track(): void { return; } }, validate: true,
    onViolation: (v) => { found.push([v.rule, v.path]); } });
  (tracker as unknown as { send(event: string, props: object): void }).send("Event 0", props);
  return found;
});
console.log(JSON.stringify(verdicts));
"""
KOTLIN_RUNNER = """
package verdicts

import java.io.File

fun main(args: Array<String>) {
    val schema = schemaOf(File(args[0]).readText())
    val tracker = Tracker(object : Transport {
        override fun track(event: String, properties: Map<String, Any?>, metadata: PlanMetadata?) {}
        override fun identify(userId: String?, traits: Map<String, Any?>, metadata: PlanMetadata?) {}
    }, validate = true, onViolation = { v -> println("${v.rule}\t${v.path}") })
    File(args[1]).readLines().forEach { line ->
        tracker.send("Event 0", schemaOf(line)) { schema }
        println("--")
    }
}
"""


@pytest.fixture(scope="module")
def generated_typescript(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Callable[[list[dict[str, Any]]],
                                                                                           list[Verdict]]:
    """The TypeScript `generate typescript` writes, compiled by tsc (strict) with a runner that sends each message
    through the Tracker's run-time check, in node."""
    folder = tmp_path_factory.mktemp("generated-typescript")
    (folder / "tracking-plan.ts").write_text(generate_files(plan, "typescript")["tracking-plan.ts"], encoding="utf-8")
    (folder / "main.ts").write_text(TS_RUNNER, encoding="utf-8")
    proc = subprocess.run([tool("tsc"), "--strict", "--outDir", "js", "--module", "commonjs", "--target", "es2019",
                           "main.ts"], cwd=folder, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout

    def run(batch: list[dict[str, Any]]) -> list[Verdict]:
        (folder / "batch.json").write_text(json.dumps(batch), encoding="utf-8")
        node = subprocess.run([tool("node"), "js/main.js", "batch.json"], cwd=folder, capture_output=True, text=True,
                              timeout=60)
        assert node.returncode == 0, node.stderr
        return [frozenset((check, path) for check, path in found) for found in json.loads(node.stdout)]
    return run


def _agree(plan: Plan, oracle: Any, batch: list[dict[str, Any]], folder: Path,
           warehouse: Callable[[list[dict[str, Any]]], list[tuple[Any, ...]]], generated: Any = None,
           typescript: Callable[[list[dict[str, Any]]], list[Verdict]] | None = None) -> None:
    expected = [oracle_verdict(oracle, props) for props in batch]
    engines = [("generated Python", generated_verdicts(generated, batch))] if generated is not None else []
    engines += [("generated TypeScript", typescript(batch))] if typescript is not None else []
    for name, got in (*engines, ("local validate", local_verdicts(plan, batch, folder)),
                      ("collect's checker", checker_verdicts(plan, batch)),
                      ("warehouse SQL", sql_verdicts(warehouse(batch), len(batch)))):
        for props, mine, theirs in zip(batch, got, expected, strict=True):
            assert mine == theirs, f"{name} on {json.dumps(props, ensure_ascii=False)}"


@settings(max_examples=2000 if LONG else 40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@pytest.mark.toolchain
@given(st.lists(messages(), min_size=1, max_size=BATCH))
def test_every_engine_gives_the_oracles_verdict(plan: Plan, oracle: Any, generated_python: Any,
                                                generated_typescript: Callable[[list[dict[str, Any]]], list[Verdict]],
                                                tmp_path: Path, batch: list[dict[str, Any]]) -> None:
    """Local validate, the DuckDB query in DuckDB, the checker, the generated Python's and TypeScript's run-time
    checks: the oracle's verdict on every message."""
    def in_duckdb(batch: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        connection: duckdb.DuckDBPyConnection = duckdb_table("segment", _rows(batch), tmp_path)
        return list(connection.execute(warehouse_sql(plan, "duckdb", "events")).fetchall())

    _agree(plan, oracle, batch, tmp_path, in_duckdb, generated_python, generated_typescript)


@settings(max_examples=300 if LONG else 6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(messages(), min_size=1, max_size=BATCH))
def test_clickhouse_gives_the_oracles_verdict(plan: Plan, oracle: Any, tmp_path_factory: pytest.TempPathFactory,
                                              batch: list[dict[str, Any]]) -> None:
    """The ClickHouse query, run by ClickHouse itself (chDB, default settings): the oracle's verdict."""
    folder = tmp_path_factory.mktemp("clickhouse")
    sql = warehouse_sql(plan, "clickhouse", "default.events")
    batch = [props for props in batch if clickhouse_reads_alike(props)] or [VALID]
    _agree(plan, oracle, batch, folder,
           lambda batch: clickhouse_result(_rows(batch), LAYOUT["segment"], sql, folder))


def _write_plan(folder: Path) -> Path:
    (folder / "tracking-plan.yaml").write_text("plan: one-verdict\nversion: 1.0.0\n", encoding="utf-8")
    (folder / "events").mkdir()
    (folder / "events" / "events.yaml").write_text(
        "events:\n" + "".join(EVENT.format(n=n) for n in range(BATCH)), encoding="utf-8")
    return folder


@kotlin_case("one-verdict")
def _verdicts_kotlin() -> dict[str, str]:
    """The Kotlin `generate kotlin` writes for this file's plan, and a runner that reads messages with the generated
    JSON reader and sends each through the Tracker's run-time check: compiled with every Kotlin case of the suite."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        loaded = load_plan(str(_write_plan(Path(folder))))
        assert loaded.plan is not None
        return {**generate_files(loaded.plan, "kotlin", {"package": "verdicts"}), "Runner.kt": KOTLIN_RUNNER}


@pytest.fixture(scope="module")
def generated_kotlin(plan: Plan, kotlin_classes: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[
        [list[dict[str, Any]]], list[Verdict]]:
    """The runner above, on the JVM, with the event's run-time schema as the generated code keeps it."""
    from tracking_plan.generate.common import runtime_schemas
    from tracking_plan.generate.model import build_codegen_plan

    folder = tmp_path_factory.mktemp("generated-kotlin")
    assert {**generate_files(plan, "kotlin", {"package": "verdicts"}), "Runner.kt": KOTLIN_RUNNER} \
        == _verdicts_kotlin()  # what was compiled is this plan's code
    (folder / "schema.json").write_text(json.dumps(runtime_schemas(build_codegen_plan(plan), plan, "\\z")["Event 0"],
                                                   separators=(",", ":")), encoding="utf-8")

    def run(batch: list[dict[str, Any]]) -> list[Verdict]:
        (folder / "batch.ndjson").write_text("".join(json.dumps(props, separators=(",", ":")) + "\n"
                                                     for props in batch), encoding="utf-8")
        java = subprocess.run([tool("kotlin"), "-cp", str(kotlin_classes), "verdicts.RunnerKt",
                               str(folder / "schema.json"), str(folder / "batch.ndjson")], capture_output=True,
                              text=True, timeout=300)
        assert java.returncode == 0, java.stderr
        return kotlin_verdicts(java.stdout.splitlines())
    return run


def kotlin_verdicts(lines: list[str]) -> list[Verdict]:
    """A Kotlin runner's output: `check<TAB>path` per violation, `--` after each message."""
    verdicts: list[set[tuple[str, str]]] = [set()]
    for line in lines:
        if line == "--":
            verdicts.append(set())
        else:
            check, _, path = line.partition("\t")
            verdicts[-1].add((check, path))
    return [frozenset(v) for v in verdicts[:-1]]


@settings(max_examples=60 if LONG else 3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@pytest.mark.toolchain
@given(st.lists(messages(), min_size=20, max_size=40))
def test_the_generated_kotlin_gives_the_oracles_verdict(oracle: Any, generated_kotlin: Callable[
        [list[dict[str, Any]]], list[Verdict]], batch: list[dict[str, Any]]) -> None:
    """The generated Kotlin's run-time check, on the JVM: the oracle's verdict on every message (batches of 20
    to 40: each batch is one JVM start)."""
    for props, mine in zip(batch, generated_kotlin(batch), strict=True):
        assert mine == oracle_verdict(oracle, props), f"generated Kotlin on {json.dumps(props, ensure_ascii=False)}"


DISAGREED: list[tuple[dict[str, Any], set[tuple[str, str]]]] = [
    ({**VALID, "mode": None}, set()),  # null listed in a nullable enum (#25.1)
    ({**VALID, "count": 2.0}, set()),  # a whole float is an integer (#25.2)
    ({**VALID, "count": -0.0}, set()),
    ({**VALID, "level": 3.0}, set()),
    ({**VALID, "count": 18446744073709551617}, {("range", "count")}),  # past 64 bits: an integer, over maximum
    ({**VALID, "code": 18446744073709551617}, {("wrong-type", "code")}),
    ({**VALID, "sections": {"title": "T", "testimonial": 1.5}}, {("wrong-type", "sections.testimonial")}),  # #25.3
    ({**VALID, "scores": {"x": "high"}}, {("wrong-type", "scores.x")}),
    ({**VALID, "": 1}, {("unplanned-property", "")}),  # the empty key on a closed event (#25.5)
    ({**VALID, "sections": {"": 1}}, {("wrong-type", "sections.")}),  # and in a dictionary
    ({**VALID, "country": "FR\n"}, {("pattern", "country")}),  # $ is the end of the text (#25.6)
    ({**VALID, "address": {"city": "X", "extra": 1}}, {("unplanned-property", "address.extra")}),  # #25.8
]


@pytest.mark.toolchain
def test_the_generated_kotlin_on_the_cases_the_engines_disagreed_on(generated_kotlin: Callable[
        [list[dict[str, Any]]], list[Verdict]]) -> None:
    assert generated_kotlin([props for props, _ in DISAGREED]) == [frozenset(e) for _, e in DISAGREED]


@pytest.mark.toolchain
@pytest.mark.parametrize(("props", "expected"), DISAGREED)
def test_the_cases_the_engines_disagreed_on(plan: Plan, oracle: Any, generated_python: Any,
                                            generated_typescript: Callable[[list[dict[str, Any]]], list[Verdict]],
                                            tmp_path: Path, props: dict[str, Any],
                                            expected: set[tuple[str, str]]) -> None:
    """Each numbered disagreement of the "one verdict" issue, in every engine and the oracle."""
    assert oracle_verdict(oracle, props) == expected
    sql = warehouse_sql(plan, "clickhouse", "default.events")
    _agree(plan, oracle, [props], tmp_path, lambda b: list(duckdb_table("segment", _rows(b), tmp_path).execute(
        warehouse_sql(plan, "duckdb", "events")).fetchall()), generated_python, generated_typescript)
    if clickhouse_reads_alike(props):
        _agree(plan, oracle, [props], tmp_path, lambda b: clickhouse_result(_rows(b), LAYOUT["segment"], sql, tmp_path))


def test_samples_are_written_alike_in_every_engine(cli: Callable[..., Run], plan: Plan, plan_dir: Path,
                                                   tmp_path: Path) -> None:
    """JSON type names and a value's JSON text: the local engine, the warehouse query and the checker write a
    sample the same way (#25.7)."""
    batch = [{**VALID, "code": 12}, {**VALID, "tags": ["x", "toolong"]}, {**VALID, "ratio": 2}]
    source = tmp_path / "samples.ndjson"
    source.write_text("".join(json.dumps(row) + "\n" for row in _rows(batch)), encoding="utf-8")
    result = validate(plan, [str(source)])
    local = {(e.event, v.check, v.property): v.samples for e in result.events for v in e.violations}
    rows = duckdb_table("segment", _rows(batch), tmp_path).execute(warehouse_sql(plan, "duckdb", "events")).fetchall()
    warehouse = {(r[0], r[5], r[6]): tuple(dict.fromkeys(s for s in (r[8], r[9]) if s)) for r in rows if r[5]}
    checker = Checker(plan)
    collected = {(f"Event {n}", f.check, f.property): (f.sample,) for n, props in enumerate(batch)
                 for f in checker.check("track", f"Event {n}", None, props).findings}
    assert local == warehouse == collected == {
        ("Event 0", "wrong-type", "code"): ("integer: 12",), ("Event 1", "length", "tags[]"): ("toolong",),
        ("Event 2", "range", "ratio"): ("2",)}
    assert result.events[0].first_seen == "2026-11-20T10:00:00Z"
