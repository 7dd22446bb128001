"""A local Mixpanel Lexicon Schemas API for the push and pull tests, written from Mixpanel's reference (its
lexicon-schemas OpenAPI document, whose interface tests/vendor_apis holds: every request is validated against it):
Basic auth with a service account, `GET /projects/{id}/schemas` answering
`{"status": "ok", "results": [{entityType, name, schemaJson}]}`, `POST` of `{entries, truncate}` replacing each
schema (merging the metadata it already had, as Lexicon does), `DELETE /projects/{id}/schemas/{entityType}/{name}`,
and 429 with Retry-After when asked to fail."""

from __future__ import annotations

import base64
import json
import threading
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import unquote, urlsplit

from fake_api import ApiDocument, JsonHandler, Limits, serve

USERNAME = "tracking-plan.12ab34.mp-service-account"
SECRET = "mpsecret_5f4e3d2c1b0a99887766"
PROJECT = "3141592"


class State:
    def __init__(self) -> None:
        self.schemas: dict[tuple[str, str], dict[str, Any]] = {}
        self.log: list[tuple[str, str, bytes]] = []
        self.failures: list[tuple[int, str | None]] = []
        self.lock = threading.Lock()
        self.document = ApiDocument("mixpanel-lexicon-schemas.openapi.yaml", "https://mixpanel.com")
        self.limits = Limits((60.0, 5.0))
        """Lexicon's: 5 requests a minute (and under 4,000 events and properties a minute: `entities`)."""
        self.entities = Limits((60.0, 3999.0), clock=self.limits.clock)

    def later(self) -> None:
        """A minute later: the limits' window has passed (between two runs of the CLI in a test)."""
        self.limits.spent.clear()
        self.entities.spent.clear()

    def count(self, method: str) -> int:
        return sum(1 for m, _, _ in self.log if m == method)


class _Handler(JsonHandler):
    state: State

    def handle_method(self, method: str) -> None:
        state = self.state
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = [unquote(p) for p in urlsplit(self.path).path.strip("/").split("/")]
        expected = "Basic " + base64.b64encode(f"{USERNAME}:{SECRET}".encode()).decode()
        with state.lock:
            state.log.append((method, "/".join(parts), raw))
            if self.headers.get("Authorization") != expected:
                return self.send_json(401, {"status": "error", "error": "Unauthorized"})
            refused = state.document.refusal(method, self.path, self.headers, raw)
            if refused:
                return self.send_json(400, {"status": "error", "error": refused})
            entries = json.loads(raw).get("entries", []) if method == "POST" and raw else []
            if state.limits.exceeded(1) or state.entities.exceeded(
                    sum(1 + len(e["schemaJson"].get("properties") or ()) for e in entries)):
                return self.send_json(429, {"status": "error", "error": "Rate limit exceeded"}, {"Retry-After": "60"})
            if state.failures:
                status, after = state.failures.pop(0)
                return self.send_json(status, {"status": "error", "error": "Injected failure"},
                                      {"Retry-After": after} if after else None)
            if parts[:4] != ["api", "app", "projects", PROJECT] or parts[4:5] != ["schemas"]:
                return self.send_json(404, {"status": "error", "error": "Not found"})
            if method == "GET" and len(parts) == 5:
                return self.send_json(200, {"status": "ok", "results": [
                    {"entityType": k[0], "name": k[1], "schemaJson": v} for k, v in sorted(state.schemas.items())]})
            if method == "POST" and len(parts) == 5:
                body = json.loads(raw or b"{}")
                if body.get("truncate"):
                    state.schemas.clear()
                for entry in body.get("entries", []):
                    if entry.get("entityType") not in ("event", "profile") or not isinstance(entry.get("schemaJson"),
                                                                                          dict):
                        return self.send_json(400, {"status": "error", "error": "Invalid entry"})
                    key = (entry["entityType"], entry["name"])
                    old = state.schemas.get(key, {}).get("metadata", {}).get("com.mixpanel", {})
                    schema = dict(entry["schemaJson"])
                    merged = {**old, **schema.get("metadata", {}).get("com.mixpanel", {})}
                    if merged:
                        schema["metadata"] = {"com.mixpanel": merged}
                    state.schemas[key] = schema
                return self.send_json(200, {"status": "ok", "results": {"added": len(body.get("entries", []))}})
            if method == "DELETE" and len(parts) == 7:
                if state.schemas.pop((parts[5], parts[6]), None) is None:
                    return self.send_json(404, {"status": "error", "error": "Schema not found"})
                return self.send_json(200, {"status": "ok", "results": {"delete_count": 1}})
            return self.send_json(405, {"status": "error", "error": "Method not allowed"})


def mixpanel_api() -> AbstractContextManager[tuple[str, State]]:
    return serve(_Handler, State())
