"""Segment Protocols through its Public API: a tracking plan's rules, read page by page (`GET
/tracking-plans/{id}/rules`), upserted in batches (`PATCH .../rules`) and removed (`DELETE .../rules`, with
--prune only). The rules are what `export segment` writes, so an unchanged plan pushes nothing."""

from __future__ import annotations

import json
import os
from functools import cached_property
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan
from tracking_plan.exporters.segment import export_rules
from tracking_plan.importers.model import ImportedPlan
from tracking_plan.importers.segment import read_document
from tracking_plan.sync.http import Client, Paging
from tracking_plan.sync.vendor import Change, Vendor

BASE_URLS = {"us": "https://api.segmentapis.com", "eu": "https://eu1.api.segmentapis.com"}
TOKEN = "SEGMENT_TOKEN"
PLAN_ID = "SEGMENT_TRACKING_PLAN_ID"
PAGE = 200
"""Rules asked per page, and sent per update or removal: the Public API's limit for both."""
_INPUT = ("type", "key", "version", "jsonSchema")
"""The fields a rule is written with (RuleInputV1)."""


def _object(value: Any) -> dict[str, Any]:
    """`value` when the API answered an object there, else an empty one (read as nothing)."""
    return value if isinstance(value, dict) else {}


def _key(rule: dict[str, Any]) -> tuple[str, str]:
    return str(rule.get("type", "TRACK")).upper(), str(rule.get("key") or "")


def _label(key: tuple[str, str]) -> str:
    kind, name = key
    return f"{kind} rule {name!r}" if name else f"{kind} rule"


class Segment(Vendor[None]):
    name = "Segment"

    def __init__(self, region: str, base_url: str | None, plan_id: str | None) -> None:
        token = os.environ.get(TOKEN, "")
        if not token:
            raise UsageError(f"{TOKEN} is not set: pull and push need a Segment Public API token.",
                             f"Create one in Segment (Settings → Access Management → Tokens) and export {TOKEN}.")
        self.plan_id = plan_id or os.environ.get(PLAN_ID, "")
        if not self.plan_id:
            raise UsageError("Which Segment tracking plan? Give --tracking-plan ID or set "
                             f"{PLAN_ID}.", "The id is in the plan's URL in Segment (tp_...).")
        self.client = Client("Segment", base_url or BASE_URLS[region], {"Authorization": f"Bearer {token}"},
                             (token,), per_second=5.0)

    @cached_property
    def _rules(self) -> list[dict[str, Any]]:
        rules: list[dict[str, Any]] = []
        path = f"/tracking-plans/{self.plan_id}/rules"
        paging = Paging(self.name, path)
        cursor: str | None = None
        while True:
            query = {"pagination[count]": str(PAGE), **({"pagination[cursor]": cursor} if cursor else {})}
            body = self.client.call("GET", path, query=query)
            data = _object(_object(body).get("data"))
            cursor = _object(data.get("pagination")).get("next")
            listed = data.get("rules")
            rules += paging.fresh([r for r in listed if isinstance(r, dict)] if isinstance(listed, list) else [],
                                  bool(cursor))
            if not cursor:
                return rules

    def pull(self) -> ImportedPlan:
        body = self.client.call("GET", f"/tracking-plans/{self.plan_id}")
        info = _object(_object(_object(body).get("data")).get("trackingPlan"))
        return read_document({"trackingPlan": info, "rules": self._rules}, f"segment:{self.plan_id}")

    def changes(self, plan: Plan, prune: bool) -> list[Change]:
        local = {_key(r): {k: r[k] for k in _INPUT if k in r} for r in export_rules(plan)["rules"]}
        remote = {_key(r): r for r in self._rules}
        changes = []
        for key, rule in local.items():
            before = remote.get(key)
            if before is None:
                changes.append(Change("add", _label(key), rule))
            elif json.dumps(before.get("jsonSchema"), sort_keys=True) != json.dumps(rule["jsonSchema"],
                                                                                    sort_keys=True):
                changes.append(Change("update", _label(key), {**rule, "version": before.get("version", 1)}))
        for key, rule in remote.items():
            if key not in local:
                changes.append(Change("remove" if prune else "keep", _label(key),
                                      {"type": key[0], "key": rule.get("key"), "version": rule.get("version", 1)}))
        return changes

    def batches(self, changes: list[Change]) -> list[list[Change]]:
        """Upserts, then removals, PAGE rules a request."""
        batches = []
        for kinds in (("add", "update"), ("remove",)):
            todo = [c for c in changes if c.kind in kinds]
            batches += [todo[start:start + PAGE] for start in range(0, len(todo), PAGE)]
        return batches

    def send(self, batch: list[Change]) -> None:
        self.client.call("DELETE" if batch[0].kind == "remove" else "PATCH", f"/tracking-plans/{self.plan_id}/rules",
                         body={"rules": [c.payload for c in batch]})
