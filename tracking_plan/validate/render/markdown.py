"""`validate --format markdown`: a report for a pull request or a wiki page."""

from __future__ import annotations

from tracking_plan.conformance.result import ValidationResult
from tracking_plan.output.markdown import code, escape


def render(result: ValidationResult) -> str:
    s = result.summary()
    rate = f"{100 * s['valid_rate']:.1f}%"
    lines = [f"### Collected data: {s['events_read']:,} events, {rate} valid", "",
             "| squad | events | valid |", "|---|---|---|"]
    lines += [f"| {escape(name)} | {c['seen']:,} | {100 * c['valid_rate']:.1f}% |" for name, c in s["by_squad"].items()]
    lines += ["", "| event | check | property | count | samples |", "|---|---|---|---|---|"]
    for event in result.events:
        for v in event.violations:
            samples = ", ".join(code(sample) for sample in v.samples)
            lines.append(f"| {escape(event.event)} | `{v.check}` | {code(v.property) if v.property else ''} | "
                         f"{v.count:,} | {samples} |")
    if result.silent:
        lines += ["", "Planned and never seen: " + ", ".join(escape(name) for name in result.silent)]
    return "\n".join(lines) + "\n"
