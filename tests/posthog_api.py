"""A local PostHog API for the push and pull tests, written from PostHog's API reference (its API schema, whose
interface tests/vendor_apis holds: every request is validated against it): a personal API key as a Bearer token;
event definitions, schema property groups and event schemas under `/api/projects/{id}/`, listed `limit`/`offset`
with absolute `next` links; Django REST framework's error bodies (`type`, `code`, `detail`, `attr`); deletions
cascading as PostHog's foreign keys do; 429 with Retry-After when asked to fail."""

from __future__ import annotations

import json
import threading
import uuid
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fake_api import ApiDocument, JsonHandler, Limits, serve

KEY = "phx_tRaCkInGpLaN0123456789abcdefABCDEF"
PROJECT = "27182"
_NOW = "2026-12-02T10:00:00Z"


class State:
    def __init__(self) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, Any]] = {}
        self.schemas: dict[str, dict[str, Any]] = {}
        self.log: list[tuple[str, str, bytes]] = []
        self.failures: list[tuple[int, str | None]] = []
        self.outage: list[int] = []
        """[after, count]: once `after` requests were answered, the next `count` get 500 (an outage midway)."""
        self.lock = threading.Lock()
        self.document = ApiDocument("posthog-schema-management.openapi.yaml", "https://us.posthog.com")
        self.limits = Limits((60.0, 480.0), (3600.0, 4800.0))
        """PostHog's for these endpoints: 480 requests a minute, 4,800 an hour."""

    def count(self, method: str) -> int:
        return sum(1 for m, _, _ in self.log if m == method)

    def seen(self, name: str) -> None:
        """An event PostHog received: ingestion creates its definition."""
        key = str(uuid.uuid4())
        self.definitions[key] = {"id": key, "name": name, "description": None, "tags": [], "owner": None,
                                 "created_at": _NOW, "last_seen_at": _NOW, "verified": False}

    def named(self, name: str) -> dict[str, Any] | None:
        return next((d for d in self.definitions.values() if d["name"] == name), None)

    def group_of(self, name: str) -> dict[str, Any] | None:
        definition = self.named(name)
        link = next((s for s in self.schemas.values() if definition and s["event_definition"] == definition["id"]),
                    None)
        return self.groups.get(link["property_group_id"]) if link else None


def _group_out(state: State, group: dict[str, Any]) -> dict[str, Any]:
    events = [{"id": s["event_definition"], "name": state.definitions[s["event_definition"]]["name"]}
              for s in state.schemas.values() if s["property_group_id"] == group["id"]]
    return {**group, "events": events}


class _Handler(JsonHandler):
    state: State

    def _page(self, rows: list[dict[str, Any]], path: str, query: dict[str, str]) -> None:
        limit, offset = int(query.get("limit", "100")), int(query.get("offset", "0"))
        following = None
        if offset + limit < len(rows):
            host = self.headers.get("Host")
            following = f"http://{host}{path}?{urlencode({'limit': limit, 'offset': offset + limit})}"
        self.send_json(200, {"count": len(rows), "next": following, "previous": None,
                             "results": rows[offset:offset + limit]})

    def handle_method(self, method: str) -> None:
        state = self.state
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        query = dict(parse_qsl(url.query))
        with state.lock:
            state.log.append((method, url.path, raw))
            if self.headers.get("Authorization") != f"Bearer {KEY}":
                return self.send_json(401, {"type": "authentication_error", "code": "authentication_failed",
                                            "detail": "Incorrect authentication credentials.", "attr": None})
            refused = state.document.refusal(method, self.path, self.headers, raw)
            if refused:
                return self.send_json(400, {"type": "validation_error", "code": "invalid_input",
                                            "detail": refused, "attr": None})
            if state.limits.exceeded(1):
                return self.send_json(429, {"type": "throttled_error", "code": "throttled", "detail": "Request was "
                                            "throttled.", "attr": None}, {"Retry-After": "60"})
            if state.outage and len(state.log) > state.outage[0] and state.outage[1] > 0:
                state.outage[1] -= 1
                return self.send_json(500, {"type": "server_error", "code": "error", "detail": "A server error "
                                            "occurred.", "attr": None}, {"Retry-After": "0"})
            if state.failures:
                status, after = state.failures.pop(0)
                return self.send_json(status, {"type": "throttled_error" if status == 429 else "server_error",
                                               "code": "throttled" if status == 429 else "error",
                                               "detail": "Injected failure", "attr": None},
                                      {"Retry-After": after} if after else None)
            if parts[:3] != ["api", "projects", PROJECT] or len(parts) not in (4, 5):
                return self.send_json(404, {"type": "invalid_request", "code": "not_found", "detail": "Not found.",
                                            "attr": None})
            table = {"event_definitions": state.definitions, "schema_property_groups": state.groups,
                     "event_schemas": state.schemas}.get(parts[3])
            if table is None:
                return self.send_json(404, {"type": "invalid_request", "code": "not_found", "detail": "Not found.",
                                            "attr": None})
            body = json.loads(raw) if raw else {}
            if len(parts) == 4 and method == "GET":
                rows = list(table.values())
                if parts[3] == "schema_property_groups":
                    rows = [_group_out(state, g) for g in rows]
                if parts[3] == "event_schemas":
                    rows = [{k: v for k, v in s.items() if k != "property_group_id"}
                            | {"property_group": _group_out(state, state.groups[s["property_group_id"]])}
                            for s in rows]
                return self._page(rows, url.path, query)
            if len(parts) == 4 and method == "POST":
                return self._create(parts[3], table, body)
            row = table.get(parts[4])
            if row is None:
                return self.send_json(404, {"type": "invalid_request", "code": "not_found", "detail": "Not found.",
                                            "attr": None})
            if method == "PATCH":
                row.update({k: v for k, v in body.items() if k in ("description", "tags", "properties", "name")})
                if parts[3] == "schema_property_groups":
                    row["properties"] = [self._property(p) for p in row["properties"]]
                    return self.send_json(200, _group_out(state, row))
                return self.send_json(200, row)
            if method == "DELETE":
                del table[parts[4]]
                for key, link in list(state.schemas.items()):  # the foreign keys cascade
                    if parts[4] in (link["event_definition"], link["property_group_id"]):
                        del state.schemas[key]
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            return self.send_json(405, {"type": "invalid_request", "code": "method_not_allowed",
                                        "detail": f'Method "{method}" not allowed.', "attr": None})

    @staticmethod
    def _property(prop: dict[str, Any]) -> dict[str, Any]:
        return {"id": prop.get("id") or str(uuid.uuid4()), "name": prop["name"],
                "property_type": prop["property_type"], "is_required": bool(prop.get("is_required")),
                "is_optional_in_types": bool(prop.get("is_optional_in_types")),
                "description": prop.get("description") or "", "created_at": _NOW, "updated_at": _NOW}

    def _create(self, what: str, table: dict[str, dict[str, Any]], body: dict[str, Any]) -> None:
        state = self.state
        key = str(uuid.uuid4())
        if what == "event_definitions":
            if not body.get("name") or state.named(body["name"]):
                return self.send_json(400, {"type": "validation_error", "code": "unique",
                                            "detail": "Event definition with this name already exists.",
                                            "attr": "name"})
            table[key] = {"id": key, "name": body["name"], "description": body.get("description"),
                          "tags": list(body.get("tags") or []), "owner": None, "created_at": _NOW,
                          "last_seen_at": None, "verified": False}
        elif what == "schema_property_groups":
            table[key] = {"id": key, "name": body.get("name", ""), "description": body.get("description", ""),
                          "properties": [self._property(p) for p in body.get("properties") or ()],
                          "created_at": _NOW, "updated_at": _NOW}
            return self.send_json(201, _group_out(state, table[key]))
        else:
            if body.get("event_definition") not in state.definitions or body.get("property_group_id") \
                    not in state.groups:
                return self.send_json(400, {"type": "validation_error", "code": "does_not_exist",
                                            "detail": "Invalid pk - object does not exist.",
                                            "attr": "event_definition"})
            table[key] = {"id": key, "event_definition": body["event_definition"],
                          "property_group_id": body["property_group_id"], "created_at": _NOW, "updated_at": _NOW}
        return self.send_json(201, table[key])


def posthog_api() -> AbstractContextManager[tuple[str, State]]:
    return serve(_Handler, State())
