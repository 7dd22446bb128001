"""Who may talk to the collector, in the spirit of Snowplow Micro and the browser's Private Network Access rules.

The collector answers SDKs from any page — a web app under test sends from its own origin — but a page the
developer happens to visit must not read, reset or drive it:

- **Headers**: at most 32 KiB.
- **Host**: a request is served only when its `Host` is a loopback name (`localhost`, `127.x.x.x`, `[::1]`) or
  the address it listens on (`--host`) or one allowed with `--allow-host`. A DNS-rebinding page reaches the
  collector under its own host name, and is refused.
- **Ingestion** (`/v1/*`, `/b`, `/2/httpapi`, `/mp/collect`, `/debug/mp/collect`): open to every origin (CORS
  `*`), as the vendors' own collectors are.
- **Inspection and control** (`/tracking-plan/*`): only same-origin requests, requests with no browser origin
  (curl, tests, Playwright's request context) or from an origin allowed with `--allow-origin`; no CORS grant for
  any other origin. The control path (`POST /tracking-plan/reset`) takes a JSON content type only: a form or a
  `text/plain` beacon — what a foreign page can send without a preflight — is refused.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any

from starlette.middleware.cors import CORSMiddleware

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

INSPECTION = "/tracking-plan/"
MAX_HEADERS = 32 * 1024
"""The most header bytes a request may carry (browsers send 1 to 4 KiB)."""
_JSON = ("application/json",)


def host_name(host: str) -> str:
    """The name in a Host header, without its port (`[::1]:8787` → `::1`)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback(name: str) -> bool:
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class Guard:
    """ASGI middleware in front of the collector's routes: the Host check, then per path its CORS policy and who
    may call it."""

    def __init__(self, app: ASGIApp, listen_host: str, allow_hosts: Collection[str] = (),
                 allow_origins: Collection[str] = ()) -> None:
        self.hosts = {host_name(h) for h in (listen_host, *allow_hosts)} - {"0.0.0.0", "::", ""}
        self.origins = {o.rstrip("/").lower() for o in allow_origins}
        self.open: ASGIApp = CORSMiddleware(app, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])
        self.inspection: ASGIApp = CORSMiddleware(app, allow_origins=sorted(self.origins),
                                                  allow_methods=["GET", "POST"], allow_headers=["content-type"])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.open(scope, receive, send)
            return
        raw = scope.get("headers", [])
        if sum(len(k) + len(v) + 4 for k, v in raw) > MAX_HEADERS:
            await _refuse(send, 431, f"The request's headers are over {MAX_HEADERS:,} bytes.", "Send fewer headers.")
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw}
        host = headers.get("host", "")
        name = host_name(host)
        if not (is_loopback(name) or name in self.hosts):
            await _refuse(send, 403, f"This collector does not answer to the host '{host}'.",
                          "Reach it as localhost or 127.0.0.1, or allow the name with --allow-host.")
            return
        if not scope["path"].startswith(INSPECTION):
            await self.open(scope, receive, send)
            return
        origin = headers.get("origin")
        foreign = origin is not None and origin.rstrip("/").lower() not in {f"http://{host}".lower(), *self.origins}
        cross_site = origin is None and headers.get("sec-fetch-site") in ("cross-site", "same-site")
        if foreign or cross_site:
            await _refuse(send, 403, f"The inspection API answers only this collector's own pages and allowed "
                                     f"origins, not '{origin or headers.get('sec-fetch-site')}'.",
                          "Allow your app's origin with --allow-origin http://localhost:3000.")
            return
        if scope["method"] == "POST":
            kind = headers.get("content-type", "").split(";")[0].strip().lower()
            if kind not in _JSON:
                await _refuse(send, 415, f"Control requests take a JSON body, not '{kind or 'none'}'.",
                              "Send Content-Type: application/json.")
                return
        await self.inspection(scope, receive, send)


async def _refuse(send: Send, status: int, error: str, hint: str) -> None:
    body = json.dumps({"error": error, "hint": hint}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
