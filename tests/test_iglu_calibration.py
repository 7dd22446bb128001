"""Calibration on real schema evolution: every labelled version pair of Snowplow's Iglu Central sample, imported
and diffed with the defaults, must get a version bump that agrees with Snowplow's SchemaVer label — MODEL → major,
ADDITION → minor or patch, REVISION → major or minor — or be listed, with the reason, in cases/iglu-accepted.yaml."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from conftest import CASES, ROOT
from tracking_plan.diff.compare import compare
from tracking_plan.importers import jsonschema
from tracking_plan.importers.write import write_plan

SAMPLE = ROOT / "tests" / "data" / "corpora" / "iglu-sample"
PAIRS = list(csv.DictReader((SAMPLE / "pairs.tsv").read_text(encoding="utf-8").splitlines(), delimiter="\t"))
ACCEPTED: dict[str, str] = yaml.safe_load((CASES / "iglu-accepted.yaml").read_text(encoding="utf-8"))
ALLOWED = {"MODEL": {"major"}, "ADDITION": {"minor", "patch", "none"}, "REVISION": {"major", "minor"}}


def _key(pair: dict[str, str]) -> str:
    return f"{pair['vendor']}/{pair['name']} {pair['from']} {pair['to']}"


def _bump(pair: dict[str, str], tmp: Path) -> str:
    sides = []
    for version in (pair["from"], pair["to"]):
        schema = SAMPLE / "schemas" / pair["vendor"] / pair["name"] / "jsonschema" / version
        write_plan(jsonschema.read(schema), tmp / version)
        sides.append(str(tmp / version))
    comparison = compare(sides[0], sides[1], None)
    assert comparison.diagnostics == ()
    return comparison.bump


@pytest.mark.parametrize("pair", PAIRS, ids=[_key(p) for p in PAIRS])
def test_default_bump_agrees_with_schemaver(pair: dict[str, str], tmp_path: Path) -> None:
    bump = _bump(pair, tmp_path)
    agrees = bump in ALLOWED[pair["label"]]
    if _key(pair) in ACCEPTED:
        assert not agrees, f"{_key(pair)} now agrees ({bump}): remove it from iglu-accepted.yaml"
    else:
        assert agrees, f"{_key(pair)}: labelled {pair['label']}, diff suggests {bump}"


def test_agreement_is_at_least_95_percent() -> None:
    assert set(ACCEPTED) <= {_key(p) for p in PAIRS}
    assert 1 - len(ACCEPTED) / len(PAIRS) >= 0.95
