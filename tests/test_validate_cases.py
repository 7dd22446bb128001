"""The checks as data: `tests/cases/validate/<check>.yaml` holds, for each check validate reports, small plans and
messages with the findings each must give. Every message is judged by every engine that answers for it — local
validate, the warehouse query in DuckDB and in ClickHouse, collect's checker, the run-time check `generate python`
writes, and jsonschema-rs over the exported JSON Schema (the independent oracle) — and each must give exactly the
findings written, check by check and property by property.

A case file: optional `root:` (keys merged into tracking-plan.yaml: platforms, traits), then `cases:`, each an
`event:` (its definition; it is named `Case N`) and `messages:`, each with `properties:` (or `type: identify` and
`traits:`), optionally `event:` (another name) and `library:` (context.library.name), and `findings:`, each
`CHECK PROPERTY` (the property as reports label it; nothing for an event's own findings). The oracle and the
generated code judge a property payload only: they answer for the track messages of an active case's own event."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from test_one_verdict import clickhouse_reads_alike, import_generated_python, oracle_verdict
from test_validate_sql import LAYOUT, clickhouse_result, duckdb_table

from conftest import ROOT
from tracking_plan.conformance.checker import Checker
from tracking_plan.conformance.checks import CHECK_IDS, CHECKS
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan
from tracking_plan.shapes.jsonschema import event_schema
from tracking_plan.shapes.messages import segment
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
    folder.mkdir()
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
    row: dict[str, Any] = {"type": message.get("type", "track"), "timestamp": "2026-12-02T10:00:00Z"}
    if row["type"] == "identify":
        row["traits"] = message.get("traits", {})
    else:
        row["event"] = message.get("event", name)
        row["properties"] = message.get("properties", {})
    if "library" in message:
        row["context"] = {"library": {"name": message["library"]}}
    return row


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


def _batches(rows: list[dict[str, Any]]) -> list[list[int]]:
    """The messages run together: the track messages at once (each has an event of its own, so the engines'
    per-event answers are per message), each identify call alone (they all answer as `identify`)."""
    track = [i for i, row in enumerate(rows) if row["type"] != "identify"]
    return ([track] if track else []) + [[i] for i, row in enumerate(rows) if row["type"] == "identify"]


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
    names = [row.get("event", "identify") for row in rows]
    assert len(set(names)) == len(names) - max(0, names.count("identify") - 1), "an event name sent twice"
    engines: dict[str, list[Verdict | None]] = {e: [None] * len(rows) for e in ("local", "DuckDB", "ClickHouse")}
    for k, batch in enumerate(_batches(rows)):
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
        event = plan.events[name]
        if row["type"] != "track" or row["event"] != name or event.status != "active":
            continue
        payload = frozenset(f for f in expected if f[0] in PAYLOAD_CHECKS)  # what a payload alone tells
        found: list[tuple[str, str]] = []
        generated._check(generated.SCHEMAS[name], row["properties"], "",
                         lambda path, check, message, value, found=found: found.append((check, path)))
        assert frozenset(found) == payload, f"generated Python on {said}"
        oracle = jsonschema_rs.validator_for(event_schema(plan, event), validate_formats=True)
        assert oracle_verdict(oracle, row["properties"]) == payload, f"jsonschema-rs on {said}"
