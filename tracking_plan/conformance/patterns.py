"""Whether a `pattern` is a regular expression every engine reads the same way: Python's `re` (the collector and
the generated Python), RE2 (DuckDB, BigQuery, ClickHouse) and ECMA-262 (the generated TypeScript, JSON Schema).
Lint reports the others at their line; validate refuses to run with them rather than blame the data."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tracking_plan.core.model import Plan, Property

_NOT_IN_RE2 = (
    (re.compile(r"\(\?<?[=!]"), "a lookahead or lookbehind"),
    (re.compile(r"(?<!\\)\\[1-9]"), "a backreference"),
    (re.compile(r"\(\?P?<[A-Za-z_]\w*>.*\(\?P?=[A-Za-z_]"), "a named backreference"),
    (re.compile(r"[*+?}]\+"), "a possessive quantifier"),
    (re.compile(r"\(\?>"), "an atomic group"),
)


def pattern_problem(pattern: str) -> str | None:
    """Why the pattern cannot be used, in words, or None."""
    try:
        re.compile(pattern)
    except re.error as error:
        return f"it is not a regular expression ({error})"
    except (RecursionError, OverflowError):
        return "it is too deeply nested"
    for construct, name in _NOT_IN_RE2:
        if construct.search(pattern):
            return f"it uses {name}, which RE2 (the warehouses' and DuckDB's engine) does not have"
    return None


def end_anchored(pattern: str, end: str = "\\Z") -> str:
    """The pattern with `$` meaning the end of the text, as in JSON Schema (ECMA-262) and RE2: Python's, Java's
    and ICU's (Swift's) `$` also match before a final newline, so that `^[A-Z]{2}$` would take "FR\\n". An
    unescaped `$` outside a character class becomes `end`: `\\Z` in Python, `\\z` in Java and ICU."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append(end)
            continue
        out.append(char)
    return "".join(out)


def plan_patterns(plan: Plan) -> Iterator[tuple[str, Property]]:
    """Every property holding a pattern, with its path: events' properties at any depth, global properties,
    traits and the library."""
    seen: set[int] = set()
    groups = [event.properties for event in plan.events.values()]
    groups += [plan.global_properties, plan.traits, tuple(plan.library.values())]
    for group in groups:
        for top in group:
            for path, prop in top.walk():
                if prop.constraints.pattern is not None and id(prop) not in seen:
                    seen.add(id(prop))
                    yield path, prop


def refuse_unusable_patterns(plan: Plan) -> None:
    """Stop before any data is read when a pattern cannot be used: the plan is at fault, not the data."""
    from tracking_plan.core.diagnostics import UsageError

    for path, prop in plan_patterns(plan):
        problem = pattern_problem(prop.constraints.pattern or "")
        if problem is not None:
            raise UsageError(f"{prop.where('pattern')}: the pattern of '{path}' cannot check any event: {problem}.",
                             "Fix the plan (tracking-plan lint reports it as invalid-pattern), then validate again.")
