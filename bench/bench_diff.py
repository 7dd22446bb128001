"""Benchmark: `tracking-plan diff` between two commits of the 5,000-event plan (read from git
objects), against the bare YAML parse of both versions' files. Prints times and the ratio.

Run: python bench/bench_diff.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bare_parse, best_of, plan_size, run, tracking_plan_command
from synth import write_plan


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args], cwd=repo,
                   check=True, capture_output=True)


def change_plan(plan: Path) -> int:
    """Edit one event file in ten: a description, an added property, a removed one. Returns files changed."""
    changed = 0
    for i, path in enumerate(sorted((plan / "events").rglob("*.yaml"))):
        if i % 10:
            continue
        text = path.read_text(encoding="utf-8")
        text = text.replace("Fires when the user", "Sent when the user", 1)
        added = "      bench_added: {type: string, description: New.}\n"
        text = text.replace("    properties:\n", "    properties:\n" + added, 1)
        text = text.replace("      local_count: {type: integer", "      local_total: {type: integer", 1)
        path.write_text(text, encoding="utf-8")
        changed += 1
    return changed


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as work:
        repo = Path(work) / "repo"
        plan = write_plan(repo / "plan")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "v1")
        old_copy = Path(work) / "old"
        shutil.copytree(plan, old_copy)
        changed = change_plan(plan)
        git(repo, "commit", "-qam", "v2")
        print(f"plan: 5000 events, {plan_size(plan)}; {changed} files changed between the two commits")
        parse = best_of(lambda: bare_parse([old_copy, plan]))
        command = [*tracking_plan_command(), "diff", "HEAD~1", "HEAD", "--plan", "plan", "--format", "json"]
        times = []
        for _ in range(3):
            start = time.perf_counter()
            proc = run(command, cwd=repo)
            times.append(time.perf_counter() - start)
            assert proc.returncode == 0, proc.stderr.decode()
        diff = min(times)
        summary = json.loads(proc.stdout)["summary"]
        working = []
        for _ in range(3):  # HEAD as the working tree, as in a pull request's CI job
            start = time.perf_counter()
            proc = run([*tracking_plan_command(), "diff", "HEAD~1", "--plan", "plan", "--format", "json"], cwd=repo)
            working.append(time.perf_counter() - start)
            assert proc.returncode == 0 and json.loads(proc.stdout)["summary"] == summary, proc.stderr.decode()
        print(f"changes found: {summary}")
        print(f"bare yaml.CSafeLoader parse of both versions : {parse:.3f} s")
        print(f"tracking-plan diff HEAD~1 HEAD (from git)    : {diff:.3f} s")
        print(f"tracking-plan diff HEAD~1 (working tree)     : {min(working):.3f} s")
        print(f"ratio diff / parse                           : {diff / parse:.2f}x and "
              f"{min(working) / parse:.2f}x  (goal <= 2.5x)")


if __name__ == "__main__":
    main()
