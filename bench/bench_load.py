"""Benchmark: loading the 5,000-event plan with tracking-plan vs merely parsing its files with
yaml.CSafeLoader, and the start-up time of `tracking-plan --version`. Prints times and ratios.

Run: python bench/bench_load.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_plan

from tracking_plan.loader import load_plan


def best_of(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bare_parse(root: Path) -> None:
    for path in sorted(root.rglob("*.yaml")):
        with path.open("rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="tp-bench-"))
    try:
        plan = write_plan(work / "plan")
        files = list(plan.rglob("*.yaml"))
        size = sum(f.stat().st_size for f in files)
        result = load_plan(str(plan))
        assert result.plan is not None and not result.diagnostics, result.diagnostics[:3]
        print(f"plan: {len(result.plan.events)} events, {len(files)} files, {size / 1e6:.1f} MB")
        parse = best_of(lambda: bare_parse(plan))
        load = best_of(lambda: load_plan(str(plan)))
        print(f"bare yaml.CSafeLoader parse : {parse:.3f} s")
        print(f"tracking-plan load          : {load:.3f} s")
        print(f"ratio load / parse          : {load / parse:.2f}x  (goal <= 1.5x)")
        exe = shutil.which("tracking-plan") or sys.executable
        args = [exe, "--version"] if exe != sys.executable else [exe, "-m", "tracking_plan", "--version"]
        starts = [best_of(lambda: subprocess.run(args, check=True, capture_output=True), runs=1) for _ in range(7)]
        print(f"tracking-plan --version     : {min(starts):.3f} s best, {statistics.median(starts):.3f} s median"
              "  (goal <= 0.25 s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
