"""What a lint rule is: its id, severity, documentation, options and check, in one value.

Each rule lives in its own module of `tracking_plan.lint.rules` as `RULE = Rule(...)`; the docs,
README's rule table, `tracking-plan rules` and the SARIF rule metadata are generated from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from tracking_plan.core.diagnostics import Location, Severity
from tracking_plan.core.model import Event, Property

if TYPE_CHECKING:
    from tracking_plan.lint.context import RuleContext

PRESETS = ("minimal", "recommended", "strict")


class Finding(NamedTuple):
    """One problem a rule found; the engine turns it into a Diagnostic with the configured severity."""

    message: str
    location: Location
    hint: str | None = None
    event: Event | None = None
    """The event concerned: its lint_ignore can silence the finding."""
    prop: Property | None = None
    """The property concerned: its lint_ignore can silence the finding."""


@dataclass(frozen=True)
class Option:
    default: Any
    description: str
    choices: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    explanation: str
    bad: str
    good: str
    scope: str
    """What the rule looks at: plan, event or property."""
    severity: Severity = Severity.WARNING
    preset: str = "recommended"
    """The loosest preset that turns the rule on: minimal < recommended < strict."""
    check: Callable[[RuleContext], Iterator[Finding]] | None = None
    """None for the loader's structural checks, which always run."""
    options: Mapping[str, Option] = field(default_factory=lambda: MappingProxyType({}))
    sources: tuple[str, ...] = ()
    """Published documents a rule's limits come from."""

    @property
    def configurable(self) -> bool:
        return self.check is not None

    def enabled_in(self, preset: str) -> bool:
        return PRESETS.index(self.preset) <= PRESETS.index(preset)
