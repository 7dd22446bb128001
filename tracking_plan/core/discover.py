"""Where a plan is and how it is loaded: the plan directory a command was given (or `plans/`, or the current
folder), the YAML files in it, parsed in this process or, for a large plan, half in a forked worker (shard.py), then
built by the loader. Kept apart from the loader so that the loader and the shard worker do not import each other."""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import Diagnostic, UsageError
from tracking_plan.core.loader import ROOT_FILE, LoadResult, build_plan, display_path, gc_paused
from tracking_plan.core.parallel import can_fork
from tracking_plan.core.yamlsource import read_yaml_file

DEFAULT_PLAN_DIR = "plans"
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})
_YAML_SUFFIXES = (".yaml", ".yml")


def find_plan_root(path: str | None) -> tuple[Path, str]:
    """The plan directory for a PATH argument, and how to display it in messages.

    Without PATH: `plans/` when it holds a tracking-plan.yaml, else the current directory.
    """
    if path is None:
        candidate = Path(DEFAULT_PLAN_DIR)
        if (candidate / ROOT_FILE).is_file():
            return candidate, DEFAULT_PLAN_DIR
        if Path(ROOT_FILE).is_file():
            return Path("."), "."
        raise UsageError(
            f"No tracking plan found: neither {DEFAULT_PLAN_DIR}/{ROOT_FILE} nor ./{ROOT_FILE} exists.",
            _rename_hint(Path(".")) or
            "Pass the plan directory (tracking-plan lint path/to/plan) or create one with 'tracking-plan init'.",
        )
    given = Path(path)
    if given.name == ROOT_FILE and given.is_file():  # the root file names its folder
        given = given.parent
        path = str(given)
    if not given.exists():
        raise UsageError(f"{path} does not exist.", "Check the path of the plan directory.")
    if not given.is_dir():
        raise UsageError(f"{path} is not a plan directory.",
                         f"Pass the directory that holds {ROOT_FILE}.")
    if not (given / ROOT_FILE).is_file():
        where = "the current folder" if os.path.normpath(path) == "." else path
        raise UsageError(f"No {ROOT_FILE} in {where}.", _rename_hint(given) or
                         "Pass the directory that holds the plan's root file, or create one with 'tracking-plan init'.")
    return given, os.path.normpath(path)


def _rename_hint(folder: Path) -> str | None:
    """When a folder without a root file holds a near miss (tracking-plan.yml, Tracking-Plan.yaml): rename it."""
    try:
        near = sorted(p.name for p in folder.iterdir() if p.name != ROOT_FILE and p.suffix.lower() in (".yaml", ".yml")
                      and p.stem.lower().replace("_", "-") == "tracking-plan" and p.is_file())
    except OSError:  # an unreadable folder: the message says what is missing, without a hint to rename
        return None
    return f"Rename {near[0]} to {ROOT_FILE}: the plan's root file has that name." if near else None


def plan_files(root: Path) -> list[str]:
    """Paths (relative to root, '/'-separated, sorted) of every YAML file of the plan but the root file."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        rel_folder = os.path.relpath(folder, root)
        for name in files:
            if name.endswith(_YAML_SUFFIXES) and not name.startswith("."):
                rel = name if rel_folder == "." else f"{rel_folder}/{name}".replace(os.sep, "/")
                if rel != ROOT_FILE:
                    found.append(rel)
    found.sort()
    return found


PARALLEL_BYTES = 2 << 20
"""A plan this large is loaded on two cores (shard.py): a forked worker parses part of the files and builds the
events they define, while this process does the rest (below it, starting the worker costs more than it saves)."""


def load_plan(path: str | None = None) -> LoadResult:
    """Find, parse and resolve a plan. Raises UsageError only when there is no plan to load."""
    root, display = find_plan_root(path)
    sources = {rel: display_path(display, rel) for rel in [ROOT_FILE, *plan_files(root)]}
    if gc.get_freeze_count():
        # Not the process's first load (a collector reloading its plan): gc.freeze() below would keep forever the
        # cycles earlier work left, garbage included, unless they are collected first.
        gc.collect()
    with gc_paused():
        sizes = {}
        for rel in sources:
            try:
                sizes[rel] = os.stat(root / rel).st_size
            except OSError:
                sizes[rel] = 0
        if sum(sizes.values()) >= PARALLEL_BYTES and can_fork():
            from tracking_plan.core.shard import load_sharded

            loaded = load_sharded(root, display, sources, sizes)
            if loaded is not None:
                return loaded
        parsed = {shown: read_yaml_file(root / rel, shown, root) for rel, shown in sources.items()}
        return build_plan(display, parsed, [d for _, diags in parsed.values() for d in diags])


def load_parsed(display: str, parsed: Mapping[str, tuple[Any, list[Diagnostic]]]) -> LoadResult:
    """Build a plan from files already parsed, keyed by path relative to the plan root."""
    ordered = [ROOT_FILE, *sorted(rel for rel in parsed if rel != ROOT_FILE)]
    with gc_paused():
        by_display = {display_path(display, rel): parsed[rel] for rel in ordered if rel in parsed}
        return build_plan(display, by_display, [d for _, diags in by_display.values() for d in diags])
