"""A local Segment Public API for the push and pull tests, written from Segment's API reference
(docs.segmentapis.com, Tracking Plans): the same paths and methods, Bearer tokens, cursor pagination
(`pagination[count]` at most 200, `pagination.next`), 200 rules at most per update or removal, `{"errors": [...]}`
bodies, 429 with Retry-After past its rate limit. It can fail on purpose (a status for the next requests of a
method, or for every one from the Nth), and keeps a log of every request."""

from __future__ import annotations

import json
import threading
import time
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fake_api import JsonHandler, serve

TOKEN = "sgp_test_3b9f1c2d4e5f60718293a4b5c6d7e8f9"
PLAN_ID = "tp_2abcDEFghiJKL"
PAGE_LIMIT = 200
RATE = 20
"""Requests a second the server takes from one token before answering 429."""


class State:
    def __init__(self) -> None:
        self.plan = {"id": PLAN_ID, "name": "Web", "slug": "web", "description": "", "type": "LIVE"}
        self.rules: dict[tuple[str, str], dict[str, Any]] = {}
        self.log: list[tuple[str, str, bytes]] = []
        self.failures: dict[str, list[tuple[int, str | None]]] = {}
        """Method → statuses (and Retry-After) to answer, one a request, before serving normally."""
        self.fail_from: dict[str, tuple[int, int]] = {}
        """Method → (n, status): from its nth request on, that status."""
        self.stamps: list[float] = []
        self.limited = 0
        self.lock = threading.Lock()

    def count(self, method: str) -> int:
        return sum(1 for m, _, _ in self.log if m == method)


class _Handler(JsonHandler):
    state: State

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self.send_json(status, {"errors": [{"type": "error", "message": message}]}, headers)

    def handle_method(self, method: str) -> None:
        state = self.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        with state.lock:
            state.log.append((method, url.path, raw))
            now = time.monotonic()
            state.stamps = [t for t in state.stamps if now - t < 1.0] + [now]
            if len(state.stamps) > RATE:
                state.limited += 1
                return self._error(429, "Too many requests", {"Retry-After": "1"})
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._error(401, "Unauthorized: the token is not valid")
            queued = state.failures.get(method)
            if queued:
                status, after = queued.pop(0)
                return self._error(status, "Injected failure", {"Retry-After": after} if after else None)
            if method in state.fail_from and state.count(method) >= state.fail_from[method][0]:
                return self._error(state.fail_from[method][1], "Internal error", {"Retry-After": "0"})
            parts = url.path.strip("/").split("/")
            if parts[:2] != ["tracking-plans", PLAN_ID]:
                return self._error(404, "Resource not found")
            if len(parts) == 2 and method == "GET":
                return self.send_json(200, {"data": {"trackingPlan": state.plan}})
            if parts[2:] != ["rules"]:
                return self._error(404, "Resource not found")
            if method == "GET":
                query = parse_qs(url.query)
                count = int(query.get("pagination[count]", ["200"])[0])
                if not 1 <= count <= PAGE_LIMIT:
                    return self._error(422, f"pagination.count must be between 1 and {PAGE_LIMIT}")
                start = int(query.get("pagination[cursor]", ["0"])[0] or 0)
                rules = sorted(state.rules.values(), key=lambda r: (r["type"], r.get("key") or ""))
                page = rules[start:start + count]
                following = start + count if start + count < len(rules) else None
                return self.send_json(200, {"data": {"rules": page, "pagination": {
                    "current": str(start), "next": None if following is None else str(following),
                    "totalEntries": len(rules)}}})
            body = json.loads(raw or b"{}")
            rules = body.get("rules")
            if not isinstance(rules, list) or not 1 <= len(rules) <= PAGE_LIMIT:
                return self._error(422, f"rules must hold between 1 and {PAGE_LIMIT} rules")
            if method == "PATCH":
                for rule in rules:
                    if rule.get("type") not in ("TRACK", "IDENTIFY", "GROUP", "PAGE", "SCREEN") or \
                            not isinstance(rule.get("jsonSchema"), dict) or not isinstance(rule.get("version"), int):
                        return self._error(422, "Validation failure: a rule needs type, version and jsonSchema")
                for rule in rules:
                    key = (rule["type"], rule.get("key") or "")
                    state.rules[key] = {"type": rule["type"], "key": rule.get("key"), "version": rule["version"],
                                        "jsonSchema": rule["jsonSchema"], "createdAt": "2026-12-02T00:00:00Z",
                                        "updatedAt": "2026-12-02T00:00:00Z"}
                return self.send_json(200, {"data": {"status": "SUCCESS"}})
            if method == "DELETE":
                for rule in rules:
                    state.rules.pop((rule.get("type"), rule.get("key") or ""), None)
                return self.send_json(200, {"data": {"status": "SUCCESS"}})
            return self._error(405, "Method not allowed")


def segment_api() -> AbstractContextManager[tuple[str, State]]:
    return serve(_Handler, State())
