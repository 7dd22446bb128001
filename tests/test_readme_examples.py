"""README's code examples are run, so that its promises stay true: the TypeScript example compiles under
--strict against the code generated from plans/ (forgetting the required global properties does not), and the
Python example sends events through Segment's own SDK over real HTTP to a local server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from conftest import EXAMPLE_PLAN, ROOT, Run, mypy, run_process, tool

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("### Connecting your analytics SDK"):README.index("## Governance reports")]
TS_EXAMPLE = re.search(r"```ts\n(.*?)```", SECTION, re.S)
PY_EXAMPLE = re.search(r"```python\n(.*?)```", SECTION, re.S)
JAVA_EXAMPLE = re.search(r"```java\n(.*?)```", SECTION, re.S)
GO_EXAMPLE = re.search(r"```go\n(.*?)```", SECTION, re.S)
CSHARP_EXAMPLE = re.search(r"```csharp\n(.*?)```", SECTION, re.S)
CSHARP_SDK = """using System.Collections.Generic;
namespace Segment.Model
{
    public class Properties : Dictionary<string, object>
    {
        public Properties(IDictionary<string, object> d) : base(d) { }
    }
    public class Traits : Dictionary<string, object> { public Traits(IDictionary<string, object> d) : base(d) { } }
}
namespace Segment
{
    public class Client
    {
        public void Track(string userId, string eventName, Segment.Model.Properties properties) { }
        public void Identify(string userId, Segment.Model.Traits traits) { }
        public void Page(string userId, string name, Segment.Model.Properties properties) { }
        public void Screen(string userId, string name, Segment.Model.Properties properties) { }
        public void Group(string userId, string groupId, Segment.Model.Traits traits) { }
    }
    public static class Analytics { public static Client Client = new Client(); }
}
"""
"""Analytics.NET's signatures the C# example calls."""
GO_SDKS = {
    "segment/go.mod": "module github.com/segmentio/analytics-go/v3\n\ngo 1.19\n",
    "segment/analytics.go": "package analytics\n\ntype Properties = map[string]interface{}\n"
    "type Traits = map[string]interface{}\ntype Context struct{ Extra map[string]interface{} }\n"
    "type Message interface{}\ntype Client interface{ Enqueue(Message) error }\n"
    "type client struct{}\nfunc (client) Enqueue(Message) error { return nil }\n"
    "func New(writeKey string) Client { return client{} }\n"
    "type Track struct { Event, UserId, AnonymousId string; Properties Properties; Context *Context }\n"
    "type Identify struct { UserId string; Traits Traits }\n"
    "type Page struct { Name, UserId string; Properties Properties }\n"
    "type Screen struct { Name, UserId string; Properties Properties }\n"
    "type Group struct { GroupId, UserId string; Traits Traits }\n",
    "amplitude/go.mod": "module github.com/amplitude/analytics-go\n\ngo 1.19\n",
    "amplitude/amplitude/amplitude.go": "package amplitude\n\ntype Config struct{}\n"
    "func NewConfig(apiKey string) Config { return Config{} }\ntype Client interface{ Track(Event) }\n"
    "type client struct{}\nfunc (client) Track(Event) {}\nfunc NewClient(c Config) Client { return client{} }\n"
    "type Event struct { EventType, UserID string; EventProperties map[string]interface{} }\n",
}
"""analytics-go's and Amplitude's analytics-go's signatures, as modules replaced by local copies."""
JAVA_SDKS = {
    "com/segment/analytics/Analytics.java": "package com.segment.analytics;\npublic class Analytics {\n"
    "  public static Builder builder(String key) { return new Builder(); }\n"
    "  public static class Builder { public Analytics build() { return new Analytics(); } }\n"
    "  public void enqueue(com.segment.analytics.messages.MessageBuilder<?> message) { }\n}\n",
    "com/segment/analytics/messages/MessageBuilder.java": "package com.segment.analytics.messages;\n"
    "public class MessageBuilder<T extends MessageBuilder<T>> {\n  @SuppressWarnings(\"unchecked\") T self() "
    "{ return (T) this; }\n  public T userId(String id) { return self(); }\n  public T anonymousId(String id) "
    "{ return self(); }\n  public T context(java.util.Map<String, ?> c) { return self(); }\n}\n",
    **{f"com/segment/analytics/messages/{kind}Message.java": f"package com.segment.analytics.messages;\n"
       f"public class {kind}Message {{\n  public static Builder builder({arg}) {{ return new Builder(); }}\n"
       f"  public static class Builder extends MessageBuilder<Builder> {{\n"
       f"    public Builder {setter}(java.util.Map<String, ?> m) {{ return this; }}\n  }}\n}}\n"
       for kind, arg, setter in (("Track", "String event", "properties"), ("Identify", "", "traits"),
                                 ("Page", "String name", "properties"), ("Screen", "String name", "properties"),
                                 ("Group", "String groupId", "traits"))},
    "com/amplitude/Amplitude.java": "package com.amplitude;\npublic class Amplitude {\n  public static Amplitude "
    "getInstance() { return new Amplitude(); }\n  public void logEvent(Event event) { }\n}\n",
    "com/amplitude/Event.java": "package com.amplitude;\npublic class Event {\n  public org.json.JSONObject "
    "eventProperties;\n  public Event(String type, String userId) { }\n}\n",
    "org/json/JSONObject.java": "package org.json;\npublic class JSONObject {\n  public JSONObject(java.util.Map<?, ?>"
    " map) { }\n}\n",
}
"""The Java SDKs' classes the README example calls, as their own signatures are (analytics-java's builders,
Amplitude's Java SDK, org.json)."""
# The browser SDKs the TypeScript example calls, as their own type declarations would describe them.
SDK_DECLARATIONS = """
declare const analytics: { track(e: string, p?: object, o?: object): void; identify(id?: string, t?: object): void;
                           page(category?: string | null, name?: string | null, p?: object, o?: object): void;
                           group(id: string, t?: object): void };
declare const rudderanalytics: { track(e: string, p?: object, o?: object): void;
                                 identify(id: string, t?: object): void;
                                 page(category: string, name: string, p?: object): void;
                                 group(id: string, t?: object): void };
declare namespace amplitude {
  class Identify { set(key: string, value: string): Identify; }
  function track(e: string, p?: object, o?: object): void;
  function setUserId(id: string): void;
  function identify(id: Identify): void;
  function setGroup(type: string, name: string): void;
}
declare function getAnalytics(): object;
declare function logEvent(a: object, e: string, p?: object): void;
declare function setUserId(a: object, id: string): void;
declare function setUserProperties(a: object, t: object): void;
"""


@pytest.mark.toolchain
def test_typescript_example_compiles_and_needs_the_globals(cli: Callable[..., Run], tmp_path: Path) -> None:
    assert TS_EXAMPLE is not None
    # as README's generate: section writes it, for the web app: the example calls only web events
    assert cli("generate", "typescript", str(EXAMPLE_PLAN), "--out", str(tmp_path / "tracking"),
               "--platform", "web").code == 0
    example = TS_EXAMPLE.group(1)
    (tmp_path / "example.ts").write_text(SDK_DECLARATIONS + example, encoding="utf-8")
    proc = subprocess.run([tool("tsc"), "--strict", "--noEmit", "--target", "es2019", "example.ts"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout
    forgotten = re.sub(r", globalProperties: \(\) => \(\{[^}]*\}\)", "", example)
    assert forgotten != example
    (tmp_path / "example.ts").write_text(SDK_DECLARATIONS + forgotten, encoding="utf-8")
    proc = subprocess.run([tool("tsc"), "--strict", "--noEmit", "--target", "es2019", "example.ts"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and "globalProperties" in proc.stdout


class _Collector(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        _Collector.received.append({"path": self.path, "body": json.loads(body)})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"success": true}')

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    _Collector.received = []
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.toolchain
def test_python_example_sends_through_segments_sdk(cli: Callable[..., Run], tmp_path: Path, collector: str) -> None:
    assert PY_EXAMPLE is not None
    assert cli("generate", "python", str(EXAMPLE_PLAN), "--out", str(tmp_path)).code == 0
    setup = (f"import segment.analytics\nsegment.analytics.write_key = 'test-key'\n"
             f"segment.analytics.host = {collector!r}\nsegment.analytics.sync_mode = True\n")
    (tmp_path / "example.py").write_text(setup + PY_EXAMPLE.group(1), encoding="utf-8")
    proc = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    typed = subprocess.run(mypy("--strict", "--ignore-missing-imports", "example.py"), cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert typed.returncode == 0, typed.stdout
    messages = [m for r in _Collector.received for m in r["body"]["batch"]]
    [order] = [m for m in messages if m.get("event") == "Order Completed"]
    [page] = [m for m in messages if m["type"] == "page"]
    [group] = [m for m in messages if m["type"] == "group"]
    assert page["name"] == "Product Page" and page["properties"] == {"listing_id": "l-7"}
    assert group["groupId"] == "acme" and group["traits"] == {"company_size": 12}
    assert order["userId"] == "u-42" and order["properties"]["platform"] == "backend"
    assert order["properties"]["country"] == "FR" and order["properties"]["order_id"] == "A-1"
    assert order["context"]["trackingPlan"] == {"planId": "refurb-market", "planVersion": order["context"][
        "trackingPlan"]["planVersion"]}


@pytest.mark.toolchain
def test_python_example_needs_the_globals(cli: Callable[..., Run], tmp_path: Path) -> None:
    assert PY_EXAMPLE is not None
    assert cli("generate", "python", str(EXAMPLE_PLAN), "--out", str(tmp_path)).code == 0
    forgotten = re.sub(r", global_properties=\{[^}]*\}", "", PY_EXAMPLE.group(1))
    assert forgotten != PY_EXAMPLE.group(1)
    (tmp_path / "example.py").write_text(forgotten, encoding="utf-8")
    typed = subprocess.run(mypy("--strict", "--ignore-missing-imports", "example.py"), cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert typed.returncode != 0 and 'Missing named argument "global_properties"' in typed.stdout


def test_readmes_lint_finding_is_what_lint_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The finding README shows is the one lint prints for the example plan with the typo it names."""
    import shutil

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"A finding looks like this.*?\n```\n(.*?)```", readme, re.S)
    assert shown is not None
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "plans")
    cart = tmp_path / "plans" / "events" / "checkout" / "cart.yaml"
    cart.write_text(cart.read_text(encoding="utf-8").replace("    description:", "    descripton:", 1),
                    encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = run_process("lint", "plans", cwd=tmp_path)
    assert run.code == 1
    assert run.out.strip() == shown.group(1).strip()


def test_readmes_pytest_collect_example_passes_as_written(tmp_path: Path) -> None:
    """README's pytest example, run by pytest as written (the port aside): its collector fixture starts
    `tracking-plan collect`, and a checkout journey sends the backend's events through analytics-python. It
    sent web-only events from the backend before, so every one was unplanned-platform and the assertion failed."""
    import shutil
    import socket

    from validate_fixtures import valid_properties

    from tracking_plan.core.discover import load_plan

    block = re.search(r"With pytest \(the collector.*?```python\n(.*?)```", README, re.S)
    assert block is not None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    plan = load_plan(str(EXAMPLE_PLAN)).plan
    assert plan is not None
    sent = {name: {**valid_properties(plan, plan.events[name]), "platform": "backend"}
            for name in ("Payment Failed", "Order Completed")}
    (tmp_path / "test_example.py").write_text(block.group(1).replace("8787", port), encoding="utf-8")
    (tmp_path / "conftest.py").write_text(f"""
import time, pytest, segment.analytics as analytics

@pytest.fixture
def checkout_journey(collector):
    analytics.write_key, analytics.host, analytics.sync_mode = "key", collector, True
    def journey():
        for event, properties in {sent!r}.items():
            analytics.track(user_id="u-1", event=event, properties=properties,
                            context={{"library": {{"name": "analytics-python"}}}})
        time.sleep(0.5)
    return journey
""", encoding="utf-8")
    shutil.copytree(EXAMPLE_PLAN, tmp_path / "plans")  # `tracking-plan collect` reads ./plans
    command = shutil.which("tracking-plan", path=str(Path(sys.executable).parent))
    assert command is not None
    env = {**os.environ, "PATH": f"{Path(command).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_example.py"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


@pytest.mark.toolchain
def test_java_example_compiles_against_the_generated_code(cli: Callable[..., Run], tmp_path: Path) -> None:
    assert JAVA_EXAMPLE is not None
    assert cli("generate", "java", str(EXAMPLE_PLAN), "--out", str(tmp_path / "tracking")).code == 0
    for rel, text in JAVA_SDKS.items():
        (tmp_path / "sdk" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "sdk" / rel).write_text(text, encoding="utf-8")
    (tmp_path / "Example.java").write_text(JAVA_EXAMPLE.group(1), encoding="utf-8")
    sources = [*map(str, (tmp_path / "tracking").glob("*.java")), *map(str, (tmp_path / "sdk").rglob("*.java")),
               str(tmp_path / "Example.java")]
    proc = subprocess.run([tool("javac"), "-Xlint:all,-serial", "-d", str(tmp_path / "classes"), *sources],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wrong = JAVA_EXAMPLE.group(1).replace("PaymentFailedCardCardNetwork.VISA, true", "true")
    (tmp_path / "Example.java").write_text(wrong, encoding="utf-8")
    proc = subprocess.run([tool("javac"), "-d", str(tmp_path / "classes"), *sources], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode != 0 and "PaymentFailedCardProperties" in proc.stderr


@pytest.mark.toolchain
def test_go_example_builds_against_the_generated_code(cli: Callable[..., Run], tmp_path: Path) -> None:
    assert GO_EXAMPLE is not None
    module = tmp_path / "shop"
    assert cli("generate", "go", str(EXAMPLE_PLAN), "--out", str(module / "tracking")).code == 0
    for rel, text in GO_SDKS.items():
        (tmp_path / "sdk" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "sdk" / rel).write_text(text, encoding="utf-8")
    (module / "go.mod").write_text(
        "module shop\n\ngo 1.19\n\nrequire (\n\tgithub.com/segmentio/analytics-go/v3 v3.0.0\n"
        "\tgithub.com/amplitude/analytics-go v1.0.0\n)\n\n"
        f"replace github.com/segmentio/analytics-go/v3 => {tmp_path / 'sdk' / 'segment'}\n"
        f"replace github.com/amplitude/analytics-go => {tmp_path / 'sdk' / 'amplitude'}\n", encoding="utf-8")
    (module / "main.go").write_text(GO_EXAMPLE.group(1), encoding="utf-8")
    env = {**os.environ, "GOCACHE": str(ROOT / ".tmp" / "go-cache"), "GOFLAGS": "-mod=mod", "GOPROXY": "off"}
    proc = subprocess.run([tool("go"), "vet", "./..."], cwd=module, capture_output=True, text=True, timeout=600,
                          env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (module / "main.go").write_text(GO_EXAMPLE.group(1).replace("tracking.PaymentFailedCardCardNetworkVisa, true",
                                                                "true"), encoding="utf-8")
    proc = subprocess.run([tool("go"), "build", "."], cwd=module, capture_output=True, text=True, timeout=600,
                          env=env)
    assert proc.returncode != 0 and "not enough arguments in call to tracking.NewPaymentFailedCardProperties" in \
        proc.stderr, proc.stderr


@pytest.mark.toolchain
def test_csharp_example_compiles_against_the_generated_code(cli: Callable[..., Run], tmp_path: Path) -> None:
    assert CSHARP_EXAMPLE is not None
    assert cli("generate", "csharp", str(EXAMPLE_PLAN), "--out", str(tmp_path / "tracking")).code == 0
    (tmp_path / "Sdk.cs").write_text(CSHARP_SDK, encoding="utf-8")
    (tmp_path / "Example.cs").write_text(CSHARP_EXAMPLE.group(1), encoding="utf-8")
    sources = [*map(str, (tmp_path / "tracking").glob("*.cs")), str(tmp_path / "Sdk.cs"), str(tmp_path / "Example.cs")]
    proc = subprocess.run([tool("mcs"), "-warnaserror", "-target:library", f"-out:{tmp_path / 'example.dll'}",
                           *sources], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (tmp_path / "Example.cs").write_text(CSHARP_EXAMPLE.group(1).replace("PaymentFailedCardCardNetwork.Visa, true",
                                                                         "true"), encoding="utf-8")
    proc = subprocess.run([tool("mcs"), "-target:library", f"-out:{tmp_path / 'wrong.dll'}", *sources],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0 and "PaymentFailedCardProperties" in proc.stdout + proc.stderr
