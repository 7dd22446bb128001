"""The GitHub Action, the workflow and the pre-commit hook: well-formed, and the action's own shell
steps run for real against a repository with a pull-request-like change."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_diff_git import edit, git

from conftest import EXAMPLE_PLAN, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = {step["name"]: step for step in ACTION["runs"]["steps"]}


def test_action_shape() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {"plan", "fail-on", "diff-fail-on", "check-version", "comment", "github-token"} <= set(ACTION["inputs"])
    uses = [step.get("uses", "") for step in ACTION["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "inputs reach scripts through env, never spliced into the script"


def test_workflow_uses_the_action_with_full_history() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "tracking-plan.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["plan"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert steps[1]["uses"] == "./" and steps[1]["with"]["plan"] == "plans"
    assert "pull-requests" in workflow["permissions"]


def test_pre_commit_hook() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "tracking-plan-lint" and hook["entry"] == "tracking-plan lint"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "plans/events/a.yaml")


def _run_step(name: str, cwd: Path, values: dict[str, str], runner_temp: Path) -> subprocess.CompletedProcess[str]:
    step = STEPS[name]
    env_values: dict[str, Any] = {}
    for key, expression in step.get("env", {}).items():
        match = re.fullmatch(r"\$\{\{ (.+) \}\}", str(expression))
        env_values[key] = values[match.group(1)] if match else expression
    env = {"PATH": str(Path(shutil.which("tracking-plan") or "x").parent) + ":/usr/bin:/bin",
           "RUNNER_TEMP": str(runner_temp), "GITHUB_STEP_SUMMARY": str(runner_temp / "summary.md"),
           "GITHUB_ACTION_PATH": str(ROOT), "HOME": str(runner_temp), **env_values,
           **{k: v for k, v in os.environ.items() if k.startswith("SEGMENT_")}}  # the caller's step env
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True)


def test_action_steps_run_on_a_pull_request(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(EXAMPLE_PLAN, repo / "plans")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "plan")
    base = git(repo, "rev-parse", "HEAD")
    edit(repo / "plans" / "events" / "checkout" / "order.yaml", "      payment_method: {required: true}\n", "")
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    values = {"inputs.plan": "plans", "inputs.fail-on": "error", "inputs.diff-fail-on": "breaking",
              "inputs.check-version": "true", "github.event.pull_request.base.sha": base,
              "inputs.compatibility": ""}

    sarif = _run_step("Lint (SARIF)", repo, values, runner_temp)
    assert sarif.returncode == 0, sarif.stderr
    assert json.loads((runner_temp / "tracking-plan.sarif").read_text())["version"] == "2.1.0"

    diff = _run_step("Diff against the pull request's base", repo, values, runner_temp)
    assert diff.returncode == 0, diff.stderr
    comment = (runner_temp / "tracking-plan-diff.md").read_text()
    assert comment.startswith("<!-- tracking-plan:diff -->") and "payment\\_method" in comment
    assert (runner_temp / "summary.md").read_text() == comment

    annotations = _run_step("Lint (annotations)", repo, values, runner_temp)
    assert annotations.returncode == 0 and annotations.stdout == ""

    gate = _run_step("Gate on plan changes", repo, values, runner_temp)
    assert gate.returncode == 1 and "breaking" in gate.stdout
    values["inputs.compatibility"] = "none"  # the input reaches diff: nothing is breaking under none
    values["inputs.check-version"] = "false"
    assert _run_step("Gate on plan changes", repo, values, runner_temp).returncode == 0
    values["inputs.compatibility"] = ""
    values["inputs.diff-fail-on"] = "never"
    values["inputs.check-version"] = "false"
    assert _run_step("Gate on plan changes", repo, values, runner_temp).returncode == 0


def test_action_publishes_with_push(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With `push: segment`, a pull request's comment gets what push would change, and a push to main publishes
    (against the local Segment API of the sync tests; the token from the step's env, never printed)."""
    from segment_api import PLAN_ID, TOKEN, segment_api

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE_PLAN, repo / "plans")
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    (runner_temp / "tracking-plan-diff.md").write_text("<!-- tracking-plan:diff -->\n", encoding="utf-8")
    monkeypatch.setenv("SEGMENT_TOKEN", TOKEN)
    monkeypatch.setenv("SEGMENT_TRACKING_PLAN_ID", PLAN_ID)
    with segment_api() as (url, state):
        values = {"inputs.plan": "plans", "inputs.push": "segment", "inputs.push-base-url": url}
        dry = _run_step("What push would change", repo, values, runner_temp)
        assert dry.returncode == 0, dry.stderr
        comment = (runner_temp / "tracking-plan-diff.md").read_text()
        assert "## What push would change on Segment" in comment and not state.rules
        published = _run_step("Publish the plan", repo, values, runner_temp)
        assert published.returncode == 0, published.stderr
        assert state.rules and TOKEN not in published.stdout + published.stderr + comment
