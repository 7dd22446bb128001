"""Mixpanel Lexicon through its Schemas API: each event a schema (`entityType: event`, JSON Schema draft-07 with
Lexicon's own `metadata`), the traits the user profiles' schema (`profile`, `$user`). Schemas are read in one list
(`GET /projects/{id}/schemas`), created or replaced in batches (`POST /projects/{id}/schemas`, never with
`truncate`), and removed one by one with --prune (`DELETE /projects/{id}/schemas/{entityType}/{name}`).

A schema is what Lexicon's reference documents: each property a single type and a description (the reference
closes a property's keys: no enum, format, bounds, items or members), the required ones, whether others may come;
the squad as the entity's owner, and the tags. All the plan says beyond that, and its pages, screens, group traits
and variants, is listed before anything is written, and push --dry-run compares the plan as Lexicon holds it."""

from __future__ import annotations

import base64
import json
import os
from functools import cached_property
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import NO_CONSTRAINTS, Plan, Property, null_by_enum, payload_properties
from tracking_plan.importers.convert import event_properties_of, properties_of
from tracking_plan.importers.model import ImportedEvent, ImportedPlan, plan_id
from tracking_plan.sync.http import Client
from tracking_plan.sync.vendor import Change, Vendor

BASE_URLS = {"us": "https://mixpanel.com/api/app", "eu": "https://eu.mixpanel.com/api/app"}
USERNAME, SECRET, PROJECT = "MIXPANEL_SERVICE_ACCOUNT", "MIXPANEL_SERVICE_SECRET", "MIXPANEL_PROJECT_ID"
DRAFT_07 = "http://json-schema.org/draft-07/schema"
BATCH = 500
"""Schemas sent a request, at most."""
ENTITIES = 800
"""Events and properties sent a request, at most: Lexicon takes under 4,000 a minute, and 5 requests a minute."""
_COMPARED = ("description", "properties", "required", "additionalProperties")
"""What push compares and writes of a schema; Lexicon merges its own metadata (hidden, dropped...) into the rest."""


def _lexicon_property(prop: Property, where: str, losses: list[str]) -> dict[str, Any] | None:
    """A property as Lexicon's schema documents one: a single type and a description, nothing else (its
    reference closes the property's keys). What the plan says beyond that is listed; a property with no single
    type is left out."""
    kinds = [k for k in prop.type if k != "null"]
    if len(kinds) != 1:
        losses.append(f"{where}: {'any value' if not kinds else 'types ' + '/'.join(kinds)} "
                      "(Lexicon's property has one type): left out")
        return None
    lost = [what for what, present in (
        ("null", "null" in prop.type or null_by_enum(prop)), ("its enum", prop.enum is not None),
        ("its item type", prop.items is not None),
        ("the members of an object", bool(prop.properties) or prop.values is not None),
        (", ".join(a.replace("_", " ") for a, v in prop.constraints._asdict().items() if v is not None),
         prop.constraints != NO_CONSTRAINTS)) if present]
    if lost:
        losses.append(f"{where}: {'; '.join(lost)}")
    entry: dict[str, Any] = {"type": kinds[0]}
    if prop.description:
        entry["description"] = prop.description
    return entry


def _lexicon_object(props: tuple[Property, ...], open_: bool, where: str, losses: list[str]) -> dict[str, Any]:
    kept = {p.name: e for p in props if (e := _lexicon_property(p, f"{where}.{p.name}", losses)) is not None}
    schema: dict[str, Any] = {"$schema": DRAFT_07, "properties": kept}
    required = [p.name for p in props if p.required and p.name in kept]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = open_
    return schema


def schemas_of(plan: Plan) -> tuple[dict[tuple[str, str], dict[str, Any]], list[str]]:
    """The plan as Lexicon's schemas, by (entityType, name), and what Lexicon has no place for."""
    schemas: dict[tuple[str, str], dict[str, Any]] = {}
    losses: list[str] = []
    for event in plan.events.values():
        schema = _lexicon_object(payload_properties(plan, event), event.additional_properties, event.name, losses)
        if event.values is not None:
            losses.append(f"{event.name}: the schema of its unlisted properties' values")
        if event.variants:
            losses.append(f"{event.name}: its variants (a Lexicon schema has one set of properties)")
        if event.description:
            schema["description"] = event.description
        lexicon: dict[str, Any] = {}
        if event.tags:
            lexicon["tags"] = list(event.tags)
        if event.owner:
            lexicon["owners"] = [{"name": event.owner}]
        if lexicon:
            schema["metadata"] = {"com.mixpanel": lexicon}
        schemas[("event", event.name)] = schema
    if plan.traits:
        schemas[("profile", "$user")] = _lexicon_object(plan.traits, plan.additional_properties, "trait", losses)
    losses += [f"the plan's {count} {what} (Lexicon's schemas are events and user profiles)"
               for what, count in (("pages", len(plan.pages)), ("screens", len(plan.screens)),
                                   ("group traits", len(plan.group_traits))) if count]
    return schemas, losses


def _compared(schema: Any) -> str:
    return json.dumps({k: schema.get(k) for k in _COMPARED} if isinstance(schema, dict) else None, sort_keys=True)


def _batches(upserts: list[Change]) -> list[list[Change]]:
    """The upserts in requests of at most BATCH schemas and ENTITIES events and properties, in order."""
    batches: list[list[Change]] = []
    size = 0
    for change in upserts:
        weight = 1 + len(change.payload["schemaJson"].get("properties") or ())
        if not batches or len(batches[-1]) == BATCH or size + weight > ENTITIES:
            batches.append([])
            size = 0
        batches[-1].append(change)
        size += weight
    return batches


class Mixpanel(Vendor[dict[tuple[str, str], dict[str, Any]]]):
    name = "Mixpanel"

    def hold(self, plan: Plan) -> tuple[dict[tuple[str, str], dict[str, Any]], list[str]]:
        return schemas_of(plan)

    def __init__(self, region: str, base_url: str | None, project: str | None) -> None:
        username, secret = os.environ.get(USERNAME, ""), os.environ.get(SECRET, "")
        if not username or not secret:
            raise UsageError(f"{USERNAME} and {SECRET} must be set: pull and push use a service account.",
                             "Create one in Mixpanel (Organization Settings → Service Accounts).")
        self.project = project or os.environ.get(PROJECT, "")
        if not self.project:
            raise UsageError(f"Which Mixpanel project? Give --tracking-plan PROJECT_ID or set {PROJECT}.", None)
        basic = base64.b64encode(f"{username}:{secret}".encode()).decode()
        self.client = Client("Mixpanel", base_url or BASE_URLS[region], {"Authorization": f"Basic {basic}"},
                             (secret, basic), per_second=5.0, budget=5.0, window=60.0, write_cost=1.0)

    @cached_property
    def remote(self) -> dict[tuple[str, str], dict[str, Any]]:
        body = self.client.call("GET", f"/projects/{self.project}/schemas")
        rows = body.get("results") if isinstance(body, dict) else None
        return {(str(r.get("entityType")), str(r.get("name"))): r.get("schemaJson") or {}
                for r in rows or () if isinstance(r, dict)}

    def pull(self) -> ImportedPlan:
        return self._imported(self.remote)

    def projected(self, plan: Plan) -> ImportedPlan:
        """The plan as Lexicon holds it, read back as pull reads Lexicon: what push --dry-run compares."""
        schemas = self.held(plan)
        return self._imported({key: json.loads(json.dumps(schema)) for key, schema in schemas.items()})

    def _imported(self, schemas: dict[tuple[str, str], dict[str, Any]]) -> ImportedPlan:
        plan = ImportedPlan(plan_id(f"mixpanel-{self.project}", "mixpanel-plan"))
        for (kind, name), schema in sorted(schemas.items()):
            where = f"{kind} {name}"
            if kind == "profile":
                traits, _ = properties_of(schema, plan, where)
                plan.traits.update(traits)
                continue
            if kind != "event":
                plan.drop(where, f"{kind} schema", "the plan format has events and user traits")
                continue
            props, extra, variants = event_properties_of(schema, plan, where, metadata=None)
            event = ImportedEvent(name, schema.get("description") or None, props, extra, variants=variants)
            lexicon = (schema.get("metadata") or {}).get("com.mixpanel") or {}
            event.tags = [str(t) for t in lexicon.get("tags") or ()]
            owners = [o.get("name") for o in lexicon.get("owners") or () if isinstance(o, dict)]
            if owners and isinstance(owners[0], str) and owners[0]:
                event.metadata["owner"] = owners[0]
            plan.add(event, where)
        return plan

    def changes(self, plan: Plan, prune: bool) -> list[Change]:
        local = self.held(plan)
        remote = self.remote
        changes = []
        for key, schema in local.items():
            entry = {"entityType": key[0], "name": key[1], "schemaJson": schema}
            if key not in remote:
                changes.append(Change("add", f"{key[0]} schema {key[1]!r}", entry))
            elif _compared(remote[key]) != _compared(schema):
                changes.append(Change("update", f"{key[0]} schema {key[1]!r}", entry))
        for key in remote.keys() - local.keys():
            changes.append(Change("remove" if prune else "keep", f"{key[0]} schema {key[1]!r}", key))
        return changes

    def batches(self, changes: list[Change]) -> list[list[Change]]:
        """Upserts in uploads within Lexicon's limits, then removals one a request."""
        return _batches([c for c in changes if c.kind != "remove"]) + [[c] for c in changes if c.kind == "remove"]

    def send(self, batch: list[Change]) -> None:
        from urllib.parse import quote

        if batch[0].kind == "remove":
            kind, name = batch[0].payload
            self.client.call("DELETE", f"/projects/{self.project}/schemas/{kind}/{quote(name, safe='')}")
        else:
            self.client.call("POST", f"/projects/{self.project}/schemas",
                             body={"entries": [c.payload for c in batch], "truncate": False})
