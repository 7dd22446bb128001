"""The collector's HTTP side: a Starlette (ASGI) application, served by uvicorn. Starlette and uvicorn are the
stack FastAPI is built on, maintained by the same people (Encode), and small: routes, a body read in chunks
with a limit, gzip, and guard.py's rules of who may call what (CORS for web apps under test), nothing else.

Each API answers as its SDK expects, so SDK retries behave: Segment and RudderStack `200 {"success": true}`,
Amplitude `200 {"code": 200, "events_ingested": N, ...}` (and `413` for a batch to split), GA4 `204` (its debug
endpoint `200 {"validationMessages": [...]}`). Events that break the plan are accepted and reported, never
refused: the app's SDK did its job.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Coroutine
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tracking_plan.collect import wire
from tracking_plan.collect.guard import Guard
from tracking_plan.collect.store import Judges, Store
from tracking_plan.collect.wire import MAX_BODY, Refused

_DRAIN_UP_TO = 64 * 1024 * 1024
_JSON_TYPES = ("application/json", "text/plain", "application/x-json", "application/x-www-form-urlencoded", "")
"""Content types taken as JSON on the ingestion paths: browsers' beacons (analytics.js) send text/plain to avoid a
CORS preflight, and RudderStack's Node SDK labels its gzipped JSON batches application/x-www-form-urlencoded. The
body must still be JSON (a real form is a 400 then); the control paths take application/json only (guard.py)."""


@dataclass
class Collector:
    judges: Judges
    store: Store
    show: Callable[[list[dict[str, Any]]], None] = lambda records: None
    """Called with each request's records (the live terminal view)."""
    started: float = field(default_factory=time.monotonic)

    def take(self, received: list[wire.Received], keep: bool = True) -> list[dict[str, Any]]:
        """The records of the events received, judged; with `keep` False (GA4's debug endpoint) only judged:
        neither counted, listed, shown nor written to --out."""
        judges = self.judges  # one plan for the whole request, even if --watch swaps it meanwhile
        judged = [(source, message, kept, judges.judge(message, source)) for source, message, kept in received]
        records = self.store.add(judged, judges.owners, judges.redacted, keep)
        if keep:
            self.show(records)
        return records


async def _body(request: Request, json_only: bool = True) -> Any:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if json_only and kind not in _JSON_TYPES:
        raise Refused(415, f"Content type '{kind}' is not JSON: send application/json.")
    chunks = []
    size = 0
    async for chunk in request.stream():  # a body past the limit is read to its end (up to a point) and dropped,
        size += len(chunk)                # so the sender gets the answer rather than a reset connection
        if size <= MAX_BODY:
            chunks.append(chunk)
        elif size > _DRAIN_UP_TO:
            break
    if size > MAX_BODY:
        raise Refused(413, f"The body is {'over ' if size > _DRAIN_UP_TO else ''}{size:,} bytes; the collector "
                           f"takes at most {MAX_BODY:,}.")
    body = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        body = _inflate(body, encoding)
    elif encoding not in ("", "identity"):
        raise Refused(415, f"Content encoding '{encoding}' is not supported: send gzip or nothing.")
    return wire.parse_json(body)


def _inflate(body: bytes, encoding: str) -> bytes:
    """Decompress every member (gzip allows several, one after the other), refusing a body that inflates past the
    limit (a gzip bomb) without inflating it all, and a truncated one."""
    parts: list[bytes] = []
    size = 0
    rest = body
    while True:
        inflater = zlib.decompressobj(wbits=31 if encoding != "deflate" else 15)
        try:
            data = inflater.decompress(rest, MAX_BODY + 1 - size)
        except zlib.error:
            raise Refused(400, f"The body is not valid {encoding} data.") from None
        size += len(data)
        parts.append(data)
        if size > MAX_BODY or inflater.unconsumed_tail:
            raise Refused(413, f"The body inflates past {MAX_BODY:,} bytes, the collector's limit.")
        if not inflater.eof:
            raise Refused(400, f"The {encoding} body is truncated: it ends before its data does.")
        rest = inflater.unused_data
        if not rest.strip(b"\0") or encoding == "deflate":
            return b"".join(parts)


def _handler(collector: Collector, read: Callable[[Request, Any], list[wire.Received]],
             answer: Callable[[Request, list[dict[str, Any]], int, Any], Response],
             refuse: Callable[[Refused], Response], json_only: bool = True) -> Callable[[Request],
                                                                                       Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        try:
            body = await _body(request, json_only)
            received = read(request, body)
            size = int(request.headers.get("content-length") or 0)
            keep = not request.url.path.startswith("/debug/")
            if len(received) > 1:  # a batch is judged in a worker thread: single events are not kept waiting
                return answer(request, await asyncio.to_thread(collector.take, received, keep), size, body)
            return answer(request, collector.take(received, keep), size, body)
        except Refused as refused:
            return refuse(refused)
        except ClientDisconnect:  # the sender went away mid-body: nothing to answer, nothing kept
            return Response(status_code=400)

    return handle


def _segment_refused(refused: Refused) -> Response:
    return JSONResponse({"success": False, "code": refused.status, "message": refused.message},
                        status_code=refused.status)


def _amplitude_refused(refused: Refused) -> Response:
    return JSONResponse({"code": refused.status, "error": refused.message}, status_code=refused.status)


def _ga4_answer(request: Request, records: list[dict[str, Any]], size: int, body: Any) -> Response:
    """204, as GA4 answers; the debug endpoint's `validationMessages`, as Google's validation server writes them:
    the names GA4 refuses (NAME_INVALID), then each violation of the plan (VALUE_REQUIRED for a missing property,
    else VALUE_INVALID)."""
    if not request.url.path.startswith("/debug/"):
        return Response(status_code=204)
    names = [{"fieldPath": path, "description": f"{name!r} is not a GA4 name: a letter first, then letters, digits "
                                                 "and underscores, at most 40 characters.",
              "validationCode": "NAME_INVALID"} for path, name in wire.ga4_names_invalid(body)]
    return JSONResponse({"validationMessages": names + [
        {"fieldPath": f"events.params.{v['property']}" if v["property"] else "events.name",
         "description": f"{r['event']}: {v['check']}" + (
             "" if not v["sample"] or v["sample"] == "(missing)" else f" ({v['sample']})"),
         "validationCode": "VALUE_REQUIRED" if v["check"] == "missing-property" else "VALUE_INVALID"}
        for r in records for v in r["violations"]]})


def create_app(collector: Collector, on_start: Callable[[], Coroutine[Any, Any, None]] | None = None,
               host: str = "127.0.0.1", allow_hosts: Collection[str] = (),
               allow_origins: Collection[str] = ()) -> Starlette:
    """The collector's application; `host`, `allow_hosts` and `allow_origins` say who may call it (guard.py)."""
    segment_ok = lambda request, records, size, body: JSONResponse({"success": True})  # noqa: E731

    def segment_route(path: str, kind: str) -> Route:
        return Route(path, _handler(collector, lambda request, body: wire.segment(body, kind), segment_ok,
                                    _segment_refused), methods=["POST"])

    def amplitude_ok(request: Request, records: list[dict[str, Any]], size: int, body: Any) -> Response:
        return JSONResponse({"code": 200, "events_ingested": len(records), "payload_size_bytes": size,
                             "server_upload_time": int(time.time() * 1000)})

    def ga4_read(request: Request, body: Any) -> list[wire.Received]:
        judges = collector.judges
        return wire.ga4(body, judges.ga4_event, judges.ga4_property)

    async def events(request: Request) -> Response:
        valid = request.query_params.get("valid")
        if valid not in (None, "true", "false"):
            return JSONResponse({"error": "valid takes true or false."}, status_code=400)
        return JSONResponse(collector.store.select(request.query_params.get("event"),
                                                   None if valid is None else valid == "true"))

    async def summary(request: Request) -> Response:
        return JSONResponse(collector.store.summary())

    async def report(request: Request) -> Response:  # what `validate --format json` says of a file
        from tracking_plan.validate.render.json import document

        return JSONResponse(document(collector.store.result(collector.judges.plan)))

    async def settings(request: Request) -> Response:
        """What analytics.js loads from its CDN before it sends anything (`cdnURL` pointed here): the Segment.io
        destination sending to this collector, no other destination, no remote plugin, so a page under test
        works offline."""
        here = request.headers.get("host", "127.0.0.1:8787")
        key = request.path_params["write_key"]
        return JSONResponse({
            "integrations": {"Segment.io": {"apiKey": key, "apiHost": f"{here}/v1", "protocol": "http",
                                            "unbundledIntegrations": [], "addBundledMetadata": False,
                                            "maybeBundledConfigIds": {}, "versionSettings": {"version": "4.4.7"}}},
            "plan": {"track": {"__default": {"enabled": True, "integrations": {}}},
                     "identify": {"__default": {"enabled": True}}, "group": {"__default": {"enabled": True}}},
            "edgeFunction": {}, "analyticsNextEnabled": True, "middlewareSettings": {}, "enabledMiddleware": {},
            "metrics": {"sampleRate": 0}, "legacyVideoPluginsEnabled": False, "remotePlugins": []})

    async def reset(request: Request) -> Response:
        return JSONResponse({"reset": True, "dropped": collector.store.reset()})

    async def not_found(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": f"No such endpoint: {request.method} {request.url.path}.",
                             "endpoints": ["/v1/{track,identify,page,screen,group,alias,batch}",
                                           "/v1/projects/{write_key}/settings", "/2/httpapi",
                                           "/mp/collect", "/debug/mp/collect", "/tracking-plan/events",
                                           "/tracking-plan/summary", "/tracking-plan/report",
                                           "/tracking-plan/reset"]}, status_code=404)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": f"{request.method} is not allowed on {request.url.path}."}, status_code=405)

    # Segment's paths: /v1/<type> and /v1/batch for the server libraries, /v1/t, /v1/i, /v1/p… for analytics.js
    # (the type's first letter) and /v1/b or /b for its batching mode and the mobile libraries.
    routes = [segment_route(f"/v1/{kind}", kind) for kind in (*wire.SEGMENT_TYPES, "batch", "import")]
    routes += [segment_route(f"/v1/{kind[0]}", kind) for kind in wire.SEGMENT_TYPES]
    routes += [segment_route(path, "batch") for path in ("/v1/b", "/b")]
    routes += [
        Route("/2/httpapi", _handler(collector, lambda request, body: wire.amplitude(body), amplitude_ok,
                                     _amplitude_refused), methods=["POST"]),
        Route("/mp/collect", _handler(collector, ga4_read, _ga4_answer, _amplitude_refused, json_only=False),
              methods=["POST"]),
        Route("/debug/mp/collect", _handler(collector, ga4_read, _ga4_answer, _amplitude_refused,
                                            json_only=False), methods=["POST"]),
        Route("/v1/projects/{write_key}/settings", settings, methods=["GET"]),
        Route("/tracking-plan/events", events, methods=["GET"]),
        Route("/tracking-plan/summary", summary, methods=["GET"]),
        Route("/tracking-plan/report", report, methods=["GET"]),
        Route("/tracking-plan/reset", reset, methods=["POST"]),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task: asyncio.Task[None] | None = asyncio.create_task(on_start()) if on_start else None
        yield
        if task is not None:
            task.cancel()

    return Starlette(routes=routes, middleware=[Middleware(Guard, listen_host=host, allow_hosts=allow_hosts,
                                                           allow_origins=allow_origins)],
                     exception_handlers={404: not_found, 405: not_allowed}, lifespan=lifespan)

