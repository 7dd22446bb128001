"""import and export: fixtures of every format, round trips, the public corpora, and the Segment
typewriter edge-case plan compiled in every target."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_codegen import STRICTEST, _swift_errors

from conftest import EXAMPLE_PLAN, ROOT, Run, kotlin_case, mypy, tool
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan
from tracking_plan.diff.changes import diff_plans
from tracking_plan.generate import generate_files
from tracking_plan.lint.structural import STRUCTURAL_RULES

FIXTURES = ROOT / "tests" / "fixtures" / "import"
CORPORA = ROOT / "tests" / "data" / "corpora"  # copied from shared/corpora, each source's licence beside it
STRUCTURAL = {rule.id for rule in STRUCTURAL_RULES}


def imported(cli: Callable[..., Run], fmt: str, source: Path, out: Path) -> tuple[Plan, Run]:
    run = cli("import", fmt, str(source), "--out", str(out))
    assert run.code == 0, run.err + run.out
    lint = cli("lint", str(out), "--format", "json", "--fail-on", "never")
    structural = [d for d in lint.json()["diagnostics"] if d["rule"] in STRUCTURAL]
    assert structural == [], structural
    plan = load_plan(str(out)).plan
    assert plan is not None
    return plan, run


def test_segment_public_api(cli: Callable[..., Run], tmp_path: Path) -> None:
    plan, run = imported(cli, "segment", FIXTURES / "segment-public.json", tmp_path / "p")
    assert plan.id == "shop-plan" and plan.title == "Shop plan"
    order = plan.events["Order Completed"]
    assert order.description == "The order was placed." and order.tags == ("area:checkout",)
    assert not order.additional_properties
    props = {p.name: p for p in order.properties}
    assert props["order_id"].required and props["order_id"].constraints.pattern == "^O-[0-9]+$"
    assert props["order_id"].ref == "order_id"  # two events define it alike: a library property
    assert props["total"].constraints.minimum == 0 and props["total"].required
    assert props["coupon"].type == ("string", "null") and not props["coupon"].required
    assert props["currency"].enum == ("EUR", "USD")
    assert props["items"].items is not None and props["items"].constraints.max_items == 50
    assert [(p.name, p.required, p.type) for p in props["items"].items.properties] == \
        [("sku", True, ("string",)), ("quantity", False, ("integer",))]
    assert props["placed_at"].constraints.format == "date-time"
    assert {t.name for t in plan.traits} == {"email", "plan"}
    assert props["channel"].type == ("string", "number")  # oneOf of disjoint types: a list of types, exactly
    assert "PAGE rule" not in run.out and list(plan.pages) == ["(unnamed)"]  # a page rule with no key: every page
    assert (tmp_path / "p" / "events" / "checkout" / "events.yaml").is_file()
    assert (tmp_path / "p" / "properties" / "library.yaml").is_file()


NULL = {"type": "null"}


@pytest.mark.parametrize(("schema", "expected", "reported"), [
    ({"anyOf": [{"type": "string", "maxLength": 3}, NULL]}, {"type": ["string", "null"], "maxLength": 3}, False),
    ({"anyOf": [{"$ref": "#/$defs/id"}, NULL], "description": "Optional id"},
     {"type": ["string", "null"], "pattern": "^x", "description": "Optional id"}, False),  # pydantic's Optional
    ({"oneOf": [{"type": "string"}, {"type": "integer"}, NULL]}, {"type": ["string", "integer", "null"]}, False),
    ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, None, True),  # 1 is both: oneOf refuses it
    ({"anyOf": [{"type": "number"}, {"type": "integer"}]}, {"type": ["number", "integer"]}, False),
    ({"anyOf": [{"type": "string", "minLength": 2}, {"type": "integer"}]}, None, True),  # constrained branches
    ({"allOf": [{"type": "string"}, {"minLength": 2}], "description": "d"},
     {"type": "string", "minLength": 2, "description": "d"}, False),
    ({"allOf": [{"type": "string"}, {"type": "integer"}]}, None, True),  # said twice
    ({"anyOf": [{"type": "string"}], "type": "string"}, None, True),  # type said beside the branch
    ({"type": "array", "items": True}, {"type": "array"}, False),  # any item, as when left out
    ({"type": "array", "items": False}, {"type": "array"}, True),
])
def test_combinators_become_plan_types_where_they_can(schema: dict[str, Any], expected: dict[str, Any] | None,
                                                      reported: bool) -> None:
    """anyOf / oneOf / allOf as JSON Schema generators write them (a nullable value, a union of bare types,
    allOf of different constraints) are said exactly; the others are kept as any value and reported."""
    from tracking_plan.importers.convert import convert_schema
    from tracking_plan.importers.model import ImportedPlan

    plan = ImportedPlan("p")
    root = {"$defs": {"id": {"type": "string", "pattern": "^x"}}}
    converted = convert_schema(schema, plan, "p", root)
    assert bool(plan.dropped) == reported, plan.dropped
    if expected is not None:
        assert converted == expected


def test_segment_rule_versions_keep_the_newest_and_names_stay_unique(cli: Callable[..., Run], tmp_path: Path) -> None:
    """The Public API lists every version of a rule: the newest is imported whatever the order, the others
    reported; an event defined twice keeps its first definition and reports the second."""
    import json

    def rule(version: int, name: str) -> dict[str, Any]:
        return {"key": "Order Completed", "type": "TRACK", "version": version,
                "jsonSchema": {"properties": {"properties": {"properties": {name: {"type": "string"}}}}}}

    def identify(name: str) -> dict[str, Any]:  # no version: every one is read
        traits = {"properties": {name: {"type": "string"}}}
        return {"type": "IDENTIFY", "jsonSchema": {"properties": {"traits": traits}}}

    document = {"name": "v", "rules": [rule(1, "old"), rule(3, "new"), rule(2, "mid"), identify("a"), identify("b")]}
    (tmp_path / "plan.json").write_text(json.dumps(document))
    plan, run = imported(cli, "segment", tmp_path / "plan.json", tmp_path / "p")
    assert [p.name for p in plan.events["Order Completed"].properties] == ["new"]
    assert "version 1 — an older version of the rule: version 3 (rules[1]) is imported" in run.out
    assert "Imported 1 event and 2 traits" in run.out
    config = {"rules": {"events": [{"name": "A", "rules": {"properties": {"x": {"type": "string"}}}},
                                   {"name": "A", "rules": {"properties": {"y": {"type": "string"}}}}]}}
    (tmp_path / "config.json").write_text(json.dumps(config))
    plan, run = imported(cli, "segment", tmp_path / "config.json", tmp_path / "q")
    assert [p.name for p in plan.events["A"].properties] == ["x"]
    assert "a second definition of an event already imported" in run.out


def test_segment_config_api(cli: Callable[..., Run], tmp_path: Path) -> None:
    plan, _ = imported(cli, "segment", FIXTURES / "segment-config.json", tmp_path / "p")
    viewed = plan.events["Product Viewed"]
    assert viewed.tags == ("area:discovery",)
    props = {p.name: p for p in viewed.properties}
    assert props["product_id"].required and props["price"].constraints.exclusive_minimum == 0
    assert [t.name for t in plan.traits] == ["email"]


def test_rudderstack_v1_and_v01(cli: Callable[..., Run], tmp_path: Path) -> None:
    plan, _ = imported(cli, "rudderstack", FIXTURES / "rudderstack-v1", tmp_path / "v1")
    assert plan.id == "shop" and plan.title == "Shop"
    order = plan.events["Order Completed"]
    assert order.tags == ("category:Checkout",) and not order.additional_properties
    props = {p.name: p for p in order.properties}
    assert props["coupon"].type == ("string", "null")
    assert props["tags"].items is not None and props["tags"].items.type == ("string",)
    assert props["tags"].constraints.max_items == 5
    assert [(p.name, p.required) for p in props["address"].properties] == [("city", True)]
    [email] = plan.traits
    assert email.name == "email" and email.constraints.format == "email" and email.constraints.max_length == 255
    # A discriminator variant: a case per matched value, the default case's requirements the event's own.
    failed = plan.events["Payment Failed"]
    assert failed.discriminator == "method" and [v.value for v in failed.variants] == ["card", "paypal", "klarna"]
    required = {v.value: sorted(p.name for p in v.properties if p.required) for v in failed.variants}
    assert required == {"card": ["card_brand", "method"], "paypal": ["method"], "klarna": ["method"]}
    assert sorted(p.name for p in failed.properties if p.required) == ["method", "reason"]
    assert failed.variants[0].description == "A card payment."
    old, run = imported(cli, "rudderstack", FIXTURES / "rudderstack-v0.1", tmp_path / "v01")
    failed = old.events["Payment Failed"]
    assert failed.additional_properties
    props = {p.name: p for p in failed.properties}
    assert props["method"].enum == ("card", "paypal") and props["method"].required
    assert props["attempts"].type == ("integer", "null") and props["attempts"].constraints.maximum == 10
    assert "multipleOf" in run.out


def test_mparticle(cli: Callable[..., Run], tmp_path: Path) -> None:
    plan, run = imported(cli, "mparticle", FIXTURES / "mparticle.json", tmp_path / "p")
    placed = plan.events["Order Placed"]
    assert {p.name: p.required for p in placed.properties} == {"order_id": True, "total": False, "method": False}
    assert "Home" in plan.screens and "Screen Viewed: Home" not in plan.events  # a screen_view is a screen() call
    assert [t.name for t in plan.traits] == ["tier"]
    assert "user_identities" in run.out


def test_jsonschema_iglu_keeps_the_newest_version(cli: Callable[..., Run], tmp_path: Path) -> None:
    plan, run = imported(cli, "jsonschema", FIXTURES / "jsonschema-iglu", tmp_path / "p")
    order = plan.events["com.shop/order_completed"]
    assert order.description == "The order was placed." and order.tags == ("vendor:com.shop",)
    props = {p.name: p for p in order.properties}
    assert props["total"].type == ("number", "null") and props["lines"].items is not None
    assert "older version" in run.out
    assert plan.events["com.shop/cart_viewed"].additional_properties


@pytest.mark.parametrize(("family", "old", "new", "kind", "where"), [
    ("com.snowplowanalytics.snowplow.badrows/loader_iglu_error", "2-0-0", "2-0-1", "property-extension-changed",
     "failure[]"),  # supersededBy added inside an anyOf branch
    ("com.snowplowanalytics.snowplow/contexts", "1-0-0", "1-0-1", "event-extension-changed", None),  # root array
])
def test_a_change_import_cannot_carry_is_kept_and_diff_reports_it(cli: Callable[..., Run], tmp_path: Path,
                                                                   family: str, old: str, new: str, kind: str,
                                                                   where: str | None) -> None:
    """Real Iglu Central version pairs whose change is where the plan format cannot follow: import keeps the
    source's keywords under x-json-schema and says so; the two imports differ, and diff names the change (#25.10)."""
    vendor, name = family.split("/")
    folder = ROOT / "tests" / "data" / "corpora" / "iglu-sample" / "schemas" / vendor / name / "jsonschema"
    for version in (old, new):
        _, run = imported(cli, "jsonschema", folder / version, tmp_path / version)
        assert "kept as is under x-json-schema" in run.out
    run = cli("diff", str(tmp_path / old), str(tmp_path / new), "--format", "json")
    changes = [(c["kind"], c.get("property")) for c in run.json()["changes"]]
    assert changes == [(kind, where)], changes


@pytest.mark.parametrize(("fmt", "source"), [
    ("segment", "segment-public.json"), ("segment", "segment-config.json"), ("rudderstack", "rudderstack-v1"),
    ("rudderstack", "rudderstack-v0.1"), ("jsonschema", "jsonschema-iglu"), ("mparticle", "mparticle.json")])
def test_round_trip(cli: Callable[..., Run], tmp_path: Path, fmt: str, source: str) -> None:
    """import → export → import gives the same plan (mparticle, which has no export, goes through Segment)."""
    first, _ = imported(cli, fmt, FIXTURES / source, tmp_path / "first")
    back = "segment" if fmt == "mparticle" else fmt
    exported = tmp_path / ("export.json" if back == "segment" else "export")
    run = cli("export", back, str(tmp_path / "first"), "--out", str(exported))
    assert run.code == 0, run.err
    second, _ = imported(cli, back, exported, tmp_path / "second")
    assert diff_plans(first, second) == []
    assert set(first.events) == set(second.events)
    assert [(t.name, t.type, t.required) for t in first.traits] == [(t.name, t.type, t.required) for t in second.traits]


@pytest.mark.parametrize(("fmt", "source", "events"), [
    ("segment", "segment-typewriter/plan.json", 25),
    ("segment", "segment-typewriter/plan-v1.json", 24),
    ("rudderstack", "rudderstack-rudder-iac/typer-project", 4),
    ("rudderstack", "rudderstack-rudder-iac/create-v1", 1),  # and a page: pages["(unnamed)"]
    ("rudderstack", "rudderstack-rudder-iac/create-v0.1", 3),
    ("mparticle", "mparticle-smartype/freddy_s_plan-v1.json", 11)])  # and 3 screens
def test_public_corpora_import(cli: Callable[..., Run], tmp_path: Path, fmt: str, source: str, events: int) -> None:
    plan, _ = imported(cli, fmt, CORPORA / source, tmp_path / "p")
    assert len(plan.events) == events


@pytest.mark.parametrize(("fmt", "source"), [
    ("segment", "segment-typewriter/plan.json"), ("segment", "segment-typewriter/plan-v1.json"),
    ("rudderstack", "rudderstack-rudder-iac/typer-project"), ("mparticle", "mparticle-smartype/freddy_s_plan-v1.json"),
    ("jsonschema", "iglu-sample/schemas")])
def test_public_corpora_export_to_every_format(cli: Callable[..., Run], tmp_path: Path, fmt: str, source: str) -> None:
    """Every export of each imported corpus either writes its files or refuses with findings (exit 1) and writes
    nothing; never a bug. (The Segment corpus's names collide as JSON Schema file names: refused, with where.)"""
    imported(cli, fmt, CORPORA / source, tmp_path / "p")
    for target in ("segment", "rudderstack", "jsonschema"):
        out = tmp_path / f"out-{target}"
        run = cli("export", target, str(tmp_path / "p"), "--out", str(out))
        assert run.code in (0, 1), run.err
        assert "internal error" not in run.err and out.exists() == (run.code == 0)
        if run.code == 1:
            assert "both become the schema file name" in run.out and "Nothing was exported" in run.err
            assert "collisions=suffix" in run.err


TYPEWRITER_KOTLIN = {"package": "typewriter", "collisions": "suffix"}


@kotlin_case("typewriter")
def _typewriter_kotlin() -> dict[str, str]:
    """The Kotlin of Segment's typewriter edge-case plan, imported: compiled with every Kotlin case of the suite."""
    import tempfile

    from tracking_plan.importers import read
    from tracking_plan.importers.write import write_plan

    with tempfile.TemporaryDirectory() as folder:
        write_plan(read("segment", CORPORA / "segment-typewriter" / "plan.json"), Path(folder) / "plan")
        loaded = load_plan(str(Path(folder) / "plan"))
        assert loaded.plan is not None
        return generate_files(loaded.plan, "kotlin", TYPEWRITER_KOTLIN)


@pytest.mark.toolchain
def test_typewriter_edge_cases_compile_in_every_target(cli: Callable[..., Run], kotlin_classes: Path,
                                                       tmp_path: Path) -> None:
    plan_dir = tmp_path / "plan"
    imported(cli, "segment", CORPORA / "segment-typewriter" / "plan.json", plan_dir)
    refused = cli("generate", "typescript", str(plan_dir), "--out", str(tmp_path / "refused"))
    assert refused.code == 1 and "both become" in refused.out and not (tmp_path / "refused").exists()
    out = tmp_path / "out"
    for target in ("typescript", "python", "kotlin", "swift", "jsonschema"):
        package = ["-o", "package=typewriter"] if target == "kotlin" else []
        run = cli("generate", target, str(plan_dir), "--out", str(out / target), "-o", "collisions=suffix", *package)
        assert run.code == 0, run.out + run.err
    tsc = subprocess.run([tool("tsc"), *STRICTEST, "--noEmit", "tracking-plan.ts"], cwd=out / "typescript",
                         capture_output=True, text=True, timeout=300)
    assert tsc.returncode == 0, tsc.stdout
    typed = subprocess.run(mypy("--strict", "tracking.py"), cwd=out / "python", capture_output=True, text=True,
                           timeout=300)
    assert typed.returncode == 0, typed.stdout
    # The session's one kotlinc run compiled these very files, with warnings as errors.
    assert {p.name: p.read_text(encoding="utf-8") for p in (out / "kotlin").glob("*.kt")} == _typewriter_kotlin()
    assert (kotlin_classes / "typewriter").is_dir()
    assert all(_swift_errors(p.read_bytes()) == [] for p in (out / "swift").glob("*.swift"))
    assert len([p for p in (out / "jsonschema").iterdir() if not p.name.startswith(".")]) == 26


def test_import_errors(cli: Callable[..., Run], tmp_path: Path) -> None:
    missing = cli("import", "segment", str(tmp_path / "nope.json"), "--out", str(tmp_path / "p"))
    assert missing.code == 2 and "does not exist" in missing.err
    (tmp_path / "bad.json").write_text("{not json")
    bad = cli("import", "segment", str(tmp_path / "bad.json"), "--out", str(tmp_path / "p"))
    assert bad.code == 2 and "Cannot read" in bad.err and "Traceback" not in bad.err
    (tmp_path / "other.json").write_text('{"hello": 1}')
    other = cli("import", "segment", str(tmp_path / "other.json"), "--out", str(tmp_path / "p"))
    assert other.code == 2 and "no 'rules'" in other.err
    shutil.copytree(ROOT / "plans", tmp_path / "existing")
    overwrite = cli("import", "segment", str(FIXTURES / "segment-public.json"), "--out", str(tmp_path / "existing"))
    assert overwrite.code == 2 and "never overwrites" in overwrite.err


def test_export_formats(cli: Callable[..., Run], tmp_path: Path) -> None:
    segment = cli("export", "segment", str(ROOT / "plans"))
    assert segment.code == 0
    document = segment.json()
    assert document["id"] == "refurb-market" and len([r for r in document["rules"] if r["type"] == "TRACK"]) == 31
    order = next(r for r in document["rules"] if r["key"] == "Order Completed")
    assert order["jsonSchema"]["properties"]["properties"]["required"][:2] == ["order_id", "revenue"]
    assert cli("export", "rudderstack", str(ROOT / "plans"), "--out", str(tmp_path / "rs")).code == 0
    assert sorted(p.name for p in (tmp_path / "rs").iterdir()) == ["events.yaml", "properties.yaml",
                                                                 "tracking-plan.yaml"]
    assert cli("export", "jsonschema", str(ROOT / "plans"), "--out", str(tmp_path / "js")).code == 0
    assert len(list((tmp_path / "js").iterdir())) == 36  # 31 events, 2 pages, a screen, group and identify
    several = cli("export", "rudderstack", str(ROOT / "plans"))
    assert several.code == 2 and "--out" in several.err


def _object_nodes(schema: object, path: str = "") -> dict[str, object]:
    """Every object schema at any depth, by path, with its effective additionalProperties (JSON Schema's default
    is open)."""
    found: dict[str, object] = {}
    if isinstance(schema, dict):
        if "properties" in schema or schema.get("type") == "object":
            found[path] = schema.get("additionalProperties", True)
        for key, value in schema.items():
            if key in ("properties", "definitions", "$defs") and isinstance(value, dict):
                for name, sub in value.items():
                    found.update(_object_nodes(sub, f"{path}.{name}"))
            elif key == "items":
                found.update(_object_nodes(value, path + "[]"))
    return found


def test_segment_shapes_keep_their_meaning(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Open stays open, closed stays closed, any stays any, local $refs are resolved, dictionaries keep their
    value schema, and every keyword left out is listed with where it was."""
    plan, run = imported(cli, "segment", FIXTURES / "segment-shapes.json", tmp_path / "p")
    assert plan.id == "shapes"
    opened, closed = plan.events["Open Event"], plan.events["Closed Event"]
    assert opened.additional_properties and not closed.additional_properties
    props = {p.name: p for p in opened.properties}
    assert props["anything"].type == () and [p.name for p in props["anything"].properties] == ["id"]
    # `{enum: [a, b]}` takes a or b, not null: the enum values' type says so (a plan's any with an enum takes null)
    assert props["untyped"].type == () and props["kind"].type == ("string",) and props["kind"].enum == ("a", "b")
    assert props["nested_open"].additional_properties and not props["nested_closed"].additional_properties
    assert props["bare_object"].additional_properties
    assert props["labels"].values is not None and props["labels"].values.type == ("string",)
    assert props["by_locale"].values is not None
    assert [(p.name, p.required) for p in props["address"].properties] == [("city", True)]
    assert not props["address"].additional_properties
    assert props["fieldMapping"].values is not None  # keys are data: detected as a dictionary
    assert props["fieldMapping"].values.type == ()  # and as open as it was: other labels take any value (#25.4)
    assert "anyOf" in run.out and "patternProperties key pattern" in run.out and "Closed Event" in run.out


@pytest.mark.parametrize("source", [FIXTURES / "segment-shapes.json", CORPORA / "segment-typewriter" / "plan.json"])
def test_segment_export_keeps_open_and_closed(cli: Callable[..., Run], tmp_path: Path, source: Path) -> None:
    """A real Segment plan imported and exported comes back with the same open and closed schemas at every depth,
    and import → export → import is an empty diff."""
    import json

    first, _ = imported(cli, "segment", source, tmp_path / "first")
    run = cli("export", "segment", str(tmp_path / "first"), "--out", str(tmp_path / "export.json"))
    assert run.code == 0, run.err
    original = json.loads(source.read_text(encoding="utf-8"))
    original_rules = (original.get("data") or original)["rules"]
    exported = {r["key"]: r for r in json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))["rules"]}
    for rule in original_rules:
        if rule.get("type", "TRACK") != "TRACK":
            continue
        body = rule["jsonSchema"].get("properties", {}).get("properties") or rule["jsonSchema"]
        before = _object_nodes(body)
        after = _object_nodes(exported[rule["key"]]["jsonSchema"]["properties"]["properties"])
        for path, extra in before.items():
            want = extra if isinstance(extra, bool) else True
            got = after.get(path, True)
            assert (got if isinstance(got, bool) else True) == want, (rule["key"], path)
    second, _ = imported(cli, "segment", tmp_path / "export.json", tmp_path / "second")
    assert diff_plans(first, second) == []


@pytest.mark.toolchain
def test_a_whole_iglu_registry_imports_without_collisions_and_generates(cli: Callable[..., Run],
                                                                        tmp_path: Path) -> None:
    """Every schema family of the Iglu sample (30 vendors' names, some alike) imports as vendor/name, loads without
    a duplicate definition, and generates code that compiles."""
    plan, _ = imported(cli, "jsonschema", CORPORA / "iglu-sample" / "schemas", tmp_path / "plan")
    assert len(plan.events) == 30 and all("/" in name for name in plan.events)
    run = cli("generate", "typescript", str(tmp_path / "plan"), "--out", str(tmp_path / "ts"))
    assert run.code == 0, run.out + run.err
    tsc = subprocess.run([tool("tsc"), *STRICTEST, "--noEmit", "tracking-plan.ts"], cwd=tmp_path / "ts",
                         capture_output=True, text=True, timeout=300)
    assert tsc.returncode == 0, tsc.stdout


@pytest.mark.parametrize(("fmt", "out"), [("jsonschema", "schemas"), ("segment", "segment.json")])
def test_export_then_import_gives_the_plan_back(cli: Callable[..., Run], tmp_path: Path, fmt: str, out: str) -> None:
    """The tool's own exports carry what the plan says beyond payloads (`x-pii`, `x-tracking-plan`: owner, status,
    trigger, platforms, destinations, replaced_by; the plan's version, global properties and personal-data
    destinations), and import reads them back: the re-imported example plan lints clean and diff finds nothing
    (#27.3; it found 186 breaking changes)."""
    run = cli("export", fmt, str(EXAMPLE_PLAN), "--out", str(tmp_path / out))
    assert run.code == 0, run.err
    run = cli("import", fmt, str(tmp_path / out), "--out", str(tmp_path / "back"))
    assert run.code == 0, run.err
    assert "Not carried over" not in run.out, run.out
    lint = cli("lint", str(tmp_path / "back"), "--format", "json")
    assert lint.code == 0 and lint.json()["diagnostics"] == [], lint.out
    diff = cli("diff", str(EXAMPLE_PLAN), str(tmp_path / "back"), "--format", "json")
    assert diff.json()["changes"] == []


def test_rudderstack_group_page_and_screen_rules_are_kept(cli: Callable[..., Run], tmp_path: Path) -> None:
    """A RudderStack project whose rules cover group, page and screen events: group traits become group:, the
    page and screen rules pages: and screens: (unnamed, as RudderStack's page events have no name), identify's
    traits stay traits:. The plan they make loads and judges those calls."""
    project = tmp_path / "project"
    shutil.copytree(CORPORA / "rudderstack-rudder-iac" / "typer-project", project)
    rules = "".join(
        f'    - type: "event_rule"\n      id: "{event}_rule"\n      event:\n'
        f'        $ref: "#/events/typer-test/{event}"\n        allow_unplanned: false\n      properties:\n'
        f'        - $ref: "#/properties/typer-test/{prop}"\n          required: true\n'
        for event, prop in (("some_group_event", "some-string"), ("some_page_event", "some-integer"),
                            ("some_screen_event", "some-number"), ("some_identify_event", "some-string")))
    plan_file = project / "tracking-plan.yaml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("  rules:\n", "  rules:\n" + rules, 1),
                         encoding="utf-8")
    plan, run = imported(cli, "rudderstack", project, tmp_path / "plan")
    assert "group event" not in run.out and "page event" not in run.out
    exported = cli("export", "rudderstack", str(tmp_path / "plan"), "--out", str(tmp_path / "again-project"))
    assert exported.code == 0, exported.err
    again, _ = imported(cli, "rudderstack", tmp_path / "again-project", tmp_path / "again")
    assert (list(again.pages), list(again.screens), [p.name for p in again.group_traits]) == (
        ["(unnamed)"], ["(unnamed)"], ["someString"])
    assert cli("diff", str(tmp_path / "plan"), str(tmp_path / "again"), "--format", "json").json()["changes"] == []
    assert [p.name for p in plan.group_traits] == ["someString"] and plan.group_traits[0].required
    assert [p.name for p in plan.traits] == ["someString"]
    assert list(plan.pages) == ["(unnamed)"] and [p.name for p in plan.pages["(unnamed)"].properties] == ["someInteger"]
    assert list(plan.screens) == ["(unnamed)"]
    from tracking_plan.conformance.checker import Checker

    checker = Checker(plan)
    assert [f.check for f in checker.check("group", "group", None, None, {}).findings] == ["missing-trait"]
    assert [f.check for f in checker.check("page", "page (unnamed)", None, {"someInteger": "x"}).findings] == [
        "wrong-type"]


def test_segment_group_page_and_screen_rules_are_kept(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Segment's Public API export: GROUP rules become group traits, PAGE and SCREEN rules pages and screens by
    their key (an empty key: the calls without a name); `export segment` writes them back as such rules, and
    importing that gives the same pages, screens and group traits."""
    def rule(kind: str, key: str, envelope: str, prop: str) -> dict[str, Any]:
        return {"type": kind, "key": key, "version": 1, "jsonSchema": {"type": "object", "properties": {
            envelope: {"type": "object", "properties": {prop: {"type": "string"}}, "required": [prop]}}}}

    source = tmp_path / "plan.json"
    source.write_text(json.dumps({"name": "web", "rules": [
        rule("TRACK", "Order Completed", "properties", "order_id"), rule("GROUP", "", "traits", "company"),
        rule("PAGE", "Home", "properties", "section"), rule("PAGE", "", "properties", "path"),
        rule("SCREEN", "Cart", "properties", "items")]}), encoding="utf-8")
    plan, run = imported(cli, "segment", source, tmp_path / "plan")
    assert "Not carried over" not in run.out, run.out
    assert [(p.name, p.required) for p in plan.group_traits] == [("company", True)]
    assert list(plan.pages) == ["Home", "(unnamed)"] and list(plan.screens) == ["Cart"]
    assert [(p.name, p.required) for p in plan.pages["Home"].properties] == [("section", True)]
    exported = cli("export", "segment", str(tmp_path / "plan"), "--out", str(tmp_path / "again.json"))
    assert exported.code == 0, exported.err
    again, _ = imported(cli, "segment", tmp_path / "again.json", tmp_path / "again")
    assert (list(again.pages), list(again.screens)) == (list(plan.pages), list(plan.screens))
    assert [(p.name, p.required, p.type) for p in again.group_traits] == \
        [(p.name, p.required, p.type) for p in plan.group_traits]
    assert [(p.name, p.required) for p in again.pages["Home"].properties] == [("section", True)]
