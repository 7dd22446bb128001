"""Shared by the benchmark scripts: the synthetic plan, the bare-parse baseline, timing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work"


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    """The fastest of several runs: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bare_parse(roots: Sequence[Path]) -> None:
    """The baseline: parse every YAML file of the plan(s) with PyYAML's C loader, and nothing else."""
    for root in roots:
        for path in sorted(root.rglob("*.yaml")):
            with path.open("rb") as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)


def tracking_plan_command() -> list[str]:
    exe = shutil.which("tracking-plan")
    return [exe] if exe else [sys.executable, "-m", "tracking_plan"]


def run(args: Sequence[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(args), capture_output=True, check=False, stdin=subprocess.DEVNULL, **kwargs)  # type: ignore[call-overload]


def plan_size(root: Path) -> str:
    files = list(root.rglob("*.yaml"))
    return f"{len(files)} files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB"
