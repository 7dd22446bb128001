"""Benchmark: `tracking-plan collect` on loopback, against its floor in the same run — the same ASGI stack
(uvicorn + Starlette) answering 200 to every request without reading it.

Four concurrent senders for DURATION seconds (default 10) over keep-alive connections: three post Segment
batches of 100 events (the example plan's fixture messages, some with violations), one posts single events and
records each request's latency. Prints sustained events/s, single-event p50/p99, the ratio to the floor, and
checks that nothing was lost: every event sent is in the inspection API and in --out.

Run: python bench/bench_collect.py [DURATION]
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

FLOOR = r"""
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
async def ok(request):
    return JSONResponse({"success": True})
app = Starlette(routes=[Route("/v1/batch", ok, methods=["POST"]), Route("/v1/track", ok, methods=["POST"])])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def load(port: int, duration: float, batch: bytes, single: bytes, per_batch: int) -> tuple[int, list[float]]:
    sent = [0] * 4
    latencies: list[float] = []

    def sender(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/json"}
        end = time.monotonic() + duration
        while time.monotonic() < end:
            began = time.perf_counter()
            connection.request("POST", "/v1/track" if index == 0 else "/v1/batch",
                               single if index == 0 else batch, headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"HTTP {response.status}")
            if index == 0:
                latencies.append(time.perf_counter() - began)
                sent[0] += 1
            else:
                sent[index] += per_batch
        connection.close()

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(sent), sorted(latencies)


def main() -> None:
    from validate_fixtures import dataset

    from tracking_plan.core.discover import load_plan

    duration = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    plan = load_plan(str(ROOT / "plans")).plan
    assert plan is not None
    rows, _ = dataset(plan, "segment")
    messages = (rows * (100 // len(rows) + 1))[:100]
    batch = json.dumps({"batch": messages}).encode()
    single = json.dumps(rows[0]).encode()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "events.ndjson"
        for label, command in (
                ("floor (uvicorn + Starlette, body unread)", [sys.executable, "-c", FLOOR]),
                ("tracking-plan collect", [sys.executable, "-m", "tracking_plan", "collect", "--plan",
                                           str(ROOT / "plans"), "--out", str(out), "--port"])):
            port = free_port()
            server = subprocess.Popen([*command, str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_for(port)
                total, latencies = load(port, duration, batch, single, len(messages))
                rate = total / duration
                p50 = latencies[len(latencies) // 2] * 1000
                p99 = latencies[int(len(latencies) * 0.99)] * 1000
                results[label] = rate
                print(f"{label:42}: {rate:9,.0f} events/s, single events p50 {p50:5.1f} ms, p99 {p99:5.1f} ms")
                if label == "tracking-plan collect":
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    connection.request("GET", "/tracking-plan/summary")
                    received = json.loads(connection.getresponse().read())["received"]
                    server.terminate()
                    server.wait(timeout=30)
                    kept = sum(1 for _ in out.open(encoding="utf-8"))
                    print(f"{'':42}  sent {total:,}, in the inspection API {received:,}, in --out {kept:,}"
                          f" ({'nothing lost' if total == received == kept else 'LOST EVENTS'})")
                    print(f"goals: >= 5,000 events/s batched ({'met' if rate >= 5000 else 'NOT met'}), "
                          f"p99 < 50 ms for single events ({'met' if p99 < 50 else 'NOT met'}); "
                          f"{rate / results['floor (uvicorn + Starlette, body unread)']:.2f}x the floor")
            finally:
                if server.poll() is None:
                    server.terminate()
                    server.wait(timeout=30)


if __name__ == "__main__":
    main()
