"""Benchmark: `tracking-plan import segment` of a 5,000-event Segment plan (the synthetic plan
exported in Segment's Public API format), against merely reading the same JSON with json.load.

Run: python bench/bench_import.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, run, tracking_plan_command
from synth import write_plan

from tracking_plan.core.discover import load_plan
from tracking_plan.exporters.segment import render


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as work_dir:
        work = Path(work_dir)
        plan = load_plan(str(write_plan(work / "plan"))).plan
        assert plan is not None
        source = work / "segment.json"
        source.write_text(render(plan), encoding="utf-8")
        print(f"Segment plan: {len(plan.events)} events, {source.stat().st_size / 1e6:.1f} MB of JSON")
        baseline = best_of(lambda: json.loads(source.read_text(encoding="utf-8")))
        times = []
        for attempt in range(3):
            out = work / f"imported-{attempt}"
            start = time.perf_counter()
            proc = run([*tracking_plan_command(), "import", "segment", str(source), "--out", str(out)])
            times.append(time.perf_counter() - start)
            assert proc.returncode == 0, proc.stderr.decode()
        files = sum(1 for _ in (work / "imported-0").rglob("*.yaml"))
        print(f"json.load of the file          : {baseline:.3f} s")
        print(f"tracking-plan import segment   : {min(times):.3f} s ({files} plan files written)")
        print(f"ratio import / json.load       : {min(times) / baseline:.1f}x")


if __name__ == "__main__":
    main()
