"""`infer` at a terminal: what was written, or what the traffic adds."""

from __future__ import annotations

from tracking_plan.infer.result import InferResult


def render(result: InferResult) -> str:
    calls = result.calls()
    if result.additions is None:
        lines = [f"Inferred {len(calls)} call{'s' * (len(calls) != 1)} from "
                 f"{sum(c['messages'] for c in calls):,} messages ({result.observed.shape}) into {result.out} "
                 f"({len(result.written)} files)."]
        lines += [f"  {c['name']}: {c['messages']:,} messages, {c['properties']} properties"
                  + (f", {c['first_seen'][:10]} to {c['last_seen'][:10]}" if c["first_seen"] and c["last_seen"]
                     else "") for c in calls[:20]]
        if len(calls) > 20:
            lines.append(f"  ... and {len(calls) - 20} more (--format markdown lists them all)")
        return "\n".join([*lines, f"Next: tracking-plan lint {result.out}", ""])
    items = result.items()
    if not items:
        return f"Nothing to add to {result.against}: every event, property and value seen is planned.\n"
    lines = [f"{len(items)} addition{'s' * (len(items) != 1)} to {result.against}:"]
    for item in items:
        what = f"{item['event']}" + (f" · {item['property']}" if item["property"] else "")
        values = ", ".join(item["values"])
        if item["hidden_values"]:
            values += f"{' and ' if values else ''}{item['hidden_values']} not shown"
        lines.append(f"  {item['kind']}: {what} ({item['seen']:,} of {item['of']:,})" + (f": {values}" if values
                                                                                      else ""))
    if result.written:
        lines.append(f"New events written to {result.out}: add those files to the plan.")
    return "\n".join(lines) + "\n"
