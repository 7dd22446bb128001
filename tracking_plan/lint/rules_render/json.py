"""The rules as JSON for scripts: one object per rule, its options with their defaults and choices."""

from __future__ import annotations

import json

from tracking_plan.lint.rules_render import RulesListing, preset


def render(listing: RulesListing) -> str:
    document = [{"id": r.id, "severity": r.severity.value, "preset": preset(r), "scope": r.scope,
                 "summary": r.summary, "explanation": r.explanation, "bad": r.bad, "good": r.good,
                 "sources": list(r.sources),
                 "options": {name: {"default": o.default, "description": o.description,
                                    "choices": [c for c in o.choices if c is not None]}
                             for name, o in r.options.items()}} for r in listing.rules]
    return json.dumps(document, indent=2) + "\n"
