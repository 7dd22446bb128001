"""Benchmark: loading the 5,000-event plan with tracking-plan vs merely parsing its files with
yaml.CSafeLoader, and the start-up time of `tracking-plan --version`. Prints times and ratios.

Run: python bench/bench_load.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bare_parse, best_of, plan_size, run, tracking_plan_command
from synth import write_plan

from tracking_plan.core.discover import load_plan


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as work:
        plan = write_plan(Path(work) / "plan")
        result = load_plan(str(plan))
        assert result.plan is not None and not result.diagnostics, result.diagnostics[:3]
        print(f"plan: {len(result.plan.events)} events, {plan_size(plan)}")
        parse = best_of(lambda: bare_parse([plan]))
        load = best_of(lambda: load_plan(str(plan)))
        print(f"bare yaml.CSafeLoader parse : {parse:.3f} s")
        print(f"tracking-plan load          : {load:.3f} s")
        print(f"ratio load / parse          : {load / parse:.2f}x  (goal <= 1.5x)")
    command = [*tracking_plan_command(), "--version"]
    starts = []
    for _ in range(7):
        start = time.perf_counter()
        run(command)
        starts.append(time.perf_counter() - start)
    print(f"tracking-plan --version     : {min(starts):.3f} s best, {statistics.median(starts):.3f} s median"
          "  (goal <= 0.25 s)")


if __name__ == "__main__":
    main()
