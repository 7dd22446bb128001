"""Diff cases as data, Confluent-style: each file of cases/diff holds an old and a new plan and the
changes expected, with their verdict under each compatibility mode. Adding a case is adding a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import CASES
from tracking_plan.diff.changes import CHANGE_KINDS
from tracking_plan.diff.compare import compare
from tracking_plan.diff.compat import DEFAULT_MODE, MODES

DEFAULT_ROOT = "plan: t\nversion: 1.0.0\nsquads: {core: {}}\n"
CASE_FILES = sorted((CASES / "diff").glob("*.yaml"))


def load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def write(root: Path, files: dict[str, str]) -> str:
    root.mkdir()
    (root / "tracking-plan.yaml").write_text(DEFAULT_ROOT, encoding="utf-8")
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(content, encoding="utf-8")
    return str(root)


def with_mode(root: str, mode: str) -> None:
    path = Path(root) / "tracking-plan.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"compatibility: {mode}\n", encoding="utf-8")


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_diff_case(path: Path, tmp_path: Path) -> None:
    case = load(path)
    old = write(tmp_path / "old", case.get("old", {}))
    new = write(tmp_path / "new", case.get("new", {}))
    expected = case["changes"]
    modes = {DEFAULT_MODE: [c["impact"] for c in expected], **case.get("modes", {})}
    for mode, impacts in modes.items():
        if mode != DEFAULT_MODE:
            with_mode(new, mode)
        comparison = compare(old, new, None)
        assert comparison.diagnostics == ()
        got = [(j.change.kind, j.change.event, j.change.property) for j in comparison.changes]
        want = [(c["kind"], c.get("event"), c.get("property")) for c in expected]
        assert sorted(got, key=str) == sorted(want, key=str), f"mode {mode}"
        verdicts = {(j.change.kind, j.change.event, j.change.property): j.impact for j in comparison.changes}
        assert [verdicts[w] for w in want] == impacts, f"mode {mode}"
        touched = {(j.change.kind, j.change.event, j.change.property): j for j in comparison.changes}
        for c in expected:  # the metrics a change touches, and the metric and objective it breaks, by name
            if "metrics" in c:
                j = touched[(c["kind"], c.get("event"), c.get("property"))]
                assert list(j.metrics) == c["metrics"], (mode, j)
                if j.impact == "breaking" and mode == "none":
                    assert "metric '" in j.why and "(objective '" in j.why, j.why
        for j in comparison.changes:  # why always agrees with the verdict
            assert j.why.startswith("Breaks: ") == (j.impact == "breaking"), (mode, j)
            assert (j.review == "privacy") == ("Privacy review" in j.why), (mode, j)
        if mode != DEFAULT_MODE:  # reset for the next mode
            Path(new, "tracking-plan.yaml").write_text(
                Path(new, "tracking-plan.yaml").read_text().replace(f"compatibility: {mode}\n", ""))


def test_every_change_kind_and_mode_has_a_case() -> None:
    kinds = {c["kind"] for path in CASE_FILES for c in load(path)["changes"]}
    assert set(CHANGE_KINDS) - kinds == set()
    modes = {DEFAULT_MODE} | {m for path in CASE_FILES for m in load(path).get("modes", {})}
    assert modes == set(MODES)


def test_docs_describe_every_change_kind() -> None:
    from conftest import ROOT

    docs = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    assert [kind for kind in CHANGE_KINDS if f"`{kind}`" not in docs] == []


def test_docs_verdict_table_is_current() -> None:
    """docs/diff.md's verdict table is generated from the judges: python -m tracking_plan.diff.docs."""
    from conftest import ROOT
    from tracking_plan.diff.docs import END, START, table

    docs = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    assert docs[docs.index(START) + len(START):docs.index(END)].strip() == table()


def test_privacy_changes_are_flagged_in_text_and_markdown(tmp_path: Path) -> None:
    from rich.console import Console

    from tracking_plan.diff.render import markdown, text

    case = load(CASES / "diff" / "type-edge-cases.yaml")
    comparison = compare(write(tmp_path / "old", case["old"]), write(tmp_path / "new", case["new"]), None)
    comment = markdown.render(comparison)
    section = comment[comment.index("For the privacy reviewer"):]
    assert "'email' of 'Order Completed' is no longer marked as personal data" in section
    assert "'name' of 'Order Completed' is now marked as personal data" in section
    console = Console(width=200, record=True)
    console.print(text.render(comparison))
    out = console.export_text()
    assert "Privacy review: it is now personal data" in out and "2 changes to personal data" in out
