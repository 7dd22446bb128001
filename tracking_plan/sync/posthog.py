"""PostHog's data management through its REST API: each event an event definition (description, tags) whose
properties are a schema property group linked to it by an event schema (PostHog's schema management: each property
a name, a type of String, Numeric, Boolean, DateTime or Object, whether it is required, a description). Lists are
read page by page (`limit`/`offset`, following `next`); an event is created in three requests (its definition, its
group, their link) and updated in the ones that differ, so a push cut short is completed by the next one.

PostHog's own events (`$pageview`, `$autocapture`...) are its, not the plan's: pull leaves them out and push never
removes them. What PostHog cannot hold (integer apart from number, lists, enums, formats other than date-time,
bounds, null, members, variants; the squad, as PostHog's owner is one of its users; traits, pages, screens, group
traits) is listed before anything is written, and push --dry-run compares the plan as PostHog can hold it."""

from __future__ import annotations

import os
from functools import cached_property
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import NO_CONSTRAINTS, Plan, Property, null_by_enum, payload_properties
from tracking_plan.importers.model import ImportedEvent, ImportedPlan, plan_id
from tracking_plan.sync.http import Client, Paging
from tracking_plan.sync.vendor import Change, Vendor

BASE_URLS = {"us": "https://us.posthog.com", "eu": "https://eu.posthog.com"}
KEY, PROJECT = "POSTHOG_PERSONAL_API_KEY", "POSTHOG_PROJECT_ID"
PAGE = 100
_TYPES = {"string": "String", "number": "Numeric", "integer": "Numeric", "boolean": "Boolean", "object": "Object"}
_PLAN_TYPES = {"String": "string", "Numeric": "number", "Boolean": "boolean", "Object": "object", "DateTime": "string"}


class Field(NamedTuple):
    """A property of a schema property group, as push writes and compares it."""

    name: str
    property_type: str
    is_required: bool
    description: str


class Definition(NamedTuple):
    """An event as PostHog holds it, with the ids of its definition, group and link (None: not there yet)."""

    description: str
    tags: tuple[str, ...]
    fields: tuple[Field, ...] | None
    """None: no property group linked."""
    definition_id: str | None = None
    group_id: str | None = None
    schema_id: str | None = None


def _field(prop: Property, where: str, losses: list[str]) -> Field | None:
    kinds = [k for k in prop.type if k != "null"]
    if len(kinds) != 1 or kinds[0] not in _TYPES:
        what = "any value" if not kinds else "types " + "/".join(kinds) if len(kinds) > 1 else "a list"
        losses.append(f"{where}: {what} (PostHog's property has one type of String, Numeric, Boolean, DateTime "
                      "or Object): left out")
        return None
    date_time = kinds[0] == "string" and prop.constraints.format == "date-time"
    constraints = prop.constraints._replace(format=None) if date_time else prop.constraints
    lost = [what for what, present in (
        ("integer (PostHog's Numeric)", kinds[0] == "integer"),
        ("null", "null" in prop.type or null_by_enum(prop)), ("its enum", prop.enum is not None),
        ("the members of an object", bool(prop.properties) or prop.values is not None),
        (", ".join(a.replace("_", " ") for a, v in constraints._asdict().items() if v is not None),
         constraints != NO_CONSTRAINTS)) if present]
    if lost:
        losses.append(f"{where}: {'; '.join(lost)}")
    return Field(prop.name, "DateTime" if date_time else _TYPES[kinds[0]], prop.required, prop.description or "")


def definitions_of(plan: Plan) -> tuple[dict[str, Definition], list[str]]:
    """The plan as PostHog's event definitions and property groups, and what PostHog cannot hold."""
    events: dict[str, Definition] = {}
    losses: list[str] = []
    for event in plan.events.values():
        fields = tuple(f for p in payload_properties(plan, event)
                       if (f := _field(p, f"{event.name}.{p.name}", losses)) is not None)
        if event.variants:
            losses.append(f"{event.name}: its variants (a property group is one set of properties)")
        if event.owner:
            losses.append(f"{event.name}: its squad {event.owner!r} (PostHog's owner is one of its users)")
        events[event.name] = Definition(event.description or "", tuple(event.tags),
                                        tuple(sorted(fields)) if fields else None)
    losses += [f"the plan's {count} {what} (PostHog's schema management describes events)"
               for what, count in (("traits", len(plan.traits)), ("pages", len(plan.pages)),
                                   ("screens", len(plan.screens)), ("group traits", len(plan.group_traits)))
               if count]
    return events, losses


def _plan_property(field: Field) -> dict[str, Any]:
    result: dict[str, Any] = {"type": _PLAN_TYPES.get(field.property_type, "string")}
    if field.property_type == "DateTime":
        result["format"] = "date-time"
    if field.description:
        result["description"] = field.description
    if field.is_required:
        result["required"] = True
    return result


def imported(events: dict[str, Definition], project: str) -> ImportedPlan:
    plan = ImportedPlan(plan_id(f"posthog-{project}", "posthog-plan"))
    for name, definition in sorted(events.items()):
        event = ImportedEvent(name, definition.description or None,
                              {f.name: _plan_property(f) for f in definition.fields or ()})
        event.tags = list(definition.tags)
        plan.add(event, f"event {name}")
    return plan


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


class PostHog(Vendor[dict[str, Definition]]):
    name = "PostHog"

    def hold(self, plan: Plan) -> tuple[dict[str, Definition], list[str]]:
        return definitions_of(plan)

    def __init__(self, region: str, base_url: str | None, project: str | None) -> None:
        key = os.environ.get(KEY, "")
        if not key:
            raise UsageError(f"{KEY} is not set: pull and push need a personal API key.",
                             "Create one in PostHog (Settings → Personal API keys) with event definition read and "
                             f"write, and export {KEY}.")
        self.project = project or os.environ.get(PROJECT, "")
        if not self.project:
            raise UsageError(f"Which PostHog project? Give --tracking-plan PROJECT_ID or set {PROJECT}.",
                             "The id is in the project's URL in PostHog (/project/ID).")
        # PostHog's documented limits for its CRUD endpoints: 480 requests a minute and 4,800 an hour.
        self.client = Client("PostHog", base_url or BASE_URLS[region], {"Authorization": f"Bearer {key}"}, (key,),
                             per_second=8.0, budget=4800.0, write_cost=1.0)

    def _path(self, what: str, id_: str | None = None) -> str:
        return f"/api/projects/{self.project}/{what}/" + (f"{id_}/" if id_ else "")

    def _list(self, what: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        paging = Paging(self.name, self._path(what))
        query = {"limit": str(PAGE), "offset": "0"}
        while True:
            body = self.client.call("GET", self._path(what), query=query)
            listed = body.get("results") if isinstance(body, dict) else None
            page = [r for r in listed if isinstance(r, dict)] if isinstance(listed, list) else []
            following = body.get("next") if isinstance(body, dict) else None
            rows += paging.fresh(page, bool(following and page))
            if not following or not page:
                return rows
            query = dict(parse_qsl(urlsplit(str(following)).query))

    @cached_property
    def remote(self) -> dict[str, Definition]:
        groups = {str(g.get("id")): g for g in self._list("schema_property_groups")}
        links = {str(s.get("event_definition")): s for s in self._list("event_schemas")}
        events: dict[str, Definition] = {}
        for row in self._list("event_definitions"):
            name = _text(row.get("name"))
            if not name or name.startswith("$"):
                continue
            link = links.get(str(row.get("id"))) or {}
            # A list answers the group itself (`property_group`); `property_group_id` is what a write sends.
            group = groups.get(str(link.get("property_group_id") or (link.get("property_group") or {}).get("id")))
            fields = None if group is None else tuple(sorted(
                Field(_text(p.get("name")), _text(p.get("property_type")) or "String", p.get("is_required") is True,
                      _text(p.get("description"))) for p in group.get("properties") or () if isinstance(p, dict)))
            events[name] = Definition(_text(row.get("description")), tuple(str(t) for t in row.get("tags") or ()),
                                      fields, str(row.get("id")), str(group.get("id")) if group else None,
                                      str(link.get("id")) if link else None)
        return events

    def pull(self) -> ImportedPlan:
        return imported(self.remote, self.project)

    def projected(self, plan: Plan) -> ImportedPlan:
        events = self.held(plan)
        return imported(events, self.project)

    def changes(self, plan: Plan, prune: bool) -> list[Change]:
        local = self.held(plan)
        remote = self.remote
        changes = []
        for name, wanted in local.items():
            have = remote.get(name)
            if have is None:
                changes.append(Change("add", f"event {name!r}", (name, wanted, None)))
            elif (have.description, have.tags, have.fields or None) != (wanted.description, wanted.tags,
                                                                         wanted.fields):
                changes.append(Change("update", f"event {name!r}", (name, wanted, have)))
        for name in sorted(remote.keys() - local.keys()):
            changes.append(Change("remove" if prune else "keep", f"event {name!r}", (name, None, remote[name])))
        return changes

    def _group(self, name: str, wanted: Definition) -> dict[str, Any]:
        return {"name": name, "description": f"The properties of the event {name} (tracking-plan).",
                "properties": [f._asdict() for f in wanted.fields or ()]}

    def _apply(self, name: str, wanted: Definition | None, have: Definition | None) -> None:
        call = self.client.call
        if wanted is None:  # --prune: the link, the group, then the definition
            assert have is not None and have.definition_id is not None
            if have.schema_id:
                call("DELETE", self._path("event_schemas", have.schema_id))
            if have.group_id:
                call("DELETE", self._path("schema_property_groups", have.group_id))
            call("DELETE", self._path("event_definitions", have.definition_id))
            return
        fields = {"description": wanted.description, "tags": list(wanted.tags)}
        if have is None:
            created = call("POST", self._path("event_definitions"), body={"name": name, **fields})
            have = Definition("", (), None, str((created or {}).get("id")))
        elif (have.description, have.tags) != (wanted.description, wanted.tags):
            call("PATCH", self._path("event_definitions", have.definition_id), body=fields)
        if (have.fields or None) == wanted.fields:
            return
        if have.group_id is not None:
            call("PATCH", self._path("schema_property_groups", have.group_id),
                 body={"properties": self._group(name, wanted)["properties"]})
            return
        group = call("POST", self._path("schema_property_groups"), body=self._group(name, wanted))
        call("POST", self._path("event_schemas"), body={"event_definition": have.definition_id,
                                                        "property_group_id": str((group or {}).get("id"))})

    def send(self, batch: list[Change]) -> None:
        (change,) = batch
        self._apply(*change.payload)
