"""The loader on real files: the example plan, encodings, anchors, size limits."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE_PLAN
from tracking_plan.core.discover import load_plan
from tracking_plan.core.yamlsource import MAX_FILE_BYTES


def write_plan(root: Path, files: dict[str, bytes | str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return root


ROOT = "plan: t\nversion: 1.0.0\nsquads: {core: {}}\n"


def test_issue_example_loads_exactly_as_written() -> None:
    result = load_plan(str(EXAMPLE_PLAN))
    assert result.diagnostics == ()
    plan = result.plan
    assert plan is not None
    assert plan.id == "refurb-market" and plan.version == "1.0.0" and plan.title == "Refurbished marketplace"
    assert plan.conventions.events == "title_case" and plan.conventions.properties == "snake_case"
    assert plan.squads["checkout"].description == "Cart, payment and order confirmation"
    assert plan.squads["checkout"].contact == "#squad-checkout"
    assert plan.platforms == ("web", "ios", "android", "backend")
    assert plan.destinations == ("amplitude", "ga4", "bigquery")
    assert plan.library["price"].description == "Amount taxes included, in the order currency."
    assert plan.library["price"].constraints.minimum == 0
    assert plan.library["currency"].enum == ("EUR", "USD", "GBP")

    order = plan.events["Order Completed"]
    assert order.owner == "checkout" and order.status == "active" and order.platforms == ("backend",)
    assert order.destinations == ("amplitude", "bigquery")
    props = {p.name: p for p in order.properties}
    assert props["order_id"].type == ("string",) and props["order_id"].required
    assert props["order_id"].ref == "order_id"
    assert props["revenue"].ref == "price" and props["revenue"].type == ("number",) and props["revenue"].required
    assert props["revenue"].description == "Amount taxes included, in the order currency."
    assert props["currency"].enum == ("EUR", "USD", "GBP") and props["currency"].required
    assert props["coupon_code"].ref is None and not props["coupon_code"].required
    products = props["products"]
    assert products.type == ("array",) and products.items is not None
    assert products.items.type == ("object",)
    nested = {p.name: p for p in products.items.properties}
    assert nested["product_id"].required and nested["product_id"].ref is None
    assert nested["price"].ref == "price" and nested["price"].required


def test_example_plan_size() -> None:
    plan = load_plan(str(EXAMPLE_PLAN)).plan
    assert plan is not None
    assert len(plan.squads) >= 4 and len(plan.events) >= 25
    assert plan.traits and plan.global_properties and len(plan.library) >= 10


def test_every_node_keeps_its_location() -> None:
    plan = load_plan(str(EXAMPLE_PLAN)).plan
    assert plan is not None
    order = plan.events["Order Completed"]
    assert order.location.file.endswith("events/checkout/order.yaml") and order.location.column == 3
    assert order.where("owner").line == order.location.line + 3
    revenue = order.property("revenue")
    assert revenue is not None
    # Written here: the ref; inherited from the library: the description.
    assert revenue.where("ref").file.endswith("events/checkout/order.yaml")
    assert revenue.where("description").file.endswith("properties/commerce.yaml")


def test_bom_and_crlf(tmp_path: Path) -> None:
    event = "events:\r\n  Order Completed:\r\n    description: Done.\r\n    owner: core\r\n"
    write_plan(tmp_path, {"tracking-plan.yaml": b"\xef\xbb\xbf" + ROOT.replace("\n", "\r\n").encode(),
                          "events/a.yaml": b"\xef\xbb\xbf" + event.encode()})
    result = load_plan(str(tmp_path))
    assert result.diagnostics == ()
    assert result.plan is not None
    event_node = result.plan.events["Order Completed"]
    assert event_node.description == "Done." and event_node.where("owner").line == 4


def test_anchors_aliases_and_merge_keys(tmp_path: Path) -> None:
    write_plan(tmp_path, {"tracking-plan.yaml": ROOT, "events/a.yaml": """\
x-common: &common
  order_id: {type: string, required: true, description: Order.}
  channel: {type: string, description: Channel.}
x-owner: &owner core
events:
  Order Completed:
    owner: *owner
    properties:
      <<: *common
      channel: {type: string, enum: [web, app], description: Overridden.}
  Order Refunded:
    owner: *owner
    properties: *common
"""})
    result = load_plan(str(tmp_path))
    assert result.diagnostics == ()
    assert result.plan is not None
    completed = result.plan.events["Order Completed"]
    assert [p.name for p in completed.properties] == ["order_id", "channel"]
    assert completed.property("channel").enum == ("web", "app")  # type: ignore[union-attr]
    assert result.plan.events["Order Refunded"].owner == "core"
    assert result.plan.events["Order Refunded"].property("order_id").required  # type: ignore[union-attr]


def test_names_keep_their_text(tmp_path: Path) -> None:
    """YAML 1.1 reads `on`, `no`, `1.0` as booleans and numbers; names stay the text written."""
    write_plan(tmp_path, {"tracking-plan.yaml": ROOT, "events/a.yaml": """\
events:
  No:
    properties:
      on: {type: boolean}
      1.0: {type: string}
"""})
    result = load_plan(str(tmp_path))
    assert result.diagnostics == ()
    assert result.plan is not None
    assert [p.name for p in result.plan.events["No"].properties] == ["on", "1.0"]


def test_file_too_large_is_refused_quickly(tmp_path: Path) -> None:
    big = "events:\n" + "".join(f"  Event {i}: {{description: {'x' * 80}}}\n" for i in range(100_000))
    assert len(big) > MAX_FILE_BYTES
    write_plan(tmp_path, {"tracking-plan.yaml": ROOT, "events/big.yaml": big})
    start = time.perf_counter()
    result = load_plan(str(tmp_path))
    assert time.perf_counter() - start < 1.0
    [diagnostic] = result.diagnostics
    assert diagnostic.rule == "file-too-large" and diagnostic.location is not None
    assert diagnostic.location.file.endswith("events/big.yaml") and diagnostic.location.line == 1


def test_alias_bomb_is_refused_quickly() -> None:
    case = Path(__file__).parent / "cases" / "loader" / "alias-bomb" / "plan"
    start = time.perf_counter()
    result = load_plan(str(case))
    assert time.perf_counter() - start < 1.0
    assert [d.rule for d in result.diagnostics] == ["alias-bomb"]


def test_unreadable_file_is_a_diagnostic(tmp_path: Path) -> None:
    """A file name that is a dangling link cannot be read: a finding at the file, not a crash."""
    write_plan(tmp_path, {"tracking-plan.yaml": ROOT})
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    result = load_plan(str(tmp_path))
    assert [d.rule for d in result.diagnostics] == ["unreadable-file"]
    assert "broken link" in result.diagnostics[0].message


def test_only_regular_files_inside_the_plan_are_read(tmp_path: Path) -> None:
    """A link out of the plan, a link to a device and a FIFO are refused as findings; their content is never
    read, so never shown; nothing hangs."""
    import os
    import subprocess
    import sys

    plan = tmp_path / "plan"
    write_plan(plan, {"tracking-plan.yaml": ROOT})
    secret = tmp_path / "secret.yaml"
    secret.write_text("events:\n  TOP SECRET LINE: {}\n")
    (plan / "events").mkdir()
    (plan / "events" / "leak.yaml").symlink_to(secret)
    (plan / "events" / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(plan / "events" / "fifo.yaml")
    (plan / "inside.yaml").write_text("events:\n  Fine Event: {}\n")
    (plan / "events" / "link-inside.yaml").symlink_to(plan / "inside.yaml")
    for output in ("text", "github", "json", "sarif"):
        proc = subprocess.run([sys.executable, "-m", "tracking_plan", "lint", str(plan), "--format", output],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1, proc.stderr
        assert "TOP SECRET" not in proc.stdout + proc.stderr
    result = load_plan(str(plan))
    refused = sorted(d.location.file.rsplit("/", 1)[-1] for d in result.diagnostics
                     if d.rule == "unreadable-file" and d.location)
    assert refused == ["fifo.yaml", "leak.yaml", "zero.yaml"]
    assert result.plan is not None and "Fine Event" in result.plan.events


def test_hidden_folders_are_skipped(tmp_path: Path) -> None:
    write_plan(tmp_path, {"tracking-plan.yaml": ROOT, ".github/workflows/ci.yaml": "on: push\n",
                          "node_modules/x/a.yml": "nope: 1\n", "events/a.yml": "events: {A B: {}}\n"})
    result = load_plan(str(tmp_path))
    assert result.diagnostics == ()
    assert result.plan is not None and list(result.plan.events) == ["A B"]


def test_invalid_key_and_merge(tmp_path: Path) -> None:
    write_plan(tmp_path, {"tracking-plan.yaml": ROOT, "events/a.yaml": """\
events:
  ? [a, b]
  : {}
  Order Completed:
    <<: [1, 2]
"""})
    rules = sorted(d.rule for d in load_plan(str(tmp_path)).diagnostics)
    assert rules == ["invalid-key", "invalid-merge", "invalid-merge"]


def test_empty_names(tmp_path: Path) -> None:
    write_plan(tmp_path, {"tracking-plan.yaml": ROOT, "events/a.yaml": 'events:\n  "": {}\n'})
    assert [d.rule for d in load_plan(str(tmp_path)).diagnostics] == ["invalid-name"]


@pytest.mark.parametrize(("name", "events", "message"), [
    ("enum items that are lists or maps", "A:\n    properties:\n      x: {type: string, enum: [[1], {a: 1}]}",
     "An enum value must be text"),
    ("tags that do not convert", "A:\n    properties:\n      x: {type: string, enum: [!!int x, !!float '', !!bool x]}",
     "cannot be read as"),
    ("an integer over 4,300 digits", "A:\n    properties:\n      x: {type: integer, minimum: " + "9" * 5000 + "}",
     "more than 4,300 digits"),
    (".nan and .inf", "A:\n    properties:\n      x: {type: number, minimum: .nan, maximum: .inf, enum: [.nan]}",
     "not a finite number"),
    ("an enum value of another type", "A:\n    properties:\n      x: {type: number, enum: ['', 0]}",
     "is of type number, but its enum lists ''"),
    ("nesting past the limit", "A:\n    properties:\n" + "".join(
        "  " * (3 + 2 * i) + f"p{i}:\n" + "  " * (4 + 2 * i) + "type: object\n" + "  " * (4 + 2 * i) + "properties:\n"
        for i in range(70)) + "  " * 144 + "leaf: {type: string}", "more than 64 levels deep"),
])
def test_plan_content_never_crashes_the_loader(tmp_path: Path, name: str, events: str, message: str) -> None:
    write_plan(tmp_path, {"tracking-plan.yaml": ROOT, "events/a.yaml": "events:\n  " + events + "\n"})
    result = load_plan(str(tmp_path))
    assert any(message in d.message for d in result.diagnostics), [d.message for d in result.diagnostics]


def test_a_library_ref_chain_is_bounded(tmp_path: Path) -> None:
    library = "properties:\n" + "".join(f"  p{i}: {{ref: p{i + 1}}}\n" for i in range(400)) + \
        "  p400: {type: string}\n"
    write_plan(tmp_path, {"tracking-plan.yaml": ROOT, "properties/lib.yaml": library,
                          "events/a.yaml": "events:\n  A: {properties: {p0: {}}}\n"})
    result = load_plan(str(tmp_path))
    assert any("more than 64 levels deep" in d.message for d in result.diagnostics)


def test_one_long_list_is_not_an_alias_bomb(tmp_path: Path) -> None:
    tags = ", ".join(f"t{i}" for i in range(150_000))
    write_plan(tmp_path, {"tracking-plan.yaml": ROOT, "events/a.yaml": f"events:\n  A: {{tags: [{tags}]}}\n"})
    result = load_plan(str(tmp_path))
    assert [d.rule for d in result.diagnostics] == [] and result.plan is not None
    assert len(result.plan.events["A"].tags) == 150_000


def test_text_with_a_final_newline_is_not_a_plan_id(tmp_path: Path) -> None:
    write_plan(tmp_path, {"tracking-plan.yaml": 'plan: "small\\n"\nversion: "0.1.0\\n"\n'})
    result = load_plan(str(tmp_path))
    assert sorted(d.rule for d in result.diagnostics) == ["invalid-value", "invalid-value"]


def test_a_parsed_file_handed_over_by_the_worker_is_the_same_value() -> None:
    """The parallel parse hands files over as plain tuples (encode/decode): same values, same positions."""
    from tracking_plan.core.yamlsource import YList, YMap, decode, encode, read_yaml_file

    def same(a: object, b: object) -> None:
        assert type(a) is type(b) and a == b
        if isinstance(a, YMap) and isinstance(b, YMap):
            assert (a.pos.line, a.pos.column) == (b.pos.line, b.pos.column)
            for key in a:
                assert (a.key_pos[key].line, a.key_pos[key].column) == (b.key_pos[key].line, b.key_pos[key].column)
                assert (a.value_pos[key].line, a.value_pos[key].column) == \
                    (b.value_pos[key].line, b.value_pos[key].column)
                same(a[key], b[key])
        if isinstance(a, YList) and isinstance(b, YList):
            assert [(p.line, p.column) for p in a.item_pos] == [(p.line, p.column) for p in b.item_pos]
            for x, y in zip(a, b, strict=True):
                same(x, y)

    files = sorted(EXAMPLE_PLAN.rglob("*.yaml"))
    assert len(files) > 5
    for path in files:
        value, _ = read_yaml_file(path, str(path), EXAMPLE_PLAN)
        same(decode(encode(value)), value)


_SHARD_FILES = {
    "events/dupes.yaml": "events:\n  Order Completed:\n    owner: checkout\n  '':\n    owner: checkout\n",
    "events/zz_bad.yaml": "events:\n  Bad Thing:\n    owner: nobody\n    properties:\n      x: {type: strin}\n"
                          "      y: {ref: no_such_property}\n      amount: {required: true}\n",
    "events/zz_broken.yaml": "events:\n  Broken: [\n",
    "events/zz_mixed.yaml": "events:\n  Mixed Event:\n    owner: checkout\n    properties:\n      extra_id: {}\n"
                            "properties:\n  extra_id: {type: string, description: An id.}\n",
    "events/zz_flow.yaml": "{events: {Flow Event: {owner: checkout, properties: {flow_id: {}}}},"
                           " properties: {flow_id: {type: integer}}}\n",
    "events/zz_annotated.yaml": "events:\n  Annotated Event:\n    owner: checkout\n    x-jira: SHOP-1\n"
                                "    properties:\n      note: {type: string, x-json-schema: {not: {const: a}}}\n",
}


def _plain(value: Any) -> Any:
    """A built node as plain data, read through the model's own public surface — not through the shard codec the
    sharded load uses, which a comparison through it could not catch: every field, and where each key the plan
    format knows was written (`FieldLocations.get`)."""
    from tracking_plan.core.model import FieldLocations
    from tracking_plan.core.schema import shapes

    if isinstance(value, FieldLocations):
        names = sorted({*shapes()["property"].keys, *shapes()["event"].keys})
        return tuple((name, value.get(name), value.written_here(name)) for name in names)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return (type(value).__name__, *(_plain(v) for v in value))
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, frozenset):
        return tuple(sorted(value))
    if isinstance(value, dict):
        return tuple((k, _plain(v)) for k, v in sorted(value.items()))
    return value


def _plan_facts(loaded: Any) -> Any:
    plan = loaded.plan
    return (loaded.diagnostics, plan.files, [_plain(e) for e in plan.events.values()],
            [_plain(p) for p in plan.library.values()], [_plain(p) for p in plan.traits])


@pytest.mark.parametrize("share", [0.0, 0.2, 0.4, 0.6, 0.9])
@pytest.mark.parametrize("tricky", [False, True])
def test_a_plan_loaded_on_two_cores_is_the_one_process_plan(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                           share: float, tricky: bool) -> None:
    """The sharded load (shard.py), forced on with the worker taking none to nine tenths of the files: the
    same events, library, traits, files and findings as in one process, with duplicate and empty names across the
    halves, events that do not build, a file that does not parse, files defining events and library properties,
    one in flow style; and (tricky) a library key the look-ahead cannot see, where it falls back to one process."""
    import shutil

    from tracking_plan.core import discover, shard

    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE_PLAN, plan)
    for name, text in _SHARD_FILES.items():
        (plan / name).write_text(text)
    if tricky:
        (plan / "events" / "zz_tricky.yaml").write_text("? properties\n: {tricky_id: {type: string}}\n")
    monkeypatch.setenv("TRACKING_PLAN_JOBS", "1")
    alone = load_plan(str(plan))
    monkeypatch.setenv("TRACKING_PLAN_JOBS", "2")
    monkeypatch.setattr(discover, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(shard, "WORKER_SHARE", share)
    calls = []
    original = shard.load_sharded
    monkeypatch.setattr(shard, "load_sharded", lambda *a: calls.append(original(*a)) or calls[-1])
    sharded = load_plan(str(plan))
    # Without the tricky file the two processes share the work; with it, when this process parses it (always at
    # share 0), the look-ahead has not told the worker about it, and the load falls back to one process.
    assert calls and (calls[0] is not None if not tricky else share > 0.0 or calls[0] is None)
    assert _plan_facts(sharded) == _plan_facts(alone)
    assert len(alone.diagnostics) >= 4 and "Bad Thing" in sharded.plan.events  # type: ignore[union-attr]


def test_the_look_ahead_reads_only_what_the_parse_would(tmp_path: Path) -> None:
    """The sharded load's look-ahead for library files reads a file only as the parse does: a FIFO or a link out of
    the plan is never opened for reading (it would block, or read outside the plan); it counts as a library."""
    import os
    import threading

    from tracking_plan.core.shard import _looks_like_library

    plan = tmp_path / "plan"
    plan.mkdir()
    os.mkfifo(plan / "pipe.yaml")
    outside = tmp_path / "outside.yaml"
    outside.write_text("events: {}\n")
    (plan / "link.yaml").symlink_to(outside)
    (plan / "events.yaml").write_text("events:\n  A: {}\n")
    answers: list[bool] = []
    reader = threading.Thread(target=lambda: answers.extend(
        _looks_like_library(plan / name, plan) for name in ("pipe.yaml", "link.yaml", "events.yaml")), daemon=True)
    reader.start()
    reader.join(10)
    assert answers == [True, True, False]


def test_a_second_load_frees_what_earlier_work_left() -> None:
    """The first load freezes what is alive (gc_paused): a later one in the same process (the collector on
    --watch) first collects the cycles left since, instead of freezing them for good."""
    import gc
    import weakref

    class Node:
        pass

    try:
        load_plan(str(EXAMPLE_PLAN))
        cycle = Node()
        cycle.self = cycle  # type: ignore[attr-defined]
        left = weakref.ref(cycle)
        del cycle
        load_plan(str(EXAMPLE_PLAN))
        assert left() is None
    finally:
        gc.unfreeze()


def test_a_command_run_in_process_leaves_nothing_frozen(cli: Any) -> None:
    import gc

    gc.unfreeze()
    assert cli("lint", str(EXAMPLE_PLAN)).code in (0, 1)
    assert gc.get_freeze_count() == 0


def test_generate_and_status_sections_are_checked_with_the_plan(tmp_path: Path) -> None:
    """A bad `generate:` or `status:` section is a finding at its line when the plan loads (so lint reports it),
    not an error only `generate` or `status` meets later (#28); the schema's targets are generate's."""
    import json
    import shutil

    from tracking_plan.generate import TARGET_MODULES

    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE_PLAN, plan)
    root = plan / "tracking-plan.yaml"
    root.write_text(root.read_text(encoding="utf-8") + "generate:\n  - {target: typescrpt, out: ../web}\n"
                    "  - {target: python, outt: x}\nstatus:\n  platfroms: {web: ../web}\n", encoding="utf-8")
    found = [(d.rule, d.location.line if d.location else None) for d in load_plan(str(plan)).diagnostics]
    lines = len(root.read_text(encoding="utf-8").splitlines())
    assert found == [("invalid-value", lines - 3), ("missing-key", lines - 2), ("unknown-key", lines - 2),
                     ("unknown-key", lines)], found
    schema = json.loads((EXAMPLE_PLAN.parent / "tracking_plan" / "schemas" / "plan.schema.json").read_text(
        encoding="utf-8"))
    assert tuple(schema["$defs"]["generateJob"]["properties"]["target"]["enum"]) == TARGET_MODULES
