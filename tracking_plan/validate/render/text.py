"""`validate --format text`: the summary, then each event with violations (worst first), silent and unplanned."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from tracking_plan.conformance.result import ValidationResult
from tracking_plan.output.terminal import visible


def _rate(valid: int, seen: int) -> str:
    return f"{100 * valid / seen:.1f}%" if seen else "—"


def render(result: ValidationResult) -> Group:
    s = result.summary()
    parts = [Text(f"{s['events_read']:,} events read ({result.shape} shape): {s['valid']:,} valid "
                  f"({_rate(s['valid'], s['events_read'])}), {s['violations']:,} violations.", style="bold")]
    if s["by_squad"]:
        parts.append(Text("  " + "; ".join(f"{visible(name)} {_rate(c['valid'], c['seen'])} of {c['seen']:,}"
                                           for name, c in s["by_squad"].items())))
    parts.append(Text(""))
    broken = sorted((e for e in result.events if e.planned and e.violations), key=lambda e: (e.valid_rate, e.event))
    for event in broken:
        owner = f" ({visible(event.owner)})" if event.owner else ""
        parts.append(Text(f"{visible(event.event)}{owner}: {event.seen:,} seen, {_rate(event.valid, event.seen)} "
                          f"valid, {event.first_seen or '?'} → {event.last_seen or '?'}", style="bold underline"))
        for v in sorted(event.violations, key=lambda v: -v.count):
            line = Text("  ")
            line.append(f"{v.count:>8,}  ", style="red")
            line.append(v.check, style="bold")
            if v.property:
                line.append(f"  {visible(v.property)}")
            if v.samples:
                line.append("  e.g. " + ", ".join(visible(repr(sample)) for sample in v.samples), style="dim")
            parts.append(line)
        parts.append(Text(""))
    if result.unplanned:
        parts.append(Text("Not in the plan:", style="bold"))
        parts += [Text(f"  {e.seen:>8,}  {visible(e.event)}"
                       + (f"  (did you mean '{visible(e.suggestion)}'?)" if e.suggestion else ""))
                  for e in result.unplanned]
        parts.append(Text(""))
    if result.silent:
        parts.append(Text(f"Planned and never seen ({len(result.silent)}): " + ", ".join(map(visible, result.silent)),
                          style="yellow"))
    if result.stale:
        parts.append(Text(f"Not seen lately ({len(result.stale)}): " + ", ".join(map(visible, result.stale)),
                          style="yellow"))
    if not broken and not result.unplanned:
        parts.append(Text("✔ Every event read follows the plan.", style="bold green"))
    return Group(*parts)
