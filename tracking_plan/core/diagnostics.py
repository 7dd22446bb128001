"""The one findings model: every consumer reports Diagnostics, every output format renders them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used to compare against --fail-on."""
        return _RANK[self]

    @staticmethod
    def threshold(fail_on: str) -> Severity | None:
        """`--fail-on` as the lowest severity that fails: error, warning, info (or any: every finding), never."""
        return None if fail_on == "never" else Severity.INFO if fail_on == "any" else Severity(fail_on)


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a plan file; line and column count from 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    rule: str
    severity: Severity
    message: str
    location: Location | None
    hint: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        if loc is None:
            return ("", 0, 0, self.rule, self.message)
        return (loc.file, loc.line, loc.column, self.rule, self.message)

    def plain(self) -> tuple[str, str, str, str | None, int, int, str | None]:
        """As builtins only, so a forked worker hands findings over with marshal or pickle at C speed."""
        loc = self.location
        return (self.rule, self.severity.value, self.message, loc.file if loc else None, loc.line if loc else 0,
                loc.column if loc else 0, self.hint)

    @classmethod
    def from_plain(cls, raw: tuple[str, str, str, str | None, int, int, str | None]) -> Diagnostic:
        rule, severity, message, file, line, column, hint = raw
        return cls(rule, Severity(severity), message, Location(file, line, column) if file is not None else None,
                   hint)


class UsageError(Exception):
    """A mistake in how the command was called (exit code 2), as opposed to a finding in the plan."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
