"""The collector's per-message checker gives `validate`'s answers: on every fixture (one planted violation per
check) and on the golden plan's cases (nested closed objects, list items, enums, bounds, pii)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_validate import found, write_ndjson
from test_validate_sql import GOLDEN_ANSWERS, GOLDEN_ROWS, GOLDENS
from validate_fixtures import dataset

from conftest import Run
from tracking_plan.conformance.checker import Checker, Verdict
from tracking_plan.core.loader import load_plan
from tracking_plan.core.model import Plan
from tracking_plan.shapes import messages


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
    assert [f.sample for f in verdict.findings] == ["string of length 3"]
    verdict = checker.check("identify", "identify", None, None, {"email": "leak@example"})
    assert "leak" not in json.dumps([f.sample for f in verdict.findings])
