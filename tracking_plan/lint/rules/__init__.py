"""The lint rules: one module per rule, each defining `RULE`. Adding a rule is adding a module."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from tracking_plan.lint.rule import Rule


@cache
def plan_rules() -> tuple[Rule, ...]:
    """The rules that check a loaded plan, sorted by id."""
    found = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        found.append(module.RULE)
    return tuple(sorted(found, key=lambda rule: rule.id))
