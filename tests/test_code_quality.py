"""The code base stays ruff-clean and mypy --strict clean, its imports run one way (the plan core stands alone) and
no module imports, directly or through others, one that imports it: what the developers' guide asks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


def test_ruff() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "tracking_plan", "tests", "bench"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.toolchain
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


def _imports() -> dict[str, set[str]]:
    """Each module of tracking_plan → the modules of tracking_plan it imports, anywhere in it (a function's lazy
    import included: an arrow back is an arrow back, whenever it runs)."""
    import ast

    package = ROOT / "tracking_plan"
    modules = {}
    for source in package.rglob("*.py"):
        parts = list(source.relative_to(ROOT).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = source
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, source in modules.items():
        here = name.split(".") if source.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = ".".join(here[:len(here) - node.level + 1] + [node.module or ""]).strip(".") \
                    if node.level else node.module or ""
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def test_no_import_cycle() -> None:
    """No circle: `core/loader.py` and `core/shard.py` imported each other until discovery moved to
    `core/discover.py`."""
    graph = _imports()
    cycles = []
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        if module in visiting:
            cycles.append(" -> ".join(visiting[visiting.index(module):] + [module]))
            return
        visiting.append(module)
        for target in sorted(graph[module]):
            visit(target)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
    assert cycles == []


def test_nothing_imports_the_command_line() -> None:
    """The CLI sits on top: verbs are libraries, reachable without typer's commands."""
    above = ("tracking_plan.cli", "tracking_plan.__main__")
    assert [name for name, targets in _imports().items()
            if not name.startswith(above) and any(t.startswith("tracking_plan.cli") for t in targets)] == []


def test_every_renderer_registry_names_its_modules() -> None:
    """`--format`'s choices are each verb's `FORMATS`: every name there is a module with `render`, and every module
    beside it is a name there (a renderer added without its name would never be offered)."""
    import importlib

    for package in ("lint.render", "lint.rules_render", "diff.render", "validate.render", "status.render",
                    "metrics.render", "report.render"):
        formats = importlib.import_module(f"tracking_plan.{package}").FORMATS
        folder = ROOT / "tracking_plan" / package.replace(".", "/")
        modules = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
        assert set(formats) == modules, package
        assert all(callable(importlib.import_module(f"tracking_plan.{package}.{f}").render) for f in formats)
