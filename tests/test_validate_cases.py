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
    events = {f"Case {n}": case["event"] for n, case in enumerate(document["cases"])}
    (folder / "events" / "cases.yaml").write_text(yaml.safe_dump({"events": events}, allow_unicode=True),
                                                  encoding="utf-8")
    loaded = load_plan(str(folder))
    assert loaded.ok and loaded.plan is not None, loaded.diagnostics
    return loaded.plan


def _row(n: int, message: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"type": message.get("type", "track"), "timestamp": "2026-12-02T10:00:00Z"}
    if row["type"] == "identify":
        row["traits"] = message.get("traits", {})
    else:
        row["event"] = message.get("event", f"Case {n}")
        row["properties"] = message.get("properties", {})
    if "library" in message:
        row["context"] = {"library": {"name": message["library"]}}
    return row


def _expected(message: dict[str, Any]) -> Verdict:
    return frozenset((finding.partition(" ")[0], finding.partition(" ")[2]) for finding in message["findings"])


def _verdict(pairs: list[tuple[str, str | None]]) -> Verdict:
    return frozenset((check, prop or "") for check, prop in pairs)


@pytest.mark.parametrize("check", CHECK_IDS)
def test_every_engine_gives_the_findings_written(check: str, tmp_path: Path) -> None:
    plan = _plan(check, tmp_path / "plan")
    checker = Checker(plan)
    generated = import_generated_python(plan, tmp_path, f"cases_{check.replace('-', '_')}")
    duckdb_sql = warehouse_sql(plan, "duckdb", "events")
    clickhouse_sql = warehouse_sql(plan, "clickhouse", "default.events")
    for n, case in enumerate(_document(check)["cases"]):
        event = plan.events[f"Case {n}"]
        for m, message in enumerate(case["messages"]):
            row = _row(n, message)
            expected = _expected(message)
            said = json.dumps(message, ensure_ascii=False)
            source = tmp_path / "message.ndjson"
            source.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
            local = validate(plan, [str(source)])
            assert _verdict([(v.check, v.property) for e in local.events for v in e.violations]) == expected, \
                f"local validate on {said}"
            rows = duckdb_table("segment", [row], tmp_path).execute(duckdb_sql).fetchall()
            assert _verdict([(r[5], r[6]) for r in rows if r[5] is not None]) == expected, f"DuckDB SQL on {said}"
            if clickhouse_reads_alike(row):
                session = tmp_path / f"clickhouse-{n}-{m}"  # a session holds its table: one per message
                session.mkdir()
                rows = clickhouse_result([row], LAYOUT["segment"], clickhouse_sql, session)
                assert _verdict([(r[5], r[6]) for r in rows if r[5] is not None]) == expected, \
                    f"ClickHouse SQL on {said}"
            read = segment(row)
            verdict = checker.check(read.kind, read.name, read.platform, read.properties, read.traits)
            assert _verdict([(f.check, f.property) for f in verdict.findings]) == expected, f"checker on {said}"
            if row["type"] != "track" or row["event"] != event.name or event.status != "active":
                continue
            payload = frozenset(f for f in expected if f[0] in PAYLOAD_CHECKS)  # what a payload alone tells
            found: list[tuple[str, str]] = []
            generated._check(generated.SCHEMAS[event.name], row["properties"], "",
                             lambda path, check, message, value, found=found: found.append((check, path)))
            assert frozenset(found) == payload, f"generated Python on {said}"
            oracle = jsonschema_rs.validator_for(event_schema(plan, event), validate_formats=True)
            assert oracle_verdict(oracle, row["properties"]) == payload, f"jsonschema-rs on {said}"
