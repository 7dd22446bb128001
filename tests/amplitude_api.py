"""A local Amplitude Taxonomy API for the push and pull tests, written from Amplitude's reference
(amplitude.com/docs/apis/analytics/taxonomy): Basic auth with the project's API and secret keys, form-encoded
bodies, `{"success": ..., "data": [...]}` answers, event types with a category, event properties listed per event
type, user properties listed with the `gp:` prefix, 409 for an entity that exists, 404 for one that does not,
429 past the concurrent or hourly cost limit. It can answer statuses on purpose, and logs every request."""

from __future__ import annotations

import base64
import threading
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from fake_api import JsonHandler, Limits, serve

API_KEY = "amp_api_8f2e1d0c9b8a7f6e5d4c3b2a1"
SECRET_KEY = "amp_secret_0a1b2c3d4e5f6a7b8c9d0e1f"
HOURLY_COST = 7200
_FIELDS = ("description", "type", "regex", "enum_values", "is_array_type", "is_required")


class State:
    def __init__(self) -> None:
        self.events: dict[str, dict[str, Any]] = {}
        self.properties: dict[tuple[str, str], dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.log: list[tuple[str, str, bytes]] = []
        self.failures: list[tuple[int, str | None]] = []
        self.limits = Limits((3600.0, HOURLY_COST))
        self.lock = threading.Lock()

    def count(self, method: str) -> int:
        return sum(1 for m, _, _ in self.log if m == method)


class _Handler(JsonHandler):
    state: State

    def _fail(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self.send_json(status, {"success": False, "errors": [{"message": message}]}, headers)

    def handle_method(self, method: str) -> None:
        state = self.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        expected = "Basic " + base64.b64encode(f"{API_KEY}:{SECRET_KEY}".encode()).decode()
        with state.lock:
            state.log.append((method, url.path, raw))
            if state.limits.exceeded(1 if method == "GET" else 2):
                return self._fail(429, "Exceeded rate limit", {"Retry-After": "1"})
            if self.headers.get("Authorization") != expected:
                return self._fail(401, "Invalid API key or secret key")
            if state.failures:
                status, after = state.failures.pop(0)
                return self._fail(status, "Injected failure", {"Retry-After": after} if after else None)
            if raw and self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                return self._fail(400, "The body must be form-encoded")
            form = {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            parts = [unquote(p) for p in url.path.strip("/").split("/")]
            if parts[:3] != ["api", "2", "taxonomy"] or len(parts) < 4:
                return self._fail(404, "Not found")
            kind, name = parts[3], (parts[4] if len(parts) > 4 else None)
            if kind == "event":
                return self._event(method, name, form)
            if kind == "event-property":
                return self._property(method, name, form, query)
            if kind == "user-property":
                return self._user(method, name, form)
            return self._fail(404, "Not found")

    def _event(self, method: str, name: str | None, form: dict[str, str]) -> None:
        events = self.state.events
        if method == "GET" and name is None:
            return self.send_json(200, {"success": True, "data": [
                {"event_type": k, "category": {"name": v.get("category", "")}, "description": v.get("description", "")}
                for k, v in sorted(events.items())]})
        if method == "POST":
            event_type = form.get("event_type", "")
            if not event_type:
                return self._fail(400, "event_type is required")
            if event_type in events:
                return self._fail(409, f"Event type {event_type} already exists")
            events[event_type] = {"category": form.get("category", ""), "description": form.get("description", "")}
            return self.send_json(200, {"success": True})
        if name not in events:
            return self._fail(404, f"Event type {name} not found")
        if method == "PUT":
            events[name].update({k: form[k] for k in ("category", "description") if k in form})
            return self.send_json(200, {"success": True})
        if method == "DELETE":
            del events[name]
            for key in [k for k in self.state.properties if k[0] == name]:
                del self.state.properties[key]
            return self.send_json(200, {"success": True})
        return self._fail(405, "Method not allowed")

    def _property(self, method: str, name: str | None, form: dict[str, str], query: dict[str, str]) -> None:
        properties = self.state.properties
        if method == "GET" and name is None:
            event_type = query.get("event_type")
            return self.send_json(200, {"success": True, "data": [
                {"event_property": p, "event_type": e, **v} for (e, p), v in sorted(properties.items())
                if event_type is None or e == event_type]})
        event_type = form.get("event_type", "")
        if event_type not in self.state.events:
            return self._fail(404, f"Event type {event_type} not found")
        if method == "POST":
            key = (event_type, form.get("event_property", ""))
            if key in properties:
                return self._fail(409, "Event property already exists")
            properties[key] = {k: form[k] for k in _FIELDS if k in form}
            return self.send_json(200, {"success": True})
        key = (event_type, name or "")
        if key not in properties:
            return self._fail(404, "Event property not found")
        if method == "PUT":
            properties[key] = {k: form[k] for k in _FIELDS if k in form}
            return self.send_json(200, {"success": True})
        if method == "DELETE":
            del properties[key]
            return self.send_json(200, {"success": True})
        return self._fail(405, "Method not allowed")

    def _user(self, method: str, name: str | None, form: dict[str, str]) -> None:
        users = self.state.users
        if method == "GET" and name is None:
            return self.send_json(200, {"success": True, "data": [
                {"user_property": f"gp:{k}", **v} for k, v in sorted(users.items())]})
        if method == "POST":
            user_property = form.get("user_property", "")
            if user_property in users:
                return self._fail(409, "User property already exists")
            users[user_property] = {k: form[k] for k in _FIELDS if k in form}
            return self.send_json(200, {"success": True})
        if name not in users:
            return self._fail(404, "User property not found")
        if method == "PUT":
            users[name] = {k: form[k] for k in _FIELDS if k in form}
            return self.send_json(200, {"success": True})
        if method == "DELETE":
            del users[name]
            return self.send_json(200, {"success": True})
        return self._fail(405, "Method not allowed")


def amplitude_api() -> AbstractContextManager[tuple[str, State]]:
    return serve(_Handler, State())
