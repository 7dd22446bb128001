"""Amplitude Data through its Taxonomy API: event types (with their category and description), their event
properties and the user properties, each created, updated or (with --prune) deleted one request at a time, the API
having no batch call. Requests are form-encoded, authenticated with the project's API and secret keys, and spaced
within its documented cost limit (7,200 an hour, a write costing 2).

Amplitude says less than the plan: a property is a string, number, boolean, enum or any value, optionally a list
of one of those, with a regular expression and a required flag. What the plan says beyond that (nested objects,
formats, bounds, null, variants, pages and screens...) is listed before anything is written, and push compares
Amplitude's copy with the plan as Amplitude can hold it, so it never rewrites what Amplitude cannot keep."""

from __future__ import annotations

import base64
import os
from functools import cached_property
from typing import Any, NamedTuple

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan, Property, payload_properties
from tracking_plan.importers.model import ImportedEvent, ImportedPlan, plan_id
from tracking_plan.sync.http import ApiError, Client
from tracking_plan.sync.vendor import Change, Vendor

BASE_URLS = {"us": "https://amplitude.com", "eu": "https://analytics.eu.amplitude.com"}
API_KEY, SECRET_KEY = "AMPLITUDE_API_KEY", "AMPLITUDE_SECRET_KEY"
_TYPES = {"string": "string", "number": "number", "integer": "number", "boolean": "boolean"}
_FIELDS = ("description", "type", "regex", "enum_values", "is_array_type", "is_required")


class Definition(NamedTuple):
    """A property as Amplitude holds it: the fields its Taxonomy API takes, as text."""

    fields: tuple[tuple[str, str], ...]

    def get(self, key: str) -> str:
        return dict(self.fields).get(key, "")


class Taxonomy(NamedTuple):
    events: dict[str, tuple[tuple[tuple[str, str], ...], dict[str, Definition]]]
    """Event type → (its fields: category, description), its properties."""
    users: dict[str, Definition]


def _definition(prop: Property, where: str, losses: list[str]) -> Definition:
    kinds = [t for t in prop.type if t != "null"]
    fields: dict[str, str] = {"description": prop.description or "", "is_required": str(prop.required).lower()}
    item = prop.items if kinds == ["array"] and prop.items is not None else None
    source = item if item is not None else prop
    inner = [t for t in source.type if t != "null"]
    if item is not None:
        fields["is_array_type"] = "true"
    if source.enum and all(isinstance(v, str) for v in source.enum if v is not None):
        fields["type"] = "enum"
        fields["enum_values"] = ",".join(str(v) for v in source.enum if v is not None)
        if any("," in str(v) for v in source.enum if v is not None):
            losses.append(f"{where}: enum values holding a comma (Amplitude separates them with commas)")
    elif len(inner) == 1 and inner[0] in _TYPES:
        fields["type"] = _TYPES[inner[0]]
    else:
        fields["type"] = "any"
        if inner:
            losses.append(f"{where}: type {'/'.join(inner)} (kept as any value)")
    if source.constraints.pattern:
        fields["regex"] = source.constraints.pattern
    if prop.nullable:
        losses.append(f"{where}: null (Amplitude has no null)")
    bounds = [name for name, value in source.constraints._asdict().items() if value is not None and name != "pattern"]
    if bounds:
        losses.append(f"{where}: {', '.join(sorted(bounds))}")
    if source.properties:
        losses.append(f"{where}: the members of an object")
    return Definition(tuple(sorted((k, v) for k, v in fields.items() if v not in ("", "false") or k == "is_required")))


def taxonomy_of(plan: Plan) -> tuple[Taxonomy, list[str]]:
    """The plan as Amplitude can hold it, and what it cannot."""
    losses: list[str] = []
    events = {}
    for event in plan.events.values():
        category = next((t.split(":", 1)[1] for t in event.tags if t.startswith("category:")), "")
        props = {p.name: _definition(p, f"{event.name}.{p.name}", losses) for p in payload_properties(plan, event)}
        events[event.name] = (tuple(sorted({"category": category, "description": event.description or ""}.items())),
                              props)
        if event.variants:
            losses.append(f"{event.name}: its variants (Amplitude has one set of properties an event)")
    users = {p.name: _definition(p, f"trait {p.name}", losses) for p in plan.traits}
    for what, count in (("pages", len(plan.pages)), ("screens", len(plan.screens)),
                        ("group traits", len(plan.group_traits))):
        if count:
            losses.append(f"the plan's {count} {what} (Amplitude's taxonomy has events and user properties)")
    return Taxonomy(events, users), losses


def _plan_definition(definition: Definition) -> dict[str, Any]:
    kind = definition.get("type") or "any"
    result: dict[str, Any] = {"type": {"enum": "string"}.get(kind, kind)}
    if kind == "enum" and definition.get("enum_values"):
        result["enum"] = definition.get("enum_values").split(",")
    if definition.get("regex"):
        result["pattern"] = definition.get("regex")
    if definition.get("is_array_type") == "true":
        result = {"type": "array", "items": result}
    if definition.get("description"):
        result["description"] = definition.get("description")
    if definition.get("is_required") == "true":
        result["required"] = True
    return result


def imported(taxonomy: Taxonomy, name: str) -> ImportedPlan:
    plan = ImportedPlan(plan_id(name, "amplitude-plan"))
    for event_type, (fields, props) in sorted(taxonomy.events.items()):
        values = dict(fields)
        event = ImportedEvent(event_type, values.get("description") or None,
                              {k: _plan_definition(d) for k, d in props.items()})
        if values.get("category"):
            event.tags = [f"category:{values['category']}"]
        plan.add(event, f"event {event_type}")
    plan.traits.update({k: _plan_definition(d) for k, d in taxonomy.users.items()})
    return plan


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(map(str, value))
    return "" if value is None else str(value)


def _remote_definition(row: dict[str, Any]) -> Definition:
    fields = {k: _text(row.get(k)) for k in _FIELDS}
    fields["is_required"] = fields["is_required"] or "false"
    return Definition(tuple(sorted((k, v) for k, v in fields.items() if v not in ("", "false") or k == "is_required")))


class Amplitude(Vendor[Taxonomy]):
    name = "Amplitude"

    def hold(self, plan: Plan) -> tuple[Taxonomy, list[str]]:
        return taxonomy_of(plan)

    def __init__(self, region: str, base_url: str | None, project: str | None) -> None:
        key, secret = os.environ.get(API_KEY, ""), os.environ.get(SECRET_KEY, "")
        if not key or not secret:
            raise UsageError(f"{API_KEY} and {SECRET_KEY} must be set: pull and push use the project's keys.",
                             "They are in Amplitude under the project's settings (General).")
        basic = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.project = project or "amplitude"
        self.client = Client("Amplitude", base_url or BASE_URLS[region], {"Authorization": f"Basic {basic}"},
                             (key, secret, basic), per_second=25.0, budget=7200.0)

    def _list(self, path: str, query: dict[str, str] | None = None) -> list[dict[str, Any]]:
        body = self.client.call("GET", path, query=query)
        rows = body.get("data") if isinstance(body, dict) else None
        return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []

    @cached_property
    def remote(self) -> Taxonomy:
        events = {}
        for row in self._list("/api/2/taxonomy/event"):
            name = str(row.get("event_type", ""))
            category = row.get("category")
            fields = {"category": str(category.get("name", "")) if isinstance(category, dict) else _text(category),
                      "description": _text(row.get("description"))}
            props = {str(p.get("event_property")): _remote_definition(p)
                     for p in self._list("/api/2/taxonomy/event-property", {"event_type": name})}
            events[name] = (tuple(sorted(fields.items())), props)
        users = {str(p.get("user_property", "")).removeprefix("gp:"): _remote_definition(p)
                 for p in self._list("/api/2/taxonomy/user-property")}
        return Taxonomy(events, users)

    def pull(self) -> ImportedPlan:
        return imported(self.remote, self.project)

    def projected(self, plan: Plan) -> ImportedPlan:
        taxonomy = self.held(plan)
        return imported(taxonomy, plan.id)

    def changes(self, plan: Plan, prune: bool) -> list[Change]:
        local = self.held(plan)
        remote = self.remote
        changes = []
        for name, (fields, props) in local.events.items():
            before = remote.events.get(name)
            body = {"event_type": name, **dict(fields)}
            if before is None:
                changes.append(Change("add", f"event {name!r}", ("POST", "/api/2/taxonomy/event", body)))
            elif before[0] != fields:
                changes.append(Change("update", f"event {name!r}", ("PUT", f"/api/2/taxonomy/event/{_q(name)}",
                                                                    dict(fields))))
            old = before[1] if before else {}
            changes += _property_changes("event-property", props, old, prune, {"event_type": name},
                                         f"property of {name!r}")
        for name in remote.events.keys() - local.events.keys():
            changes.append(Change("remove" if prune else "keep", f"event {name!r}",
                                  ("DELETE", f"/api/2/taxonomy/event/{_q(name)}", None)))
        changes += _property_changes("user-property", local.users, remote.users, prune, {}, "user property")
        return changes

    def send(self, batch: list[Change]) -> None:
        (change,) = batch
        method, path, body = change.payload
        answer = self.client.call(method, path, body=body, form=True)
        if isinstance(answer, dict) and answer.get("success") is False:
            raise ApiError(400, f"Amplitude refused {change.what}: {answer.get('errors') or answer}")


def _q(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _property_changes(kind: str, local: dict[str, Definition], remote: dict[str, Definition], prune: bool,
                      owner: dict[str, str], what: str) -> list[Change]:
    key = "event_property" if kind == "event-property" else "user_property"
    path = f"/api/2/taxonomy/{kind}"
    changes = []
    for name, definition in local.items():
        body = {**owner, **dict(definition.fields)}
        if name not in remote:
            changes.append(Change("add", f"{what} {name!r}", ("POST", path, {key: name, **body})))
        elif remote[name] != definition:
            changes.append(Change("update", f"{what} {name!r}", ("PUT", f"{path}/{_q(name)}", body)))
    for name in remote.keys() - local.keys():
        changes.append(Change("remove" if prune else "keep", f"{what} {name!r}",
                              ("DELETE", f"{path}/{_q(name)}", owner or None)))
    return changes
