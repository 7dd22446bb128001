"""Property-based robustness: generated plans and mutated inputs through every command.

What must hold for any input:
- every command ends with exit code 0, 1 or 2 — never 3 (an internal error) and never a traceback;
- what it writes is valid: JSON parses, and every target's generated code parses in its own language
  (TypeScript, Kotlin and Swift with their tree-sitter grammars, Python with CPython's own parser);
- nothing is written outside --out, and the plan itself is never modified.

The default profile runs in seconds inside `pytest`. `HYPOTHESIS_PROFILE=fuzz pytest tests/test_fuzz.py` runs the
long campaign (see README, "Guarantees"); its examples are kept in .hypothesis/ so a failure replays.
"""

from __future__ import annotations

import ast
import json
import os
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import CASES, EXAMPLE_PLAN, ROOT, Run
from tracking_plan.core.discover import load_plan
from tracking_plan.generate import CodegenError, generate_files

settings.register_profile("default", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=4000, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# -- strategies ---------------------------------------------------------------------------------------------------

# Text that breaks naive code generators: quotes, backslashes, comment ends, interpolation, line breaks, emoji.
HOSTILE = ['"', "'", "\\", '"""', "*/", "/*", "${x}", "$x", "\\(x)", "\n", "\r", "\t", "🎉", "é", "`", "#", "--",
           "class", "default", "in", "fun", "1", " ", "_", "-", ".", "{", "}", "<", ">", "&", "\x00", "\u2028"]
words = st.text(alphabet=string.ascii_letters + string.digits + " _-", min_size=1, max_size=12)
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), words), min_size=1, max_size=5).map("".join)
names = st.one_of(words, hostile_text).filter(lambda s: s.strip() != "" and "\x00" not in s)
texts = st.one_of(st.none(), hostile_text, st.text(max_size=40))
scalars = st.one_of(st.text(max_size=10), st.integers(-10**6, 10**6), st.booleans(), st.none(),
                    st.floats(allow_nan=False, allow_infinity=False, width=32))
TYPES = ["string", "number", "integer", "boolean", "object", "array", "null", "any"]


def properties(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(names, prop(depth), max_size=4)


@st.composite
def prop(draw: st.DrawFn, depth: int) -> dict[str, Any]:
    kind = draw(st.one_of(st.sampled_from(TYPES), st.lists(st.sampled_from(TYPES[:7]), min_size=1, max_size=3,
                                                           unique=True)))
    result: dict[str, Any] = {"type": kind}
    if draw(st.booleans()):
        result["required"] = True
    description = draw(texts)
    if description:
        result["description"] = description
    kinds = [kind] if isinstance(kind, str) else kind
    by_kind = {"string": st.one_of(hostile_text, st.text(max_size=10)), "integer": st.integers(-10**6, 10**6),
               "number": st.floats(allow_nan=False, allow_infinity=False, width=32), "boolean": st.booleans(),
               "null": st.none(), "any": scalars}
    allowed = [by_kind[k] for k in kinds if k in by_kind]
    if allowed and draw(st.integers(0, 3)) == 0:
        result["enum"] = draw(st.lists(st.one_of(*allowed), min_size=1, max_size=4))
    if draw(st.integers(0, 4)) == 0:
        result["pii"] = True
    if ("number" in kinds or "integer" in kinds) and draw(st.booleans()):
        result["minimum"] = draw(st.integers(-100, 100))
    if "string" in kinds and draw(st.integers(0, 3)) == 0:
        result["maxLength"] = draw(st.integers(0, 100))
    if depth < 3 and ("object" in kinds or "any" in kinds) and draw(st.booleans()):
        result["properties"] = draw(properties(depth + 1))
        if draw(st.integers(0, 3)) == 0:
            result["additional_properties"] = draw(st.one_of(st.booleans(), st.just({"type": "string"})))
    if depth < 3 and "array" in kinds and draw(st.booleans()):
        result["items"] = draw(prop(depth + 1))
    return result


@st.composite
def plans(draw: st.DrawFn) -> dict[str, str]:
    """A plan directory (file name → text) that is well formed, with hostile names and texts everywhere."""
    root: dict[str, Any] = {"plan": "fuzz", "version": "1.0.0", "squads": {"core": {}},
                            "platforms": ["web"], "destinations": ["amplitude"], "pii_destinations": ["amplitude"]}
    globals_ = draw(properties(1))
    if globals_:
        root["global_properties"] = globals_
    traits = draw(properties(1))
    if traits:
        root["traits"] = traits
    events: dict[str, Any] = {}
    for name in draw(st.lists(names, min_size=1, max_size=5, unique=True)):
        event: dict[str, Any] = {"owner": "core"}
        for key in ("description", "trigger"):
            value = draw(texts)
            if value:
                event[key] = value
        if draw(st.integers(0, 4)) == 0:
            event["status"] = "deprecated"
            event["replaced_by"] = draw(st.sampled_from([*events, name]) if events else st.just(name))
        event["properties"] = draw(properties(0))
        if draw(st.integers(0, 3)) == 0:
            event["additional_properties"] = True
        events[name] = event
    metrics: dict[str, Any] = {}
    for name in draw(st.lists(names, max_size=3, unique=True)):  # metrics over the events, hostile names too
        event_name = draw(st.sampled_from(sorted(events)))
        props = list(events[event_name]["properties"])
        kind = draw(st.sampled_from(["count", "unique_users", "sum", "average", "conversion"]))
        metric: dict[str, Any] = {"type": kind, "objective": "goal"}
        if kind == "conversion":
            metric["steps"] = draw(st.lists(st.sampled_from(sorted(events)), min_size=2, max_size=3))
            metric["window"] = draw(st.sampled_from(["7d", "12h", "30m"]))
        else:
            metric["event"] = event_name
            if kind in ("sum", "average") and props:
                metric["property"] = draw(st.sampled_from(props))
            if props and draw(st.booleans()):
                metric["filter"] = {draw(st.sampled_from(props)): draw(st.lists(scalars, min_size=1, max_size=2))}
        metrics[name] = metric
    extra = {"metrics/all.yaml": dump_yaml({"objectives": {"goal": {"owner": "core"}}, "metrics": metrics})} \
        if metrics else {}
    return {"tracking-plan.yaml": dump_yaml(root), "events/all.yaml": dump_yaml({"events": events}), **extra}


def dump_yaml(document: Any) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def write_plan(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


# -- parsers ------------------------------------------------------------------------------------------------------

def _tree_sitter_errors(language: Any, source: str) -> list[tuple[int, int]]:
    from tree_sitter import Language, Parser

    tree = Parser(Language(language)).parse(source.encode("utf-8"))
    found: list[tuple[int, int]] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            found.append(node.start_point)
        stack.extend(node.children)
    return found


def assert_parses(target: str, files: dict[str, str]) -> None:
    for name, source in files.items():
        if target == "python":
            ast.parse(source, filename=name)
            compile(source, name, "exec")
        elif target == "typescript":
            import tree_sitter_typescript

            assert _tree_sitter_errors(tree_sitter_typescript.language_typescript(), source) == [], name
        elif target == "kotlin":
            import tree_sitter_kotlin

            assert _tree_sitter_errors(tree_sitter_kotlin.language(), source) == [], name
        elif target == "swift":
            import tree_sitter_swift

            assert _tree_sitter_errors(tree_sitter_swift.language(), source) == [], name
        elif target == "java":
            import tree_sitter_java

            assert _tree_sitter_errors(tree_sitter_java.language(), source) == [], name
        elif target == "go":
            import tree_sitter_go

            assert _tree_sitter_errors(tree_sitter_go.language(), source) == [], name
        elif target == "csharp":
            import tree_sitter_c_sharp

            assert _tree_sitter_errors(tree_sitter_c_sharp.language(), source) == [], name
        else:
            json.loads(source)


# -- properties ---------------------------------------------------------------------------------------------------

@given(files=plans())
def test_generated_code_parses_in_every_language(tmp_path_factory: pytest.TempPathFactory,
                                                 files: dict[str, str]) -> None:
    folder = write_plan(tmp_path_factory.mktemp("plan"), files)
    loaded = load_plan(str(folder))
    assume(loaded.ok and loaded.plan is not None)  # lint refuses what codegen cannot express
    for target in ("typescript", "python", "kotlin", "swift", "java", "go", "csharp", "jsonschema"):
        try:
            generated = generate_files(loaded.plan, target, {"collisions": "suffix"})
        except CodegenError as error:  # with suffix, only names no suffix can part: files a disk may not tell apart
            assert all("file name" in d.message for d in error.diagnostics), error.diagnostics
            continue
        assert_parses(target, generated)


def _run_everything(cli: Callable[..., Run], plan: Path, out: Path,
                    dialects: tuple[str, ...] = ("bigquery", "clickhouse", "duckdb", "postgres", "redshift",
                                                 "snowflake", "databricks")) -> None:
    """Every command on one plan: exit 0, 1 or 2 and no traceback; JSON outputs parse; SQL parses back."""
    before = {p: p.read_bytes() for p in plan.rglob("*") if p.is_file()}
    runs = [
        ("lint", str(plan), "--format", "json"), ("lint", str(plan), "--format", "sarif"),
        ("lint", str(plan), "--format", "github"), ("lint", str(plan)),
        ("report", str(plan), "--format", "json", "--no-history"),
        ("report", str(plan), "--format", "html", "--no-history", "--out", str(out / "r.html")),
        ("report", str(plan), "--format", "markdown", "--no-history"),
        ("export", "segment", str(plan)), ("export", "rudderstack", str(plan), "--out", str(out / "rs")),
        ("diff", str(EXAMPLE_PLAN), str(plan), "--format", "json"),
        *[("generate", target, str(plan), "--out", str(out / target))
          for target in ("typescript", "python", "kotlin", "swift", "java", "go", "csharp", "jsonschema")],
        *[("validate", "--sql", dialect, "--table", "analytics.tracks", "--plan", str(plan)) for dialect in dialects],
        ("validate", "--sql", "bigquery", "--table", "t", "--shape", "ga4", "--plan", str(plan)),
        ("metrics", "--sql", "duckdb", "--table", "t", "--plan", str(plan)),
        ("metrics", "--sql", "clickhouse", "--table", "t", "--plan", str(plan)),
        ("export", "dbt-metrics", str(plan), "--sql", "snowflake", "--out", str(out / "dbt")),
        # The status fixture app against any plan, and the code just generated from this one (skipped as generated).
        ("status", str(CASES / "status" / "app"), "--plan", str(plan), "--format", "json", "--no-cache"),
        ("status", str(out), "--plan", str(plan), "--format", "sarif", "--no-cache"),
    ]
    for args in runs:
        run = cli(*args)
        assert run.code in (0, 1, 2), (args, run.err[-2000:])
        assert "Traceback" not in run.err and "internal error" not in run.err, (args, run.err[-2000:])
        if ("json" in args or "sarif" in args) and run.out:  # stdout holds the document alone, or nothing
            json.loads(run.out)
        if "--sql" in args and args[0] != "export" and run.code == 0 and run.out.strip():  # names stay literals
            import sqlglot

            dialect = args[args.index("--sql") + 1]
            assert all(tree is not None for tree in sqlglot.parse(run.out, read=dialect)), args
    assert {p: p.read_bytes() for p in plan.rglob("*") if p.is_file()} == before


@given(files=plans())
@settings(max_examples=int(os.environ.get("FUZZ_COMMAND_EXAMPLES", "10")))
def test_every_command_on_generated_plans(cli: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory,
                                          files: dict[str, str]) -> None:
    plan = write_plan(tmp_path_factory.mktemp("plan"), files)
    _run_everything(cli, plan, tmp_path_factory.mktemp("out"))


EXAMPLE_FILES = {p.relative_to(EXAMPLE_PLAN).as_posix(): p.read_bytes() for p in EXAMPLE_PLAN.rglob("*.yaml")}
TOKENS = [b":", b"- ", b"{", b"}", b"[", b"]", b"&a", b"*a", b"<<: *a", b"!!int x", b"!!float", b".nan", b".inf",
          b"'", b'"', b"\t", b"\n", b"  ", b"?", b"|", b">", b"#", b"%", b"@", b"\xff", b"\xef\xbb\xbf", b"\x00",
          b"ref: ", b"type: ", b"enum: [[1]]", b"properties: ", b"items: ", b"~", b"null", b"9" * 5000]


@st.composite
def mutated_plans(draw: st.DrawFn) -> dict[str, bytes]:
    """The example plan with a few byte-level edits: deletions, insertions of YAML tokens, duplicated lines."""
    files = dict(EXAMPLE_FILES)
    for _ in range(draw(st.integers(1, 4))):
        rel = draw(st.sampled_from(sorted(files)))
        data = files[rel]
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if edit == "delete":
            files[rel] = data[:at] + data[at + draw(st.integers(1, 40)):]
        elif edit == "insert":
            files[rel] = data[:at] + draw(st.sampled_from(TOKENS)) + data[at:]
        else:
            lines = data.split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            files[rel] = b"\n".join([*lines[:index], lines[index], *lines[index:]])
    return files


@given(files=mutated_plans())
@settings(max_examples=int(os.environ.get("FUZZ_COMMAND_EXAMPLES", "10")))
def test_every_command_on_mutated_plans(cli: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory,
                                        files: dict[str, bytes]) -> None:
    plan = tmp_path_factory.mktemp("plan")
    for rel, data in files.items():
        (plan / rel).parent.mkdir(parents=True, exist_ok=True)
        (plan / rel).write_bytes(data)
    # The example plan's SQL is large: one dialect here (the generated plans go through all of them).
    _run_everything(cli, plan, tmp_path_factory.mktemp("out"), dialects=("duckdb",))


RECURSIVE = {"events/a.yaml": b"events:\n  A: &a\n    properties:\n      x: *a\n      y: {items: *a}\n"}


@given(files=st.one_of(st.just(RECURSIVE), mutated_plans()))
@settings(max_examples=int(os.environ.get("FUZZ_COMMAND_EXAMPLES", "10")) * 3, deadline=None)
def test_loading_leaves_no_cycle_behind(tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes]) -> None:
    """Plans load with the cyclic collector paused, and what is left then is frozen: a load that left a reference
    cycle (a recursive alias's node graph) would never be freed, and a collector reloading its plan all day would
    grow. Loading again and again leaves the frozen count where it was."""
    import gc

    plan = tmp_path_factory.mktemp("plan")
    (plan / "tracking-plan.yaml").write_bytes(EXAMPLE_FILES.get("tracking-plan.yaml", b"plan: p\nversion: 1.0.0\n"))
    for rel, data in files.items():
        (plan / rel).parent.mkdir(parents=True, exist_ok=True)
        (plan / rel).write_bytes(data)
    load_plan(str(plan))  # caches warm up
    before = gc.get_freeze_count()
    for _ in range(3):
        load_plan(str(plan))
    assert gc.get_freeze_count() == before


# -- importers ----------------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
              st.sampled_from(["object", "string", "array", "number", "integer", "boolean", "null", "any",
                               "properties", "items", "required", "enum", "#/definitions/x"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(st.text(max_size=12), st.sampled_from(
                                   ["type", "properties", "items", "required", "enum", "additionalProperties",
                                    "$ref", "definitions", "anyOf", "title", "description", "minimum",
                                    "pattern", "const", "patternProperties", "self"])), children, max_size=5)),
    max_leaves=30)


@st.composite
def importer_inputs(draw: st.DrawFn) -> tuple[str, str, Any]:
    """(format, file name, document): each importer's envelope around arbitrary JSON at any level."""
    body = draw(json_values)
    fmt = draw(st.sampled_from(["segment", "segment-config", "mparticle", "jsonschema", "rudderstack"]))
    if fmt == "segment":
        return "segment", "plan.json", {"rules": draw(st.one_of(st.lists(st.fixed_dictionaries(
            {"key": st.one_of(names, st.integers()), "type": st.sampled_from(["TRACK", "IDENTIFY", "GROUP", "x"]),
             "jsonSchema": st.just(body)}), max_size=3), st.just(body)))}
    if fmt == "segment-config":
        return "segment", "plan.json", {"rules": {"events": [{"name": draw(names), "rules": body}],
                                                  "identify_traits": body}}
    if fmt == "mparticle":
        return "mparticle", "plan.json", {"version_document": {"data_points": [
            {"match": {"type": draw(st.sampled_from(["custom_event", "user_attributes", "screen_view", "x"])),
                       "criteria": {"event_name": draw(names)}}, "validator": {"definition": body}}]}}
    if fmt == "jsonschema":
        return "jsonschema", "schema.json", body
    return "rudderstack", "project", {"version": "rudder/v1", "kind": draw(st.sampled_from(
        ["tracking-plan", "properties", "events", "tp"])), "metadata": {"name": "x"}, "spec": body}


@given(case=importer_inputs())
@settings(max_examples=int(os.environ.get("FUZZ_IMPORT_EXAMPLES", "40")))
def test_importers_never_crash_and_write_plans_that_load(cli: Callable[..., Run],
                                                         tmp_path_factory: pytest.TempPathFactory,
                                                         case: tuple[str, str, Any]) -> None:
    fmt, name, document = case
    folder = tmp_path_factory.mktemp("src")
    if fmt == "rudderstack":
        source = folder / name
        source.mkdir()
        (source / "plan.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    else:
        source = folder / name
        source.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path_factory.mktemp("out") / "plan"
    run = cli("import", fmt, str(source), "--out", str(out))
    assert run.code in (0, 1, 2), run.err[-2000:]
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err[-2000:]
    if run.code == 0:
        loaded = load_plan(str(out))
        assert loaded.ok, [d.message for d in loaded.diagnostics][:5]
    assert [p for p in folder.rglob("*") if p.name not in (name, "plan.yaml")] == []  # nothing written beside


def test_fuzz_profile_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "HYPOTHESIS_PROFILE=fuzz" in readme


def test_names_cannot_drive_the_terminal_and_paths_are_not_markup(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Terminal escapes in names reach no output raw; a path with rich markup (`[/x]`) is printed as written."""
    plan = write_plan(tmp_path / "plan", {
        "tracking-plan.yaml": "plan: p\nversion: 1.0.0\n",
        "events/a.yaml": 'events:\n  "Link \\e]8;;http://evil\\e\\\\ here": {}\n  "Clear \\e[2J": {}\n'})
    for args in (["lint", str(plan)], ["lint", str(plan), "--format", "github"],
                 ["lint", str(plan), "--preset", "strict"]):
        run = cli(*args)
        assert "\x1b" not in run.out + run.err and "\\x1b" in run.out, args
    odd = tmp_path / "out [/x] [bold]"
    run = cli("generate", "typescript", str(plan), "--out", str(odd))
    assert run.code == 0 and str(odd) in run.out, run.err
    long_name = tmp_path / ("x" * 300)
    run = cli("report", str(plan), "--out", str(long_name / "r.html"), "--no-history")
    assert run.code == 2 and "internal error" not in run.err


@st.composite
def collected_rows(draw: st.DrawFn) -> list[Any]:
    """Rows of collected data in any of the shapes, with arbitrary values at any level."""
    names = ["Order Completed", "Checkout Started", "Ghost", "", None]
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        shape = draw(st.sampled_from(["segment", "amplitude", "flat", "junk"]))
        body = draw(json_values)
        if shape == "segment":
            rows.append({"type": draw(st.sampled_from(["track", "identify", "page", 5])),
                         "event": draw(st.sampled_from(names)), "properties": body, "traits": draw(json_values),
                         "context": draw(st.one_of(json_values, st.just({"library": {"name": "analytics.js"}})))})
        elif shape == "amplitude":
            rows.append({"event_type": draw(st.sampled_from(names)), "event_properties": body,
                         "platform": draw(st.sampled_from(["Web", "iOS", 3]))})
        elif shape == "flat":
            rows.append({"event": draw(st.sampled_from(names)), "order_id": body})
        else:
            rows.append(body)
    return rows


@given(rows=collected_rows(), encoded=st.sampled_from(["ndjson", "array", "truncated"]))
@settings(max_examples=int(os.environ.get("FUZZ_VALIDATE_EXAMPLES", "15")))
def test_validate_never_crashes_on_collected_data(cli: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory,
                                                  rows: list[Any], encoded: str) -> None:
    folder = tmp_path_factory.mktemp("data")
    text = json.dumps(rows) if encoded == "array" else "".join(json.dumps(r) + "\n" for r in rows)
    if encoded == "truncated":
        text = text[: max(1, len(text) // 2)]
    (folder / "events.json").write_text(text, encoding="utf-8")
    run = cli("validate", str(folder / "events.json"), "--plan", str(EXAMPLE_PLAN), "--format", "json")
    assert run.code in (0, 1, 2), run.err[-2000:]
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err[-2000:]
    if run.code in (0, 1):
        json.loads(run.out)


@given(rows=collected_rows(), api=st.sampled_from(["segment", "batch", "amplitude", "ga4"]))
@settings(max_examples=int(os.environ.get("FUZZ_COLLECT_EXAMPLES", "200")))
def test_the_collector_judges_any_body_or_refuses_it(rows: list[Any], api: str) -> None:
    """Whatever JSON an SDK (or anything else) posts, the collector's reading and judging either takes it or
    refuses it with a status and a message — never an exception — and a pii value never reaches a sample."""
    from tracking_plan.collect import wire
    from tracking_plan.collect.store import Judges

    plan = load_plan(str(EXAMPLE_PLAN)).plan
    assert plan is not None
    judges = Judges(plan)
    bodies: dict[str, Any] = {
        "segment": rows[0], "batch": {"batch": rows},
        "amplitude": {"api_key": "k", "events": [r if not isinstance(r, dict) else
                                                 {"event_type": r.get("event_type", r.get("event")), **r}
                                                 for r in rows]},
        "ga4": {"client_id": "c", "events": [{"name": str(r.get("event")) if isinstance(r, dict) else r,
                                              "params": r.get("properties") if isinstance(r, dict) else r}
                                             for r in rows]}}
    try:
        if api in ("segment", "batch"):
            received = wire.segment(bodies[api], "track" if api == "segment" else "batch")
        elif api == "amplitude":
            received = wire.amplitude(bodies[api])
        else:
            received = wire.ga4(bodies[api], judges.ga4_event, judges.ga4_property)
    except wire.Refused as refused:
        assert refused.status in (400, 413) and refused.message
        return
    for _source, message, kept in received:
        verdict = judges.judge(message)
        json.dumps(kept, default=str)
        for finding in verdict.findings:
            assert finding.sample is None or isinstance(finding.sample, str)


@given(text=st.one_of(
    st.text(max_size=300),
    st.lists(st.lists(st.one_of(st.text(max_size=8), st.integers(-3, 10 ** 6).map(str), st.just("")),
                      min_size=10, max_size=10), max_size=6).map(
        lambda rows: "event,seen,valid,first_seen,last_seen,check,property,count,sample_1,sample_2\n"
        + "".join(",".join(r).replace("\n", " ") + "\n" for r in rows))))
@settings(max_examples=int(os.environ.get("FUZZ_VALIDATE_EXAMPLES", "15")))
def test_from_sql_result_never_crashes(cli: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory,
                                       text: str) -> None:
    exported = tmp_path_factory.mktemp("result") / "result.csv"
    exported.write_text(text, encoding="utf-8", errors="surrogateescape")
    run = cli("validate", "--from-sql-result", str(exported), "--plan", str(EXAMPLE_PLAN), "--format", "json")
    assert run.code in (0, 1, 2), run.err[-2000:]
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err[-2000:]


def _asgi(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> tuple[int, bytes]:
    """One request through the collector's real ASGI application (its guard, routes and readers), no socket."""
    import asyncio

    sent: list[dict[str, Any]] = []
    chunks = [body[i:i + 4096] for i in range(0, len(body), 4096)] or [b""]

    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode("latin-1", "replace"), "query_string": b"", "root_path": "",
             "headers": headers, "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8787)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


_HEADER_VALUES = st.one_of(st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                                            "gzip", "deflate", "br", "localhost:8787", "evil.example",
                                            "http://127.0.0.1:8787", "https://evil.example", "cross-site", ""]),
                           st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))


@given(path=st.sampled_from(["/v1/track", "/v1/batch", "/v1/b", "/2/httpapi", "/mp/collect", "/debug/mp/collect",
                             "/tracking-plan/events", "/tracking-plan/reset", "/tracking-plan/summary", "/nope"]),
       method=st.sampled_from(["POST", "GET", "OPTIONS", "PUT"]),
       headers=st.dictionaries(st.sampled_from(["content-type", "content-encoding", "host", "origin",
                                                "sec-fetch-site", "access-control-request-method"]),
                               _HEADER_VALUES, max_size=5),
       body=st.one_of(st.binary(max_size=300), collected_rows().map(lambda rows: json.dumps(
           {"batch": rows, **(rows[0] if rows and isinstance(rows[0], dict) else {})}).encode())))
@settings(max_examples=int(os.environ.get("FUZZ_COLLECT_EXAMPLES", "200")), deadline=None)
def test_the_collector_answers_any_request_without_a_server_error(path: str, method: str, headers: dict[str, str],
                                                                  body: bytes) -> None:
    """Any method, path, headers (content type and encoding, Host, Origin) and body through the real ASGI app: an
    answer the SDK or the tool can read, never a 500 (SDKs retry those)."""
    from tracking_plan.collect.app import Collector, create_app
    from tracking_plan.collect.store import Judges, Store

    plan = load_plan(str(EXAMPLE_PLAN)).plan
    assert plan is not None
    app = create_app(Collector(Judges(plan), Store()))
    raw = [(k.encode(), v.encode("latin-1", "replace")) for k, v in headers.items()]
    if "host" not in headers:
        raw.append((b"host", b"127.0.0.1:8787"))
    status, answer = _asgi(app, method, path, raw, body)
    assert status < 500, (status, answer[:300])


@given(columns=st.lists(st.sampled_from([
    "'Order Completed' AS event", "'Order Completed'::BLOB AS event", "42 AS event", "NULL::VARCHAR AS event",
    "{'a': 1, 'b': [1, 2]} AS properties", "[1, 2, 3] AS properties", "'{\"x\": 1}' AS properties",
    "MAP {'k': 1} AS order_id", "TIMESTAMP '2026-11-01 10:00:00' AS timestamp", "'x'::BLOB AS context",
    "1.5::DECIMAL(10, 2) AS revenue", "[{'sku': 's'}] AS products", "'track' AS type", "{'name': 'a'} AS context",
    "'Order Completed' AS event_type", "{'k': 'v'} AS event_properties", "'web' AS platform"]),
    min_size=1, max_size=5, unique=True), shape=st.sampled_from([None, "segment", "amplitude", "flat"]))
@settings(max_examples=int(os.environ.get("FUZZ_VALIDATE_EXAMPLES", "15")), deadline=None)
def test_validate_reads_any_parquet_schema_or_says_why_not(cli: Callable[..., Run],
                                                           tmp_path_factory: pytest.TempPathFactory,
                                                           columns: list[str], shape: str | None) -> None:
    """Typed Parquet of any columns and types (structs, lists, maps, BLOBs, decimals, timestamps), under any
    --shape: a report or a usage error, never an internal error."""
    import duckdb

    names = [c.rsplit(" AS ", 1)[1] for c in columns]
    if len(set(names)) < len(names):
        return
    folder = tmp_path_factory.mktemp("parquet")
    duckdb.sql(f"COPY (SELECT {', '.join(columns)}) TO '{folder / 'events.parquet'}' (FORMAT parquet)")
    run = cli("validate", str(folder / "events.parquet"), "--plan", str(EXAMPLE_PLAN), "--format", "json",
              *(["--shape", shape] if shape else []))
    assert run.code in (0, 1, 2), run.err[-2000:]
    assert "internal error" not in run.err, run.err[-2000:]


@given(column=st.sampled_from(["config", "tree", "result"]),
       value=st.one_of(st.text(max_size=60), st.binary(max_size=40), st.integers(-2**63, 2**63 - 1), st.none(),
                       st.sampled_from(["{}", "[1,2,3]", "[]", "null", '{"roots": 1}', "x:{}"])))
@settings(max_examples=int(os.environ.get("FUZZ_STATUS_EXAMPLES", "20")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_status_survives_any_cache(cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   column: str, value: Any) -> None:
    """Whatever a status cache's last run holds, a re-run gives the same findings as a fresh one."""
    import sqlite3
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="app-", dir=tmp_path))  # hypothesis may draw one example twice
    (work / "src").mkdir(parents=True)
    (work / "src" / "a.ts").write_text('analytics.track("Ghost Event", {});\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(work / "cache"))
    first = cli("status", str(work / "src"), "--plan", str(EXAMPLE_PLAN), "--format", "json")
    store = next((work / "cache").rglob("status-*.sqlite"))
    with sqlite3.connect(store) as connection:
        connection.execute(f"UPDATE runs SET {column} = ?", (value,))
    again = cli("status", str(work / "src"), "--plan", str(EXAMPLE_PLAN), "--format", "json")
    assert again.code == first.code and again.json()["findings"] == first.json()["findings"], again.err[-2000:]
