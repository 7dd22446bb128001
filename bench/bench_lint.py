"""Benchmark: `tracking-plan lint` (every rule on) on the 5,000-event plan, against the bare YAML
parse of the same files, and against Spectral linting the same files with the rules it can express
(every event has a description; event names match the naming pattern). Prints times and ratios.

Spectral (npm @stoplight/spectral-cli) is installed into bench/.work/spectral on first run.
Run: python bench/bench_lint.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, bare_parse, best_of, plan_size, run, tracking_plan_command
from synth import write_plan

SPECTRAL_RULESET = """\
rules:
  event-description:
    description: Every event has a description.
    given: "$.events[*]"
    severity: error
    then: {field: description, function: truthy}
  event-name-title-case:
    description: Event names are in title case.
    given: "$.events"
    severity: error
    then: {field: "@key", function: pattern, functionOptions: {match: "^[A-Z0-9][A-Za-z0-9]*( [A-Z0-9][A-Za-z0-9]*)*$"}}
"""


def spectral() -> Path | None:
    folder = WORK / "spectral"
    binary = folder / "node_modules" / ".bin" / "spectral"
    if not binary.exists():
        if shutil.which("npm") is None:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        print("installing @stoplight/spectral-cli (once)...", flush=True)
        run(["npm", "install", "--no-audit", "--no-fund", "@stoplight/spectral-cli"], cwd=folder)
    (folder / "ruleset.yaml").write_text(SPECTRAL_RULESET, encoding="utf-8")
    return binary if binary.exists() else None


def timed(args: list[str], env: dict[str, str] | None = None, runs: int = 3) -> tuple[float, int]:
    best, code = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = run(args, env={**os.environ, **(env or {})})
        best = min(best, time.perf_counter() - start)
        code = proc.returncode
    return best, code


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as work:
        plan = write_plan(Path(work) / "plan")
        print(f"plan: 5000 events, {plan_size(plan)}")
        parse = best_of(lambda: bare_parse([plan]))
        command = [*tracking_plan_command(), "lint", str(plan), "--preset", "strict", "--format", "json"]
        lint, code = timed(command)
        one_core, _ = timed(command, {"TRACKING_PLAN_JOBS": "1"})
        print(f"bare yaml.CSafeLoader parse          : {parse:.3f} s")
        print(f"tracking-plan lint (all rules, exit {code}): {lint:.3f} s on 2 cores, {one_core:.3f} s on one "
              f"(TRACKING_PLAN_JOBS=1)")
        print(f"ratio lint / parse                   : {lint / parse:.2f}x  (goal <= 2x)")
        binary = spectral()
        if binary is None:
            print("spectral: skipped (npm or the package is not available)")
            return
        ruleset = WORK / "spectral" / "ruleset.yaml"
        spectral_time, spectral_code = timed([str(binary), "lint", f"{plan}/**/*.yaml", "--ruleset", str(ruleset),
                                              "--format", "json", "--quiet"])
        print(f"spectral lint (2 rules, exit {spectral_code})    : {spectral_time:.3f} s")
        print(f"ratio spectral / tracking-plan       : {spectral_time / lint:.2f}x  (goal > 1: faster than Spectral)")
        print(f"ratio tracking-plan / spectral       : {lint / spectral_time:.2f}x  (goal <= 0.6x)")


if __name__ == "__main__":
    main()
