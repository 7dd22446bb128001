from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tracking_plan.cli import main

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
