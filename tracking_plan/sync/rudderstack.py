"""RudderStack's tracking plans through its Data Catalog API: each event of a tracking plan is upserted with its
rules as JSON Schema (`PATCH /catalog/tracking-plans/{id}/events`: RudderStack creates or updates the event and its
properties in the Data Catalog), read back one by one (`GET .../events/{event}?format=schema`) after the plan's
event list (paged), and removed from the plan with --prune (`DELETE .../events/{event}`).

Track events, identify (traits), group (traits), pages and screens (by name, as `export rudderstack` writes them)
are all RudderStack events. A `category:NAME` tag is the event's Data Catalog category, created when missing. What
the rules cannot hold (the squad and other tags, personal-data and deprecation marks, variants: those are
rudder-cli's, see `export rudderstack`) is listed before anything is written, and push --dry-run compares the plan
as RudderStack can hold it."""

from __future__ import annotations

import json
import os
from functools import cached_property
from typing import Any, NamedTuple
from urllib.parse import quote

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import UNNAMED, Plan, Property, payload_properties
from tracking_plan.importers.convert import event_properties_of, properties_of
from tracking_plan.importers.model import ImportedEvent, ImportedPlan, call_entry, plan_id
from tracking_plan.shapes.jsonschema import object_schema, property_schema
from tracking_plan.sync.http import Client, Paging
from tracking_plan.sync.vendor import Change, Vendor

BASE_URLS = {"us": "https://api.rudderstack.com/v2", "eu": "https://api.eu.rudderstack.com/v2"}
TOKEN, PLAN_ID = "RUDDERSTACK_ACCESS_TOKEN", "RUDDERSTACK_TRACKING_PLAN_ID"
SECTIONS = {"track": "properties", "page": "properties", "screen": "properties", "identify": "traits",
            "group": "traits"}
"""Where each kind of event keeps what the plan describes (its `identitySection`)."""
_KEYWORDS = frozenset(("type", "description", "enum", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
                       "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "items", "properties",
                       "required", "additionalProperties"))
"""The JSON Schema a tracking plan's rules take (what the Data Catalog's properties and custom types hold)."""

Key = tuple[str, str]
"""(eventType, name); the name is empty for identify, group and the unnamed page or screen."""


class Wanted(NamedTuple):
    description: str
    category: str | None
    schema: dict[str, Any]
    """The JSON Schema of the event's section: `properties`, `required`, `additionalProperties`."""


class Held(NamedTuple):
    """An event of the tracking plan as RudderStack holds it."""

    id: str
    wanted: Wanted


def _clean(schema: Any) -> Any:
    """`schema` with only the keywords a rule takes, at every level."""
    if not isinstance(schema, dict):
        return schema
    kept: dict[str, Any] = {}
    for key, value in schema.items():
        if key not in _KEYWORDS:
            continue
        if key == "properties" and isinstance(value, dict):
            value = {name: _clean(member) for name, member in value.items()}
        elif key in ("items", "additionalProperties"):
            value = _clean(value)
        kept[key] = value
    return kept


def _marks(props: tuple[Property, ...]) -> int:
    return sum(1 for p in props if p.pii or p.deprecated) + sum(
        _marks(p.properties) + _marks(tuple(x for x in (p.items, p.values) if x is not None)) for p in props)


def events_of(plan: Plan) -> tuple[dict[Key, Wanted], list[str]]:
    """The plan as the events of a RudderStack tracking plan, and what their rules cannot hold."""
    wanted: dict[Key, Wanted] = {}
    losses: list[str] = []
    marks = 0
    for event in plan.events.values():
        props = payload_properties(plan, event)
        schema = object_schema(props, event.additional_properties)
        if event.values is not None:
            schema["additionalProperties"] = property_schema(event.values)
        categories = [t.split(":", 1)[1] for t in event.tags if t.startswith("category:")]
        others = [t for t in event.tags if not t.startswith("category:")] + categories[1:]
        if event.owner or others:
            losses.append(f"{event.name}: " + ", ".join(
                ([f"its squad {event.owner!r}"] if event.owner else []) + ([f"tags {', '.join(others)}"] if others
                                                                            else [])))
        if event.variants:
            losses.append(f"{event.name}: its variants (rudder-cli's: see export rudderstack)")
        marks += _marks(props)
        wanted[("track", event.name)] = Wanted(event.description or "", categories[0] if categories else None,
                                               _clean(schema))
    sections: list[tuple[str, str, str | None, tuple[Property, ...]]] = []
    sections += [("identify", "", None, plan.traits)] if plan.traits else []
    sections += [("group", "", None, plan.group_traits)] if plan.group_traits else []
    sections += [(kind, "" if name == UNNAMED else name, call.description, call.properties)
                 for kind, described in (("page", plan.pages), ("screen", plan.screens))
                 for name, call in described.items()]
    for kind, name, description, props in sections:
        marks += _marks(props)
        wanted[(kind, name)] = Wanted(description or "", None, _clean(object_schema(props, plan.additional_properties)))
    if marks:
        losses.append(f"{marks} personal-data or deprecation marks of properties (RudderStack's rules have none)")
    return wanted, losses


def _same(a: Wanted, b: Wanted) -> bool:
    return (a.description, a.category, json.dumps(a.schema, sort_keys=True)) == (
        b.description, b.category, json.dumps(b.schema, sort_keys=True))


def imported(events: dict[Key, Wanted], name: str) -> ImportedPlan:
    plan = ImportedPlan(plan_id(name, "rudderstack-plan"))
    for (kind, event_name), event in sorted(events.items()):
        where = f"{kind} {event_name}".strip()
        if kind == "track":
            props, extra, _ = event_properties_of(event.schema, plan, where)
            imported_event = ImportedEvent(event_name, event.description or None, props, extra)
            if event.category:
                imported_event.tags, imported_event.group = [f"category:{event.category}"], event.category
            plan.add(imported_event, where)
            continue
        props, _ = properties_of(event.schema, plan, where)
        if kind == "identify":
            plan.traits.update(props)
        elif kind == "group":
            plan.group_traits.update(props)
        elif kind in ("page", "screen"):
            plan.calls[f"{kind}s"][event_name or UNNAMED] = call_entry(plan, event.description, props, None, where)
        else:
            plan.drop(where, f"{kind} event", "not an event type the plan format has")
    return plan


class RudderStack(Vendor[dict[Key, Wanted]]):
    name = "RudderStack"

    def hold(self, plan: Plan) -> tuple[dict[Key, Wanted], list[str]]:
        return events_of(plan)

    def __init__(self, region: str, base_url: str | None, plan: str | None) -> None:
        token = os.environ.get(TOKEN, "")
        if not token:
            raise UsageError(f"{TOKEN} is not set: pull and push need a RudderStack access token.",
                             "Create a workspace-level service access token (Settings → Access tokens) with "
                             f"tracking plan and Data Catalog edit rights, and export {TOKEN}.")
        self.plan_id = plan or os.environ.get(PLAN_ID, "")
        if not self.plan_id:
            raise UsageError(f"Which RudderStack tracking plan? Give --tracking-plan ID or set {PLAN_ID}.",
                             "The id is in the plan's URL in RudderStack (tp_...).")
        # RudderStack documents no rate for its Data Catalog API: requests are spaced at 10 a second, and a 429 is
        # retried after its Retry-After or with backoff.
        self.client = Client("RudderStack", base_url or BASE_URLS[region], {"Authorization": f"Bearer {token}"},
                             (token,), per_second=10.0)
        self._categories: dict[str, str] | None = None

    def _pages(self, path: str) -> list[dict[str, Any]]:
        """Every row of a paged Data Catalog list (`page`, answering `data`, `total`, `currentPage`)."""
        rows: list[dict[str, Any]] = []
        paging = Paging(self.name, path)
        page = 1
        while True:
            body = self.client.call("GET", path, query={"page": str(page)})
            listed = body.get("data") if isinstance(body, dict) else None
            data = [r for r in listed if isinstance(r, dict)] if isinstance(listed, list) else []
            total = body.get("total") if isinstance(body, dict) else None
            rows += paging.fresh(data, bool(data) and isinstance(total, int) and len(rows) + len(data) < total)
            if not data or not isinstance(total, int) or len(rows) >= total:
                return rows
            page += 1

    def categories(self) -> dict[str, str]:
        """The Data Catalog's categories, name → id."""
        if self._categories is None:
            self._categories = {str(c.get("name")): str(c.get("id")) for c in self._pages("/catalog/categories")}
        return self._categories

    @cached_property
    def remote(self) -> dict[Key, Held]:
        base = f"/catalog/tracking-plans/{quote(self.plan_id, safe='')}/events"
        names = {v: k for k, v in self.categories().items()}
        held: dict[Key, Held] = {}
        for row in self._pages(base):
            kind = str(row.get("eventType") or "track")
            body = self.client.call("GET", f"{base}/{quote(str(row.get('id')), safe='')}",
                                    query={"format": "schema"})
            rules = body.get("rules") if isinstance(body, dict) else None
            sections = rules.get("properties") if isinstance(rules, dict) else None
            section = (sections or {}).get(SECTIONS.get(kind, "properties")) if isinstance(sections, dict) else None
            if kind == "identify" and not section and isinstance(sections, dict):
                section = ((sections.get("context") or {}).get("properties") or {}).get("traits")
            schema = {k: v for k, v in (section or {}).items() if k != "type"} if isinstance(section, dict) else {}
            category = names.get(str(row.get("categoryId"))) if row.get("categoryId") else None
            name = "" if kind in ("identify", "group") else str(row.get("name") or "")
            held[(kind, name)] = Held(str(row.get("id")), Wanted(str(row.get("description") or ""), category,
                                                                 _clean(schema)))
        return held

    def pull(self) -> ImportedPlan:
        return imported({k: h.wanted for k, h in self.remote.items()}, f"rudderstack-{self.plan_id}")

    def projected(self, plan: Plan) -> ImportedPlan:
        wanted = self.held(plan)
        return imported(wanted, f"rudderstack-{self.plan_id}")

    def changes(self, plan: Plan, prune: bool) -> list[Change]:
        local = self.held(plan)
        remote = self.remote
        changes = []
        for key, wanted in local.items():
            what = f"{key[0]} event {key[1]!r}" if key[1] else f"{key[0]} event"
            if key not in remote:
                changes.append(Change("add", what, (key, wanted)))
            elif not _same(remote[key].wanted, wanted):
                changes.append(Change("update", what, (key, wanted)))
        for key in sorted(remote.keys() - local.keys()):
            what = f"{key[0]} event {key[1]!r}" if key[1] else f"{key[0]} event"
            changes.append(Change("remove" if prune else "keep", what, remote[key].id))
        return changes

    def _upsert(self, key: Key, wanted: Wanted) -> None:
        kind, name = key
        section = SECTIONS[kind]
        body: dict[str, Any] = {"name": name, "description": wanted.description, "eventType": kind,
                                "identitySection": section,
                                "rules": {"type": "object", "properties": {section: {"type": "object",
                                                                                     **wanted.schema}}}}
        if wanted.category:
            categories = self.categories()
            if wanted.category not in categories:
                created = self.client.call("POST", "/catalog/categories", body={"name": wanted.category})
                categories[wanted.category] = str((created or {}).get("id"))
            body["categoryId"] = categories[wanted.category]
        self.client.call("PATCH", f"/catalog/tracking-plans/{quote(self.plan_id, safe='')}/events", body=body)

    def send(self, batch: list[Change]) -> None:
        (change,) = batch
        if change.kind == "remove":
            self.client.call("DELETE", f"/catalog/tracking-plans/{quote(self.plan_id, safe='')}/events/"
                                       f"{quote(change.payload, safe='')}")
        else:
            self._upsert(*change.payload)
