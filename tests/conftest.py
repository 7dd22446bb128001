from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tracking_plan.cli import main
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PLAN = ROOT / "plans"
CASES = Path(__file__).resolve().parent / "cases"


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the real entry point in-process, as the console script would."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_process(*args: str, cwd: Path | None = None) -> Run:
    """Run the installed command in a real process (for what in-process runs cannot show)."""
    proc = subprocess.run([sys.executable, "-m", "tracking_plan", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, stdin=subprocess.DEVNULL)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def tool(name: str) -> str:
    """A compiler the tests need: from .ci/tools (where .ci/run installs npm packages) or PATH.

    In CI (CI=true) a missing tool fails the test: .ci/run must install it. Elsewhere the test is skipped.
    """
    local = ROOT / ".ci" / "tools" / "node_modules" / ".bin" / name
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        message = f"{name} is not installed (bash .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def mypy(*arguments: str) -> list[str]:
    """mypy's command line with a cache shared by a worker's runs (the standard library is analysed once, not once
    per run); a module checked again is re-read when its text changed, as mypy compares the file's hash."""
    cache = ROOT / ".tmp" / "mypy-cache" / os.environ.get("PYTEST_XDIST_WORKER", "main")
    return [sys.executable, "-m", "mypy", "--cache-dir", str(cache), *arguments]


DRAFT = "events:\n  Wishlist Shared:\n    owner: discovery\n    status: draft\n    platforms: [backend]\n"


@pytest.fixture(scope="module")
def validate_plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan plus one draft event."""
    folder = tmp_path_factory.mktemp("plan") / "plans"
    shutil.copytree(EXAMPLE_PLAN, folder)
    (folder / "events" / "drafts.yaml").write_text(DRAFT, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def validate_plan(validate_plan_dir: Path) -> Plan:
    loaded = load_plan(str(validate_plan_dir))
    assert loaded.ok and loaded.plan is not None
    return loaded.plan


@pytest.fixture(scope="session")
def dbt() -> Path:
    """dbt with its DuckDB adapter and MetricFlow's CLI (`mf`, beside it), in a virtualenv of its own (dbt pins
    libraries mypy needs newer)."""
    import fcntl
    import subprocess
    import sys

    home = Path(__file__).resolve().parents[1] / ".ci" / "dbt-venv"
    executable = home / "bin" / "dbt"
    home.parent.mkdir(exist_ok=True)
    with open(home.parent / "dbt-venv.lock", "w") as lock:  # pytest-xdist's workers: one installs, the other waits
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not executable.exists() or not (home / "bin" / "mf").exists():
            subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
            subprocess.run([str(home / "bin" / "pip"), "install", "--quiet", "dbt-core==1.10.*", "dbt-duckdb==1.10.*",
                            "dbt-metricflow[dbt-duckdb]==0.13.*"], check=True)
    return executable


KOTLIN_CASES: dict[str, Callable[[], dict[str, str]]] = {}
"""Every Kotlin source the tests compile, by case: each test module registers its own (`kotlin_case`) when it is
collected, and `kotlin_classes` compiles them all in one kotlinc run (kotlinc costs seconds per start). Each case
writes its own package, so the cases' classes sit side by side."""


def kotlin_case(name: str) -> Callable[[Callable[[], dict[str, str]]], Callable[[], dict[str, str]]]:
    """Register a function giving a case's Kotlin files (file name → text) for the session's one compile."""
    def register(sources: Callable[[], dict[str, str]]) -> Callable[[], dict[str, str]]:
        KOTLIN_CASES[name] = sources
        return sources
    return register


@pytest.fixture(scope="session")
def kotlin_classes() -> Path:
    """The classes of every registered Kotlin case, compiled once with warnings as errors. pytest-xdist's workers
    share one build: the first compiles under a lock, keyed by the sources' digest, and the other reuses it."""
    import fcntl
    import hashlib

    compiler = tool("kotlinc")
    sources = {f"{case}/{name}": text for case, produce in sorted(KOTLIN_CASES.items())
               for name, text in produce().items()}
    digest = hashlib.sha256(json.dumps(sources, sort_keys=True).encode()).hexdigest()[:16]
    build = ROOT / ".tmp" / "kotlin-build" / digest
    build.parent.mkdir(parents=True, exist_ok=True)
    with open(build.parent / f"{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (build / "done").exists():
            shutil.rmtree(build, ignore_errors=True)
            for rel, text in sources.items():
                (build / "src" / rel).parent.mkdir(parents=True, exist_ok=True)
                (build / "src" / rel).write_text(text, encoding="utf-8")
            proc = subprocess.run([compiler, "-Werror", "-d", str(build / "classes"),
                                   *(str(build / "src" / rel) for rel in sorted(sources))],
                                  capture_output=True, text=True, timeout=900)
            errors = [line for line in (proc.stdout + proc.stderr).splitlines() if "OpenJDK" not in line]
            assert proc.returncode == 0, "\n".join(errors)
            (build / "done").write_text(f"{len(sources)} files\n", encoding="utf-8")
    return build / "classes"
