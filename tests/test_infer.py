"""infer: a round trip from plans (the example plan, hypothesis-drawn ones) through generated messages back to a
plan, every shape, personal data marked and no value leaking, and --against's additions."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from infer_data import Expected, segment_rows
from validate_fixtures import dataset

from conftest import EXAMPLE_PLAN, Run
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan
from tracking_plan.infer.build import personal_name


def write_ndjson(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def inferred(cli: Callable[..., Run], source: Path, out: Path, *options: str) -> Plan:
    run = cli("infer", str(source), "--out", str(out), *options)
    assert run.code == 0, run.out + run.err
    loaded = load_plan(str(out))
    assert loaded.ok and loaded.plan is not None, loaded.diagnostics
    return loaded.plan


def check_round_trip(plan: Plan, expected: dict[str, Expected]) -> None:
    """Every event back, every property with its types, required exactly where always sent, enums whole."""
    assert set(plan.events) == set(expected)
    for name, wanted in expected.items():
        props = {p.name: p for p in plan.events[name].properties}
        assert set(props) == set(wanted.types), name
        for prop_name, types in wanted.types.items():
            prop = props[prop_name]
            assert set(prop.type) == types, (name, prop_name, prop.type, types)
            assert prop.required == (prop_name in wanted.required), (name, prop_name)
        for prop_name, values in wanted.enums.items():
            if not props[prop_name].pii:
                assert set(props[prop_name].enum or ()) == values, (name, prop_name)


def test_the_example_plan_round_trips(cli: Callable[..., Run], tmp_path: Path) -> None:
    source = EXAMPLE_PLAN
    original = load_plan(str(source)).plan
    assert original is not None
    rows, expected = segment_rows(original, 120)
    plan = inferred(cli, write_ndjson(tmp_path / "events.ndjson", rows), tmp_path / "plan")
    check_round_trip(plan, expected)
    lint = cli("lint", str(tmp_path / "plan"), "--format", "json")
    assert lint.code == 0 and not [d for d in lint.json()["diagnostics"] if d["severity"] == "error"]
    # What the example plan marks personal, infer marks personal (by name or by value).
    for event in original.events.values():
        if event.status != "active":
            continue
        for prop in event.properties:
            if prop.pii:
                assert plan.events[event.name].property(prop.name).pii, (event.name, prop.name)  # type: ignore[union-attr]
    assert (tmp_path / "plan" / "INFERRED.md").read_text(encoding="utf-8").count("| track |") == len(expected)


_NAMES = st.from_regex(r"[a-z][a-z0-9]{2,8}(_[a-z0-9]{2,6})?", fullmatch=True).filter(lambda n: not personal_name(n))


@st.composite
def _property(draw: st.DrawFn, name: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean", "enum", "object", "array", "nullable"]))
    required = draw(st.booleans())
    if kind == "enum":
        values = draw(st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), min_size=1, max_size=6, unique=True))
        return {"type": "string", "enum": values, "required": required}
    if kind == "object":
        inner = draw(st.lists(_NAMES, min_size=1, max_size=3, unique=True))
        return {"type": "object", "required": required,
                "properties": {n: {"type": "integer", "required": draw(st.booleans())} for n in inner}}
    if kind == "array":
        return {"type": "array", "items": {"type": "string"}, "required": required}
    if kind == "nullable":
        return {"type": ["integer", "null"], "required": required}
    return {"type": kind, "required": required}


@st.composite
def _plans(draw: st.DrawFn) -> dict[str, Any]:
    events = {}
    for name in draw(st.lists(st.from_regex(r"[A-Z][a-z]{2,7} [A-Z][a-z]{2,7}", fullmatch=True), min_size=1,
                              max_size=4, unique=True)):
        names = draw(st.lists(_NAMES, min_size=1, max_size=5, unique=True))
        events[name] = {"properties": {n: draw(_property(n)) for n in names}}
    return events


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=_plans())
def test_any_plan_round_trips(events: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> None:
    from tracking_plan.infer.build import Thresholds, inferred_plan
    from tracking_plan.infer.run import observed

    folder = tmp_path_factory.mktemp("drawn")
    (folder / "plan" / "events").mkdir(parents=True)
    (folder / "plan" / "tracking-plan.yaml").write_text("plan: drawn\nversion: 1.0.0\n", encoding="utf-8")
    (folder / "plan" / "events" / "e.yaml").write_text(yaml.safe_dump({"events": events}), encoding="utf-8")
    loaded = load_plan(str(folder / "plan"))
    assert loaded.ok and loaded.plan is not None, loaded.diagnostics
    rows, expected = segment_rows(loaded.plan, 90)  # an optional enum of 6 values sent 30 times: enough support
    seen, _ = observed([str(write_ndjson(folder / "events.ndjson", rows))], None, "event")
    imported = inferred_plan(seen, "drawn", Thresholds())
    by_name = {e.name: e for e in imported.events}
    assert set(by_name) == set(expected)
    for name, wanted in expected.items():
        props = by_name[name].properties
        assert set(props) == set(wanted.types)
        for prop_name, types in wanted.types.items():
            kind = props[prop_name]["type"]
            assert set([kind] if isinstance(kind, str) else kind) == types, (name, prop_name, kind, types)
            assert bool(props[prop_name].get("required")) == (prop_name in wanted.required), (name, prop_name)
        for prop_name, values in wanted.enums.items():
            assert set(props[prop_name].get("enum", ())) == values, (name, prop_name)


@pytest.mark.parametrize("shape", ["segment", "amplitude", "flat", "ga4"])
def test_every_shape(cli: Callable[..., Run], tmp_path: Path, shape: str) -> None:
    """The rows validate's tests read in each shape (GA4 as its BigQuery export, in Parquet): the events come back
    under their names on the wire."""
    original = load_plan(str(EXAMPLE_PLAN)).plan
    assert original is not None
    rows, _ = dataset(original, shape)
    if shape == "ga4":
        source = tmp_path / "events.parquet"
        pq.write_table(pa.Table.from_pylist(rows), source)
    else:
        source = write_ndjson(tmp_path / "events.ndjson", rows)
    options = ("--shape", "flat") if shape == "flat" else ()
    plan = inferred(cli, source, tmp_path / "plan", *options)
    key = {"segment": "event", "amplitude": "event_type", "flat": "event", "ga4": "event_name"}[shape]
    sent = {r[key] for r in rows if r.get("type", "track") == "track" and r.get(key) not in (None, "$identify")}
    assert set(plan.events) == sent
    if shape in ("segment", "amplitude"):
        assert plan.traits, "identify's traits"


def _values(rows: list[dict[str, Any]], keys: set[str]) -> set[str]:
    found: set[str] = set()

    def walk(value: Any, key: str | None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif key in keys and value not in (None, True, False):
            found.add(str(value))

    for row in rows:
        walk(row.get("properties"), None)
        walk(row.get("traits"), None)
    return found


def test_personal_data_is_marked_and_no_value_is_written(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Personal-looking names and values are pii: true; no value of a personal property, nor of a text with many
    values, is anywhere in the output (plan files and INFERRED.md)."""
    rows = []
    for i in range(60):
        rows.append({"type": "identify", "userId": f"u{i}", "traits": {
            "email": f"person{i}@mail.example", "phone": f"+33 6 12 34 {i:02d} 00", "plan": ["free", "pro"][i % 2]}})
        rows.append({"type": "track", "event": "Order Placed", "properties": {
            "order_ref": f"ORD-{i:05d}", "contact": f"buyer{i}@shop.example", "shippingAddress": f"{i} rue Haute",
            "ip": f"198.51.100.{i + 1}", "note": f"free text {i}", "tier": ["a", "b", "c"][i % 3],
            "customer": {"lastName": f"Name{i}", "zip": f"750{i:02d}"}}})
    plan = inferred(cli, write_ndjson(tmp_path / "events.ndjson", rows), tmp_path / "plan")
    placed = {p.name: p for p in plan.events["Order Placed"].properties}
    assert {n for n, p in placed.items() if p.pii} == {"contact", "shippingAddress", "ip"}
    assert all(p.pii for p in placed["customer"].properties)  # lastName, zip
    assert {p.name for p in plan.traits if p.pii} == {"email", "phone"}
    assert placed["tier"].enum == ("a", "b", "c") and placed["note"].enum is None
    assert plan.pii_destinations == ("segment",)
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "plan").rglob("*") if p.is_file())
    secret = _values(rows, {"email", "phone", "contact", "shippingAddress", "ip", "lastName", "zip", "order_ref",
                            "note"})
    assert secret and [v for v in secret if v in written] == []


def test_against_gives_exactly_the_planted_additions(cli: Callable[..., Run], tmp_path: Path) -> None:
    """The example plan (with Cart Viewed opened) and traffic that fits it but for what is planted: an unplanned
    event and page, an unplanned property on the open event, an enum value the plan does not list, a required
    property missing from half the messages. The new event is a new file; diff judges adding it additive."""
    plan_dir = tmp_path / "plans"
    shutil.copytree(EXAMPLE_PLAN, plan_dir)
    cart = plan_dir / "events" / "checkout" / "cart.yaml"
    text = cart.read_text(encoding="utf-8")
    cart.write_text(text.replace("  Cart Viewed:\n", "  Cart Viewed:\n    additional_properties: true\n", 1),
                    encoding="utf-8")
    plan = load_plan(str(plan_dir)).plan
    assert plan is not None and plan.events["Cart Viewed"].additional_properties
    rows, _ = segment_rows(plan, 20)
    for row in rows:
        if row["event"] == "Cart Viewed":
            row["properties"]["gift_note"] = "hello"
        if row["event"] == "Payment Info Entered":
            row["properties"]["payment_method"] = "bitcoin"
    completed = [r for r in rows if r["event"] == "Order Completed"]
    for row in completed[::2]:
        del row["properties"]["order_id"]
    rows += [{"type": "track", "event": "Wishlist Shared", "properties": {"list_id": f"l{i}"}} for i in range(5)]
    rows += [{"type": "page", "name": "About", "properties": {"section": "team"}} for _ in range(3)]
    run = cli("infer", str(write_ndjson(tmp_path / "events.ndjson", rows)), "--against", str(plan_dir), "--out",
              str(tmp_path / "added"), "--format", "json")
    assert run.code == 0, run.err
    found = {(a["kind"], a["event"], a["property"], tuple(a["values"])) for a in run.json()["additions"]}
    assert found == {("unplanned-event", "Wishlist Shared", None, ()), ("unplanned-event", "page About", None, ()),
                     ("unplanned-property", "Cart Viewed", "gift_note", ()),
                     ("unplanned-enum-value", "Payment Info Entered", "payment_method", ("bitcoin",)),
                     ("often-missing", "Order Completed", "order_id", ())}
    assert sorted(p.relative_to(tmp_path / "added").as_posix() for p in (tmp_path / "added").rglob("*.yaml")) == [
        "events/inferred.yaml"]
    merged = tmp_path / "merged"
    shutil.copytree(plan_dir, merged)
    shutil.copy(tmp_path / "added" / "events" / "inferred.yaml", merged / "events" / "inferred.yaml")
    diff = cli("diff", str(plan_dir), str(merged), "--format", "json").json()
    assert {(c["kind"], c["event"], c["impact"]) for c in diff["changes"]} == {
        ("event-added", "Wishlist Shared", "additive"), ("event-added", "page About", "additive")}
    markdown = cli("infer", str(tmp_path / "events.ndjson"), "--against", str(plan_dir), "--out",
                   str(tmp_path / "added"), "--format", "markdown")
    assert "## Values sent that the plan's enums do not list (1)" in markdown.out
    assert (plan_dir / "events" / "checkout" / "cart.yaml").read_text(encoding="utf-8") != text  # ours, untouched


def test_bad_input_and_refusals(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "bad.ndjson").write_text("{not json\n", encoding="utf-8")
    run = cli("infer", str(tmp_path / "bad.ndjson"), "--out", str(tmp_path / "p"))
    assert run.code == 2 and "Traceback" not in run.err and not (tmp_path / "p").exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep", encoding="utf-8")
    write_ndjson(tmp_path / "ok.ndjson", [{"type": "track", "event": "A Happened", "properties": {}}])
    run = cli("infer", str(tmp_path / "ok.ndjson"), "--out", str(tmp_path / "full"))
    assert run.code == 2 and (tmp_path / "full" / "mine.txt").read_text(encoding="utf-8") == "keep"
    run = cli("infer", str(tmp_path / "nothing.ndjson"), "--out", str(tmp_path / "p"))
    assert run.code == 2
    run = cli("infer", str(tmp_path / "ok.ndjson"), "--out", str(tmp_path / "p"), "--group-by", "email")
    assert run.code == 2 and "personal" in run.err


def test_group_by_property_and_file(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    write_ndjson(tmp_path / "data" / "checkout.ndjson", [
        {"type": "track", "event": "Cart Viewed", "properties": {"area": "shop"}}] * 3)
    write_ndjson(tmp_path / "data" / "account.ndjson", [
        {"type": "track", "event": "Signed Up", "properties": {"area": "growth"}}] * 3)
    inferred(cli, tmp_path / "data", tmp_path / "by-area", "--group-by", "area")
    assert {p.relative_to(tmp_path / "by-area").as_posix() for p in (tmp_path / "by-area" / "events").rglob("*.yaml")
            } == {"events/shop/events.yaml", "events/growth/events.yaml"}
    inferred(cli, tmp_path / "data", tmp_path / "by-file", "--group-by", "file")
    assert {p.parent.name for p in (tmp_path / "by-file" / "events").rglob("*.yaml")} == {"checkout", "account"}


def test_rare_nested_and_dictionary_properties(cli: Callable[..., Run], tmp_path: Path) -> None:
    """A property in 1% of the messages is there (optional); lists of objects and nested objects are read to their
    members; an object keyed by data (a hundred ids, each in few messages) is a dictionary of one value schema."""
    rows = []
    for i in range(200):
        props: dict[str, Any] = {"order_id": f"o{i}", "lines": [{"sku": f"s{i}", "qty": i % 3 + 1}],
                                 "shipping": {"carrier": ["ups", "dhl"][i % 2], "days": i % 5},
                                 "stock": {f"sku-{(i * 7 + k) % 100}": k for k in range(3)}}
        if i in (5, 105):
            props["gift"] = True
        rows.append({"type": "track", "event": "Order Placed", "properties": props})
    plan = inferred(cli, write_ndjson(tmp_path / "events.ndjson", rows), tmp_path / "plan")
    props = {p.name: p for p in plan.events["Order Placed"].properties}
    assert props["gift"].type == ("boolean",) and not props["gift"].required
    lines = props["lines"]
    assert lines.items is not None and {(p.name, p.type, p.required) for p in lines.items.properties} == {
        ("sku", ("string",), True), ("qty", ("integer",), True)}
    assert {(p.name, p.enum) for p in props["shipping"].properties} == {("carrier", ("dhl", "ups")), ("days", None)}
    stock = props["stock"]
    assert not stock.properties and stock.values is not None and stock.values.type == ("integer",)
