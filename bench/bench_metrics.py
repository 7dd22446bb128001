"""Benchmark: loading and linting (every rule on) the 5,000-event plan with 500 metrics and 50 objectives added,
against the same plan without them, in one run. Goal: within 1.5x.

The metrics are drawn from the plan itself: counts with a filter on an enum property, sums of a numeric
property, unique users, and conversions through two to four events, spread over the objectives.

Run: python bench/bench_metrics.py
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, best_of, run, tracking_plan_command
from synth import write_plan


def add_metrics(plan_dir: Path, count: int = 500, objectives: int = 50, seed: int = 11) -> None:
    from tracking_plan.core.discover import load_plan
    from tracking_plan.core.model import payload_properties

    plan = load_plan(str(plan_dir)).plan
    assert plan is not None
    rng = random.Random(seed)
    events = sorted(plan.events)
    squads = sorted(plan.squads)
    lines = ["objectives:"]
    lines += [f"  objective-{i}: {{description: Objective {i}., owner: {squads[i % len(squads)]}}}"
              for i in range(objectives)]
    lines.append("metrics:")
    for i in range(count):
        event = plan.events[rng.choice(events)]
        props = payload_properties(plan, event)
        numeric = [p.name for p in props if set(p.type) - {"null"} <= {"number", "integer"} and p.type]
        enums = [p for p in props if p.enum and all(isinstance(v, str) for v in p.enum)]
        head = f"  metric_{i}: {{objective: objective-{i % objectives}, owner: {squads[i % len(squads)]}, "
        kind = i % 4
        if kind == 0 and numeric:
            lines.append(head + f"type: sum, event: '{event.name}', property: {numeric[0]}}}")
        elif kind == 1 and enums:
            lines.append(head + f"type: count, event: '{event.name}', filter: {{{enums[0].name}: "
                                f"['{enums[0].enum[0]}']}}}}")
        elif kind == 2:
            steps = ", ".join(f"'{name}'" for name in rng.sample(events, rng.randint(2, 4)))
            lines.append(head + f"type: conversion, steps: [{steps}], window: 7d}}")
        else:
            lines.append(head + f"type: unique_users, event: '{event.name}'}}")
    (plan_dir / "metrics").mkdir(exist_ok=True)
    (plan_dir / "metrics" / "metrics.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    base = WORK / "plan-5000"
    if not base.exists():
        write_plan(base)
    with_metrics = WORK / "plan-5000-metrics"
    if with_metrics.exists():
        shutil.rmtree(with_metrics)
    shutil.copytree(base, with_metrics)
    add_metrics(with_metrics)
    command = [*tracking_plan_command(), "lint", "--preset", "strict", "--fail-on", "never", "--format", "json"]
    without = best_of(lambda: run([*command, str(base)]))
    with_them = best_of(lambda: run([*command, str(with_metrics)]))
    ratio = with_them / without
    print(f"lint, 5,000 events                          : {without:6.2f} s")
    print(f"lint, 5,000 events + 500 metrics, 50 objectives: {with_them:6.2f} s")
    print(f"ratio: {ratio:.2f}x (goal <= 1.5x) — {'met' if ratio <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
