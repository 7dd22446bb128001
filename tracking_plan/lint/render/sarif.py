"""`--format sarif`: SARIF 2.1.0, as GitHub code scanning and other CI tools read it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from tracking_plan import __version__
from tracking_plan.core.diagnostics import Diagnostic, Severity
from tracking_plan.lint.engine import LintResult
from tracking_plan.lint.rule import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule_help(rule: Rule) -> str:
    """The rule's explanation with its bad and good examples, as Markdown."""
    parts = [rule.explanation, "", "Bad:", "```yaml", rule.bad.rstrip(), "```", "", "Good:", "```yaml",
             rule.good.rstrip(), "```"]
    if rule.sources:
        parts += ["", "Sources:", *[f"- {source}" for source in rule.sources]]
    return "\n".join(parts)


def _descriptor(rule: Rule) -> dict[str, Any]:
    help_markdown = rule_help(rule)
    return {
        "id": rule.id,
        "name": "".join(word.capitalize() for word in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": help_markdown, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": [rule.scope, rule.preset]},
    }


def render(result: LintResult) -> str:
    """The findings, with every rule described (SARIF's tool.driver.rules), found or not."""
    from tracking_plan.lint.engine import all_rules

    return document(result.diagnostics, [_descriptor(rule) for rule in all_rules()])


def document(diagnostics: Iterable[Diagnostic], descriptors: list[dict[str, Any]]) -> str:
    """A SARIF log of one run: the findings (lint's, status's) and the descriptors of the checks they name."""
    index = {descriptor["id"]: i for i, descriptor in enumerate(descriptors)}
    results = []
    for d in diagnostics:
        item: dict[str, Any] = {
            "ruleId": d.rule,
            "level": LEVEL[d.severity],
            "message": {"text": d.message + (f" {d.hint}" if d.hint else "")},
        }
        if d.rule in index:
            item["ruleIndex"] = index[d.rule]
        if d.location is not None:
            item["locations"] = [{"physicalLocation": {
                "artifactLocation": {"uri": d.location.file.replace("\\", "/"), "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": max(d.location.line, 1), "startColumn": max(d.location.column, 1)},
            }}]
        results.append(item)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "tracking-plan",
                "version": __version__,
                "informationUri": "https://github.com/tracking-plan/tracking-plan",
                "rules": descriptors,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The directory tracking-plan ran in."}}},
            "results": results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
