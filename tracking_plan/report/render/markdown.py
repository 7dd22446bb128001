"""The report as Markdown: for a wiki or a repository, readable on GitHub."""

from __future__ import annotations

from typing import Any

from tracking_plan.output.markdown import code, escape
from tracking_plan.report.build import NO_OWNER


def _list(values: list[str]) -> str:
    return ", ".join(escape(v) for v in values) or "—"


def _constraints(row: dict[str, Any]) -> str:
    parts = [f"{k}: {escape(str(v))}" for k, v in row["constraints"].items()]
    if row["enum"] is not None:
        parts.insert(0, "one of " + ", ".join(code(str(v)) for v in row["enum"]))
    return "; ".join(parts) or "—"


def _property_table(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["No properties."]
    lines = ["| property | type | required | values and constraints | PII | description |", "|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {code(row['path'])} | {escape(row['type'])} | {'yes' if row['required'] else 'no'} | "
                     f"{_constraints(row)} | {'**yes**' if row['pii'] else ''} | {escape(row['description'])} |")
    return lines


def _objectives(report: dict[str, Any]) -> list[str]:
    """Objective → metrics → events, with each event's status and lint findings."""
    if not report["objectives"]:
        return []
    unused = report["summary"]["events_without_metric"]
    out = ["## Objectives", "",
           f"{report['summary']['objectives']} objectives, {report['summary']['metrics']} metrics"
           + (f"; {unused} active events feed no metric." if unused is not None else "."), ""]
    for objective in report["objectives"]:
        title = escape(objective["name"]) if objective["name"] else "Metrics without an objective"
        out += [f"### {title}" + (f" ({escape(objective['owner'])})" if objective["owner"] else ""), ""]
        if objective["description"]:
            out += [escape(objective["description"]), ""]
        if objective["at_risk"]:
            out += [f"⚠️ At risk: its metrics rest on {', '.join(escape(n) for n in objective['at_risk'])}, "
                    "deprecated or not in the plan.", ""]
        if not objective["metrics"]:
            out += ["No metric tracks it.", ""]
            continue
        out += ["| metric | type | events | description |", "|---|---|---|---|"]
        for metric in objective["metrics"]:
            events = ", ".join(
                (f"[{escape(e['name'])}](#{e['anchor']})" if e["anchor"] else escape(e["name"]))
                + (f" ({e['status']})" if e["status"] != "active" else "")
                + (f" ({e['findings']} lint)" if e["findings"] else "") for e in metric["events"])
            out.append(f"| {code(metric['name'])} | {metric['type']} | {events or '—'} | "
                       f"{escape(metric['description'] or '')} |")
        out.append("")
    return out


_STATE = {"sent": "✓", "unplanned": "✓ (not planned there)", "missing": "✗ not sent", "none": "—"}
_CELL = {"sent": "✓", "unplanned": "✓ not planned", "missing": "✗", "none": "—"}
"""The squads' tables: one column per platform the code was read for."""


def implemented(cells: dict[str, dict[str, str | None]]) -> str:
    """One event's implementation per platform: ✓ and where, ✗ when planned there and never sent."""
    return ", ".join(f"{escape(platform)} {_STATE[cell['state'] or 'none']}"
                     + (f" ({code(cell['where'])})" if cell["where"] else "") for platform, cell in cells.items())


def _implementation(report: dict[str, Any]) -> list[str]:
    section = report["implementation"]
    if not section:
        return []
    out = ["## Implementation", "", "Read from the code by `tracking-plan status` on "
           + (", ".join(escape(p) for p in section["platforms"]) or "no platform") + ".", "",
           "| squad | planned (event, platform) | sent | coverage |", "|---|---:|---:|---:|"]
    for row in section["coverage"]:
        share = f"{row['coverage'] * 100:.0f}%" if row["coverage"] is not None else "—"
        out.append(f"| {escape(row['squad'])} | {row['planned']} | {row['sent']} | {share} |")
    if section["findings"]:
        out += ["", "Findings: " + ", ".join(f"{n} {code(check)}" for check, n in section["findings"].items()) + "."]
    return [*out, ""]


def render(report: dict[str, Any]) -> str:
    plan, summary = report["plan"], report["summary"]
    by_name = {e["name"]: e for e in report["events"]}
    out = [f"# Tracking plan: {escape(plan['title'] or plan['id'])}", "",
           f"Plan {code(plan['id'])}, version {escape(plan['version'])}.", ""]
    if plan["description"]:
        out += [escape(plan["description"]), ""]
    out += ["## Summary", "",
            "| | |", "|---|---|",
            f"| Events | {summary['events']} ({', '.join(f'{n} {s}' for s, n in summary['by_status'].items())}) |",
            f"| Library properties | {summary['library_properties']} |",
            f"| Squads | {summary['squads']} |",
            f"| Personal-data properties | {summary['pii_properties']} |",
            "| Events by platform | " + (", ".join(f"{escape(p)}: {n}" for p, n in summary["by_platform"].items())
                                        or "—") + " |",
            "| Events by destination | " + (", ".join(f"{escape(d)}: {n}" for d, n in summary["by_destination"].items())
                                           or "—") + " |", ""]

    out += _implementation(report)
    out += _objectives(report)
    out += ["## Squads", ""]
    for squad in report["squads"]:
        out += [f"### {escape(squad['name'])}", ""]
        details = [escape(squad["description"])] if squad["description"] else []
        if squad["contact"]:
            details.append(f"Contact: {escape(squad['contact'])}")
        if details:
            out += [" · ".join(details), ""]
        if squad["events"]:
            scanned = report["implementation"]["platforms"] if report["implementation"] else []
            out += ["| event | status | platforms | destinations |" + "".join(f" {escape(p)} |" for p in scanned),
                    "|---|---|---|---|" + "---|" * len(scanned)]
            for name in squad["events"]:
                event = by_name[name]
                cells = "".join(f" {_CELL[event['implemented'][p]['state'] or 'none']} |"
                                for p in scanned) if event["implemented"] else ""
                out.append(f"| [{escape(name)}](#{event['anchor']}) | {event['status']} | "
                           f"{_list(event['platforms'])} | {_list(event['destinations'])} |{cells}")
        else:
            out.append("No events.")
        out.append("")

    out += ["## Event catalog", ""]
    for event in report["events"]:
        out += [f'<a id="{event["anchor"]}"></a>', "", f"### {escape(event['name'])}", ""]
        if event["description"]:
            out += [escape(event["description"]), ""]
        facts = [f"**Trigger:** {escape(event['trigger']) or '—'}",
                 f"**Owner:** {escape(event['owner']) or '—'}",
                 f"**Status:** {event['status']}" + (f" (use {escape(event['replaced_by'])} instead)"
                                                    if event["replaced_by"] else ""),
                 f"**Platforms:** {_list(event['platforms'])}",
                 f"**Destinations:** {_list(event['destinations'])}"]
        if event["metrics"]:
            facts.append(f"**Metrics:** {', '.join(code(m) for m in event['metrics'])}")
        if event["implemented"]:
            facts.append(f"**Implemented:** {implemented(event['implemented'])}")
        if event["last_changed"]:
            change = event["last_changed"]
            facts.append(f"**Last changed:** {change['date']} by {escape(change['author'])} ({change['commit']})")
        out += ["  \n".join(facts), ""]
        out += _property_table(event["properties"]) + [""]
        variants = event.get("variants")
        for case in variants["cases"] if variants else ():
            out += [f"**Variant {code(variants['discriminator'] + ' = ' + case['value'])}**"
                    + (f": {escape(case['description'])}" if case["description"] else ""), ""]
            out += _property_table(case["properties"]) + [""]

    out += ["## Traits and global properties", "",
            f"Traits are sent with identify() to: {_list(report['traits_destinations'])}.", ""]
    out += _property_table(report["traits"]) + [""]
    out += [f"Global properties are sent with every event, so to: {_list(report['global_properties_destinations'])}.",
            ""]
    out += _property_table(report["global_properties"]) + [""]

    calls = report["calls"]
    if calls["pages"] or calls["screens"] or calls["group_traits"] or calls["alias"]:
        out += ["## Pages, screens, group and alias", ""]
        for kind, title in (("pages", "Page"), ("screens", "Screen")):
            for call in calls[kind]:
                out += [f"### {title} {code(call['name'])}", "", escape(call["description"] or "(no description)"),
                        "", f"**Owner:** {escape(call['owner'] or NO_OWNER)}  \n**Platforms:** "
                        f"{_list(call['platforms'])}", ""]
                out += _property_table(call["properties"]) + [""]
        if calls["group_traits"]:
            out += ["### Group traits", "", "Sent with group().", ""]
            out += _property_table(calls["group_traits"]) + [""]
        out += [f"alias() calls are {'planned' if calls['alias'] else 'not planned'}.", ""]

    out += ["## Personal data", ""]
    if report["pii"]:
        out += [f"Destinations allowed to receive personal data: {_list(report['pii_destinations'])}.", "",
                "| property | events | destinations | not allowed |", "|---|---|---|---|"]
        for row in report["pii"]:
            out.append(f"| {code(row['property'])} | {_list(row['events'])} | {_list(row['destinations'])} | "
                       f"{'**' + _list(row['not_allowed']) + '**' if row['not_allowed'] else '—'} |")
    else:
        out.append("No property is marked as personal data.")
    out.append("")

    names = report["destinations"]["names"]
    out += ["## Destinations", ""]
    if names:
        out += ["| event | " + " | ".join(escape(n) for n in names) + " |", "|---|" + "---|" * len(names)]
        for event, sent_to in report["destinations"]["events"].items():
            cells = " | ".join("✓" if n in sent_to else "" for n in names)
            out.append(f"| {escape(event)} | {cells} |")
    else:
        out.append("No destinations are declared.")
    out.append("")

    health = report["health"]
    out += ["## Documentation health", "",
            f"- Events without a description: {len(health['missing_description'])}"
            + (f" ({_list(health['missing_description'])})" if health["missing_description"] else ""),
            f"- Events without a trigger: {len(health['missing_trigger'])}"
            + (f" ({_list(health['missing_trigger'])})" if health["missing_trigger"] else "")]
    lint = health["lint"]
    if lint is not None:
        out.append(f"- Lint findings: {lint['total']}")
        if lint["by_rule"]:
            out += ["", "| rule | findings |", "|---|---|"]
            out += [f"| `{rule}` | {n} |" for rule, n in lint["by_rule"].items()]
            out += ["", "| squad | findings |", "|---|---|"]
            out += [f"| {escape(squad)} | {n} |" for squad, n in lint["by_squad"].items()]
    out.append("")

    out += ["## Deprecated events", ""]
    if report["deprecated"]:
        out += ["| event | replaced by | owner |", "|---|---|---|"]
        for row in report["deprecated"]:
            replacement = (f"[{escape(row['replaced_by'])}](#{row['replacement_anchor']})"
                           if row["replacement_anchor"] else escape(row["replaced_by"]) or "—")
            owner = escape(row["owner"]) or "—"
            out.append(f"| [{escape(row['event'])}](#{row['anchor']}) | {replacement} | {owner} |")
    else:
        out.append("No deprecated events.")
    out.append("")

    out += ["## History", ""]
    history = report["history"]
    if history is None:
        out.append("The plan is not in a git repository: no history.")
    else:
        out += [f"{history['commits']} commits from {history['first_date']} to {history['last_date']}.", "",
                "| month | events added | events removed | events at month end |", "|---|---|---|---|"]
        out += [f"| {m['month']} | {m['added']} | {m['removed']} | {m['events']} |" for m in history["monthly"]]
        if history["versions"]:
            out += ["", "| version | declared on | commit |", "|---|---|---|"]
            out += [f"| {escape(v['version'])} | {v['date']} | {v['commit']} |" for v in history["versions"]]
    return "\n".join(out).rstrip() + "\n"
