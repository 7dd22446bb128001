from __future__ import annotations

from collections.abc import Iterator

from tracking_plan.conformance.patterns import pattern_problem, plan_patterns
from tracking_plan.core.diagnostics import Severity
from tracking_plan.lint.context import RuleContext
from tracking_plan.lint.rule import Finding, Rule


def check(ctx: RuleContext) -> Iterator[Finding]:
    for path, prop in plan_patterns(ctx.plan):
        pattern = prop.constraints.pattern or ""
        problem = pattern_problem(pattern)
        if problem is not None:
            yield Finding(f"Property '{path}' has the pattern {pattern!r}, which no event can be checked against: "
                          f"{problem}.", prop.where("pattern"),
                          "Write a regular expression RE2, ECMA-262 and Python all read: escape a literal ( or "
                          "\\ with a backslash; no lookaround or backreference.")


RULE = Rule(
    id="invalid-pattern",
    summary="A pattern is a regular expression every engine reads.",
    explanation="validate (DuckDB), the warehouse queries (RE2 in BigQuery and ClickHouse), the collector (Python) "
                "and the generated code (ECMA-262) all check `pattern`. One that does not compile, or uses what "
                "RE2 lacks (lookaround, backreferences), would stop validate or the warehouse query, or be read "
                "differently by each engine.",
    bad="country: {type: string, pattern: \"^([A-Z]{2}\"}\n",
    good="country: {type: string, pattern: \"^[A-Z]{2}$\"}\n",
    scope="property",
    severity=Severity.ERROR,
    preset="minimal",
    check=check,
)
