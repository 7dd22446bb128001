"""The code base stays ruff-clean and mypy --strict clean: CI enforces what DEVELOPERS.md asks."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_ruff() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "tracking_plan", "tests", "bench"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy", "--config-file", "pyproject.toml"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# What each package may import from the rest of tracking_plan: the plan core stands alone, the output helpers
# know no verb, and verbs do not reach into each other's internals except through these shared packages.
ALLOWED_IMPORTS = {
    "core": {"core"},
    "output": {"core", "output"},
    "shapes": {"core", "shapes"},
}


def test_import_direction() -> None:
    import ast

    package = ROOT / "tracking_plan"
    wrong = []
    for source in package.rglob("*.py"):
        top = source.relative_to(package).parts[0]
        allowed = ALLOWED_IMPORTS.get(top)
        if allowed is None:
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                parts = name.split(".")
                if parts[0] == "tracking_plan" and len(parts) > 1 and parts[1] not in allowed:
                    wrong.append(f"{source.relative_to(ROOT)} imports {name}")
    assert wrong == []
