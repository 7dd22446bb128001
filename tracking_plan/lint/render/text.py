"""`--format text`: findings grouped by file, each with the YAML line it is about and how to fix it."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import groupby

from rich.console import Group
from rich.text import Text

from tracking_plan.core.diagnostics import Diagnostic, Severity
from tracking_plan.core.files import FileRefused, read_regular
from tracking_plan.core.yamlsource import MAX_FILE_BYTES
from tracking_plan.lint.engine import LintResult
from tracking_plan.output.terminal import visible

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_FRAME_WIDTH = 120


_NO_FRAME = frozenset({"unreadable-file", "file-too-large"})
"""Findings about files the loader refused to read: their lines are never shown either."""


@lru_cache(maxsize=64)
def _read_lines(file: str) -> tuple[str, ...]:
    try:
        return tuple(read_regular(file, MAX_FILE_BYTES).decode("utf-8-sig", errors="replace").splitlines())
    except FileRefused:
        return ()


def render(result: LintResult, source: Callable[[str], tuple[str, ...]] = _read_lines) -> Group:
    """`source` gives a file's lines, for the code frame; by default they are read from disk."""
    parts: list[Text] = []
    ordered = sorted(result.diagnostics, key=lambda d: d.sort_key)
    for file, group in groupby(ordered, key=lambda d: d.location.file if d.location else ""):
        parts.append(Text(visible(file) or "(plan)", style="bold underline"))
        for diagnostic in group:
            parts.append(_finding(diagnostic, source))
        parts.append(Text(""))
    parts.append(_summary(result))
    return Group(*parts)


def _finding(d: Diagnostic, source: Callable[[str], tuple[str, ...]]) -> Text:
    text = Text("  ")
    if d.location:
        text.append(f"{d.location.line}:{d.location.column}", style="dim")
        text.append("  ")
    text.append(d.severity.value, style=_STYLE[d.severity])
    text.append(f"  {visible(d.message)}  ")
    text.append(d.rule, style="dim")
    if d.location and d.rule not in _NO_FRAME:
        lines = source(d.location.file)
        if 0 < d.location.line <= len(lines):
            line = visible(lines[d.location.line - 1].expandtabs(1)[:_FRAME_WIDTH])
            gutter = f"    {d.location.line:>4} | "
            text.append("\n" + gutter, style="dim")
            text.append(line)
            caret_at = min(d.location.column - 1, len(line))
            text.append("\n" + " " * (len(gutter) - 2) + "| " + " " * caret_at + "^", style="dim")
    if d.hint:
        text.append("\n    hint: ", style="green")
        text.append(visible(d.hint))
    return text


def _summary(result: LintResult) -> Text:
    s = result.summary()
    scope = f"{s['events']} event{'s' * (s['events'] != 1)}, {s['files']} file{'s' * (s['files'] != 1)}"
    extras = []
    if s["silenced"]:
        extras.append(f"{s['silenced']} silenced by lint_ignore")
    if s["baselined"]:
        extras.append(f"{s['baselined']} in the baseline")
    tail = f" ({'; '.join(extras)})" if extras else ""
    if not result.diagnostics:
        return Text(f"✔ No problems ({scope}){tail}.", style="bold green")
    counts = [f"{s['errors']} error{'s' * (s['errors'] != 1)}",
              f"{s['warnings']} warning{'s' * (s['warnings'] != 1)}",
              f"{s['info']} info"]
    style = "bold red" if s["errors"] else "bold yellow"
    return Text(f"✖ {', '.join(counts)} ({scope}){tail}.", style=style)
