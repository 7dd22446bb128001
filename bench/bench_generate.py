"""Benchmark: `tracking-plan generate` for every target on the 5,000-event plan, against Segment's
typewriter (npm typewriter@9.2.0) generating TypeScript for the same events, in one run; then the Java, Go and C#
output compiled with each compiler's default settings (javac, go build, mcs), timed.

typewriter is installed into bench/.work/typewriter on first run (with TypeScript pinned to 5.4, as
its `typescript: *` dependency otherwise pulls a version that breaks it). It reads the plan exported
in Segment's Public API format by `tracking_plan.exporters.segment`.
Run: python bench/bench_generate.py [--events N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, plan_size, run, tracking_plan_command
from synth import write_plan

from tracking_plan.core.discover import load_plan
from tracking_plan.exporters.segment import export_rules

TARGETS = ("typescript", "python", "kotlin", "swift", "java", "go", "csharp", "jsonschema")
COMPILES = {
    "java": lambda out: ["javac", "-d", str(out / "classes"), *map(str, sorted(out.glob("*.java")))],
    "go": lambda out: ["go", "build", "./..."],
    "csharp": lambda out: ["mcs", "-target:library", f"-out:{out / 'tracking.dll'}",
                           *map(str, sorted(out.glob("*.cs")))],
}
"""Each new target's compile, default settings: what a 5,000-event plan's code costs a build."""
PACKAGE_JSON = {"name": "typewriter-bench", "private": True, "version": "0.0.0",
                "dependencies": {"typewriter": "9.2.0", "typescript": "~5.4.5"},
                "overrides": {"typescript": "~5.4.5"}}


def typewriter_folder() -> Path | None:
    folder = WORK / "typewriter"
    binary = folder / "node_modules" / ".bin" / "typewriter"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text(json.dumps(PACKAGE_JSON), encoding="utf-8")
        print("installing typewriter@9.2.0 (once)...", flush=True)
        run(["npm", "install", "--no-audit", "--no-fund"], cwd=folder)
    return folder if binary.exists() else None


def timed(args: list[str], **kwargs: object) -> tuple[float, int, bytes]:
    start = time.perf_counter()
    proc = run(args, **kwargs)
    return time.perf_counter() - start, proc.returncode, proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as work_dir:
        work = Path(work_dir)
        plan = write_plan(work / "plan", events=args.events)
        print(f"plan: {args.events} events, {plan_size(plan)}")
        times = {}
        for target in TARGETS:
            elapsed, code, err = timed([*tracking_plan_command(), "generate", target, str(plan),
                                        "--out", str(work / "out" / target)])
            assert code == 0, err.decode()
            times[target] = elapsed
            print(f"tracking-plan generate {target:<10}: {elapsed:.3f} s")
        total = sum(times.values())
        print(f"tracking-plan, all {len(TARGETS)} targets     : {total:.3f} s")
        for target, command in COMPILES.items():
            out = work / "out" / target
            if target == "go":
                (out / "go.mod").write_text("module bench\n\ngo 1.19\n", encoding="utf-8")
            env = {**os.environ, "GOCACHE": str(work / "go-cache"), "GOFLAGS": "-mod=mod"}
            elapsed, code, err = timed(command(out), cwd=out, env=env)
            print(f"compile {target:<6} ({args.events} events, exit {code}): {elapsed:.1f} s"
                  + ("" if code == 0 else "\n" + err.decode()[-1000:]))
        folder = typewriter_folder()
        if folder is None:
            print("typewriter: skipped (npm or the package is not available)")
            return
        project = work / "typewriter"
        (project / "plan").mkdir(parents=True)
        loaded = load_plan(str(plan)).plan
        assert loaded is not None
        rules = export_rules(loaded)
        rules["id"] = "tp_local"
        rules["rules"] = [r for r in rules["rules"] if r["type"] == "TRACK"]
        (project / "plan" / "plan.json").write_text(json.dumps(rules), encoding="utf-8")
        (project / "typewriter.yml").write_text(
            "client:\n  language: typescript\n  sdk: analytics-node\n"
            "trackingPlans:\n  - id: tp_local\n    path: ./plan\n", encoding="utf-8")
        home = work / "home"
        home.mkdir()
        env = {**os.environ, "HOME": str(home)}
        elapsed, code, err = timed([str(folder / "node_modules" / ".bin" / "typewriter"), "build", "-l",
                                    "typescript", "-s", "analytics-node", "-m", "prod", "-p", str(work / "tw-out")],
                                   cwd=project, env=env)
        print(f"typewriter build (typescript, exit {code})   : {elapsed:.3f} s")
        if code != 0:
            print(err.decode()[-2000:])
            return
        print(f"ratio typewriter / tracking-plan typescript : {elapsed / times['typescript']:.1f}x  (goal >= 20x)")
        print(f"ratio typewriter / tracking-plan all targets: {elapsed / total:.1f}x  (goal > 1x)")


if __name__ == "__main__":
    main()
