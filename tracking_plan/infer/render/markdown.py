"""`infer --format markdown`: the summary for a pull request."""

from __future__ import annotations

from tracking_plan.infer.against import ITEM_KINDS
from tracking_plan.infer.result import InferResult
from tracking_plan.output.markdown import code, escape

_TITLES = {"unplanned-event": "Events the plan does not have",
           "unplanned-property": "Properties the plan's open events carry unplanned",
           "unplanned-enum-value": "Values sent that the plan's enums do not list",
           "often-missing": "Required properties often missing"}


def _share(seen: int, of: int) -> str:
    return f"{seen:,} of {of:,} ({100 * seen / of:.1f}%)" if of else f"{seen:,}"


def render(result: InferResult) -> str:
    out: list[str] = []
    if result.additions is None:
        out += [f"# Plan inferred from {sum(c['messages'] for c in result.calls()):,} messages", ""]
        if result.written:
            out += [f"Written to {code(result.out)} ({len(result.written)} files).", ""]
        out += [
                "| call | name | messages | first seen | last seen | platforms | properties |",
                "|---|---|---|---|---|---|---|"]
        out += [f"| {c['call']} | {escape(c['name'])} | {c['messages']:,} | {c['first_seen'] or '—'} | "
                f"{c['last_seen'] or '—'} | {', '.join(c['platforms']) or '—'} | {c['properties']} |"
                for c in result.calls()]
        return "\n".join(out) + "\n"
    items = result.items()
    out += [f"# What the traffic adds to {code(result.against or '')}", ""]
    if not items:
        return "\n".join([*out, "Nothing: every event, property and value seen is planned.", ""])
    if result.written:
        out += [f"New events written to {code(result.out)}: add those files to the plan, and `tracking-plan diff` "
                "judges them.", ""]
    for kind in ITEM_KINDS:
        title = _TITLES[kind]
        rows = [i for i in items if i["kind"] == kind]
        if not rows:
            continue
        out += [f"## {title} ({len(rows)})", "", "| event | property | seen | values |", "|---|---|---|---|"]
        for row in rows:
            values = ", ".join(code(v) for v in row["values"])
            if row["hidden_values"]:
                values += f"{' and ' if values else ''}{row['hidden_values']} not shown"
            out.append(f"| {escape(row['event'])} | {code(row['property']) if row['property'] else '—'} | "
                       f"{_share(row['seen'], row['of'])} | {values or '—'} |")
        out.append("")
    return "\n".join(out)
