"""diff on real git repositories in temporary folders: refs of every form, the working tree,
the plan missing at BASE, and every error case."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE_PLAN, ROOT, Run

GOLDEN = ROOT / "tests" / "golden" / "diff"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env).stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main: the example plan (tagged v1). feature: one breaking, one additive, one cosmetic change."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("app\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "before the plan")
    shutil.copytree(EXAMPLE_PLAN, root / "plans")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "plan")
    git(root, "tag", "v1")
    git(root, "checkout", "-q", "-b", "feature")
    order = root / "plans" / "events" / "checkout" / "order.yaml"
    coupon = "      coupon_code: {type: string, description: Coupon code the buyer entered.}   # defined inline\n"
    edit(order, coupon, "")
    edit(order, "      payment_method: {required: true}\n      shipping_method: {required: true}\n",
         "      payment_method: {required: true}\n      shipping_method: {required: true}\n"
         "      gift_wrap: {type: boolean, description: Whether the buyer asked for gift wrapping.}\n")
    edit(root / "plans" / "events" / "account" / "account.yaml", "A customer signed in to their account.",
         "A customer opened a session.")
    edit(root / "plans" / "tracking-plan.yaml", "version: 1.0.0", "version: 2.0.0")
    git(root, "commit", "-qam", "change the plan")
    monkeypatch.chdir(root)
    return root


def kinds(run: Run) -> list[tuple[str, str]]:
    return sorted((c["kind"], c["impact"]) for c in run.json()["changes"])


EXPECTED = [("event-description-changed", "cosmetic"), ("property-added", "additive"),
            ("property-removed", "breaking")]


@pytest.mark.parametrize("base", ["main", "v1", "HEAD~1", "sha"])
def test_refs_of_each_form(cli: Callable[..., Run], repo: Path, base: str) -> None:
    ref = git(repo, "rev-parse", "main") if base == "sha" else base
    run = cli("diff", ref, "feature", "--format", "json")
    assert run.code == 0, run.err
    assert kinds(run) == EXPECTED
    document = run.json()
    assert document["base"] == ref and document["head"] == "feature"
    assert document["bump"] == "major" and document["base_version"] == "1.0.0" and document["head_version"] == "2.0.0"


def test_default_base_is_the_merge_base_and_head_the_working_tree(cli: Callable[..., Run], repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "main moves on")
    git(repo, "checkout", "-q", "feature")
    run = cli("diff", "--format", "json")
    assert run.code == 0, run.err
    assert kinds(run) == EXPECTED
    assert run.json()["base"].startswith("merge-base ") and run.json()["head"] == "working tree"


def test_working_tree_edits_and_new_files_without_touching_anything(cli: Callable[..., Run], repo: Path) -> None:
    edit(repo / "plans" / "properties" / "commerce.yaml", "enum: [EUR, USD, GBP]", "enum: [EUR, USD, GBP, CHF]")
    (repo / "plans" / "events" / "checkout" / "new.yaml").write_text(
        "events:\n  Gift Card Redeemed:\n    owner: checkout\n", encoding="utf-8")
    status = git(repo, "status", "--porcelain")
    before = {p: p.read_bytes() for p in (repo / "plans").rglob("*.yaml")}
    run = cli("diff", "feature", "--format", "json")
    assert run.code == 0, run.err
    changes = run.json()["changes"]
    assert ("event-added", "Gift Card Redeemed") in {(c["kind"], c["event"]) for c in changes}
    assert any(c["kind"] == "property-enum-values-added" and c["property"] == "currency" for c in changes)
    assert git(repo, "status", "--porcelain") == status
    assert {p: p.read_bytes() for p in (repo / "plans").rglob("*.yaml")} == before


def test_plan_missing_at_base_means_every_event_is_new(cli: Callable[..., Run], repo: Path) -> None:
    run = cli("diff", "HEAD~2", "HEAD", "--format", "json")
    assert run.code == 0, run.err
    changes = run.json()["changes"]
    assert {c["kind"] for c in changes} == {"event-added", "property-added"}
    assert len([c for c in changes if c["kind"] == "event-added"]) == 34  # 31 events, 2 pages and a screen
    assert {c["scope"] for c in changes if c["kind"] == "property-added"} == {"traits", "global_properties",
                                                                              "group_traits"}
    assert {c["impact"] for c in changes} == {"additive"}
    assert run.json()["base_version"] is None and run.json()["bump"] == "minor"


def test_plan_directories_as_sides(cli: Callable[..., Run], tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "a")
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "b")
    edit(tmp_path / "b" / "events" / "account" / "account.yaml", "  Newsletter Subscribed:", "  Newsletter Joined:")
    run = cli("diff", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "json")
    assert kinds(run) == [("event-added", "additive"), ("event-removed", "breaking")]


def test_rename_via_renamed_from(cli: Callable[..., Run], repo: Path) -> None:
    edit(repo / "plans" / "events" / "account" / "account.yaml", "  Newsletter Subscribed:\n",
         "  Newsletter Joined:\n    renamed_from: Newsletter Subscribed\n")
    run = cli("diff", "feature", "--format", "json")
    [change] = run.json()["changes"]
    assert change["kind"] == "event-renamed" and change["event"] == "Newsletter Joined"
    assert change["base_location"]["file"] == "plans/events/account/account.yaml"
    assert change["head_location"]["line"] == change["base_location"]["line"]


def test_fail_on_and_check_version(cli: Callable[..., Run], repo: Path) -> None:
    assert cli("diff", "main", "feature").code == 0
    assert cli("diff", "main", "feature", "--fail-on", "breaking").code == 1
    assert cli("diff", "main", "feature", "--fail-on", "any").code == 1
    assert cli("diff", "feature", "feature", "--fail-on", "any").code == 0
    assert cli("diff", "main", "feature", "--check-version").code == 0  # 2.0.0 declared, major needed
    edit(repo / "plans" / "tracking-plan.yaml", "version: 2.0.0", "version: 1.1.0")
    run = cli("diff", "main", "--check-version", "--format", "json")
    assert run.code == 1 and run.json()["required_version"] == "2.0.0" and not run.json()["version_ok"]


def test_json_fields(cli: Callable[..., Run], repo: Path) -> None:
    document = cli("diff", "main", "feature", "--format", "json").json()
    assert {"base", "head", "bump", "changes"} <= set(document)
    change = next(c for c in document["changes"] if c["kind"] == "property-removed")
    assert change == {
        "kind": "property-removed", "impact": "breaking", "scope": "event", "event": "Order Completed",
        "property": "coupon_code", "library": None,
        "message": "Optional property 'coupon_code' of 'Order Completed' was removed.",
        "why": "Breaks: apps built against the old plan still send it, and the new plan does not accept it.",
        "producers": "breaks", "consumers": "ok", "review": None, "metrics": [], "objectives": [], "owner": "checkout",
        "base_location": {"file": "plans/events/checkout/order.yaml", "line": 84, "column": 7},
        "head_location": None,
    }


def test_markdown_golden(cli: Callable[..., Run], repo: Path) -> None:
    run = cli("diff", "v1", "feature", "--format", "markdown")
    golden = GOLDEN / "feature.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(run.out, encoding="utf-8")
    assert run.out == golden.read_text(encoding="utf-8")


def test_text_groups_by_squad_breaking_first(cli: Callable[..., Run], repo: Path) -> None:
    out = cli("diff", "main", "feature").out
    assert out.index("checkout (#squad-checkout)") < out.index("account (#squad-account)")
    assert "1 breaking, 1 additive, 1 cosmetic. Suggested version bump: major (1.0.0 → 2.0.0)." in out


def test_compatibility_option_overrides_the_plan(cli: Callable[..., Run], repo: Path) -> None:
    strict = cli("diff", "main", "feature", "--compatibility", "strict", "--format", "json").json()
    assert strict["compatibility"] == "strict"
    assert [c["impact"] for c in strict["changes"] if c["kind"] == "property-added"] == ["breaking"]
    none = cli("diff", "main", "feature", "--compatibility", "none", "--fail-on", "breaking")
    assert none.code == 0 and "compatibility: none" in none.out
    assert cli("diff", "main", "feature", "--compatibility", "loose").code == 2
    assert "--compatibility" in cli("diff", "--help").out


@pytest.mark.parametrize("args", [["--", "-x"], ["--upload-pack=touch /tmp/pwned", "main"]])
def test_refs_starting_with_dash_are_refused(cli: Callable[..., Run], repo: Path, args: list[str]) -> None:
    run = cli("diff", *args)
    assert run.code == 2 and "Traceback" not in run.err
    assert not Path("/tmp/pwned").exists()


def test_unknown_ref(cli: Callable[..., Run], repo: Path) -> None:
    run = cli("diff", "no-such-branch")
    assert run.code == 2 and "Unknown git ref 'no-such-branch'" in run.err


def test_outside_a_repository(cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    run = cli("diff", "main")
    assert run.code == 2 and "not inside a git repository" in run.err


def test_shallow_clone_missing_base(cli: Callable[..., Run], repo: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    base_sha = git(repo, "rev-parse", "HEAD~1")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo}", str(clone)],
                   check=True, capture_output=True)
    monkeypatch.chdir(clone)
    run = cli("diff", base_sha)
    assert run.code == 2 and "shallow clone" in run.err and "fetch-depth: 0" in run.err


def test_broken_plan_at_head_is_a_finding(cli: Callable[..., Run], repo: Path) -> None:
    (repo / "plans" / "events" / "broken.yaml").write_text('events:\n  A: {description: "x\n', encoding="utf-8")
    run = cli("diff", "main", "--format", "json")
    assert run.code == 1 and run.json()["diagnostics"][0]["rule"] == "yaml-syntax"
    assert "Traceback" not in run.err


@pytest.mark.parametrize("ref", ["HEAD:nope", "HEAD:plans", "HEAD@{99}", "x" * 100_000, "main\nfeature",
                                 "v1^{tree}", "@{-9}"])
def test_refs_git_cannot_resolve_to_a_commit_are_usage_errors(cli: Callable[..., Run], repo: Path, ref: str) -> None:
    run = cli("diff", ref, "--fail-on", "breaking")
    assert run.code == 2, run.err
    assert "internal error" not in run.err and "Traceback" not in run.err and len(run.err) < 2000


@pytest.mark.parametrize("ref", ["@{-1}", "main@{2.days.ago}", "HEAD@{0}"])
def test_reflog_refs_work_or_are_usage_errors(cli: Callable[..., Run], repo: Path, ref: str) -> None:
    run = cli("diff", ref, "--fail-on", "breaking")
    assert run.code in (0, 1, 2) and "internal error" not in run.err, run.err


@pytest.mark.parametrize("plan", ["nonexistent", ".git"])
def test_a_plan_at_neither_side_is_a_usage_error(cli: Callable[..., Run], repo: Path, plan: str) -> None:
    run = cli("diff", "v1", "feature", "--plan", plan, "--fail-on", "breaking")
    assert run.code == 2 and "No changes" not in run.out


def test_files_read_from_git_have_the_same_limits(cli: Callable[..., Run], repo: Path) -> None:
    big = repo / "plans" / "events" / "big.yaml"
    big.write_bytes(b"events:\n" + b"#" * (9 * 1024 * 1024) + b"\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "big")
    (repo / "plans" / "events" / "link.yaml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "link")
    at_ref = cli("diff", "v1", "HEAD", "--format", "json")
    assert at_ref.code == 1 and "file-too-large" in at_ref.out and "root:" not in at_ref.out
    working = cli("diff", "v1", "--format", "json")
    assert working.code == 1 and "file-too-large" in working.out and "root:" not in working.out


def test_a_library_property_change_is_said_once_with_its_events(cli: Callable[..., Run], tmp_path: Path) -> None:
    """One enum change of the shared `currency` property: text and Markdown say it once, under the library, with
    the events using it and their squads; JSON keeps one change per event, each naming the library property
    (#27.12: it was 11 breaking and 11 additive lines)."""
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "a")
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "b")
    library = tmp_path / "b" / "properties" / "commerce.yaml"
    library.write_text(library.read_text(encoding="utf-8").replace("enum: [EUR, USD, GBP]", "enum: [EUR, USD, CHF]"),
                       encoding="utf-8")
    text = cli("diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert text.out.count("'currency' of the library no longer accepts") == 1
    assert text.out.count("'currency' of the library accepts new values") == 1
    assert "in 11 events: " in text.out and "squads: checkout" in text.out
    assert "'currency' of 'Order Completed'" not in text.out
    markdown = cli("diff", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "markdown")
    assert markdown.out.count("of the library no longer accepts") == 1 and "in 11 events" in markdown.out
    changes = cli("diff", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "json").json()["changes"]
    assert len(changes) == 22 and {c["library"] for c in changes} == {"currency"}
