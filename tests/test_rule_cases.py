"""Lint rules as data, sqlfluff-style: cases/rules/<rule-id>.yaml holds real plans that trigger a rule
and plans that do not. Adding a case is adding an entry; a meta-test checks every rule has both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import CASES
from tracking_plan.lint.engine import lint_plan
from tracking_plan.lint.rules import plan_rules

DEFAULT_ROOT = """\
plan: t
version: 1.0.0
conventions: {events: title_case, properties: snake_case}
squads: {core: {description: The core squad}}
platforms: [web, ios, android, backend]
destinations: [amplitude, ga4, bigquery, segment]
pii_destinations: [bigquery]
"""

RULE_FILES = sorted((CASES / "rules").glob("*.yaml"))


def _cases() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in RULE_FILES:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in document["cases"]:
            found.append((path.stem, case))
    return found


CASE_LIST = _cases()


@pytest.mark.parametrize(("rule_id", "case"), CASE_LIST, ids=[f"{r}: {c['name']}" for r, c in CASE_LIST])
def test_rule_case(rule_id: str, case: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "tracking-plan.yaml").write_text(case.get("root", DEFAULT_ROOT), encoding="utf-8")
    for rel, content in case.get("files", {}).items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    result = lint_plan(str(tmp_path), preset="strict")
    structural = [d for d in result.diagnostics if d.rule in {"yaml-syntax", "unknown-key", "invalid-value",
                                                               "unresolved-ref", "lint-config"}]
    assert structural == [], "case plans must load cleanly"
    found = [d for d in result.diagnostics if d.rule == rule_id]
    expected = sorted(case.get("expect", []), key=lambda w: (w.get("file", "events/a.yaml"), w["line"]))
    assert len(found) == len(expected), [f"{d.location}: {d.message}" for d in found]
    for want, got in zip(expected, found, strict=True):
        assert got.location is not None
        assert got.location.file == str(tmp_path / want.get("file", "events/a.yaml"))
        assert got.location.line == want["line"], f"{got.location}: {got.message}"
        assert want["message"] in got.message, got.message
        if "hint" in want:
            assert want["hint"] in (got.hint or "")
    assert sum(result.silenced.values()) == case.get("silenced", 0)


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for rule_id, case in CASE_LIST:
        by_rule.setdefault(rule_id, []).append(case)
    for rule in plan_rules():
        cases = by_rule.get(rule.id, [])
        assert any(c.get("expect") for c in cases), f"{rule.id} has no case that triggers it"
        assert any(not c.get("expect") for c in cases), f"{rule.id} has no case that passes"
    assert set(by_rule) <= {rule.id for rule in plan_rules()}, "a case file names no existing rule"
