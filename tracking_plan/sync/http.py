"""Talking to a vendor's API: its credentials from the environment (never shown), its base URL (EU regions),
requests spaced to its documented rate and retried as it documents (429 with Retry-After, 5xx with backoff), and
every failure said in plain words without the token in them."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tracking_plan.core.diagnostics import UsageError

MAX_ATTEMPTS = 6
MAX_WAIT = 60.0
"""The longest pause honoured between two attempts (a Retry-After past it is refused as an outage)."""


class ApiError(Exception):
    """A request the vendor refused for good (4xx but 429), or kept failing: status and the vendor's message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.applied: list[Any] = []
        """What push had applied when it came (see sync.run)."""


@dataclass
class Client:
    vendor: str
    base_url: str
    headers: Mapping[str, str]
    secrets: tuple[str, ...]
    """What must never be printed: the credentials, as given."""
    per_second: float = 2.0
    """The documented rate: requests are spaced to stay within it."""
    budget: float | None = None
    """A documented budget over a rolling window (Amplitude's: 7,200 an hour, a GET costing 1 and a write 2;
    Mixpanel Lexicon's: 5 requests a minute): requests go at once while the window's cost allows, then wait for it
    to."""
    window: float = 3600.0
    """The budget's window, in seconds."""
    write_cost: float = 2.0
    """What a write costs of that budget, a read costing 1 (PostHog and Mixpanel count every request alike)."""
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    """Where pacing reads the time (with `sleep`, what a test replaces to push for an hour in seconds)."""
    requests: int = 0
    retried: int = 0
    _last: float = field(default=0.0, repr=False)
    _spent: list[tuple[float, float]] = field(default_factory=list, repr=False)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "***")
        return text

    def call(self, method: str, path: str, body: Any = None, query: Mapping[str, str] | None = None,
             form: bool = False) -> Any:
        """`form`: the body as an HTML form (Amplitude's Taxonomy API), else as JSON."""
        url = self.base_url.rstrip("/") + path + ("?" + urllib.parse.urlencode(query) if query else "")
        if body is None:
            data = None
        elif form:
            data = urllib.parse.urlencode(body).encode("utf-8")
        else:
            data = json.dumps(body).encode("utf-8")
        content = "application/x-www-form-urlencoded" if form else "application/json"
        for attempt in range(1, MAX_ATTEMPTS + 1):
            self._pace(1.0 if method == "GET" else self.write_cost)
            request = urllib.request.Request(url, data=data, method=method, headers={
                **self.headers, "Accept": "application/json",
                **({"Content-Type": content} if data is not None else {})})
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    payload = response.read()
                try:
                    return json.loads(payload) if payload else None
                except ValueError:  # a proxy's or a login page's HTML, a wrong --base-url
                    raise ApiError(response.status, self.redact(
                        f"{self.vendor} answered {method} {path} with something that is not JSON: "
                        f"{payload[:80].decode('utf-8', 'replace')!r}")) from None
            except urllib.error.HTTPError as error:
                text = error.read().decode("utf-8", "replace")
                wait = self._retry_after(error, attempt)
                if wait is None or attempt == MAX_ATTEMPTS:
                    raise ApiError(error.code, self.redact(f"{self.vendor} answered {error.code} to {method} "
                                                           f"{path}: {_message(text)}")) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                wait = min(2.0 ** attempt, MAX_WAIT)
                if attempt == MAX_ATTEMPTS:
                    raise UsageError(self.redact(f"{self.vendor} cannot be reached at {self.base_url}: "
                                                 f"{getattr(error, 'reason', error)}."),
                                     "Check the network and --base-url (an EU workspace has its own).") from None
            self.retried += 1
            self.sleep(wait)
        raise AssertionError("unreachable")

    def _pace(self, cost: float) -> None:
        gap = 1.0 / self.per_second
        now = self.clock()
        if self._last and now - self._last < gap:
            self.sleep(gap - (now - self._last))
        if self.budget is not None:
            now = self.clock()
            self._spent = [(t, c) for t, c in self._spent if now - t < self.window]
            while self._spent and sum(c for _, c in self._spent) + cost > self.budget:
                self.sleep(self.window - (now - self._spent[0][0]))
                now = self.clock()
                self._spent = [(t, c) for t, c in self._spent if now - t < self.window]
            self._spent.append((now, cost))
        self._last = self.clock()

    def _retry_after(self, error: urllib.error.HTTPError, attempt: int) -> float | None:
        """How long to wait before trying again, or None when retrying cannot help."""
        if error.code == 429:
            given = error.headers.get("Retry-After")
            try:
                wait = float(given) if given is not None else 2.0 ** attempt
            except ValueError:
                wait = 2.0 ** attempt
            return wait if wait <= MAX_WAIT else None
        if error.code >= 500:  # backoff, unless the server says when (a 503 often does)
            given = error.headers.get("Retry-After")
            try:
                return min(float(given), MAX_WAIT) if given is not None else min(2.0 ** (attempt - 1), MAX_WAIT)
            except ValueError:
                return min(2.0 ** (attempt - 1), MAX_WAIT)
        return None


class Paging:
    """One paged read's progress: each page must bring rows not seen on an earlier one, else the API (or a proxy
    before it) is going round in circles, and the read stops with an error instead of never."""

    def __init__(self, vendor: str, path: str) -> None:
        self.vendor, self.path = vendor, path
        self.seen: set[str] = set()

    def fresh(self, rows: list[dict[str, Any]], more: bool) -> list[dict[str, Any]]:
        """The rows of this page not seen before; `more`: the page announces another one."""
        new = []
        for row in rows:
            key = json.dumps(row, sort_keys=True, default=str)
            if key not in self.seen:
                self.seen.add(key)
                new.append(row)
        if more and not new:
            raise ApiError(200, f"{self.vendor} answered a page of {self.path} with nothing new and announced "
                                "another: the listing goes round in circles")
        return new


def _message(text: str) -> str:
    """The vendor's own words from an error body (`{"errors": [{"message": ...}]}` and the like)."""
    try:
        body = json.loads(text)
    except ValueError:
        return text.strip()[:300] or "no message"
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            return "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)[:300]
        for key in ("message", "error", "detail"):
            if key in body:
                return str(body[key])[:300]
    return text.strip()[:300]
