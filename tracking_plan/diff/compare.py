"""`tracking-plan diff`: load both sides, list the changes, judge them, suggest the version bump."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

from tracking_plan.core.diagnostics import Diagnostic, Severity, UsageError
from tracking_plan.core.model import Plan
from tracking_plan.diff.changes import diff_plans
from tracking_plan.diff.compat import JudgedChange, describe, judge_all, read_diff_settings, suggested_bump
from tracking_plan.diff.git import Side, load_sides
from tracking_plan.diff.metrics import with_metrics

_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True)
class LibraryChange:
    """One change of a library property, as every event using it sees it."""
    change: JudgedChange
    """The change, said of the library property (its message names no event)."""
    events: tuple[str, ...]
    owners: tuple[str, ...]
    members: tuple[JudgedChange, ...]


@dataclass(frozen=True)
class Comparison:
    base: Side
    head: Side
    mode: str
    changes: tuple[JudgedChange, ...]
    bump: str
    diagnostics: tuple[Diagnostic, ...]
    """Load errors of either side and problems of the diff section: when present, no changes are computed."""

    @property
    def base_plan(self) -> Plan | None:
        return self.base.result.plan if self.base.exists else None

    @property
    def head_plan(self) -> Plan | None:
        return self.head.result.plan if self.head.exists else None

    @property
    def base_version(self) -> str | None:
        return self.base_plan.version if self.base_plan else None

    @property
    def head_version(self) -> str | None:
        return self.head_plan.version if self.head_plan else None

    @property
    def required_version(self) -> str | None:
        """The lowest version HEAD may declare: BASE's version bumped as suggested."""
        if self.base_version is None:
            return None
        return bump_version(self.base_version, self.bump)

    @property
    def version_ok(self) -> bool:
        required, declared = self.required_version, self.head_version
        if required is None or declared is None:
            return True
        return version_key(declared) >= version_key(required)

    def count(self, impact: str) -> int:
        return sum(1 for c in self.changes if c.impact == impact)

    def fails(self, fail_on: str, check_version: bool) -> bool:
        """`diff --fail-on breaking|any|never` (and `--check-version`): a plan that cannot be read always fails."""
        failed = bool(self.diagnostics) or (fail_on == "breaking" and self.count("breaking") > 0) \
            or (fail_on == "any" and bool(self.changes))
        return failed or (check_version and not self.version_ok)

    @cached_property
    def library_groups(self) -> tuple[LibraryChange, ...]:
        """The changes one library property's change makes in several events, said once each: what text and
        Markdown show (JSON keeps every change, with its `library`)."""
        groups: dict[tuple[str, ...], list[JudgedChange]] = {}
        for judged in self.changes:
            change = judged.change
            if change.library is not None:
                key = (change.library, change.kind, repr(change.old), repr(change.new), judged.impact)
                groups.setdefault(key, []).append(judged)
        out = []
        for members in groups.values():
            if len(members) < 2:
                continue
            first = members[0]
            said = first.change._replace(scope="library", event=None, property=first.change.library)
            metrics = tuple(sorted({name for m in members for name in m.metrics}))
            objectives = tuple(sorted({name for m in members for name in m.objectives}))
            out.append(LibraryChange(replace(first, message=describe(said), metrics=metrics, objectives=objectives),
                                     tuple(m.change.event or ""
                                                                                   for m in members),
                                     tuple(sorted({m.change.owner for m in members if m.change.owner})),
                                     tuple(members)))
        return tuple(out)

    @cached_property
    def ungrouped(self) -> tuple[JudgedChange, ...]:
        """The changes no library group says."""
        grouped = {id(m) for group in self.library_groups for m in group.members}
        return tuple(c for c in self.changes if id(c) not in grouped)

    def squad_contact(self, owner: str | None) -> str | None:
        for plan in (self.head_plan, self.base_plan):
            if plan is not None and owner is not None and owner in plan.squads:
                return plan.squads[owner].contact
        return None


def version_key(version: str) -> tuple[int, int, int]:
    match = _SEMVER.match(version)
    if match is None:
        return (0, 0, 0)
    major, minor, patch = (int(g) for g in match.groups())
    return (major, minor, patch)


def bump_version(version: str, bump: str) -> str:
    major, minor, patch = version_key(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor}.{patch}"


def compare(base: str | None, head: str | None, plan_path: str | None, compatibility: str | None = None) -> Comparison:
    """Compare two sides; `compatibility` overrides the mode the head plan sets."""
    base_side, head_side = load_sides(base, head, plan_path)
    if not base_side.exists and not head_side.exists:
        raise UsageError(f"There is no plan ({plan_path or 'plans/'}) at {base_side.label} or at {head_side.label}.",
                         "Check --plan: it names the plan folder inside the repository.")
    problems = [d for side in (base_side, head_side) if side.exists
                for d in side.result.diagnostics if d.severity is Severity.ERROR]
    for side in (base_side, head_side):
        if side.exists and side.result.plan is None and not problems:
            problems.append(Diagnostic("yaml-syntax", Severity.ERROR,
                                       f"The plan at {side.label} cannot be read.", None, None))
    head_plan = head_side.result.plan if head_side.exists else None
    mode, overrides, config_problems = read_diff_settings(head_plan)
    mode = compatibility or mode
    problems += config_problems
    if problems:
        return Comparison(base_side, head_side, mode, (), "none", tuple(problems))
    base_plan = base_side.result.plan if base_side.exists else None
    # A plan that did not exist had no producers or consumers: nothing can break for them.
    judging_mode = mode if base_plan is not None else "none"
    judged = with_metrics(judge_all(diff_plans(base_plan, head_plan), judging_mode, overrides), base_plan, head_plan)
    return Comparison(base_side, head_side, mode, tuple(judged), suggested_bump(judged), ())
