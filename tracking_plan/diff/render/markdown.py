"""`diff --format markdown`: one pull-request comment — a summary line, a table of breaking changes
with the squad to ping, and the rest folded away."""

from __future__ import annotations

from tracking_plan.diff.compare import Comparison
from tracking_plan.diff.compat import JudgedChange
from tracking_plan.diff.render.text import events_text
from tracking_plan.output.markdown import code, escape

MARKER = "<!-- tracking-plan:diff -->"


def _where(change: JudgedChange) -> str:
    location = change.change.head_location or change.change.base_location
    return code(f"{location.file}:{location.line}") if location else ""


def _owner(comparison: Comparison, change: JudgedChange) -> str:
    owner = change.change.owner
    if not owner:
        return "—"
    contact = comparison.squad_contact(owner)
    return escape(owner) + (f" ({escape(contact)})" if contact else "")


def _metrics(change: JudgedChange) -> str:
    """The metrics the change touches, and the objectives they serve."""
    if not change.metrics:
        return "—"
    served = f" ({', '.join(escape(o) for o in change.objectives)})" if change.objectives else ""
    return ", ".join(code(m) for m in change.metrics) + served


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def render(comparison: Comparison) -> str:
    lines = [MARKER]
    if comparison.diagnostics:
        lines += ["### Tracking plan: the plan could not be read", ""]
        lines += [f"- {escape(d.message)}" + (f" ({code(str(d.location))})" if d.location else "")
                  for d in comparison.diagnostics]
        return "\n".join(lines) + "\n"
    breaking, additive, cosmetic = (comparison.count(i) for i in ("breaking", "additive", "cosmetic"))
    if not comparison.changes:
        lines.append(f"### Tracking plan: no changes between {escape(comparison.base.label)} and "
                     f"{escape(comparison.head.label)}")
        return "\n".join(lines) + "\n"
    icon = "💥" if breaking else "✅"
    version = ""
    if comparison.base_version and comparison.required_version:
        version = f" ({comparison.base_version} → at least {comparison.required_version})"
    lines += [
        f"### {icon} Tracking plan: {_plural(breaking, 'breaking change')}, {additive} additive, {cosmetic} cosmetic",
        "",
        f"Suggested version bump: **{comparison.bump}**{version} · compatibility mode: {code(comparison.mode)} · "
        f"comparing {escape(comparison.base.label)} → {escape(comparison.head.label)}",
    ]
    if not comparison.version_ok:
        lines += ["", f"⚠️ The plan declares version {comparison.head_version}; these changes need at least "
                      f"{comparison.required_version}."]
    library = comparison.library_groups
    shown = comparison.ungrouped
    broken = [c for c in shown if c.impact == "breaking"]
    broken_library = [g for g in library if g.change.impact == "breaking"]
    if broken or broken_library:
        lines += ["", "| Breaking change | Squad to ping | Why | Metrics | Where |", "|---|---|---|---|---|"]
        for shared in broken_library:
            squads = ", ".join(escape(o) for o in shared.owners) or "—"
            lines.append(f"| {escape(shared.change.message)} ({escape(events_text(shared.events))}) | {squads} | "
                         f"{escape(shared.change.why)} | {_metrics(shared.change)} | {_where(shared.change)} |")
        for change in broken:
            lines.append(f"| {escape(change.message)} | {_owner(comparison, change)} | {escape(change.why)} | "
                         f"{_metrics(change)} | {_where(change)} |")
    reviewed = [c for c in comparison.changes if c.review == "privacy"]
    if reviewed:
        lines += ["", f"🔒 **For the privacy reviewer**: {_plural(len(reviewed), 'change')} to personal data or "
                      "where events go.", "", "| Change | Verdict | Squad | Where |", "|---|---|---|---|"]
        for change in reviewed:
            lines.append(f"| {escape(change.message)} | {change.impact} | {_owner(comparison, change)} | "
                         f"{_where(change)} |")
    for impact, title in (("additive", "additive change"), ("cosmetic", "cosmetic change")):
        group = [c for c in comparison.changes if c.impact == impact]
        if not group:
            continue
        lines += ["", f"<details><summary>{_plural(len(group), title)}</summary>", ""]
        lines += [f"- {escape(g.change.message)} — {escape(events_text(g.events))} {_where(g.change)}".rstrip()
                  for g in library if g.change.impact == impact]
        lines += [f"- {escape(c.message)} — {_owner(comparison, c)} {_where(c)}".rstrip()
                  + (f" · metrics: {_metrics(c)}" if c.metrics else "") for c in shown if c.impact == impact]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
