"""One verdict on plans nobody wrote: hypothesis draws a plan (every keyword the checks read: types, nullable, enums
of every type, patterns, formats, bounds on numbers, lengths and item counts, nested objects, lists of objects,
dictionaries, closed and open objects, required members) and messages for it (values drawn from the plan's own
shape, any of them swapped for an edge value), and the local engine, the DuckDB dialect of the warehouse query in
DuckDB, the collector's checker and the generated Python's run-time check must give each message jsonschema-rs's
verdict over the exported schema: the same check ids at the same property paths.

`test_one_verdict.py` runs a fixed plan through every engine (ClickHouse, TypeScript and Kotlin too); this file
varies the plan. Profiles as there: `TRACKING_PLAN_LONG=1` for thousands of plans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_one_verdict import (
    LONG,
    Verdict,
    _rows,
    checker_verdicts,
    generated_verdicts,
    import_generated_python,
    local_verdicts,
    oracle_verdict,
    sql_verdicts,
)
from test_validate_sql import duckdb_table

from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan
from tracking_plan.shapes.jsonschema import event_schema
from tracking_plan.validate.sql import warehouse_sql

BATCH = 5
NAMES = ["a", "b", "c", "d"]
PATTERNS = ["^[A-Z]{2}$", "^a", "b$", "^[0-9]+$", "x"]
FORMATS = ["date-time", "date", "email", "uuid", "uri", "ipv4"]
SCALARS: dict[str, list[Any]] = {
    "string": ["a", "b", "FR", "", "FR\n", "é", "2026-11-02", "a@b.co", "12", "toolong-text"],
    "integer": [0, 1, 2, -1, 1000, 2.0, -0.0, 18446744073709551617],
    "number": [0.5, 0, 1.5, -2.25, 1e300, 3],
    "boolean": [True, False],
}
EDGES: list[Any] = [None, 2.0, -0.0, 1.5, 0, "", "FR\n", True, [], [1], {}, {"": 1}, {"a": "x"},
                    18446744073709551617]


@st.composite
def properties(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    """One property of a plan, as YAML: a scalar with its checks, a list, or an object (listed members, a
    dictionary, or both), any of them nullable or required."""
    shapes = ["string", "integer", "number", "boolean"] + (["array", "object"] if depth < 2 else [])
    kind = draw(st.sampled_from(shapes))
    prop: dict[str, Any] = {"description": "Drawn."}
    nullable = draw(st.booleans()) and kind != "object"
    prop["type"] = [kind, "null"] if nullable else kind
    if kind in SCALARS and draw(st.integers(0, 3)) == 0:
        values = draw(st.lists(st.sampled_from(SCALARS[kind][:4]), min_size=1, max_size=3, unique=True))
        prop["enum"] = values + ([None] if draw(st.booleans()) else [])  # null listed, nullable or not
    if kind == "string":
        if draw(st.integers(0, 3)) == 0:
            prop["pattern"] = draw(st.sampled_from(PATTERNS))
        if draw(st.integers(0, 4)) == 0:
            prop["format"] = draw(st.sampled_from(FORMATS))
        if draw(st.booleans()):
            prop["minLength"] = draw(st.integers(0, 2))
        if draw(st.booleans()):
            prop["maxLength"] = draw(st.integers(2, 5))
    elif kind in ("integer", "number"):
        for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if draw(st.integers(0, 2)) == 0:
                prop[keyword] = draw(st.integers(-1, 2))
        if "minimum" in prop and "maximum" in prop and prop["maximum"] < prop["minimum"]:
            prop["maximum"] = prop["minimum"] + 5
    elif kind == "array":
        prop["items"] = draw(properties(depth + 1))
        prop["items"].pop("required", None)
        if draw(st.booleans()):
            prop["minItems"] = draw(st.integers(0, 1))
        if draw(st.booleans()):
            prop["maxItems"] = draw(st.integers(1, 3))
    elif kind == "object":
        members = draw(st.lists(st.sampled_from(NAMES), min_size=0, max_size=3, unique=True))
        if members:
            prop["properties"] = {name: draw(properties(depth + 1)) for name in members}
        extra = draw(st.sampled_from(["closed", "open", "values"]))
        if extra == "closed":
            prop["additional_properties"] = False
        elif extra == "values" or not members:
            prop["additional_properties"] = draw(properties(depth + 1))
            prop["additional_properties"].pop("required", None)
    if draw(st.integers(0, 3)) == 0:
        prop["required"] = True
    return prop


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    return {"properties": {name: draw(properties()) for name in names},
            "additional_properties": draw(st.booleans())}


def _types(prop: dict[str, Any]) -> list[str]:
    kind = prop.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


@st.composite
def values(draw: st.DrawFn, prop: dict[str, Any]) -> Any:
    """A value shaped by the property (often one it allows, often not), or an edge value."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(EDGES))
    kinds = [k for k in _types(prop) if k != "null"] or ["string"]
    kind = draw(st.sampled_from(kinds))
    if kind in SCALARS:
        choices = SCALARS[kind] + list(prop.get("enum", []))
        return draw(st.sampled_from(choices))
    if kind == "array":
        return draw(st.lists(values(prop["items"]), max_size=4))
    return draw(objects(prop))


@st.composite
def objects(draw: st.DrawFn, prop: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, child in prop.get("properties", {}).items():
        if draw(st.integers(0, 4)) > 0:
            out[name] = draw(values(child))
    if draw(st.integers(0, 3)) == 0:
        others = prop.get("additional_properties")
        key = draw(st.sampled_from(["zz", "", "a b"]))
        out[key] = draw(values(others)) if isinstance(others, dict) else draw(st.sampled_from(EDGES))
    return out


def _plan(folder: Path, spec: dict[str, Any]) -> Plan:
    (folder / "tracking-plan.yaml").write_text("plan: drawn\nversion: 1.0.0\n", encoding="utf-8")
    events = {f"Event {n}": {"description": "A copy.", **spec} for n in range(BATCH)}
    (folder / "events.yaml").write_text(yaml.safe_dump({"events": events}, allow_unicode=True), encoding="utf-8")
    loaded = load_plan(str(folder))
    assert loaded.ok and loaded.plan is not None, (spec, loaded.diagnostics)
    return loaded.plan


def _generated_python(plan: Plan, folder: Path, batch: list[dict[str, Any]]) -> list[Verdict]:
    return generated_verdicts(import_generated_python(plan, folder, f"drawn_tracking_{id(plan)}"), batch)


def _agree_on(spec: dict[str, Any], batch: list[dict[str, Any]], folder: Path) -> None:
    plan = _plan(folder, spec)
    oracle = jsonschema_rs.validator_for(event_schema(plan, plan.events["Event 0"]), validate_formats=True)
    expected = [oracle_verdict(oracle, props) for props in batch]
    rows = list(duckdb_table("segment", _rows(batch), folder).execute(warehouse_sql(plan, "duckdb", "events"))
                .fetchall())
    for name, got in (("generated Python", _generated_python(plan, folder, batch)),
                      ("collect's checker", checker_verdicts(plan, batch)),
                      ("local validate", local_verdicts(plan, batch, folder)),
                      ("warehouse SQL", sql_verdicts(rows, len(batch)))):
        for props, mine, theirs in zip(batch, got, expected, strict=True):
            assert mine == theirs, f"{name} on {json.dumps(props, ensure_ascii=False)}"


@settings(max_examples=1500 if LONG else 25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(st.data())
def test_every_engine_gives_the_oracles_verdict_on_drawn_plans(tmp_path_factory: pytest.TempPathFactory,
                                                              data: st.DataObject) -> None:
    spec = data.draw(plans(), label="plan")
    batch = data.draw(st.lists(objects(spec), min_size=1, max_size=BATCH), label="messages")
    _agree_on(spec, batch, tmp_path_factory.mktemp("drawn"))


def _drawn(kind: str, **keywords: Any) -> dict[str, Any]:
    return {"description": "Drawn.", "type": kind, **keywords}


FOUND: list[tuple[dict[str, Any], list[dict[str, Any]]]] = [
    # null where the type allows it and the enum does not list it: it passes (the export lists null)
    ({"properties": {"c": _drawn(["string", "null"], enum=["b"])}, "additional_properties": False}, [{"c": None}]),
    # an object closed with no listed member takes no key
    ({"properties": {"d": _drawn("object", additional_properties=False)}, "additional_properties": False},
     [{"d": {"": 0}}, {"d": {"x": 1}}]),
    # the required members of an object reached through a dictionary's value schema, named by their path
    ({"properties": {"b": _drawn("object", additional_properties=_drawn("object", properties={
        "a": _drawn("string", required=True)}))}, "additional_properties": False}, [{"b": {"a b": {"": 1}}}]),
    # an unplanned key of an object under the empty key of a dictionary: the oracle's path puts the empty key back
    ({"properties": {"b": _drawn("object", additional_properties=_drawn("object", properties={
        "a": _drawn("integer")}, additional_properties=False))}, "additional_properties": False},
     [{"b": {"": {"a": None, "a b": 2.0}}}]),
    # a wrong-typed item masks the other checks of that item only
    ({"properties": {"d": _drawn("array", items=_drawn("string", enum=["a"], pattern="^[A-Z]{2}$"))},
      "additional_properties": False}, [{"d": [None, ""]}]),
]


@pytest.mark.parametrize(("spec", "batch"), FOUND)
def test_the_disagreements_drawn_plans_found(spec: dict[str, Any], batch: list[dict[str, Any]],
                                             tmp_path: Path) -> None:
    """Each disagreement the drawn plans found (in the long profile), kept as a case."""
    _agree_on(spec, batch, tmp_path)
