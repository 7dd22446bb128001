"""Benchmark: `tracking-plan status` over a generated app of 2,000 files (about 400,000 lines in TypeScript,
Python, Kotlin and Swift, 20,000 analytics calls), cold (no cache) and warm (unchanged tree), and in the same run
the floor: a plain text search for the same literal event names and tracker methods (ripgrep when installed,
else grep -rF). Also checks what status found against what was written: recall and false positives.

Goals (issue 16): cold <= 10 s on this 2-core machine, warm <= 1 s, recall 100%, no false positive.

Run: python bench/bench_status.py [FILES]
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, tracking_plan_command
from synth import write_plan

LINES_PER_FILE = 200
CALLS_PER_FILE = 10
UNPLANNED_EVERY = 50
"""One call in this many sends an event the plan does not have."""


def _filler(language: str, i: int) -> list[str]:
    """Ordinary code around the calls: functions, conditions, other calls with string arguments."""
    if language == "python":
        return [f"def helper_{i}(value: int) -> int:", f"    logger.info(\"helper {i}\", value)",
                "    if value > 3:", "        return value * 2", "    return sum(range(value))", ""]
    if language == "kotlin":
        return [f"fun helper{i}(value: Int): Int {{", f"    Log.d(\"tag\", \"helper {i} $value\")",
                "    return if (value > 3) value * 2 else (0 until value).sum()", "}", ""]
    if language == "swift":
        return [f"func helper{i}(_ value: Int) -> Int {{", f"    print(\"helper {i}\", value)",
                "    return value > 3 ? value * 2 : (0..<value).reduce(0, +)", "}", ""]
    return [f"export function helper{i}(value: number): number {{", f"  console.log(\"helper {i}\", value);",
            "  return value > 3 ? value * 2 : [1, 2, 3].reduce((a, b) => a + b, 0);", "}", ""]


def _call(language: str, kind: str, name: str, keys: list[str]) -> str:
    if kind == "tracker":
        if language == "python":
            return f"    self.tracker.{name}({{{', '.join(f'{k!r}: 1' for k in keys)}}})"
        if language in ("kotlin", "swift"):
            return f"    tracker.{name}(props)"
        return f"  this.tracker.{name}({{ {', '.join(f'{k}: 1' for k in keys)} }});"
    if language == "python":
        return f"    analytics.track(\"user\", {json.dumps(name)}, {{{', '.join(f'{k!r}: 1' for k in keys)}}})"
    if language == "kotlin":
        return f"    analytics.track({json.dumps(name)}, mapOf({', '.join(f'{json.dumps(k)} to 1' for k in keys)}))"
    if language == "swift":
        entries = ", ".join(f"{json.dumps(k)}: 1" for k in keys) or ":"
        return f"    analytics.track(name: {json.dumps(name)}, properties: [{entries}])"
    return f"  analytics.track({json.dumps(name)}, {{ {', '.join(f'{json.dumps(k)}: 1' for k in keys)} }});"


def write_app(plan_dir: Path, out: Path, files: int) -> tuple[int, int, set[str]]:
    """The app; returns the planned calls written, the unplanned ones, and every literal searched for."""
    from tracking_plan.core.discover import load_plan
    from tracking_plan.status.resolve import tracker_methods

    plan = load_plan(str(plan_dir)).plan
    assert plan is not None
    methods = tracker_methods(plan)
    active = [e for e in plan.events.values() if e.status == "active"]
    rng = random.Random(16)
    planned = unplanned = 0
    literals: set[str] = set()
    layout = {"typescript": ("web", ".ts", "typescript"), "python": ("backend", ".py", "python"),
              "kotlin": ("android", ".kt", "kotlin"), "swift": ("ios", ".swift", "swift")}
    for index in range(files):
        language = ("typescript", "python", "kotlin", "swift")[index % 4]
        folder, suffix, target = layout[language]
        by_event = {event: method for method, event in methods[target].items()}
        sent_here = [e for e in active if not e.platforms or folder in e.platforms]  # as a real app would
        lines = _header(language)
        calls_left = CALLS_PER_FILE
        filler_index = 0
        while len(lines) < LINES_PER_FILE - 12:
            if calls_left and rng.random() < 0.25:
                calls_left -= 1
                event = rng.choice(sent_here)
                keys = [p.name for p in event.properties if p.required]
                if (planned + unplanned) % UNPLANNED_EVERY == UNPLANNED_EVERY - 1:
                    name = f"Unplanned Event {index}"
                    lines += _wrap(language, [_call(language, "sdk", name, [])])
                    unplanned += 1
                    literals.add(name)
                    continue
                kind = "tracker" if rng.random() < 0.5 else "sdk"
                name = by_event[event.name] if kind == "tracker" else event.name
                lines += _wrap(language, [_call(language, kind, name, keys)])
                literals.add(name)
                planned += 1
            else:
                lines += _filler(language, filler_index)
                filler_index += 1
        while calls_left:
            calls_left -= 1
            event = rng.choice(sent_here)
            lines += _wrap(language, [_call(language, "sdk", event.name, [p.name for p in event.properties
                                                                           if p.required])])
            literals.add(event.name)
            planned += 1
        lines += _footer(language)
        path = out / folder / f"module_{index:04d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
    return planned, unplanned, literals


def _header(language: str) -> list[str]:
    if language == "python":
        return ["import segment.analytics as analytics", "from tracking import Tracker", "", "",
                "class Screen:", "    def __init__(self, tracker: Tracker) -> None:", "        self.tracker = tracker",
                ""]
    if language == "kotlin":
        return ["package com.shop", "", "import com.shop.tracking.Tracker", "",
                "class Screen(private val tracker: Tracker, private val analytics: Analytics) {"]
    if language == "swift":
        return ["import Segment", "", "final class Screen {", "    let tracker: Tracker",
                "    let analytics: Analytics", "    init(tracker: Tracker, analytics: Analytics) {",
                "        self.tracker = tracker", "        self.analytics = analytics", "    }"]
    return ["import { Tracker } from \"./tracking/tracking-plan\";", "",
            "export class Screen {", "  constructor(private readonly tracker: Tracker) {}"]


def _footer(language: str) -> list[str]:
    return [] if language == "python" else ["}"]


_counter = [0]


def _wrap(language: str, body: list[str]) -> list[str]:
    """Each call in its own method, like the event handlers of a screen."""
    _counter[0] += 1
    n = _counter[0]
    if language == "python":
        return [f"    def on_event_{n}(self, props: dict) -> None:", *[f"    {line}" for line in body], ""]
    if language == "kotlin":
        return [f"    fun onEvent{n}(props: Props) {{", *[f"    {line}" for line in body], "    }"]
    if language == "swift":
        return [f"    func onEvent{n}(_ props: Props) {{", *[f"    {line}" for line in body], "    }"]
    return [f"  onEvent{n}(): void {{", *[f"  {line}" for line in body], "  }"]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - start, proc


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    work = WORK / "status"
    plan_dir = work / "plan"
    if not plan_dir.exists():
        write_plan(plan_dir, events=500, files=20)
    app = work / f"app-{files}"
    if app.exists():
        shutil.rmtree(app)
    planned, unplanned, literals = write_app(plan_dir, app, files)
    lines = sum(p.read_text().count("\n") for p in app.rglob("*") if p.is_file())
    print(f"app: {files:,} files, {lines:,} lines, {planned + unplanned:,} calls ({unplanned} unplanned)")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        command = [*tracking_plan_command(), "status", str(app), "--plan", str(plan_dir), "--format", "json",
                   "--fail-on", "never"]
        cold, proc = timed(command, env)
        warm, warm_proc = timed(command, env)
        edited = next(app.rglob("*.ts"))
        edited.write_text(edited.read_text() + "// edited\n")
        one_changed, _ = timed(command, env)
    if proc.returncode != 0:
        sys.exit(proc.stderr)
    document = json.loads(proc.stdout)
    found = sum(len(s) for e in document["events"] for s in e["sent"].values())
    found_unplanned = sum(1 for f in document["findings"] if f["check"] == "unplanned-event")
    others = [f for f in document["findings"] if f["check"] not in ("unplanned-event", "not-implemented",
                                                                    "unplanned-platform", "deprecated-event")]
    assert json.loads(warm_proc.stdout)["events"] == document["events"]
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as patterns:
        patterns.write("\n".join(sorted(literals)) + "\n")
        patterns.flush()
        rg = shutil.which("rg")
        floor_cmd = [rg, "-F", "-c", "-f", patterns.name, str(app)] if rg else \
            ["grep", "-rFc", "-f", patterns.name, str(app)]
        floor, _ = timed(floor_cmd, dict(os.environ))
    tool = "ripgrep" if shutil.which("rg") else "grep -rF"
    print(f"tracking-plan status, cold : {cold:6.2f} s (goal <= 10 s)")
    print(f"tracking-plan status, warm : {warm:6.2f} s (goal <= 1 s)")
    print(f"tracking-plan status, one file edited: {one_changed:6.2f} s (the plan is read again, one file parsed)")
    print(f"{tool} for the {len(literals):,} literal names: {floor:6.2f} s (the floor)")
    print(f"ratio: cold is {cold / floor:.1f}x the text search, warm {warm / floor:.1f}x")
    print(f"recall: {found:,} of {planned:,} planned calls found ({found / planned * 100:.1f}%), "
          f"{found_unplanned} of {unplanned} unplanned calls reported; "
          f"other findings (false positives): {len(others)}")


if __name__ == "__main__":
    main()
