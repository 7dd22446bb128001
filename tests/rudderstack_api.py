"""A local RudderStack Data Catalog API for the push and pull tests, written from RudderStack's reference (the Data
Catalog API's tracking-plan and category endpoints, and the requests rudder-cli's client sends): a service access
token as a Bearer token under `/v2`; a tracking plan's events listed page by page (`page`, answering `data`,
`total`, `currentPage`, `pageSize`), each read with `?format=schema`, upserted by (eventType, name) with its rules
as JSON Schema (`PATCH .../events`: the request's shape checked as the reference gives it, the section its
`identitySection` names), removed (`DELETE .../events/{id}`); categories listed and created (names unique); 429
with Retry-After and an outage midway when asked."""

from __future__ import annotations

import json
import threading
import uuid
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from fake_api import JsonHandler, serve

TOKEN = "2glZLfSinoRWdkMqsZYPj48X8dY_tracking"
PLAN_ID = "tp_2gopz6tfKxAjpS4TjuqVIeTdm7T"
PAGE_SIZE = 50
_NOW = "2026-12-02T10:00:00.000Z"
_TYPES = {"track": "properties", "page": "properties", "screen": "properties", "identify": "traits",
          "group": "traits"}


class State:
    def __init__(self) -> None:
        self.events: dict[str, dict[str, Any]] = {}
        self.categories: dict[str, dict[str, Any]] = {}
        self.version = 1
        self.log: list[tuple[str, str, bytes]] = []
        self.failures: list[tuple[int, str | None]] = []
        self.outage: list[int] = []
        """[after, count]: once `after` requests were answered, the next `count` get 500."""
        self.refused: list[str] = []
        """The requests the reference does not allow (a test asserts there is none)."""
        self.lock = threading.Lock()

    def count(self, method: str) -> int:
        return sum(1 for m, _, _ in self.log if m == method)

    def keyed(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(e["eventType"], e["name"]): e for e in self.events.values()}


def _invalid_upsert(body: Any, state: State) -> str | None:
    """Why an upsert is not one the reference describes, or None."""
    if not isinstance(body, dict):
        return "the body must be an object"
    unknown = set(body) - {"name", "description", "eventType", "identitySection", "categoryId", "rules"}
    if unknown:
        return f"unknown fields {sorted(unknown)}"
    kind = body.get("eventType")
    if kind not in _TYPES:
        return f"eventType must be one of {sorted(_TYPES)}"
    if kind == "track" and not (isinstance(body.get("name"), str) and body["name"]):
        return "a track event needs a name"
    if body.get("identitySection") not in ("properties", "traits", "context.traits"):
        return "identitySection must be properties, traits or context.traits"
    if body.get("categoryId") is not None and body["categoryId"] not in state.categories:
        return "categoryId does not exist"
    rules = body.get("rules")
    if not isinstance(rules, dict) or rules.get("type") != "object" or not isinstance(rules.get("properties"), dict):
        return "rules must be an object schema"
    section = rules["properties"].get(body["identitySection"])
    if set(rules["properties"]) != {body["identitySection"]} or not isinstance(section, dict) \
            or section.get("type") != "object":
        return "rules.properties must hold the identitySection's object schema"
    return None


class _Handler(JsonHandler):
    state: State

    def _page(self, rows: list[dict[str, Any]], query: dict[str, str]) -> None:
        page = max(int(query.get("page", "1")), 1)
        start = (page - 1) * PAGE_SIZE
        self.send_json(200, {"data": rows[start:start + PAGE_SIZE], "total": len(rows), "currentPage": page,
                             "pageSize": PAGE_SIZE})

    def handle_method(self, method: str) -> None:
        state = self.state
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        url = urlsplit(self.path)
        parts = [unquote(p) for p in url.path.strip("/").split("/")]
        query = dict(parse_qsl(url.query))
        with state.lock:
            state.log.append((method, url.path, raw))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self.send_json(401, {"error": "Unauthorized"})
            if state.outage and len(state.log) > state.outage[0] and state.outage[1] > 0:
                state.outage[1] -= 1
                return self.send_json(500, {"error": "Internal Server Error"}, {"Retry-After": "0"})
            if state.failures:
                status, after = state.failures.pop(0)
                return self.send_json(status, {"error": "Too many requests" if status == 429 else "Unavailable"},
                                      {"Retry-After": after} if after else None)
            if parts[:3] == ["v2", "catalog", "categories"]:
                return self._categories(method, parts, raw, query)
            if parts[:4] != ["v2", "catalog", "tracking-plans", PLAN_ID] or parts[4:5] != ["events"]:
                return self.send_json(404, {"error": "Tracking plan not found"})
            if len(parts) == 5 and method == "GET":
                return self._page([{k: v for k, v in e.items() if k not in ("rules", "identitySection")}
                                   for e in state.events.values()], query)
            if len(parts) == 5 and method == "PATCH":
                body = json.loads(raw or b"null")
                why = _invalid_upsert(body, state)
                if why:
                    state.refused.append(why)
                    return self.send_json(400, {"error": why})
                have = state.keyed().get((body["eventType"], body.get("name") or ""))
                key = have["id"] if have else f"ev_{uuid.uuid4().hex[:27]}"
                state.events[key] = {
                    "id": key, "name": body.get("name") or "", "description": body.get("description") or "",
                    "eventType": body["eventType"], "categoryId": body.get("categoryId"),
                    "identitySection": body["identitySection"], "workspaceId": "1hitizAoFT91DD6rfFhBjiTex3e",
                    "createdAt": _NOW, "updatedAt": _NOW,
                    "rules": {"$schema": "http://json-schema.org/draft-07/schema#", **body["rules"]}}
                state.version += 1
                return self.send_json(200, {"id": PLAN_ID, "name": "Product Plan", "version": state.version,
                                            "creationType": "Data catalog API", "createdAt": _NOW,
                                            "updatedAt": _NOW})
            event = state.events.get(parts[5]) if len(parts) == 6 else None
            if event is None:
                return self.send_json(404, {"error": "Event not found in tracking plan"})
            if method == "GET":
                if query.get("format") != "schema":
                    return self.send_json(400, {"error": "format must be schema or properties"})
                return self.send_json(200, event)
            if method == "DELETE":
                del state.events[parts[5]]
                state.version += 1
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            return self.send_json(405, {"error": "Method not allowed"})

    def _categories(self, method: str, parts: list[str], raw: bytes, query: dict[str, str]) -> None:
        state = self.state
        if len(parts) == 3 and method == "GET":
            return self._page(list(state.categories.values()), query)
        if len(parts) == 3 and method == "POST":
            body = json.loads(raw or b"null")
            if not isinstance(body, dict) or set(body) - {"name"} or not isinstance(body.get("name"), str):
                state.refused.append("category: only a name")
                return self.send_json(400, {"error": "name is required"})
            if any(c["name"] == body["name"] for c in state.categories.values()):
                return self.send_json(400, {"error": "category with this name already exists"})
            key = f"cat_{uuid.uuid4().hex[:27]}"
            state.categories[key] = {"id": key, "name": body["name"], "workspaceId": "1hitizAoFT91DD6rfFhBjiTex3e",
                                     "createdAt": _NOW, "updatedAt": _NOW}
            return self.send_json(200, state.categories[key])
        return self.send_json(405, {"error": "Method not allowed"})


def rudderstack_api() -> AbstractContextManager[tuple[str, State]]:
    return serve(_Handler, State())
