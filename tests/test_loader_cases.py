"""Loader error cases as data: each folder of cases/loader holds a broken plan and the diagnostics
it must produce (expected.yaml). Adding a case is adding a folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import CASES, Run
from tracking_plan.lint.structural import STRUCTURAL_RULES

LOADER_CASES = sorted(p for p in (CASES / "loader").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", LOADER_CASES, ids=[p.name for p in LOADER_CASES])
def test_loader_case(case: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(case)
    run = cli("lint", "plan", "--format", "json")
    assert "Traceback" not in run.out + run.err
    assert run.code == expected.get("exit_code", 1)
    # The cases pin the loader's findings; lint rules (documentation, naming...) may add their own.
    structural = {rule.id for rule in STRUCTURAL_RULES}
    found = [d for d in run.json()["diagnostics"] if d["rule"] in structural]
    assert len(found) == len(expected["diagnostics"]), found
    for want in expected["diagnostics"]:
        matches = [
            d for d in found
            if d["rule"] == want["rule"] and d["file"] == f"plan/{want['file']}"
            and d["line"] == want["line"] and d["column"] == want["column"]
            and want["message"] in d["message"]
            and want.get("also", "") in d["message"]
            and want.get("hint", "") in (d["hint"] or "")
        ]
        assert matches, f"no diagnostic like {want} in {found}"
        assert matches[0]["severity"] == "error"
        assert matches[0]["hint"], "every loader diagnostic says how to fix it"


def test_every_loader_rule_has_a_case() -> None:
    """Every diagnostic the loader can emit is pinned by at least one case folder."""
    import re

    source = "".join(
        (Path(__file__).resolve().parent.parent / "tracking_plan" / "core" / name).read_text(encoding="utf-8")
        for name in ("loader.py", "yamlsource.py")
    )
    rules = set(re.findall(r'(?:error|_error)\(\s*"([a-z-]+)"', source))
    assert rules <= {rule.id for rule in STRUCTURAL_RULES}, "every loader diagnostic is documented as a rule"
    covered = {
        d["rule"]
        for case in LOADER_CASES
        for d in yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))["diagnostics"]
    }
    # Cases that need generated files (too large, unreadable) are covered in test_loader.py.
    generated = {"file-too-large", "unreadable-file", "invalid-key", "invalid-merge", "invalid-name"}
    assert rules - covered - generated == set()
