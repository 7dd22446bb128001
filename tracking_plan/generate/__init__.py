"""Code generation: plan → neutral codegen model → per-target naming and templates → files."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.loader import gc_paused
from tracking_plan.core.model import Plan
from tracking_plan.generate.common import COLLISIONS, COMMON_OPTIONS, CodegenError, Target
from tracking_plan.generate.model import build_codegen_plan

TARGET_MODULES = ("typescript", "python", "kotlin", "swift", "java", "go", "csharp", "jsonschema")

__all__ = ["TARGET_MODULES", "CodegenError", "Target", "generate_files", "target"]


@cache
def target(name: str) -> Target:
    module = importlib.import_module(f"tracking_plan.generate.{name}")
    found: Target = module.TARGET
    return found


def generate_files(plan: Plan, target_name: str, options: Mapping[str, Any] | None = None,
                   platform: str | None = None) -> dict[str, str]:
    """The files of one target, by path relative to the output folder. Raises CodegenError on collisions."""
    chosen = target(target_name)
    merged: dict[str, Any] = {**COMMON_OPTIONS, **{name: option.default for name, option in chosen.options.items()}}
    merged.update(options or {})
    for name, option in chosen.options.items():
        option.check(name, merged[name], target_name)
    if merged["collisions"] not in ("error", "suffix"):
        raise UsageError(f"collisions must be error or suffix, not '{merged['collisions']}'.", None)
    token = COLLISIONS.set(merged["collisions"])
    try:
        with gc_paused(freeze=False):  # a large tree of strings and small objects, gone once written
            return chosen.render(build_codegen_plan(plan, platform), merged, plan)
    finally:
        COLLISIONS.reset(token)
