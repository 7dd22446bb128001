"""The report's one data model: every renderer (render/) is a function of the dictionary built here."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from tracking_plan.core.model import NO_CONSTRAINTS, Event, Plan, Property
from tracking_plan.lint.engine import LintResult
from tracking_plan.report.history import History
from tracking_plan.shapes.messages import named_calls

NO_OWNER = "(no owner)"


def anchor(name: str, taken: set[str]) -> str:
    """A stable, unique HTML id for an event: `event-order-completed`."""
    base = "event-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _type(prop: Property) -> str:
    if prop.type == ("array",) and prop.items is not None and prop.items.type:
        return f"array of {'/'.join(prop.items.type)}"
    return "/".join(prop.type) or "any"


def _constraints(prop: Property) -> dict[str, Any]:
    if prop.constraints == NO_CONSTRAINTS:  # most properties: skip building the dictionary
        return {}
    names = {"pattern": "pattern", "format": "format", "minimum": "minimum", "maximum": "maximum",
             "exclusive_minimum": "exclusiveMinimum", "exclusive_maximum": "exclusiveMaximum",
             "min_length": "minLength", "max_length": "maxLength", "min_items": "minItems", "max_items": "maxItems"}
    return {names[k]: v for k, v in prop.constraints._asdict().items() if v is not None}


def _properties(props: tuple[Property, ...]) -> list[dict[str, Any]]:
    rows = []
    for top in props:
        for path, prop in top.walk():
            if path.endswith("[]") and not prop.properties:
                continue
            rows.append({"path": path, "type": _type(prop), "required": prop.required,
                         "enum": list(prop.enum) if prop.enum is not None else None,
                         "constraints": _constraints(prop), "pii": prop.pii, "description": prop.description,
                         "ref": prop.ref})
    return rows


def _implementation(status: dict[str, Any] | None, events: list[Event]) -> dict[str, Any] | None:
    """From `status --format json`: per event and scanned platform, sent (where) or not, and coverage per squad."""
    if status is None:
        return None
    platforms = list(status["summary"]["platforms"])
    by_event = {e["event"]: e for e in status["events"]}
    rows: dict[str, dict[str, dict[str, str | None]]] = {}
    for event in events:
        found = by_event.get(event.name, {"sent": {}, "missing": []})
        planned = [p.lower() for p in event.platforms]
        cells: dict[str, dict[str, str | None]] = {}
        for platform in platforms:
            sent = found["sent"].get(platform) or []
            if sent:
                first = sent[0]
                where = f"{first.get('file')}:{first.get('line')}" if isinstance(first, dict) else None
                state = "sent" if not planned or platform in planned else "unplanned"
            elif platform in found["missing"]:
                state, where = "missing", None
            else:
                state, where = "none", None
            cells[platform] = {"state": state, "where": where}
        rows[event.name] = cells
    return {"platforms": platforms, "coverage": status["coverage"], "events": rows,
            "findings": dict(status["summary"].get("findings") or {})}


def build_report(plan: Plan, lint: LintResult | None, history: History | None,
                 status: dict[str, Any] | None = None) -> dict[str, Any]:
    events = list(plan.events.values())
    taken: set[str] = set()
    anchors = {e.name: anchor(e.name, taken) for e in events}
    by_owner: dict[str, list[str]] = defaultdict(list)
    for event in events:
        owner = event.owner if event.owner is not None and event.owner in plan.squads else NO_OWNER
        by_owner[owner].append(event.name)
    squads = [{"name": name, "description": squad.description, "contact": squad.contact,
               "events": sorted(by_owner.get(name, []))} for name, squad in plan.squads.items()]
    if by_owner.get(NO_OWNER):
        squads.append({"name": NO_OWNER, "description": "Events whose owner is missing or not a declared squad.",
                       "contact": None, "events": sorted(by_owner[NO_OWNER])})

    pii: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"events": set(), "destinations": set()})
    for event in events:
        for top in (*event.properties, *plan.global_properties, *(p for v in event.variants for p in v.written())):
            for path, prop in top.walk():
                if prop.pii:
                    pii[path]["events"].add(event.name)
                    pii[path]["destinations"].update(event.destinations)
    for top in plan.traits:
        for path, prop in top.walk():
            if prop.pii:
                pii[f"{path} (trait)"]["events"].add("identify")
                pii[f"{path} (trait)"]["destinations"].update(plan.trait_destinations)
    for top in plan.group_traits:
        for path, prop in top.walk():
            if prop.pii:
                pii[f"{path} (group trait)"]["events"].add("group")
                pii[f"{path} (group trait)"]["destinations"].update(plan.destinations)
    for label, call in named_calls(plan).items():
        for top in call.properties:
            for path, prop in top.walk():
                if prop.pii:
                    pii[path]["events"].add(label)
                    pii[path]["destinations"].update(call.destinations)

    lint_section: dict[str, Any] | None = None
    findings_of: Counter[str] = Counter()
    if lint is not None:
        starts: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for event in events:
            starts[event.location.file].append((event.location.line, event.owner or NO_OWNER))
        named: dict[str, list[str]] = defaultdict(list)
        for event in sorted(events, key=lambda e: e.location.line):
            named[event.location.file].append(event.name)
        for lines in starts.values():
            lines.sort()
        by_rule = Counter(d.rule for d in lint.diagnostics)
        by_squad: Counter[str] = Counter()
        for d in lint.diagnostics:
            squad = "(plan)"
            if d.location is not None:
                # The finding belongs to the nearest event defined above it in its file.
                lines = starts.get(d.location.file, [])
                index = bisect_right(lines, (d.location.line, "\uffff")) - 1
                if index >= 0:
                    squad = lines[index][1]
                    findings_of[named[d.location.file][index]] += 1
            by_squad[squad] += 1
        lint_section = {"total": len(lint.diagnostics), "summary": lint.summary(),
                        "by_rule": dict(by_rule.most_common()), "by_squad": dict(by_squad.most_common())}

    sorted_events = sorted(events, key=lambda e: e.name.lower())
    used_by: dict[str, list[str]] = defaultdict(list)
    for metric in plan.metrics.values():
        for name in dict.fromkeys(metric.events):
            used_by[name].append(metric.name)
    implementation = _implementation(status, events)
    by_status = Counter(e.status for e in events)
    platforms = Counter(p for e in events for p in e.platforms)
    destinations = Counter(d for e in events for d in e.destinations)
    report: dict[str, Any] = {
        "plan": {"id": plan.id, "title": plan.title, "version": plan.version, "description": plan.description},
        "summary": {
            "events": len(events), "library_properties": len(plan.library), "squads": len(plan.squads),
            "traits": len(plan.traits), "global_properties": len(plan.global_properties),
            "pii_properties": len(pii),
            "objectives": len(plan.objectives), "metrics": len(plan.metrics),
            "events_without_metric": sum(1 for e in events if e.status == "active" and e.name not in used_by)
            if plan.metrics else None,
            "by_status": {s: by_status.get(s, 0) for s in ("active", "draft", "deprecated")},
            "by_platform": {p: platforms.get(p, 0) for p in plan.platforms},
            "by_destination": {d: destinations.get(d, 0) for d in plan.destinations},
        },
        "squads": squads,
        "events": [{
            "name": e.name, "anchor": anchors[e.name], "description": e.description, "trigger": e.trigger,
            "owner": e.owner, "status": e.status, "replaced_by": e.replaced_by, "platforms": list(e.platforms),
            "destinations": list(e.destinations), "tags": list(e.tags),
            "pii": any(p.pii for top in (*e.properties, *(p for v in e.variants for p in v.written()))
                       for _, p in top.walk()),
            "file": e.location.file, "line": e.location.line,
            "last_changed": _last_changed(history, e.name),
            "metrics": used_by.get(e.name, []),
            "implemented": implementation["events"][e.name] if implementation else None,
            "properties": _properties(e.properties),
            "variants": {"discriminator": e.discriminator, "cases": [
                {"value": v.value, "description": v.description, "properties": _properties(v.written())}
                for v in e.variants]} if e.variants else None,
        } for e in sorted_events],
        "traits": _properties(plan.traits),
        "traits_destinations": list(plan.trait_destinations),
        "calls": {
            "pages": [_call(name, page) for name, page in sorted(plan.pages.items())],
            "screens": [_call(name, screen) for name, screen in sorted(plan.screens.items())],
            "group_traits": _properties(plan.group_traits),
            "alias": plan.alias,
        },
        "global_properties": _properties(plan.global_properties),
        "global_properties_destinations": list(plan.global_destinations()),
        "pii": [{"property": name, "events": sorted(v["events"]), "destinations": sorted(v["destinations"]),
                 "allowed": sorted(set(v["destinations"]) & set(plan.pii_destinations)),
                 "not_allowed": sorted(set(v["destinations"]) - set(plan.pii_destinations))}
                for name, v in sorted(pii.items())],
        "pii_destinations": list(plan.pii_destinations),
        "destinations": {"names": list(plan.destinations),
                         "events": {e.name: list(e.destinations) for e in sorted_events}},
        "health": {
            "missing_description": sorted(e.name for e in events if not (e.description or "").strip()),
            "missing_trigger": sorted(e.name for e in events if not (e.trigger or "").strip()),
            "lint": lint_section,
        },
        "deprecated": [{"event": e.name, "anchor": anchors[e.name], "replaced_by": e.replaced_by,
                        "replacement_anchor": anchors.get(e.replaced_by or ""), "owner": e.owner}
                       for e in sorted_events if e.status == "deprecated"],
        "history": _history(history),
        "objectives": _objectives(plan, anchors, findings_of if lint is not None else None),
        "implementation": {k: v for k, v in implementation.items() if k != "events"} if implementation else None,
    }
    return report


def _call(name: str, call: Event) -> dict[str, Any]:
    """A page or a screen, as the report lists it."""
    return {"name": name, "description": call.description, "owner": call.owner, "status": call.status,
            "platforms": list(call.platforms), "destinations": list(call.destinations),
            "file": call.location.file, "line": call.location.line, "properties": _properties(call.properties)}


def _objectives(plan: Plan, anchors: dict[str, str], findings: Counter[str] | None) -> list[dict[str, Any]]:
    """Objective → metrics → events, each event with its status and lint findings; an objective is at risk
    when one of its metrics rests on a deprecated event or one the plan does not have."""
    groups: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for metric in plan.metrics.values():
        events = []
        for name in dict.fromkeys(metric.events):
            event = plan.events.get(name)
            events.append({"name": name, "anchor": anchors.get(name), "status": event.status if event else "missing",
                           "findings": findings.get(name, 0) if findings is not None else None})
        at_risk = [e["name"] for e in events if e["status"] in ("deprecated", "missing")]
        groups[metric.objective if metric.objective in plan.objectives else None].append({
            "name": metric.name, "type": metric.type, "description": metric.description, "owner": metric.owner,
            "property": metric.property, "window": metric.window, "events": events, "at_risk": at_risk})
    out = [{"name": o.name, "description": o.description, "owner": o.owner, "metrics": groups.get(o.name, []),
            "at_risk": sorted({n for m in groups.get(o.name, []) for n in m["at_risk"]})}
           for o in plan.objectives.values()]
    if groups.get(None):
        out.append({"name": None, "description": "Metrics that serve no declared objective.", "owner": None,
                    "metrics": groups[None], "at_risk": sorted({n for m in groups[None] for n in m["at_risk"]})})
    return out


def _last_changed(history: History | None, name: str) -> dict[str, str] | None:
    if history is None or name not in history.last_changed:
        return None
    change = history.last_changed[name]
    return {"date": change.date, "author": change.author, "commit": change.commit}


def _history(history: History | None) -> dict[str, Any] | None:
    if history is None:
        return None
    return {"commits": history.commits, "first_date": history.first_date, "last_date": history.last_date,
            "monthly": [{"month": m, **v} for m, v in sorted(history.monthly.items())],
            "versions": history.versions}


def chosen_format(output_format: str | None, out: Path | None) -> str:
    """--format, else what --out's extension says (.html, .htm, .json), else markdown."""
    if output_format is not None:
        return output_format
    suffix = out.suffix.lower() if out else ""
    return {".html": "html", ".htm": "html", ".json": "json"}.get(suffix, "markdown")


def implementation(plan: Plan, plan_dir: Path, status_file: str | None, status_sources: list[str],
                   platforms: list[str]) -> dict[str, Any] | None:
    """Where each event is implemented: read from `status --format json`, or from the app's code as status reads
    it; None when neither is asked for."""
    if status_file is not None:
        from tracking_plan.status.render.json import read

        return read(status_file)
    if not status_sources and not platforms:
        return None
    from tracking_plan.status.render.json import document
    from tracking_plan.status.run import run_status
    from tracking_plan.status.scan import default_cache

    return document(run_status(plan_dir, lambda: plan, status_sources, platforms, default_cache()))
