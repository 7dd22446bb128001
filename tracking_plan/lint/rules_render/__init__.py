"""Renderers of the lint rules (`tracking-plan rules [RULE]`): the list, or one rule explained."""

from __future__ import annotations

from dataclasses import dataclass

from tracking_plan.lint.rule import Rule

FORMATS = ("text", "json", "markdown")
"""The formats, in the order `--format` lists them: each is the module `FORMAT.py` here, with `render(listing)`."""


@dataclass(frozen=True)
class RulesListing:
    rules: tuple[Rule, ...]
    one: bool
    """Whether one rule was asked for (it is explained, with its examples), not the list."""


def preset(rule: Rule) -> str:
    return rule.preset if rule.configurable else "always"
