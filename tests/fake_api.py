"""What the tests' local vendor APIs share: a threaded HTTP server on a free port, JSON answers, every method
routed to one handler with the method's name, and, where the vendor publishes a machine-readable description of
its API, every request validated against it (openapi-core): a request the vendor's document refuses is answered
400 and logged, so a test fails on anything push sends that the vendor does not document."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

from openapi_core import OpenAPI
from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest

VENDOR_APIS = Path(__file__).parent / "vendor_apis"

S = TypeVar("S")


class Limits:
    """A vendor's documented rate limits as its local API enforces them: budgets over rolling windows, each
    request costing what the vendor counts; time read from `clock`, which a test may make virtual (the client's
    own, so that an hour of pushing runs in seconds and is still judged by the vendor's rules)."""

    def __init__(self, *windows: tuple[float, float], clock: Any = time.monotonic) -> None:
        self.windows = windows
        """(seconds, budget) pairs."""
        self.clock = clock
        self.spent: list[tuple[float, float]] = []
        self.limited = 0
        """Requests refused with 429 for going past a limit (a test of pacing asserts there is none)."""

    def exceeded(self, cost: float) -> bool:
        now = self.clock()
        longest = max((seconds for seconds, _ in self.windows), default=0.0)
        self.spent = [(t, c) for t, c in self.spent if now - t < longest]
        if any(sum(c for t, c in self.spent if now - t < seconds) + cost > budget
               for seconds, budget in self.windows):
            self.limited += 1
            return True
        self.spent.append((now, cost))
        return False


class ApiDocument:
    """A vendor's OpenAPI document, and the host its `servers` name (the local API answers for it)."""

    def __init__(self, name: str, host: str) -> None:
        self.api = OpenAPI.from_file_path(str(VENDOR_APIS / name))
        self.host = host
        self.refused: list[str] = []
        """Every request the document refused: method, path and why (a test asserts there is none)."""

    def refusal(self, method: str, target: str, headers: Any, raw: bytes) -> str | None:
        url = urlsplit(target)
        request = MockRequest(self.host, method.lower(), url.path, args=dict(parse_qsl(url.query)),
                              headers={k: v for k, v in headers.items()}, data=raw or None,
                              content_type=(headers.get("Content-Type") or "application/json").split(";")[0])
        try:
            self.api.validate_request(request)
        except OpenAPIError as error:
            causes = getattr(error.__cause__, "schema_errors", None) or ()
            why = "; ".join(e.message for e in causes) or str(error)
            self.refused.append(f"{method} {url.path}: {why}")
            return why
        return None


class JsonHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        return

    def send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_method(self, method: str) -> None:
        raise NotImplementedError

    def do_GET(self) -> None:
        self.handle_method("GET")

    def do_POST(self) -> None:
        self.handle_method("POST")

    def do_PUT(self) -> None:
        self.handle_method("PUT")

    def do_PATCH(self) -> None:
        self.handle_method("PATCH")

    def do_DELETE(self) -> None:
        self.handle_method("DELETE")


@contextmanager
def serve(handler: type[JsonHandler], state: S) -> Iterator[tuple[str, S]]:
    """The API on 127.0.0.1, its handler seeing `state` (the test's view of the vendor's data and log)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (handler,), {"state": state}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", state
    finally:
        server.shutdown()
        server.server_close()
