"""The checks as data: `tests/cases/validate/<check>.yaml` holds, for each check validate reports, small plans and
messages with the findings each must give. Every message is judged by every engine that answers for it — local
validate, the warehouse query in DuckDB and in ClickHouse, collect's checker, the run-time checks `generate` writes
in Python, TypeScript (tsc, node) and Kotlin (kotlinc, the JVM), and jsonschema-rs over the exported JSON Schema
(the independent oracle) — and each must give exactly the findings written, check by check and property by
property.

A case file: optional `root:` (keys merged into tracking-plan.yaml: platforms, traits), then `cases:`, each an
`event:` (its definition; it is named `Case N`) and `messages:`, each with `properties:` (or `type: identify` and
`traits:`), optionally `event:` (another name) and `library:` (context.library.name), and `findings:`, each
`CHECK PROPERTY` (the property as reports label it; nothing for an event's own findings). The oracle and the
generated code judge a property payload only: they answer for the track messages of an active case's own event."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_one_verdict import clickhouse_reads_alike, import_generated_python, kotlin_verdicts, oracle_verdict
from test_validate_sql import LAYOUT, clickhouse_result, duckdb_table

from conftest import ROOT, kotlin_case, tool
from tracking_plan.conformance.checker import Checker
from tracking_plan.conformance.checks import CHECK_IDS, CHECKS
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import UNNAMED, Plan
from tracking_plan.generate import generate_files
from tracking_plan.shapes.jsonschema import call_schema, event_schema
from tracking_plan.shapes.messages import NAMED_CALLS, SPEC_PROPERTIES, call_label, named_calls, segment
from tracking_plan.validate.engine import validate
from tracking_plan.validate.sql import warehouse_sql

CASES = ROOT / "tests" / "cases" / "validate"
Verdict = frozenset[tuple[str, str]]
PAYLOAD_CHECKS = {c.id for c in CHECKS if c.scope == "property"} - {"missing-trait", "trait"}


def test_every_check_has_its_cases() -> None:
    """A check added to the registry without cases fails here; a case file for no check too."""
    assert sorted(p.stem for p in CASES.glob("*.yaml")) == sorted(CHECK_IDS)
    for check in CHECK_IDS:
        said = [f for case in _document(check)["cases"] for m in case["messages"] for f in m["findings"]]
        assert any(f.split(" ")[0] == check for f in said), f"{check}.yaml has no message giving {check}"
        assert any(not m["findings"] for case in _document(check)["cases"] for m in case["messages"]) or \
            check in ("draft-event", "deprecated-event"), f"{check}.yaml has no message that passes"


def _document(check: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((CASES / f"{check}.yaml").read_text(encoding="utf-8"))
    return loaded


def _plan(check: str, folder: Path) -> Plan:
    document = _document(check)
    folder.mkdir(parents=True)
    root = {"plan": "cases", "version": "1.0.0", **document.get("root", {})}
    (folder / "tracking-plan.yaml").write_text(yaml.safe_dump(root, allow_unicode=True), encoding="utf-8")
    (folder / "events").mkdir()
    events = {f"Case {n}.{m}": case["event"] for n, case in enumerate(document["cases"])
              for m in range(len(case["messages"]))}
    (folder / "events" / "cases.yaml").write_text(yaml.safe_dump({"events": events}, allow_unicode=True),
                                                  encoding="utf-8")
    loaded = load_plan(str(folder))
    assert loaded.ok and loaded.plan is not None, loaded.diagnostics
    return loaded.plan


def _row(name: str, message: dict[str, Any]) -> dict[str, Any]:
    """The message as an SDK sends it; a page or screen with a name carries it in its properties too, as
    analytics.js does (a warehouse table without a `name` column reads it there)."""
    row: dict[str, Any] = {"type": message.get("type", "track"), "timestamp": "2026-12-02T10:00:00Z"}
    if row["type"] in ("identify", "group"):
        row["traits"] = message.get("traits", {})
    elif row["type"] in ("page", "screen"):
        row["properties"] = {**({"name": message["name"]} if "name" in message else {}),
                             **message.get("properties", {})}
        if "name" in message:
            row["name"] = message["name"]
    elif row["type"] == "alias":
        row.update(userId="u1", previousId="a1")
    else:
        row["event"] = message.get("event", name)
        row["properties"] = message.get("properties", {})
    if "library" in message:
        row["context"] = {"library": {"name": message["library"]}}
    return row


def _label(row: dict[str, Any]) -> str:
    """What the engines name the message by (shapes.messages.call_label)."""
    kind = row["type"]
    if kind in ("page", "screen"):
        return call_label(kind, row.get("name") or row["properties"].get("name") or UNNAMED)
    return kind if kind != "track" else row["event"]


def _expected(message: dict[str, Any]) -> Verdict:
    return frozenset((finding.partition(" ")[0], finding.partition(" ")[2]) for finding in message["findings"])


def _verdict(pairs: list[tuple[str, str | None]]) -> Verdict:
    return frozenset((check, prop or "") for check, prop in pairs)


def _by_name(pairs: list[tuple[str, str, str | None]]) -> dict[str, Verdict]:
    """(event name, check, property) found by a batch run → each event's findings."""
    found: dict[str, set[tuple[str, str]]] = {}
    for name, check, prop in pairs:
        found.setdefault(name, set()).add((check, prop or ""))
    return {name: frozenset(pairs) for name, pairs in found.items()}


def _batches(names: list[str]) -> list[list[int]]:
    """The messages run together: those the engines name apart at once (each track message has an event of its
    own, so the engines' per-event answers are per message), each of the others alone (identify, group and alias
    calls all answer by their call)."""
    alone = {name for name in names if names.count(name) > 1}
    together = [i for i, name in enumerate(names) if name not in alone]
    return ([together] if together else []) + [[i] for i, name in enumerate(names) if name in alone]


TS_RUNNER = """
declare const process: { argv: string[] };
declare function require(name: string): { readFileSync(path: string, encoding: string): string };
import { Tracker } from "./tracking-plan";
const batch: { kind: string; event: string; properties: object }[] =
  JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const quiet = (): void => undefined;
const transport = { track: quiet, identify: quiet, page: quiet, screen: quiet, group: quiet, alias: quiet };
console.log(JSON.stringify(batch.map((message) => {
  const found: [string, string][] = [];
  const tracker = new Tracker({ transport, validate: true, onViolation: (v) => { found.push([v.rule, v.path]); } });
  const inside = tracker as unknown as { send(event: string, props: object): void;
                                         checked(label: string, props: object): object };
  if (message.kind === "track") {
    inside.send(message.event, message.properties);
  } else {
    inside.checked(message.event, message.properties);
  }
  return found;
})));
"""
KOTLIN_RUNNER = """
package {package}

import java.io.File

@Suppress("UNCHECKED_CAST")
fun verdicts(schemas: String, batch: String) {{
    val all = schemaOf(File(schemas).readText())
    val tracker = Tracker(object : Transport {{
        override fun track(event: String, properties: Map<String, Any?>, metadata: PlanMetadata?) {{}}
        override fun identify(userId: String?, traits: Map<String, Any?>, metadata: PlanMetadata?) {{}}{overrides}
    }}, validate = true, onViolation = {{ v -> println("${{v.rule}}\t${{v.path}}") }})
    File(batch).readLines().forEach {{ line ->
        val message = schemaOf(line)
        val event = message["event"] as String
        val properties = message["properties"] as Map<String, Any?>
        if (message["kind"] == "track") tracker.send(event, properties) {{ all[event] as Map<String, Any?> }}
        else {checked}
        println("--")
    }}
}}
"""


def _kotlin_runner(plan: Plan, package: str) -> str:
    """The runner for a case's plan: its Transport has the calls the plan has."""
    overrides = "".join(
        f"\n        override fun {kind}(name: String?, properties: Map<String, Any?>, metadata: PlanMetadata?) {{}}"
        for kind, described in (("page", plan.pages), ("screen", plan.screens)) if described)
    if plan.group_traits:
        overrides += ("\n        override fun group(groupId: String, traits: Map<String, Any?>, "
                      "metadata: PlanMetadata?) {}")
    if plan.alias:
        overrides += "\n        override fun alias(userId: String, previousId: String?, metadata: PlanMetadata?) {}"
    checked = ("tracker.checked(event, properties) { all[event] as Map<String, Any?> }"
               if plan.pages or plan.screens else "Unit")
    return KOTLIN_RUNNER.format(package=package, overrides=overrides, checked=checked)


def _package(check: str) -> str:
    return "cases_" + check.replace("-", "_")


def _payload_messages(plan: Plan, check: str) -> list[tuple[int, dict[str, Any]]]:
    """The messages the generated code judges, with their index: track (the case's own active event), and page
    and screen calls of a planned, active page or screen. Each is {kind, event (its label), properties}: a page's
    properties without the spec's ones it does not describe, which the SDK adds and generated code cannot."""
    messages = [(f"Case {n}.{m}", message) for n, case in enumerate(_document(check)["cases"])
                for m, message in enumerate(case["messages"])]
    calls = named_calls(plan)
    payloads = []
    for i, (name, message) in enumerate(messages):
        kind = message.get("type", "track")
        row = _row(name, message)
        if kind == "track" and "event" not in message and plan.events[name].status == "active":
            payloads.append((i, {"kind": kind, "event": row["event"], "properties": row["properties"]}))
        elif kind in NAMED_CALLS and _label(row) in calls and calls[_label(row)].status == "active":
            described = {p.name for p in calls[_label(row)].properties}
            properties = {key: value for key, value in row["properties"].items()
                          if key in described or key not in SPEC_PROPERTIES[kind]}
            payloads.append((i, {"kind": kind, "event": _label(row), "properties": properties}))
    return payloads


@kotlin_case("validate-cases")
def _cases_kotlin() -> dict[str, str]:
    """Every case file's plan in Kotlin (a package each) with a runner, and one entry point for them all."""
    import tempfile

    files: dict[str, str] = {}
    calls = []
    for check in CHECK_IDS:
        with tempfile.TemporaryDirectory() as folder:
            plan = _plan(check, Path(folder) / "plan")
        package = _package(check)
        files.update({f"{check}/{name}": text
                      for name, text in generate_files(plan, "kotlin", {"package": package}).items()})
        files[f"{check}/Runner.kt"] = _kotlin_runner(plan, package)
        calls.append(f'        "{check}" -> {package}.verdicts(args[i + 1], args[i + 2])')
    files["Main.kt"] = ("package cases\n\nfun main(args: Array<String>) {\n    for (i in args.indices step 3) {\n"
                        "        println(\"== \" + args[i])\n        when (args[i]) {\n" + "\n".join(calls)
                        + "\n        }\n    }\n}\n")
    return files


@pytest.fixture(scope="module")
def generated_verdicts(kotlin_classes: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[
        str, dict[str, list[Verdict]]]:
    """The run-time checks `generate typescript` and `generate kotlin` write, on every case file's payload
    messages: all TypeScript in one tsc run (then node per file), all Kotlin in the session's kotlinc run and one
    JVM. By check id, then engine: one verdict per payload message, in order."""
    from tracking_plan.generate.common import runtime_call_schemas, runtime_schemas
    from tracking_plan.generate.model import build_codegen_plan

    folder = tmp_path_factory.mktemp("generated-cases")
    jvm_arguments: list[str] = []
    for check in CHECK_IDS:
        plan = _plan(check, folder / check / "plan")
        batch = [row for _, row in _payload_messages(plan, check)]
        (folder / check / "tracking-plan.ts").write_text(generate_files(plan, "typescript")["tracking-plan.ts"],
                                                       encoding="utf-8")
        (folder / check / "main.ts").write_text(TS_RUNNER, encoding="utf-8")
        (folder / check / "batch.json").write_text(json.dumps(batch), encoding="utf-8")
        (folder / check / "batch.ndjson").write_text(  # compact, as the generated code's JSON reader reads it
            "".join(json.dumps(m, separators=(",", ":")) + "\n" for m in batch), encoding="utf-8")
        codegen = build_codegen_plan(plan)
        schemas = {**runtime_schemas(codegen, plan, "\\z"), **runtime_call_schemas(codegen, plan, "\\z")}
        (folder / check / "schemas.json").write_text(json.dumps(schemas, separators=(",", ":")), encoding="utf-8")
        jvm_arguments += [check, str(folder / check / "schemas.json"), str(folder / check / "batch.ndjson")]
    tsc = subprocess.run([tool("tsc"), "--strict", "--outDir", "js", "--module", "commonjs", "--target", "es2019",
                          *(f"{check}/main.ts" for check in CHECK_IDS)], cwd=folder, capture_output=True, text=True,
                         timeout=300)
    assert tsc.returncode == 0, tsc.stdout
    found: dict[str, dict[str, list[Verdict]]] = {check: {} for check in CHECK_IDS}
    for check in CHECK_IDS:
        node = subprocess.run([tool("node"), f"js/{check}/main.js", f"{check}/batch.json"], cwd=folder,
                              capture_output=True, text=True, timeout=60)
        assert node.returncode == 0, node.stderr
        found[check]["generated TypeScript"] = [frozenset((c, p) for c, p in v) for v in json.loads(node.stdout)]
    jvm = subprocess.run([tool("kotlin"), "-cp", str(kotlin_classes), "cases.MainKt", *jvm_arguments],
                         capture_output=True, text=True, timeout=300)
    assert jvm.returncode == 0, jvm.stderr
    for part in jvm.stdout.split("== ")[1:]:
        check, *lines = part.splitlines()
        found[check]["generated Kotlin"] = kotlin_verdicts(lines)
    return found


@pytest.mark.toolchain
@pytest.mark.parametrize("check", CHECK_IDS)
def test_the_generated_typescript_and_kotlin_give_the_findings_written(
        check: str, generated_verdicts: dict[str, dict[str, list[Verdict]]], tmp_path: Path) -> None:
    plan = _plan(check, tmp_path / "plan")
    messages = [message for case in _document(check)["cases"] for message in case["messages"]]
    payloads = _payload_messages(plan, check)
    assert set(generated_verdicts[check]) == {"generated TypeScript", "generated Kotlin"}
    for engine, verdicts in generated_verdicts[check].items():
        assert len(verdicts) == len(payloads), engine
        for (i, _), got in zip(payloads, verdicts, strict=True):
            expected = frozenset(f for f in _expected(messages[i]) if f[0] in PAYLOAD_CHECKS)
            assert got == expected, f"{engine} on {json.dumps(messages[i], ensure_ascii=False)}"


@pytest.mark.parametrize("check", CHECK_IDS)
def test_every_engine_gives_the_findings_written(check: str, tmp_path: Path) -> None:
    plan = _plan(check, tmp_path / "plan")
    checker = Checker(plan)
    generated = import_generated_python(plan, tmp_path, f"cases_{check.replace('-', '_')}")
    duckdb_sql = warehouse_sql(plan, "duckdb", "events")
    clickhouse_sql = warehouse_sql(plan, "clickhouse", "default.events")
    messages = [(f"Case {n}.{m}", message) for n, case in enumerate(_document(check)["cases"])
                for m, message in enumerate(case["messages"])]
    rows = [_row(name, message) for name, message in messages]
    names = [_label(row) for row in rows]
    payloads = dict(_payload_messages(plan, check))
    engines: dict[str, list[Verdict | None]] = {e: [None] * len(rows) for e in ("local", "DuckDB", "ClickHouse")}
    for k, batch in enumerate(_batches(names)):
        source = tmp_path / f"batch-{k}.ndjson"
        source.write_text("".join(json.dumps(rows[i], ensure_ascii=False) + "\n" for i in batch), encoding="utf-8")
        local = _by_name([(e.event, v.check, v.property) for e in validate(plan, [str(source)]).events
                          for v in e.violations])
        duck = _by_name([(r[0], r[5], r[6]) for r in duckdb_table("segment", [rows[i] for i in batch], tmp_path)
                         .execute(duckdb_sql).fetchall() if r[5] is not None])
        alike = [i for i in batch if clickhouse_reads_alike(rows[i])]
        session = tmp_path / f"clickhouse-{k}"  # a session holds its table: one per batch
        session.mkdir()
        house = _by_name([(r[0], r[5], r[6]) for r in clickhouse_result(
            [rows[i] for i in alike], LAYOUT["segment"], clickhouse_sql, session) if r[5] is not None]) \
            if alike else {}
        for i in batch:
            engines["local"][i] = local.get(names[i], frozenset())
            engines["DuckDB"][i] = duck.get(names[i], frozenset())
            engines["ClickHouse"][i] = house.get(names[i], frozenset()) if i in alike else None
    for i, ((name, message), row) in enumerate(zip(messages, rows, strict=True)):
        expected = _expected(message)
        said = json.dumps(message, ensure_ascii=False)
        for engine, verdicts in engines.items():
            assert verdicts[i] in (expected, None if engine == "ClickHouse" else expected), f"{engine} on {said}"
        read = segment(row)
        verdict = checker.check(read.kind, read.name, read.platform, read.properties, read.traits)
        assert _verdict([(f.check, f.property) for f in verdict.findings]) == expected, f"checker on {said}"
        judged = payloads.get(i)
        if judged is None:
            continue  # the generated code and the oracle judge a payload: a track event's, a page's or a screen's
        payload = frozenset(f for f in expected if f[0] in PAYLOAD_CHECKS)  # what a payload alone tells
        found: list[tuple[str, str]] = []
        schemas = generated.SCHEMAS if judged["kind"] == "track" else generated.CALL_SCHEMAS
        generated._check(schemas[judged["event"]], judged["properties"], "",
                         lambda path, check, message, value, found=found: found.append((check, path)))
        assert frozenset(found) == payload, f"generated Python on {said}"
        schema = event_schema(plan, plan.events[name]) if judged["kind"] == "track" else \
            call_schema(plan, judged["kind"], named_calls(plan)[judged["event"]])
        oracle = jsonschema_rs.validator_for(schema, validate_formats=True)
        assert oracle_verdict(oracle, judged["properties"]) == payload, f"jsonschema-rs on {said}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(planned=st.lists(st.text(min_size=1, max_size=12).filter(lambda s: s.strip() and s != UNNAMED),
                        min_size=1, max_size=4, unique=True),
       sent=st.lists(st.one_of(st.none(), st.text(max_size=12)), min_size=1, max_size=6))
def test_any_page_name_gets_one_verdict(planned: list[str], sent: list[str | None], tmp_path_factory: Any) -> None:
    """Page names are any text (quotes, line breaks, `page` itself): the plan's pages and the names page() calls
    send are matched alike by local validate, the warehouse query in DuckDB and collect's checker."""
    folder = tmp_path_factory.mktemp("pages")
    (folder / "tracking-plan.yaml").write_text(
        yaml.safe_dump({"plan": "p", "version": "1.0.0", "pages": {name: {} for name in planned}},
                       allow_unicode=True), encoding="utf-8")
    loaded = load_plan(str(folder))
    assume(loaded.ok and loaded.plan is not None)
    plan = loaded.plan
    assert plan is not None
    rows = [{"type": "page", "timestamp": "2026-12-02T10:00:00Z",
             "properties": {} if name is None else {"name": name}, **({} if name is None else {"name": name})}
            for name in sent]
    labels = {call_label("page", name or UNNAMED) for name in sent}
    expected = {label: label[len("page "):] in plan.pages for label in labels}
    source = folder / "pages.ndjson"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    local = {e.event: e.planned for e in validate(plan, [str(source)]).events}
    assert {k: v for k, v in local.items() if k in labels} == expected and set(local) == labels
    duck = {r[0]: r[5] is None for r in duckdb_table("segment", rows, folder).execute(
        warehouse_sql(plan, "duckdb", "events")).fetchall() if r[5] in (None, "unplanned-event")}
    assert {label: duck.get(label, True) for label in labels} == expected
    checker = Checker(plan)
    for row in rows:
        read = segment(row)
        verdict = checker.check(read.kind, read.name, read.platform, read.properties, read.traits)
        assert verdict.planned == expected[verdict.event], verdict
