"""Runs the loader and the enabled rules over one plan and gathers their findings."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracking_plan.core import destinations
from tracking_plan.core.diagnostics import Diagnostic, Severity
from tracking_plan.core.discover import find_plan_root, load_plan
from tracking_plan.core.files import FileRefused, read_regular
from tracking_plan.core.loader import gc_paused
from tracking_plan.core.model import Plan
from tracking_plan.core.parallel import can_fork
from tracking_plan.lint.config import RuleSetting, read_config
from tracking_plan.lint.context import PlanIndex, RuleContext
from tracking_plan.lint.rule import Rule
from tracking_plan.lint.rules import plan_rules
from tracking_plan.lint.structural import STRUCTURAL_RULES
from tracking_plan.output.fileio import is_inside

BASELINE_FORMAT = 1


def all_rules() -> tuple[Rule, ...]:
    """Every rule: the loader's structural checks, then the plan rules, each group sorted by id."""
    return (*sorted(STRUCTURAL_RULES, key=lambda r: r.id), *plan_rules())


@dataclass(frozen=True)
class LintResult:
    plan: Plan | None
    diagnostics: tuple[Diagnostic, ...]
    files: int
    silenced: Counter[str] = field(default_factory=Counter)
    """Findings that an event or property silenced with lint_ignore, by rule: counted, never hidden."""
    baselined: int = 0
    """Findings present in the baseline file, so not shown."""

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def fails(self, fail_on: Severity | None) -> bool:
        """Whether any finding is at or above `fail_on` (None: never fail)."""
        if fail_on is None:
            return False
        return any(d.severity.rank >= fail_on.rank for d in self.diagnostics)

    def summary(self) -> dict[str, int]:
        counts = Counter(d.severity.value for d in self.diagnostics)
        return {
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
            "silenced": sum(self.silenced.values()),
            "baselined": self.baselined,
            "files": self.files,
            "events": len(self.plan.events) if self.plan else 0,
            "properties": len(self.plan.library) if self.plan else 0,
        }


def lint_plan(path: str | None, preset: str | None = None, baseline: str | None = None) -> LintResult:
    """Lint the plan at `path`; `baseline` (a file path) overrides the one named in lint.baseline."""
    loaded = load_plan(path)
    diagnostics = list(loaded.diagnostics)
    silenced: Counter[str] = Counter()
    plan = loaded.plan
    baseline_file = Path(baseline) if baseline else None
    if plan is not None:
        rules = plan_rules()
        config = read_config(plan, rules, preset)
        profiles, destination_diagnostics = destinations.profiles(plan)
        diagnostics += config.diagnostics + destination_diagnostics
        with gc_paused():
            diagnostics += run_rules(plan, rules, config.settings, PlanIndex(plan, profiles), silenced)
        if baseline_file is None and config.baseline:
            plan_dir = find_plan_root(path)[0]
            baseline_file = plan_dir / config.baseline
            if not is_inside(baseline_file, plan_dir):
                diagnostics.append(Diagnostic(
                    "lint-config", Severity.ERROR, f"lint.baseline names {config.baseline}, outside the plan folder.",
                    plan.where("lint"), "Keep the baseline inside the plan folder (lint.baseline is relative to it)."))
                baseline_file = None
    baselined = 0
    if baseline_file is not None and plan is not None:
        diagnostics, baselined = _apply_baseline(diagnostics, baseline_file, plan)
    diagnostics.sort(key=lambda d: d.sort_key)
    files = len(plan.files) if plan else len({d.location.file for d in diagnostics if d.location})
    return LintResult(plan, tuple(diagnostics), files, silenced, baselined)


PARALLEL_EVENTS = 1000
"""From this many events, the rules run in two processes, this one and a forked worker that shares the plan already
built (below it, starting the worker costs more than it saves). The findings are the same, in the same order."""

_SHARED: tuple[Plan, tuple[Rule, ...], dict[str, RuleSetting], PlanIndex, Any] | None = None
"""What the forked worker inherits: it runs rules on the parent's plan without a copy being sent, taking the next
rule from the counter both processes share."""


def run_rules(plan: Plan, rules: tuple[Rule, ...], settings: dict[str, RuleSetting], index: PlanIndex,
              silenced: Counter[str]) -> list[Diagnostic]:
    active = [rule for rule in rules if settings[rule.id].severity is not None and rule.check is not None]
    if len(plan.events) < PARALLEL_EVENTS or not can_fork():
        return _run(plan, active, settings, index, silenced)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _SHARED
    index.prepare()
    context = multiprocessing.get_context("fork")
    _SHARED = (plan, tuple(active), settings, index, context.Value("i", 0))
    try:
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            future = pool.submit(_run_shared)
            mine = _take_rules(silenced)
            theirs, their_silenced = future.result()
    finally:
        _SHARED = None
    silenced.update(their_silenced)
    by_rule = {**mine, **{i: [Diagnostic.from_plain(item) for item in found] for i, found in theirs.items()}}
    return [d for i in sorted(by_rule) for d in by_rule[i]]  # the rules' order, whichever process ran each


def _take_rules(silenced: Counter[str]) -> dict[int, list[Diagnostic]]:
    """Run rules, each the next one no process has taken yet (the costs of rules differ widely: taking them one at
    a time keeps both processes busy to the end); their findings by rule index."""
    assert _SHARED is not None
    plan, rules, settings, index, taken = _SHARED
    found: dict[int, list[Diagnostic]] = {}
    while True:
        with taken.get_lock():
            i = taken.value
            taken.value += 1
        if i >= len(rules):
            return found
        found[i] = _run(plan, [rules[i]], settings, index, silenced)


def _run_shared() -> tuple[dict[int, list[tuple[Any, ...]]], Counter[str]]:
    """In the worker: rules taken from the shared counter, on the plan inherited from the parent; findings as
    plain tuples."""
    silenced: Counter[str] = Counter()
    found = _take_rules(silenced)
    return {i: [d.plain() for d in items] for i, items in found.items()}, silenced


def _run(plan: Plan, rules: list[Rule], settings: dict[str, RuleSetting], index: PlanIndex,
         silenced: Counter[str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in rules:
        setting = settings[rule.id]
        severity = setting.severity
        if severity is None or rule.check is None:
            continue
        context = RuleContext(plan, index, setting.options)
        rule_id = rule.id
        for finding in rule.check(context):
            if (finding.event is not None and rule_id in finding.event.lint_ignore) or \
                    (finding.prop is not None and rule_id in finding.prop.lint_ignore):
                silenced[rule_id] += 1
                continue
            found.append(Diagnostic(rule_id, severity, finding.message, finding.location, finding.hint))
    return found


def _fingerprint(diagnostic: Diagnostic, plan: Plan) -> tuple[str, str, str]:
    """Rule, file relative to the plan and message: stable when lines move, so the baseline survives edits."""
    file = diagnostic.location.file if diagnostic.location else ""
    prefix = plan.root.rstrip("/") + "/"
    if plan.root != "." and file.startswith(prefix):
        file = file[len(prefix):]
    return diagnostic.rule, file, diagnostic.message


MAX_BASELINE_BYTES = 64 * 1024 * 1024


def write_baseline(result: LintResult, target: Path) -> int:
    """Write the findings to a baseline file (atomically); return how many were written."""
    from tracking_plan.output.fileio import write_atomically

    if result.plan is None:
        return 0
    entries = sorted(_fingerprint(d, result.plan) for d in result.diagnostics if d.rule not in _STRUCTURAL)
    document = {"tool": "tracking-plan", "format": BASELINE_FORMAT,
                "findings": [{"rule": r, "file": f, "message": m} for r, f, m in entries]}
    write_atomically({target: json.dumps(document, indent=2, ensure_ascii=False) + "\n"})
    return len(entries)


def baseline_written(count: int, target: Path, plan_dir: Path) -> str:
    """What `lint --write-baseline` says it did, and the two ways later runs use the file: --baseline (a path from
    where the command runs) or lint.baseline in tracking-plan.yaml (a path from the plan folder)."""
    import os

    in_plan = os.path.relpath(target.resolve(), plan_dir.resolve())
    setting = f"lint: {{baseline: {in_plan}}}" if not in_plan.startswith("..") else \
        "lint.baseline (once the file is inside the plan folder)"
    findings = f"{count} finding" + ("" if count == 1 else "s")
    return (f"Wrote {findings} to {target}. Later runs leave them out with --baseline {target} (a path from the "
            f"current folder), or with {setting} in tracking-plan.yaml (a path from the plan folder).")


_STRUCTURAL = frozenset(rule.id for rule in STRUCTURAL_RULES)
"""The loader's checks: always on, always errors, never baselined (a baseline holding one hid it)."""


def _apply_baseline(diagnostics: list[Diagnostic], baseline: Path, plan: Plan) -> tuple[list[Diagnostic], int]:
    try:
        document = json.loads(read_regular(baseline, MAX_BASELINE_BYTES))
        known = Counter((e["rule"], e["file"], e["message"]) for e in document["findings"])
    except (FileRefused, ValueError, KeyError, TypeError, RecursionError) as exc:
        reason = exc.message.rstrip(".") if isinstance(exc, FileRefused) else \
            "it is not a baseline written by tracking-plan"
        # No location: the file is not part of the plan, and none of its lines is ever shown.
        return [*diagnostics, Diagnostic("baseline", Severity.ERROR, f"Cannot read the baseline {baseline}: {reason}.",
                                         None, "Write it with 'tracking-plan lint --write-baseline FILE'.")], 0
    kept = []
    baselined = 0
    for diagnostic in diagnostics:
        key = _fingerprint(diagnostic, plan)
        if diagnostic.rule in _STRUCTURAL:  # a plan the loader cannot read as written is never accepted
            kept.append(diagnostic)
        elif known[key] > 0:
            known[key] -= 1
            baselined += 1
        else:
            kept.append(diagnostic)
    return kept, baselined


def baseline_saved(result: LintResult, target: Path, path: str | None) -> str:
    """`lint --write-baseline FILE`: the findings written there (never over one of the plan's own files), and
    what to say about it."""
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.output.fileio import refuse_plan_paths

    plan_dir, _ = find_plan_root(path)
    refuse_plan_paths(target, plan_dir, "lint --write-baseline", inside_ok=True)
    return baseline_written(write_baseline(result, target), target, plan_dir)
