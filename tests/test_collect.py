"""collect: the real command, listening on loopback, fed by the vendors' own SDKs (Segment's, RudderStack's,
Amplitude's) and by raw requests (GA4's Measurement Protocol, gzip, every bad input), read back through its
inspection API and its --out file."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from validate_fixtures import dataset, valid_properties

from conftest import EXAMPLE_PLAN, ROOT, Run
from tracking_plan.core.discover import load_plan
from tracking_plan.core.model import Plan
from tracking_plan.validate.engine import validate


@dataclass
class Collector:
    url: str
    process: subprocess.Popen[str]
    out: Path
    printed: list[str]

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.loads(response.read())

    def post(self, path: str, body: bytes | str | dict[str, Any], headers: dict[str, str] | None = None
             ) -> tuple[int, bytes]:
        data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        request = urllib.request.Request(self.url + path, data=data, method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=30)
        time.sleep(0.1)
        return "".join(self.printed)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(plan_dir: Path, out: Path, *extra: str) -> Collector:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tracking_plan", "collect", "--plan", str(plan_dir),
                                "--port", str(port), "--out", str(out), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "COLUMNS": "200"})
    printed: list[str] = []

    def read() -> None:  # the live view, drained as a terminal would
        assert process.stdout is not None
        for line in process.stdout:
            printed.append(line)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return Collector(f"http://127.0.0.1:{port}", process, out, printed)
        except OSError:
            if process.poll() is not None:
                time.sleep(0.2)
                raise AssertionError("".join(printed)) from None
            time.sleep(0.05)
    process.kill()
    raise AssertionError("the collector did not start")


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[Collector]:
    running = start(EXAMPLE_PLAN, tmp_path / "events.ndjson")
    yield running
    if running.process.poll() is None:
        running.stop()


def test_segment_and_rudderstack_sdks(collector: Collector, validate_plan: Plan) -> None:
    """Both SDKs post batches to /v1/batch (RudderStack's gzipped); a wrong type is found and named."""
    from rudderstack.analytics import Client as Rudder
    from segment.analytics import Client as Segment

    order = valid_properties(validate_plan, validate_plan.events["Order Completed"])
    context = {"library": {"name": "analytics-python"}}
    segment = Segment("write-key", host=collector.url, sync_mode=True)
    segment.track("u1", "Order Completed", order, context=context)
    segment.track("u1", "Order Completed", {**order, "revenue": "12"}, context=context)
    segment.identify("u1", {"email": "a@example.com", "country": "FR"})
    segment.flush()
    rudder = Rudder("write-key", host=collector.url, sync_mode=True)
    rudder.track("u2", "Ghost Event", {}, context=context)
    rudder.flush()
    events = collector.get("/tracking-plan/events")
    assert [(e["event"], e["valid"], e["source"]) for e in events] == [
        ("Order Completed", True, "segment"), ("Order Completed", False, "segment"), ("identify", True, "segment"),
        ("Ghost Event", False, "segment")]
    assert events[1]["violations"] == [{"check": "wrong-type", "property": "revenue", "sample": 'string: "12"'}]
    assert collector.get("/tracking-plan/events?event=Order%20Completed&valid=false") == [events[1]]
    assert collector.get("/tracking-plan/summary")["invalid"] == 2
    output = collector.stop()
    assert "✗ Order Completed (checkout): wrong-type revenue" in output and "received 4 events" in output


def test_amplitude_sdk(collector: Collector, validate_plan: Plan) -> None:
    from amplitude import Amplitude, BaseEvent, Config, EventOptions, Identify

    cart = valid_properties(validate_plan, validate_plan.events["Cart Viewed"])
    client = Amplitude("api-key", Config(server_url=collector.url + "/2/httpapi", flush_queue_size=10))
    client.track(BaseEvent("Cart Viewed", user_id="user-1", platform="Web", event_properties=cart))
    client.track(BaseEvent("Cart Viewed", user_id="user-1", platform="Web",
                           event_properties={**cart, "currency": "XXX"}))
    identify = Identify()
    identify.set("email", "b@example.com")
    identify.set("country", "FR")
    client.identify(identify, EventOptions(user_id="user-1"))
    client.flush()
    client.shutdown()
    events = collector.get("/tracking-plan/events")
    assert [(e["event"], e["valid"], e["source"]) for e in events] == [
        ("Cart Viewed", True, "amplitude"), ("Cart Viewed", False, "amplitude"), ("identify", True, "amplitude")]
    assert [v["check"] for v in events[1]["violations"]] == ["enum"]


def test_ga4_measurement_protocol(collector: Collector, validate_plan: Plan) -> None:
    viewed = valid_properties(validate_plan, validate_plan.events["Products Searched"])
    params = {k: v for k, v in viewed.items() if not isinstance(v, list | dict)}
    body = {"client_id": "c1", "events": [{"name": "products_searched", "params": params}]}
    status, answer = collector.post("/mp/collect?measurement_id=G-1&api_secret=s", body)
    assert (status, answer) == (204, b"")
    status, answer = collector.post("/debug/mp/collect", {"client_id": "c1", "events": [
        {"name": "products_searched", "params": {**params, "search_query": "q" * 101}}]})
    assert status == 200
    messages = json.loads(answer)["validationMessages"]
    assert [m["fieldPath"] for m in messages] == ["events.params.search_query"]
    events = collector.get("/tracking-plan/events")  # the debug endpoint validates and keeps nothing (#25.9)
    assert [(e["event"], e["valid"]) for e in events] == [("Products Searched", True)]
    assert events[0]["message"]["event"] == "Products Searched"  # --out keeps the plan's names
    assert collector.get("/tracking-plan/summary")["received"] == 1


def test_the_vendors_automatic_events_and_parameters_on_their_wires(cli: Callable[..., Run], collector: Collector,
                                                                    validate_plan: Plan) -> None:
    """GA4's page_view and session_start with their parameters (ga_session_id, page_location), a planned event
    carrying engagement_time_msec, and Amplitude's `[Amplitude] Page Viewed`: neither flagged nor hidden, counted
    as automatic; GA4's first_visit sent as a Segment track call is unplanned. validate on --out (Segment-shaped,
    each record saying its wire) gives the collector's verdicts (#29)."""
    viewed = valid_properties(validate_plan, validate_plan.events["Products Searched"])
    params = {k: v for k, v in viewed.items() if not isinstance(v, list | dict)}
    status, _ = collector.post("/mp/collect", {"client_id": "c1", "events": [
        {"name": "page_view", "params": {"ga_session_id": 1, "page_location": "https://shop.example/"}},
        {"name": "session_start", "params": {"ga_session_id": 1}},
        {"name": "products_searched", "params": {**params, "engagement_time_msec": 100}}]})
    assert status == 204
    status, _ = collector.post("/2/httpapi", {"api_key": "k", "events": [
        {"event_type": "[Amplitude] Page Viewed", "user_id": "u1",
         "event_properties": {"[Amplitude] Page Path": "/"}}]})
    assert status == 200
    status, _ = collector.post("/v1/track", {"event": "first_visit", "userId": "u1", "properties": {}})
    assert status == 200
    events = collector.get("/tracking-plan/events")
    assert [(e["event"], e["planned"], e["valid"]) for e in events] == [
        ("page_view", True, True), ("session_start", True, True), ("Products Searched", True, True),
        ("[Amplitude] Page Viewed", True, True), ("first_visit", False, False)]
    collector.stop()
    run = cli("validate", str(collector.out), "--plan", str(EXAMPLE_PLAN), "--format", "json", "--fail-on", "never")
    report = run.json()
    by_name = {e["event"]: (e["seen"], e["valid"], e["status"]) for e in report["events"]}
    assert {name: by_name[name] for name in ("page_view", "session_start", "[Amplitude] Page Viewed",
                                             "Products Searched")} == {
        "page_view": (1, 1, "automatic"), "session_start": (1, 1, "automatic"),
        "[Amplitude] Page Viewed": (1, 1, "automatic"), "Products Searched": (1, 1, "active")}
    assert [e["event"] for e in report["unplanned"]] == ["first_visit"]  # sent as a Segment call: unplanned


def test_ga4_names_and_the_debug_answer_agree_with_validate_on_out(cli: Callable[..., Run], collector: Collector,
                                                                   validate_plan: Plan) -> None:
    """An event sent through GA4 under the plan's own name ("Products Searched") is judged as --out keeps it, so
    collect and `validate` on --out give it one verdict; GA4 refuses that name, and the debug endpoint says so as
    Google's does (NAME_INVALID). A missing property is VALUE_REQUIRED, with no "((missing))" (#25.9)."""
    event = validate_plan.events["Products Searched"]
    params = {k: v for k, v in valid_properties(validate_plan, event).items() if not isinstance(v, list | dict)}
    required = next(p.name for p in event.properties if p.required)
    status, _ = collector.post("/mp/collect", {"client_id": "c1", "events": [
        {"name": "Products Searched", "params": params},
        {"name": "products_searched", "params": {k: v for k, v in params.items() if k != required}}]})
    assert status == 204
    status, answer = collector.post("/debug/mp/collect", {"client_id": "c1", "events": [
        {"name": "Products Searched", "params": {k: v for k, v in params.items() if k != required}}]})
    messages = json.loads(answer)["validationMessages"]
    assert [(m["fieldPath"], m["validationCode"]) for m in messages] == [
        ("events.name", "NAME_INVALID"), (f"events.params.{required}", "VALUE_REQUIRED")]
    assert all("((" not in m["description"] for m in messages), messages
    events = collector.get("/tracking-plan/events")
    assert [(e["event"], e["planned"], e["valid"]) for e in events] == [
        ("Products Searched", True, True), ("Products Searched", True, False)]
    collector.stop()
    run = cli("validate", str(collector.out), "--plan", str(EXAMPLE_PLAN), "--format", "json", "--fail-on", "never")
    report = run.json()
    [searched] = [e for e in report["events"] if e["event"] == "Products Searched"]
    assert (searched["seen"], searched["valid"]) == (2, 1)
    assert [(v["check"], v["property"]) for v in searched["violations"]] == [("missing-property", required)]


def test_gzip_concurrency_and_out_revalidated(cli: Callable[..., Run], collector: Collector,
                                              validate_plan: Plan, validate_plan_dir: Path) -> None:
    """Eight senders at once, gzipped batches: every event is in the inspection API and in --out, and
    `validate` on --out gives the collector's verdicts."""
    rows, answers = dataset(validate_plan, "segment")

    def send(offset: int) -> None:
        for start_at in range(0, len(rows), 7):
            body = gzip.compress(json.dumps({"batch": rows[start_at:start_at + 7]}).encode())
            status, _ = collector.post("/v1/batch", body, {"Content-Encoding": "gzip"})
            assert status == 200

    senders = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    summary = collector.get("/tracking-plan/summary")
    assert summary["received"] == 8 * len(rows)
    assert summary["invalid"] == 8 * len(answers)
    report = collector.get("/tracking-plan/report")  # validate's JSON document, for what arrived
    collector.stop()
    lines = collector.out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8 * len(rows)
    assert all(json.loads(line)["receivedAt"].endswith("Z") for line in lines)  # when each one arrived
    run = cli("validate", str(collector.out), "--plan", str(EXAMPLE_PLAN), "--format", "json",
              "--fail-on", "never")  # the collector's plan
    assert run.json()["summary"]["valid"] == summary["valid"]

    def violations(document: dict[str, Any]) -> list[tuple[str, str, str | None, int]]:
        events = [*document["events"], *({"event": u["event"], "violations": [
            {"check": "unplanned-event", "property": None, "count": u["seen"]}]} for u in document["unplanned"])]
        return sorted((v["check"], e["event"], v["property"], v["count"]) for e in events for v in e["violations"])

    assert violations(report) == violations(run.json())  # one model: the collector's verdicts are validate's
    assert report["summary"]["events_read"] == run.json()["summary"]["events_read"]
    assert report["silent"] == run.json()["silent"]


@pytest.mark.parametrize(("path", "body", "headers", "status"), [
    ("/v1/track", b"{not json", {}, 400),
    ("/v1/track", b'["a list"]', {}, 400),
    ("/v1/track", b"\xff\xfe", {}, 400),
    ("/v1/track", b"<event/>", {"Content-Type": "application/xml"}, 415),
    ("/v1/track", b"{}", {"Content-Encoding": "br"}, 415),
    ("/v1/track", b"not gzip", {"Content-Encoding": "gzip"}, 400),
    ("/v1/track", b'{"event": "' + b"x" * (6 << 20) + b'"}', {}, 413),
    ("/v1/track", gzip.compress(b'{"event": "' + b"x" * (64 << 20) + b'"}'), {"Content-Encoding": "gzip"}, 413),
    ("/v1/batch", json.dumps({"batch": [{"event": "E"}] * 100_000}).encode(), {}, 413),
    ("/v1/batch", b'{"batch": "no"}', {}, 400),
    ("/v1/track", b'{"type": "launch"}', {}, 400),
    ("/2/httpapi", b'{"events": [{"no_type": 1}]}', {}, 400),
    ("/mp/collect", b'{"events": []}', {}, 400),
    ("/v2/track", b"{}", {}, 404),
])
def test_bad_input_gets_the_right_status_and_the_server_keeps_running(
        collector: Collector, path: str, body: bytes, headers: dict[str, str], status: int) -> None:
    got, answer = collector.post(path, body, headers)
    assert got == status, answer
    assert json.loads(answer)  # a message, in JSON
    assert collector.post("/v1/track", {"event": "Ghost Event"})[0] == 200  # and it keeps serving
    assert collector.process.poll() is None


def test_methods_and_unknown_paths(collector: Collector) -> None:
    for method, path, status in (("GET", "/v1/track", 405), ("GET", "/nowhere", 404),
                                 ("DELETE", "/tracking-plan/events", 405)):
        request = urllib.request.Request(collector.url + path, method=method)
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request, timeout=10)
        assert error.value.code == status
    assert collector.post("/v1/track", {"event": "Ghost Event"})[0] == 200
    assert collector.post("/tracking-plan/reset", b"")[0] == 200
    assert collector.get("/tracking-plan/summary")["received"] == 0


def test_the_plan_reloads_when_it_changes(tmp_path: Path) -> None:
    plan_dir = tmp_path / "plans"
    shutil.copytree(EXAMPLE_PLAN, plan_dir)
    running = start(plan_dir, tmp_path / "out.ndjson", "--watch")
    try:
        shared = {"event": "Wishlist Shared", "properties": {"platform": "web", "country": "FR"}}
        assert running.post("/v1/track", shared)[0] == 200
        (plan_dir / "events" / "new.yaml").write_text(
            "events:\n  Wishlist Shared:\n    description: Shared.\n    trigger: Client, on tap.\n"
            "    owner: discovery\n    additional_properties: true\n", encoding="utf-8")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            running.post("/v1/track", shared)
            if running.get("/tracking-plan/events?event=Wishlist%20Shared&valid=true"):
                break
            time.sleep(0.2)
        events = running.get("/tracking-plan/events?event=Wishlist%20Shared")
        assert events[0]["valid"] is False and events[-1]["valid"] is True
        assert len(running.out.read_text(encoding="utf-8").splitlines()) == len(events)  # none dropped
    finally:
        output = running.stop()
    assert "plan reloaded" in output


def test_a_taken_port_is_a_usage_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "tracking_plan", "collect", "--plan", str(EXAMPLE_PLAN),
                              "--port", str(port)], capture_output=True, text=True, timeout=30, check=False)
    assert run.returncode == 2 and "Cannot listen" in run.stderr


def test_load_on_loopback(collector: Collector, validate_plan: Plan) -> None:
    """Four senders for two seconds, batches of 100 and single events: nothing lost. Throughput and p99 are
    printed here and measured against their goals in bench/bench_collect.py."""
    rows, _ = dataset(validate_plan, "segment")
    batch = json.dumps({"batch": (rows * 5)[:100]}).encode()
    single = json.dumps(rows[0]).encode()
    sent = [0] * 4
    latencies: list[float] = []

    def sender(index: int) -> None:
        end = time.monotonic() + 2
        while time.monotonic() < end:
            if index == 0:
                began = time.perf_counter()
                assert collector.post("/v1/track", single)[0] == 200
                latencies.append(time.perf_counter() - began)
                sent[index] += 1
            else:
                assert collector.post("/v1/batch", batch)[0] == 200
                sent[index] += 100

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert collector.get("/tracking-plan/summary")["received"] == sum(sent)
    latencies.sort()
    print(f"{sum(sent) / 2:,.0f} events/s, single-event p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms")


def test_analytics_js_and_mobile_paths(collector: Collector) -> None:
    """analytics.js posts each call to /v1/<first letter of its type> as text/plain (no CORS preflight), in
    batching mode and from the mobile libraries to /b; a browser's preflight is answered."""
    assert collector.post("/v1/t", {"event": "Ghost Event", "type": "track"},
                          {"Content-Type": "text/plain"})[0] == 200
    assert collector.post("/v1/i", {"traits": {"email": "c@example.com", "country": "FR"}},
                          {"Content-Type": "text/plain"})[0] == 200
    assert collector.post("/b", {"batch": [{"type": "track", "event": "Ghost Event"}]},
                          {"Content-Type": "text/plain"})[0] == 200
    preflight = urllib.request.Request(collector.url + "/v1/t", method="OPTIONS", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"})
    with urllib.request.urlopen(preflight, timeout=10) as response:
        assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] in ("*",
                                                                                            "http://localhost:3000")
    assert [(e["event"], e["valid"]) for e in collector.get("/tracking-plan/events")] == [
        ("Ghost Event", False), ("identify", True), ("Ghost Event", False)]


def test_no_pii_value_in_the_live_view_or_the_inspection_api(collector: Collector) -> None:
    """A pii trait, valid and invalid, is shown by its type and length only; --out keeps what was sent."""
    secret, broken = "jane.doe.secret@example.com", "secret-not-an-email"
    for email in (secret, broken):
        assert collector.post("/v1/identify", {"userId": "u", "traits": {"email": email, "country": "FR",
                                                                          "first_name": "Janesecret"}})[0] == 200
    shown = json.dumps(collector.get("/tracking-plan/events"))
    assert "secret" not in shown and "string of length" in shown
    printed = collector.stop()
    assert "secret" not in printed and "✗ identify: trait email (string of length" in printed
    assert secret in collector.out.read_text(encoding="utf-8")


def _call(collector: Collector, method: str, path: str, headers: dict[str, str] | None = None,
          body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request with exactly these headers (Host and Origin as a browser or an attacker would set them)."""
    import http.client

    port = int(collector.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host="Host" in (headers or {}))
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_no_foreign_page_can_read_reset_or_drive_the_collector(collector: Collector) -> None:
    """CORS, CSRF and DNS rebinding: the inspection and control paths answer only same-origin requests, tools
    with no browser origin and allowed origins; ingestion stays open to every page (SDKs run in web apps)."""
    event = json.dumps({"event": "Products Searched", "properties": {"query": "x"}}).encode()
    own = collector.url
    evil = {"Origin": "https://evil.example"}
    assert _call(collector, "GET", "/tracking-plan/events")[0] == 200  # curl, tests
    assert _call(collector, "GET", "/tracking-plan/events", {"Origin": own})[0] == 200  # same origin
    status, headers, _ = _call(collector, "GET", "/tracking-plan/events", evil)
    assert status == 403 and "access-control-allow-origin" not in headers
    assert _call(collector, "GET", "/tracking-plan/summary", {"Sec-Fetch-Site": "cross-site"})[0] == 403
    preflight = _call(collector, "OPTIONS", "/tracking-plan/reset",
                      {**evil, "Access-Control-Request-Method": "POST"})
    assert preflight[0] == 403 and "access-control-allow-origin" not in preflight[1]
    # a page can post text/plain or a form without a preflight: the control path refuses both, from anywhere
    for kind in ("text/plain", "application/x-www-form-urlencoded"):
        assert _call(collector, "POST", "/tracking-plan/reset", {"Content-Type": kind}, b"{}")[0] == 415
        assert _call(collector, "POST", "/tracking-plan/reset", {**evil, "Content-Type": kind}, b"{}")[0] == 403
    # ingestion: any origin, CORS granted (analytics.js sends text/plain beacons)
    status, headers, _ = _call(collector, "POST", "/v1/track", {**evil, "Content-Type": "text/plain"}, event)
    assert status == 200 and headers.get("access-control-allow-origin") == "*"
    assert collector.get("/tracking-plan/summary")["received"] == 1  # nothing foreign reset it
    # DNS rebinding: the attacker's name resolving to 127.0.0.1 reaches the collector under that name
    for host in ("evil.example", "evil.example:8787", "10.0.0.1"):
        assert _call(collector, "GET", "/tracking-plan/events", {"Host": host})[0] == 403
        assert _call(collector, "POST", "/v1/track", {"Host": host, "Content-Type": "application/json"},
                     event)[0] == 403
    for host in ("localhost", "127.0.0.1", "[::1]:80", "127.1.2.3"):
        assert _call(collector, "GET", "/tracking-plan/summary", {"Host": host})[0] == 200
    status, _, _ = _call(collector, "POST", "/tracking-plan/reset", {"Content-Type": "application/json"}, b"{}")
    assert status == 200 and collector.get("/tracking-plan/summary")["received"] == 0


def test_allowed_origins_and_hosts(tmp_path: Path) -> None:
    running = start(EXAMPLE_PLAN, tmp_path / "out.ndjson", "--allow-origin", "http://localhost:3000",
                    "--allow-host", "collector.test")
    try:
        status, headers, _ = _call(running, "GET", "/tracking-plan/events", {"Origin": "http://localhost:3000"})
        assert status == 200 and headers.get("access-control-allow-origin") == "http://localhost:3000"
        assert _call(running, "GET", "/tracking-plan/events", {"Origin": "http://localhost:3001"})[0] == 403
        assert _call(running, "GET", "/tracking-plan/events", {"Host": "collector.test:8787"})[0] == 200
    finally:
        running.stop()


def test_the_inspection_api_shows_only_the_plans_non_personal_values(tmp_path: Path) -> None:
    """Ids, the context (IP, traits), unplanned properties and unplanned traits show as type and length; the
    plan's own values as sent; pii ones never, even with --show-values."""
    message = {"type": "track", "event": "Products Searched", "userId": "user-4711", "anonymousId": "anon-1",
               "properties": {"search_query": "iphone", "ssn": "123-45-6789", "card_number": "4111111111111111"},
               "context": {"ip": "203.0.113.9", "traits": {"email": "ann@example.com", "phone": "+33123"},
                           "library": {"name": "analytics-python", "version": "2.3"}}}
    identify = {"type": "identify", "userId": "user-4711", "traits": {"email": "ann@example.com",
                                                                      "password": "hunter2"}}
    for extra, shown_raw in (((), False), (("--show-values",), True)):
        running = start(EXAMPLE_PLAN, tmp_path / f"out{len(extra)}.ndjson", *extra)
        try:
            assert running.post("/v1/track", message)[0] == 200
            assert running.post("/v1/identify", identify)[0] == 200
            text = json.dumps(running.get("/tracking-plan/events"))
        finally:
            running.stop()
        assert "iphone" in text and "analytics-python" in text  # the plan's values, the library (platform)
        assert "ann@example.com" not in text  # a pii trait: never
        for raw in ("user-4711", "anon-1", "123-45-6789", "4111111111111111", "203.0.113.9", "+33123", "hunter2"):
            assert (raw in text) == shown_raw, raw
        if not shown_raw:
            assert "<string of length 11>" in text  # 123-45-6789


def test_listening_beyond_this_machine_warns(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "tracking_plan", "collect", "--plan", str(EXAMPLE_PLAN),
                                "--port", str(port), "--host", "0.0.0.0"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env={**os.environ, "COLUMNS": "200"})
    try:
        time.sleep(3)
    finally:
        process.send_signal(signal.SIGINT)
        printed = process.communicate(timeout=30)[0]
    assert "warning: listening on 0.0.0.0, beyond this machine" in printed


def test_bad_bodies_are_refused_and_nothing_breaks(collector: Collector) -> None:
    """Numbers JSON cannot hold, nesting past reason, a 5,000-digit integer: 400 (an SDK reports it, and does not
    retry), never a 500; the inspection API and --out stay readable after them."""
    good = {"event": "Products Searched", "properties": {"search_query": "x", "results_count": 1}}
    for body in (b'{"event": "Products Searched", "properties": {"results_count": 1e400}}',
                 b'{"event": "Products Searched", "properties": {"results_count": NaN}}',
                 b'{"event": "Products Searched", "properties": {"results_count": -Infinity}}',
                 b"[" * 100_000 + b"]" * 100_000,
                 b'{"event": "Products Searched", "properties": {"results_count": ' + b"9" * 5000 + b"}}"):
        status, answer = collector.post("/v1/track", body)
        assert status == 400 and b"Traceback" not in answer, answer[:200]
    assert collector.post("/v1/track", good)[0] == 200
    events = collector.get("/tracking-plan/events")
    assert len(events) == 1
    lines = collector.out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["event"] == "Products Searched"  # --out is JSON still
    assert "Traceback" not in collector.stop()


def test_gzip_members_and_truncation(collector: Collector) -> None:
    import gzip

    one = json.dumps({"event": "Products Searched", "properties": {"search_query": "x"}}).encode()
    batch = json.dumps({"batch": [{"type": "track", "event": "Products Searched",
                                   "properties": {"search_query": "y"}}]}).encode()
    whole = gzip.compress(one)
    assert collector.post("/v1/track", whole[:-9], {"Content-Encoding": "gzip"})[0] == 400  # truncated
    # two members, one after the other (gzip's own concatenation): the body is both, read as one JSON text
    halves = gzip.compress(batch[:20]) + gzip.compress(batch[20:])
    assert collector.post("/v1/batch", halves, {"Content-Encoding": "gzip"})[0] == 200
    assert collector.get("/tracking-plan/summary")["received"] == 1


def test_a_sender_that_goes_away_mid_body_leaves_no_traceback(collector: Collector) -> None:
    port = int(collector.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /v1/track HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000\r\n\r\n{\"event\": ")
    time.sleep(0.5)
    assert collector.get("/tracking-plan/summary")["received"] == 0
    assert "Traceback" not in collector.stop()


def test_memory_holds_the_newest_events_and_a_full_disk_keeps_nothing(tmp_path: Path) -> None:
    """A cap on what the inspection API keeps (the oldest dropped, counted in /summary); --out written first, so
    a request it cannot take (a full disk: here a folder in its place) is refused with 503 and kept nowhere, and
    the SDK's retry counts it once."""
    from tracking_plan.collect.store import Judges, Store
    from tracking_plan.collect.wire import Refused, segment
    from tracking_plan.core.discover import load_plan

    plan = load_plan(str(EXAMPLE_PLAN)).plan
    assert plan is not None
    judges = Judges(plan)
    received = [(source, message, kept, judges.judge(message)) for source, message, kept in
                segment({"event": "Products Searched", "properties": {"search_query": "x"}}, "track")]
    store = Store(tmp_path / "out.ndjson", keep_up_to=3)
    for _ in range(5):
        store.add(received, judges.owners)
    assert [r["id"] for r in store.records] == [3, 4, 5]
    summary = store.summary()
    assert (summary["received"], summary["kept"], summary["dropped"]) == (5, 3, 2)
    assert len((tmp_path / "out.ndjson").read_text(encoding="utf-8").splitlines()) == 5  # --out keeps them all
    (tmp_path / "full").mkdir()
    full = Store(tmp_path / "full")
    with pytest.raises(Refused) as refused:
        full.add(received, judges.owners)
    assert refused.value.status == 503 and full.records == [] and full.summary()["received"] == 0


def test_oversized_headers_are_refused(collector: Collector) -> None:
    status, _, _ = _call(collector, "GET", "/tracking-plan/summary", {"X-Padding": "x" * 40_000})
    assert status == 431


def test_idle_connections_are_closed(collector: Collector) -> None:
    """A connection that sends nothing (before its first request, or after one) is closed after 5 s: idle
    sockets cannot pile up."""
    port = int(collector.url.rsplit(":", 1)[1])
    for first in (b"", b"GET /tracking-plan/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.settimeout(15)
            if first:
                sock.sendall(first)
                time.sleep(0.3)
                sock.recv(65536)
            started = time.monotonic()
            assert sock.recv(10) == b""  # closed by the collector
            assert 3 < time.monotonic() - started < 12


def test_a_broken_edit_says_where(tmp_path: Path) -> None:
    """collect --watch on a broken edit said only 'plan changed but has errors'; now it names the file and line."""
    plan_dir = tmp_path / "plans"
    shutil.copytree(EXAMPLE_PLAN, plan_dir)
    running = start(plan_dir, tmp_path / "out.ndjson", "--watch")
    try:
        time.sleep(1)
        (plan_dir / "events" / "broken.yaml").write_text("events:\n  Broken: {descripton: typo}\n",
                                                         encoding="utf-8")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "has errors" not in "".join(running.printed):
            time.sleep(0.2)
    finally:
        output = running.stop()
    line = next(line for line in output.splitlines() if "has errors" in line)
    assert "broken.yaml:2:" in line and "descripton" in line, line


@pytest.mark.toolchain
@pytest.mark.parametrize("sdk", ["segment", "rudderstack", "amplitude"])
def test_the_vendors_node_sdks_reach_the_collector_with_their_defaults(collector: Collector, sdk: str) -> None:
    """@segment/analytics-node, @rudderstack/rudder-sdk-node (gzipped JSON labelled
    application/x-www-form-urlencoded: answered 415, every event lost) and @amplitude/analytics-node, each with its
    default settings and only its endpoint pointed at the collector: every event arrives."""
    modules = ROOT / ".ci" / "tools" / "node_modules"
    node = shutil.which("node")
    if node is None or not (modules / "@rudderstack" / "rudder-sdk-node").is_dir():
        pytest.skip("node and the SDKs from .ci/tools (npm ci --prefix .ci/tools) are needed")
    script = ROOT / "tests" / "fixtures" / "collect" / "send_with_node_sdks.js"
    sent = subprocess.run([node, str(script), collector.url, sdk], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NODE_PATH": str(modules)}, check=False)
    assert sent.returncode == 0, sent.stderr[-2000:]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and collector.get("/tracking-plan/summary")["received"] < 3:
        time.sleep(0.1)
    events = collector.get("/tracking-plan/events")
    assert [e["event"] for e in events] == ["Products Searched"] * 3, sent.stderr[-2000:]
    assert {e["source"] for e in events} == {"amplitude" if sdk == "amplitude" else "segment"}


def test_analytics_js_loads_its_settings_from_the_collector(collector: Collector) -> None:
    """analytics.js loads /v1/projects/{writeKey}/settings from its cdnURL before sending (404 left it mute
    offline): the collector's answer sends every call to itself, with no other destination or remote plugin."""
    status, headers, body = _call(collector, "GET", "/v1/projects/dev-key/settings",
                                  {"Host": collector.url.split("//")[1], "Origin": "http://localhost:3000"})
    assert status == 200 and headers.get("access-control-allow-origin") == "*"
    settings = json.loads(body)
    segment = settings["integrations"]["Segment.io"]
    assert segment["apiKey"] == "dev-key" and segment["protocol"] == "http"
    assert segment["apiHost"] == collector.url.split("//")[1] + "/v1"
    assert list(settings["integrations"]) == ["Segment.io"] and settings["remotePlugins"] == []
    event = json.dumps({"event": "Products Searched", "properties": {"search_query": "x"}}).encode()
    # where analytics.js then sends a track call: http://{apiHost}/t
    assert _call(collector, "POST", "/v1/t", {"Content-Type": "text/plain"}, event)[0] == 200


@pytest.mark.toolchain
def test_analytics_js_in_chromium_sends_to_the_collector_as_readme_says(collector: Collector,
                                                                       tmp_path: Path) -> None:
    """analytics.js itself (@segment/analytics-next from npm, its UMD build) in Chromium, on a page served from
    another origin, loaded exactly as README says — `AnalyticsBrowser.load({ writeKey, cdnURL })` with the
    collector as its CDN — with no internet: it reads its settings from the collector and every call arrives,
    judged (#27.4)."""
    import functools
    import http.server
    import threading

    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    umd = ROOT / ".ci" / "tools" / "node_modules" / "@segment" / "analytics-next" / "dist" / "umd"
    if chromium is None or not umd.is_dir():
        if os.environ.get("CI"):
            pytest.fail("chromium and @segment/analytics-next (npm ci --prefix .ci/tools) are needed")
        pytest.skip("chromium and @segment/analytics-next (npm ci --prefix .ci/tools) are needed")
    site = tmp_path / "site"
    shutil.copytree(umd, site / "ajs")
    (site / "index.html").write_text(f"""<!doctype html><script src="/ajs/index.js"></script><script>
    const analytics = AnalyticsNext.AnalyticsBrowser.load({{ writeKey: "dev-key", cdnURL: "{collector.url}" }});
    const planned = {{ results_count: 3, platform: "web", country: "FR" }};
    window.sent = Promise.all([
      analytics.track("Products Searched", {{ ...planned, search_query: "phones" }}),
      analytics.track("Products Searched", {{ ...planned, search_query: 12 }}),
      analytics.identify("u1", {{ email: "a@example.com", country: "FR" }}),
    ]).then(() => "sent", (error) => String(error));
    </script>""", encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(
                ("http://127.0.0.1", "http://localhost")) else route.continue_())  # no internet, as offline
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            assert page.evaluate("() => window.sent") == "sent"
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and collector.get("/tracking-plan/summary")["received"] < 3:
                time.sleep(0.2)
            browser.close()
    finally:
        server.shutdown()
    events = collector.get("/tracking-plan/events")  # analytics.js sends each call on its own: any order
    assert sorted((e["event"], e["valid"]) for e in events) == [
        ("Products Searched", False), ("Products Searched", True), ("identify", True)]
    [invalid] = [e for e in events if not e["valid"]]
    assert [v["check"] for v in invalid["violations"]] == ["wrong-type"]
    assert all(e["message"]["context"]["library"]["name"] == "analytics.js" for e in events)


def test_an_unplanned_name_close_to_a_planned_one_is_suggested(collector: Collector) -> None:
    assert collector.post("/v1/track", {"event": "Checkout Startd", "properties": {}})[0] == 200
    assert collector.get("/tracking-plan/events")[0]["did_you_mean"] == "Checkout Started"
    assert collector.get("/tracking-plan/report")["unplanned"][0]["did_you_mean"] == "Checkout Started"
    assert "did you mean 'Checkout Started'?" in collector.stop()


def test_every_call_of_the_spec_is_judged_against_its_part_of_the_plan(tmp_path: Path) -> None:
    """page, screen, group and alias calls, as analytics.js and the mobile SDKs send them: planned where the plan
    describes them (an unnamed page load included, with the properties analytics.js adds), unplanned elsewhere;
    `validate` on --out gives the collector's verdicts."""
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "tracking-plan.yaml").write_text(
        "plan: calls\nversion: 1.0.0\nplatforms: [web]\nalias: false\n"
        "pages:\n  (unnamed): {platforms: [web]}\n  Home: {properties: {section: {type: string, required: true}}}\n"
        "group:\n  seats: {type: integer, minimum: 1}\n", encoding="utf-8")
    running = start(plan, tmp_path / "events.ndjson")
    try:
        context = {"library": {"name": "analytics.js", "version": "1.0"}}
        for kind, body in [
            ("page", {"anonymousId": "a", "properties": {"path": "/", "url": "http://shop/", "title": "Shop",
                                                       "referrer": "", "search": ""}, "context": context}),
            ("page", {"anonymousId": "a", "name": "Home", "properties": {"name": "Home", "path": "/"}}),
            ("screen", {"anonymousId": "a", "name": "Cart"}),
            ("group", {"anonymousId": "a", "groupId": "g", "traits": {"seats": 0}}),
            ("alias", {"userId": "u", "previousId": "a"}),
        ]:
            assert running.post(f"/v1/{kind}", body)[0] == 200
        events = {e["event"]: e for e in running.get("/tracking-plan/events")}
    finally:
        running.stop()
    assert {name: (e["planned"], [(v["check"], v["property"]) for v in e["violations"]])
            for name, e in events.items()} == {
        "page (unnamed)": (True, []), "page Home": (True, [("missing-property", "section")]),
        "screen Cart": (False, [("unplanned-event", None)]), "group": (True, [("trait", "seats")]),
        "alias": (False, [("unplanned-event", None)])}
    validated = validate(load_plan(str(plan)).plan, [str(tmp_path / "events.ndjson")])  # type: ignore[arg-type]
    assert {e.event: (e.planned, e.seen - e.valid) for e in validated.events} == {
        "page (unnamed)": (True, 0), "page Home": (True, 1), "screen Cart": (False, 1), "group": (True, 1),
        "alias": (False, 1)}
