"""The report as one self-contained HTML file: inline CSS, JS and SVG, no network access, and every
piece of plan text escaped (a `<script>` in a description shows as text)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

BAR_HEIGHT = 22
CHART_WIDTH = 640


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("tracking_plan.report.render", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def squad_bars(report: dict[str, Any]) -> dict[str, Any]:
    """Events per squad, as bars of an SVG chart."""
    squads = [(s["name"], len(s["events"])) for s in report["squads"]]
    most = max((n for _, n in squads), default=0) or 1
    label_width = 170
    scale = (CHART_WIDTH - label_width - 40) / most
    bars = [{"label": name, "count": n, "y": i * BAR_HEIGHT, "width": round(scale * n)}
            for i, (name, n) in enumerate(squads)]
    return {"bars": bars, "height": max(len(bars), 1) * BAR_HEIGHT, "label_width": label_width}


def growth_line(report: dict[str, Any]) -> dict[str, Any] | None:
    """Events at the end of each month, as an SVG polyline."""
    history = report["history"]
    if not history or len(history["monthly"]) < 2:
        return None  # one month is no line: the table says it
    months = history["monthly"]
    height, left, bottom = 180, 40, 24
    most = max(m["events"] for m in months) or 1
    step = (CHART_WIDTH - left - 20) / max(len(months) - 1, 1)
    points = [(left + i * step, height - bottom - (height - bottom - 10) * m["events"] / most)
              for i, m in enumerate(months)]
    return {"points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
            "dots": [{"x": f"{x:.1f}", "y": f"{y:.1f}",
                      "label": f"{m['month']}: {m['events']} event{'' if m['events'] == 1 else 's'}"}
                     for (x, y), m in zip(points, months, strict=True)],
            "first": months[0]["month"], "last": months[-1]["month"], "most": most, "height": height,
            "baseline": height - bottom}


def _with_variants(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The event's property rows, then what each variant writes, its path saying which variant
    (`three_ds (payment_method = card)`)."""
    variants: dict[str, Any] = event.get("variants") or {}
    rows = list(event["properties"])
    for case in variants.get("cases", ()):
        rows += [{**row, "path": f"{row['path']} ({variants['discriminator']} = {case['value']})"}
                 for row in case["properties"]]
    return rows


def _values(prop: dict[str, Any]) -> str:
    """A property's enum and constraints, as the catalog shows them."""
    parts = [f"{k}: {v}" for k, v in prop["constraints"].items()]
    if prop["enum"] is not None:
        parts.insert(0, "one of " + ", ".join(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
                                             for v in prop["enum"]))
    return "; ".join(parts)


def catalog_data(report: dict[str, Any]) -> Markup:
    """The catalog as compact data for the page's script: every text once in a string table (library properties
    repeat their descriptions across thousands of events; index 0 is the empty text), each event and each of its
    properties a row of indexes, and each event's searchable text. `<`, `>` and `&` are written as JSON escapes,
    so no text can end the script element."""
    strings: dict[str, int] = {"": 0}

    def at(value: str | None) -> int:
        key = value or ""
        found = strings.get(key)
        if found is None:
            found = strings[key] = len(strings)
        return found

    events = []
    for e in report["events"]:
        changed = e["last_changed"]
        cells = (e["implemented"] or {}).items()
        events.append([
            at(e["name"]), at(e["anchor"]), at(e["status"]), int(e["pii"]), at(e["owner"]),
            at(" ".join(e["platforms"])), at(" ".join(e["destinations"])), at(e["description"]), at(e["trigger"]),
            at(e["replaced_by"]), [at(m) for m in e["metrics"]],
            at(f"{changed['date']} by {changed['author']}" if changed else None),
            [[at(platform), at(cell["state"]), at(cell["where"])] for platform, cell in cells],
        ])
    rows = [[[at(p["path"]), at(p["type"]), int(p["required"]), at(_values(p)), int(p["pii"]), at(p["description"])]
             for p in _with_variants(event)] for event in report["events"]]
    search = [" ".join(filter(None, [e["name"], e["description"], e["trigger"], e["owner"], *e["tags"]]))
              for e in report["events"]]
    text = json.dumps({"s": list(strings), "e": events, "p": rows, "k": search}, ensure_ascii=False,
                      separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render(report: dict[str, Any]) -> str:
    template = _environment().get_template("report.html.j2")
    squads = sorted({e["owner"] or "(no owner)" for e in report["events"]})
    anchors = {e["name"]: e["anchor"] for e in report["events"]}
    return template.render(report=report, bars=squad_bars(report), growth=growth_line(report), width=CHART_WIDTH,
                           bar_height=BAR_HEIGHT, squads=squads, anchors=anchors, catalog_data=catalog_data(report),
                           call_tables=call_tables(report))


def call_tables(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]], str]]:
    """The group traits, pages and screens, each a table of the traits section (none: nothing is added)."""
    calls = report["calls"]
    tables = [("Group traits", calls["group_traits"], "sent with group()")] if calls["group_traits"] else []
    for kind, title in (("pages", "Page"), ("screens", "Screen")):
        tables += [(f"{title} {call['name']}", call["properties"], call["description"] or f"a {kind[:-1]} call")
                   for call in calls[kind]]
    return tables
