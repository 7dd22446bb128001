"""`diff --format text`: changes grouped by squad, breaking first."""

from __future__ import annotations

from itertools import groupby

from rich.console import Group
from rich.text import Text

from tracking_plan.diff.compare import Comparison
from tracking_plan.diff.compat import JudgedChange
from tracking_plan.output.terminal import visible

_STYLE = {"breaking": "bold red", "additive": "green", "cosmetic": "dim"}


def events_text(events: tuple[str, ...], shown: int = 8) -> str:
    """`in 12 events: A, B, … (+4 more)`."""
    names = ", ".join(events[:shown]) + (f" (+{len(events) - shown} more)" if len(events) > shown else "")
    return f"in {len(events)} events: {names}"


def _line(change: JudgedChange) -> Text:
    line = Text("  ")
    line.append(f"{change.impact:<9}", style=_STYLE[change.impact])
    line.append(f" {visible(change.message)}")
    location = change.change.head_location or change.change.base_location
    if location is not None:
        line.append(f"  {visible(str(location))}", style="dim")
    if change.impact == "breaking":
        line.append(f"\n             {visible(change.why)}", style="red")
    if change.metrics:
        served = f" · objectives: {', '.join(change.objectives)}" if change.objectives else ""
        line.append(f"\n             metrics: {visible(', '.join(change.metrics) + served)}", style="cyan")
    elif change.review:
        line.append(f"\n             {visible(change.why)}", style="magenta")
    return line


def render(comparison: Comparison) -> Group:
    parts: list[Text] = []
    base_version = f" ({comparison.base_version})" if comparison.base_version else " (no plan)"
    head_version = f" ({comparison.head_version})" if comparison.head_version else " (no plan)"
    parts.append(Text(visible(f"{comparison.base.label}{base_version} → {comparison.head.label}{head_version}, "
                      f"compatibility: {comparison.mode}"), style="bold"))
    parts.append(Text(""))
    if comparison.diagnostics:
        parts.append(Text("The plan could not be read, so nothing was compared:", style="bold red"))
        for d in comparison.diagnostics:
            hint = f"\n    hint: {d.hint}" if d.hint else ""
            parts.append(Text(visible(f"  {d.location or ''}  {d.message}{hint}")))
        return Group(*parts)
    if not comparison.changes:
        parts.append(Text("No changes.", style="bold green"))
        return Group(*parts)
    order = {"breaking": 0, "additive": 1, "cosmetic": 2}
    library = comparison.library_groups
    if library:
        parts.append(Text("Library properties (one change, seen in every event using it)", style="bold underline"))
        for group in sorted(library, key=lambda g: (order[g.change.impact], g.change.change.library or "")):
            line = _line(group.change)
            line.append(f"\n             {visible(events_text(group.events))}", style="cyan")
            if group.owners:
                line.append(f" · squads: {visible(', '.join(group.owners))}", style="cyan")
            parts.append(line)
        parts.append(Text(""))
    by_owner = sorted(comparison.ungrouped, key=lambda c: (c.change.owner or "~", order[c.impact]))
    # Squads with breaking changes first.
    groups = [(owner, list(items)) for owner, items in groupby(by_owner, key=lambda c: c.change.owner)]
    groups.sort(key=lambda g: (min(order[c.impact] for c in g[1]), g[0] or "~"))
    for owner, items in groups:
        contact = comparison.squad_contact(owner)
        heading = visible((owner or "(no owner)") + (f" ({contact})" if contact else ""))
        parts.append(Text(heading, style="bold underline"))
        parts.extend(_line(change) for change in items)
        parts.append(Text(""))
    summary = (f"{comparison.count('breaking')} breaking, {comparison.count('additive')} additive, "
               f"{comparison.count('cosmetic')} cosmetic. Suggested version bump: {comparison.bump}")
    if comparison.required_version:
        summary += f" ({comparison.base_version} → {comparison.required_version})"
    parts.append(Text(summary + ".", style="bold red" if comparison.count("breaking") else "bold green"))
    privacy = sum(1 for c in comparison.changes if c.review == "privacy")
    if privacy:
        parts.append(Text(f"{privacy} change{'' if privacy == 1 else 's'} to personal data or destinations: "
                          "ask your privacy reviewer.", style="bold magenta"))
    if not comparison.version_ok:
        parts.append(Text(f"The plan declares version {comparison.head_version}, lower than the "
                          f"{comparison.required_version} these changes need.", style="bold red"))
    return Group(*parts)
