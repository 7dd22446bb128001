"""The command line end to end: exit codes, output formats, discovery, init, start-up."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CASES, EXAMPLE_PLAN, ROOT, Run, run_process
from tracking_plan import __version__


def test_version(cli: Callable[..., Run]) -> None:
    run = cli("--version")
    assert run.code == 0 and run.out.strip() == f"tracking-plan {__version__}"


def test_example_plan_lints_clean(cli: Callable[..., Run]) -> None:
    run = cli("lint", str(EXAMPLE_PLAN))
    assert run.code == 0, run.out
    assert "No problems" in run.out


def test_json_output_fields(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "loader" / "unknown-key")
    run = cli("lint", "plan", "--format", "json")
    assert run.code == 1
    document = run.json()
    assert set(document) == {"diagnostics", "summary"}
    first = next(d for d in document["diagnostics"] if d["rule"] == "unknown-key")
    assert all(set(d) == {"rule", "severity", "message", "hint", "file", "line", "column"}
               for d in document["diagnostics"])
    assert first == {
        "rule": "unknown-key", "severity": "error",
        "message": "Event 'Order Completed' has no key 'descripton'. Did you mean 'description'?",
        "hint": first["hint"], "file": "plan/events/a.yaml", "line": 3, "column": 5,
    }
    assert document["summary"]["errors"] == 2
    assert document["summary"]["events"] == 1 and document["summary"]["files"] == 2


def test_text_output_shows_line_and_hint(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "loader" / "duplicate-key")
    run = cli("lint", "plan")
    assert run.code == 1
    assert "plan/events/a.yaml" in run.out
    assert "5:5" in run.out and "description: Second." in run.out
    assert "hint:" in run.out and "1 error" in run.out


def test_fail_on_never(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "loader" / "duplicate-key")
    assert cli("lint", "plan", "--fail-on", "never").code == 0


def test_fail_on_has_one_grammar(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`never` and `any` in every command that takes --fail-on; lint's `any` fails on an info finding (#28)."""
    import shutil

    shutil.copytree(EXAMPLE_PLAN, tmp_path / "plan")
    events = tmp_path / "plan" / "events" / "extra.yaml"
    events.write_text("events:\n  Orphan Thing:\n    description: Nobody reads it.\n    owner: checkout\n"
                      "    trigger: Never.\n    platforms: [web]\n", encoding="utf-8")
    lint = cli("lint", str(tmp_path / "plan"), "--format", "json", "--fail-on", "never")
    severities = {d["severity"] for d in lint.json()["diagnostics"]}
    assert severities == {"info"}, lint.out
    assert cli("lint", str(tmp_path / "plan"), "--fail-on", "any").code == 1
    assert cli("lint", str(tmp_path / "plan"), "--fail-on", "warning").code == 0
    for command in (["diff", str(EXAMPLE_PLAN), str(tmp_path / "plan")], ["status", "--plan", str(EXAMPLE_PLAN)]):
        for value in ("any", "never"):
            assert cli(*command, "--fail-on", value).code in (0, 1), (command, value)


def test_every_command_that_reads_a_plan_takes_plan(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`--plan DIR` everywhere (the positional PLAN stays where it was); both, differing, is a usage error (#28)."""
    plan = str(EXAMPLE_PLAN)
    for args in (["lint"], ["report", "--format", "json", "--no-history"], ["export", "jsonschema", "--out",
                 str(tmp_path / "schemas")], ["generate", "jsonschema", "--out", str(tmp_path / "generated")],
                 ["metrics", "--sql", "duckdb", "--table", "t"], ["validate", "--sql", "duckdb", "--table", "t"]):
        run = cli(*args, "--plan", plan)
        assert run.code == 0, (args, run.err)
    both = cli("lint", plan, "--plan", str(tmp_path))
    assert both.code == 2 and "Two plans given" in both.err


def test_bad_option_is_a_usage_error(cli: Callable[..., Run]) -> None:
    run = cli("lint", str(EXAMPLE_PLAN), "--format", "yaml")
    assert run.code == 2
    assert "Traceback" not in run.err


def test_discovery_prefers_plans_folder(cli: Callable[..., Run], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    run = cli("lint", "--format", "json")
    assert run.code == 0 and run.json()["summary"]["events"] >= 25


def test_discovery_uses_current_directory(cli: Callable[..., Run], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLE_PLAN, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    run = cli("lint", "--format", "json")
    assert run.code == 0 and run.json()["summary"]["events"] >= 25


def test_no_plan_found(cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("lint")
    assert run.code == 2
    assert "No tracking plan found" in run.err and "tracking-plan init" in run.err


@pytest.mark.parametrize("name", ["tracking-plan.yml", "Tracking_Plan.YAML"])
def test_a_root_file_named_almost_right_is_named_in_the_hint(cli: Callable[..., Run], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    (tmp_path / name).write_text("plan: p\nversion: 1.0.0\n")
    run = cli("lint", str(tmp_path))
    assert run.code == 2 and f"Rename {name} to tracking-plan.yaml" in run.err
    monkeypatch.chdir(tmp_path)
    for args in (("lint",), ("lint", ".")):
        run = cli(*args)
        assert run.code == 2 and f"Rename {name} to tracking-plan.yaml" in run.err
    assert "in the current folder" in run.err


@pytest.mark.parametrize("target", ["missing", "file.txt", "empty-dir"])
def test_path_that_is_not_a_plan(cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 target: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "empty-dir").mkdir()
    monkeypatch.chdir(tmp_path)
    run = cli("lint", target)
    assert run.code == 2 and "error:" in run.err and "hint:" in run.err


def test_path_may_name_the_root_file(cli: Callable[..., Run]) -> None:
    assert cli("lint", str(EXAMPLE_PLAN / "tracking-plan.yaml")).code == 0


def test_init_creates_a_plan_that_lints_clean(cli: Callable[..., Run], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("init", "my-plan")
    assert run.code == 0 and "created" in run.out
    assert (tmp_path / "my-plan" / "tracking-plan.yaml").is_file()
    assert (tmp_path / "my-plan" / "plan.schema.json").read_text() == cli("schema").out
    assert "$schema=plan.schema.json" in (tmp_path / "my-plan" / "tracking-plan.yaml").read_text()
    lint = cli("lint", "my-plan", "--format", "json")
    assert lint.code == 0 and lint.json()["diagnostics"] == []
    assert lint.json()["summary"]["events"] == 1


def test_init_default_directory_is_found_by_lint(cli: Callable[..., Run], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("init").code == 0
    assert cli("lint").code == 0


def test_init_refuses_to_overwrite(cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "tracking-plan.yaml").write_text("mine: true\n")
    run = cli("init", "p")
    assert run.code == 2 and "never overwrites" in run.err
    assert (tmp_path / "p" / "tracking-plan.yaml").read_text() == "mine: true\n"
    assert not (tmp_path / "p" / "events").exists()


@pytest.mark.parametrize("case", ["yaml-syntax", "alias-bomb", "encoding", "root-not-mapping"])
def test_broken_plans_never_show_a_traceback(case: str) -> None:
    """In a real process, through the console entry point, as a user runs it."""
    run = run_process("lint", str(CASES / "loader" / case / "plan"))
    assert run.code == 1
    assert "Traceback" not in run.out + run.err
    assert "hint:" in run.out


def test_hook_style_broken_file(tmp_path: Path) -> None:
    """An unclosed quote appended to a real plan file: exit 1, file:line in the message."""
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "p")
    target = tmp_path / "p" / "events" / "checkout" / "cart.yaml"
    with target.open("a", encoding="utf-8") as handle:
        handle.write('events:\n  Broken Event: {description: "unclosed\n')
    run = run_process("lint", str(tmp_path / "p"), "--format", "json")
    assert run.code == 1 and "Traceback" not in run.err
    [diagnostic] = [d for d in json.loads(run.out)["diagnostics"] if d["rule"] == "yaml-syntax"]
    assert diagnostic["file"].endswith("events/checkout/cart.yaml") and diagnostic["line"] > 40


@pytest.mark.parametrize(("command", "choices"), [("import", "ImportFormat"), ("export", "ExportFormat")])
def test_format_help_names_every_format(command: str, choices: str) -> None:
    import typer

    from tracking_plan.cli import transfer as module

    [argument] = [p for p in typer.main.get_command(module.app).commands[command].params  # type: ignore[attr-defined]
                  if p.metavar == "FORMAT"]
    assert all(choice.value in argument.help for choice in getattr(module, choices)), argument.help


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "text"])
def test_lint_as_a_process_writes_all_its_output(fmt: str, tmp_path: Path, cli: Callable[..., Run],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """As a process, lint ends without freeing the plan (os._exit): what it wrote to a pipe, buffered, is all
    there, and the exit code is the one the command gives in-process."""
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "p")
    (tmp_path / "p" / "events" / "bad.yaml").write_text("events:\n  bad event:\n    properties:\n"
                                                        "      X: {type: strin}\n")
    process = run_process("lint", str(tmp_path / "p"), "--preset", "strict", "--format", fmt)
    in_process = cli("lint", str(tmp_path / "p"), "--preset", "strict", "--format", fmt)
    assert process.code == in_process.code == 1
    assert process.out == in_process.out and len(process.out) > 1000


@pytest.mark.parametrize("command", ["lint", "diff", "generate", "report", "import", "export", "init", "rules",
                                     "schema"])
def test_help_reads_as_a_person_would_write_it(command: str) -> None:
    """Flags show no `<bool>` (users typed `--check-version true`), arguments no `<str>`, usage no `[[X]]`."""
    run = run_process(command, "--help")
    assert run.code == 0
    assert "<bool>" not in run.out and "<str>" not in run.out and "[[" not in run.out, run.out
    # not a terminal (80 columns): choices break between words, never inside one ('[error|warning|info|neve' then
    # 'r]'): every choice that starts a continuation line is a whole choice, as a wide help spells them
    wide = subprocess.run([sys.executable, "-m", "tracking_plan", command, "--help"], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "400"}, check=True).stdout
    choices = {word for label in re.findall(r"\[([a-z0-9|\- ]+)\]", wide) for word in re.split(r"[| ]+", label) if word}
    for fragment in re.findall(r"│ {10,}\|? ?([a-z0-9\-]+)\]", run.out):
        assert fragment in choices, (fragment, run.out)


def test_usage_errors_speak_plainly(cli: Callable[..., Run]) -> None:
    run = cli("lint", "--format", "yaml", str(EXAMPLE_PLAN))
    assert run.code == 2 and "'yaml' is not one of" in run.err
    assert "Value error" not in run.err and "Traceback" not in run.err and "--help" in run.err
    assert cli("diff", "--check-version", "true").code == 2  # 'true' is taken as a ref, not a value of the flag


def test_init_names_the_plan_after_the_repository(cli: Callable[..., Run], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "shop-app"
    repo.mkdir()
    monkeypatch.chdir(repo)
    assert cli("init").code == 0
    assert "plan: shop-app\n" in (repo / "plans" / "tracking-plan.yaml").read_text()


def test_counts_read_as_words(cli: Callable[..., Run], tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "tracking-plan.yaml").write_text("plan: p\nversion: 1.0.0\n")
    (plan / "events.yaml").write_text("events:\n  Order Completed: {}\n")
    out = cli("lint", str(plan), "--preset", "minimal").out
    assert "1 event, 2 files" in out
    single = tmp_path / "one.json"
    single.write_text('{"properties": {"a": {"type": "string"}}}')
    run = cli("import", "jsonschema", str(single), "--out", str(tmp_path / "imported"))
    assert run.code == 0 and "Imported 1 event and 0 traits into" in run.out and "(2 files)" in run.out
    assert (tmp_path / "imported" / "events" / "events.yaml").is_file()  # not events/<first word>.yaml


def test_python_method_for_a_name_starting_with_a_digit_is_public(tmp_path: Path) -> None:
    from tracking_plan.core.discover import load_plan
    from tracking_plan.generate import generate_files

    (tmp_path / "tracking-plan.yaml").write_text("plan: p\nversion: 1.0.0\n")
    (tmp_path / "events.yaml").write_text("events:\n  2FA Page Viewed: {}\n")
    plan = load_plan(str(tmp_path)).plan
    assert plan is not None
    assert "def event_2_fa_page_viewed(" in generate_files(plan, "python")["tracking.py"]


def test_commands_refusing_a_broken_plan_count_its_files_as_lint_does(cli: Callable[..., Run],
                                                                       tmp_path: Path) -> None:
    """generate and validate on a broken plan said '(31 events, 0 files)' where lint says 13 files."""
    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE_PLAN, plan)
    with (plan / "events" / "checkout" / "cart.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  Broken: {descripton: typo}\n")
    files = cli("lint", str(plan), "--format", "json").json()["summary"]["files"]
    assert files > 1
    for args in (["generate", "typescript", str(plan), "--out", str(tmp_path / "gen")],
                 ["validate", str(tmp_path / "none.ndjson"), "--plan", str(plan)]):
        run = cli(*args)
        assert run.code == 1 and f", {files} files)" in run.err, run.err


def test_readme_command_table_says_each_commands_choices() -> None:
    """README says the common options once, in a table; its --format and --fail-on choices are the commands'."""
    import re
    from enum import Enum
    from typing import Any

    import typer

    from tracking_plan.cli import common

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| command | what it does |"):]
    table = table[:table.index("\n\n")]
    commands = typer.main.get_command(common.app).commands  # type: ignore[attr-defined]
    rows = [(cells[1].strip("` ").split()[0], cells[3], cells[4])
             for cells in (line.split("|") for line in table.splitlines()[2:])]
    assert {name for name, _, _ in rows} >= {"lint", "rules", "diff", "report", "validate", "status", "metrics"}
    for name, formats, fail_on in rows:
        params = {p.name: p for p in commands[name].params}

        def choices(option: str, params: dict[str, Any] = params) -> list[str] | None:
            annotation = params[option].type_descriptor.annotation if option in params else None
            return [member.value for member in annotation] if isinstance(annotation, type) and \
                issubclass(annotation, Enum) else None

        said = re.findall(r"\b([a-z]+)\b", formats.split("(")[0])
        assert said == (choices("output_format") or []), name
        if choices("fail_on") is not None:
            assert sorted(re.findall(r"\b([a-z]+)\b", fail_on)) == sorted(choices("fail_on") or []), name
