"""Starting the collector: bind the port (a clear error when it is taken), serve with uvicorn, show each event
as it arrives, reload the plan when its files change (`--watch`), and sum up on Ctrl-C."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from tracking_plan.collect.app import Collector, create_app
from tracking_plan.collect.guard import host_name, is_loopback
from tracking_plan.collect.store import Judges, Store
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan
from tracking_plan.output.terminal import visible

_EACH_UP_TO = 20


def live_view(console: Console) -> Callable[[list[dict[str, Any]]], None]:
    """One line per event: ✓, or ✗ and its violations; a summary line after each batch."""
    closed: list[bool] = []

    def show(records: list[dict[str, Any]]) -> None:
        lines = []
        for r in records:
            if r["valid"] and len(records) > _EACH_UP_TO:  # a large batch: its valid events in the summary line
                continue
            owner = f" ({r['owner']})" if r["owner"] else ""
            if r["valid"]:
                lines.append(f"✓ {r['event']}{owner}")
            else:
                found = " · ".join(f"{v['check']}" + (f" {v['property']}" if v["property"] else "") +
                                   (f" ({v['sample']})" if v["sample"] and v["sample"] != "(missing)" else "")
                                   for v in r["violations"])
                guess = f" — did you mean '{r['did_you_mean']}'?" if r.get("did_you_mean") else ""
                lines.append(f"✗ {r['event']}{owner}: {found}{guess}")
        if len(records) > 1:
            valid = sum(r["valid"] for r in records)
            lines.append(f"  batch of {len(records)}: {valid} valid, {len(records) - valid} with violations")
        if lines and not closed:  # straight to the terminal: rich's layout costs more than judging the events
            try:
                console.file.write(visible("\n".join(lines)) + "\n")
                console.file.flush()
            except OSError:  # the reader went away (`collect | head`): keep collecting, stop showing
                closed.append(True)
    return show


IDLE_SECONDS = 5
"""How long a connection may stay open with nothing to do: before its first request (uvicorn only times out a
connection between requests, so one that never sends would stay open) and between requests (keep-alive)."""


def _protocol() -> type:
    """uvicorn's httptools protocol, timing out a connection from the moment it is made."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class IdleClosing(HttpToolsProtocol):
        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive,
                                                                self.timeout_keep_alive_handler)

    return IdleClosing


def bind(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as error:
        raise UsageError(f"Cannot listen on {host}:{port}: {error.strerror or error}.",
                         "Choose another port with --port (or stop what is using it).") from None
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def serve(plan: Plan, plan_root: Path, reload: Callable[[], Plan | str], host: str, port: int,
          out: Path | None, watch: bool, console: Console, allow_hosts: Sequence[str] = (),
          allow_origins: Sequence[str] = (), show_values: bool = False) -> Store:
    import uvicorn

    store = Store(out)
    collector = Collector(Judges(plan, show_values), store, live_view(console))

    async def watcher() -> None:
        from watchfiles import awatch

        async for _ in awatch(plan_root):
            fresh = await asyncio.to_thread(reload)
            if isinstance(fresh, str):
                console.print(visible(f"plan changed but has errors: the previous plan stays in use — {fresh}"),
                              markup=False, highlight=False)
            else:
                collector.judges = Judges(fresh, show_values)  # one assignment: a request in flight keeps its plan
                console.print(f"plan reloaded: {len(fresh.events)} events", markup=False)

    sock = bind(host, port)
    if not is_loopback(host_name(host)):
        console.print(visible(
            f"warning: listening on {host}, beyond this machine: anyone on the network can send events to the "
            "collector and, with a host name allowed by --allow-host, read what it received through "
            "/tracking-plan/ (values the plan does not name show as type and length). Use --host 127.0.0.1 to "
            "keep it to this machine."), markup=False, highlight=False)
    shown_host = f"[{host}]" if ":" in host else host
    console.print(visible(
        f"Collecting on http://{shown_host}:{port} — point your SDK's endpoint here (README: Checking events "
        f"while you develop).\n  Segment, RudderStack: /v1/track … /v1/batch · Amplitude: /2/httpapi · "
        f"GA4: /mp/collect\n  inspect: /tracking-plan/events, /tracking-plan/summary · Ctrl-C to stop"
        + (f"\n  writing every event to {out}" if out else "")), markup=False, highlight=False)
    app = create_app(collector, watcher if watch else None, host, allow_hosts, allow_origins)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                                           timeout_graceful_shutdown=5, timeout_keep_alive=IDLE_SECONDS,
                                           http=_protocol()))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it shut down on: here it is the normal way out
        pass
    finally:
        sock.close()
    summary = store.summary()
    console.print(f"received {summary['received']} events: {summary['valid']} valid, "
                  f"{summary['invalid']} with violations", markup=False)
    return store


def plan_reloader(path: str | None) -> Callable[[], Plan | str]:
    """How `--watch` reads the plan again: the plan, or where it is broken (the first error at file:line, and how
    many there are), which the collector shows while it keeps the last good plan."""
    from tracking_plan.core.discover import load_plan

    def reload() -> Plan | str:
        fresh = load_plan(path)
        if fresh.ok and fresh.plan is not None:
            return fresh.plan
        errors = [d for d in fresh.diagnostics if d.severity.value == "error"]
        first = errors[0] if errors else None
        where = f"{first.location}: " if first is not None and first.location else ""
        return (f"{where}{first.message if first else 'the plan cannot be read'}"
                + (f" (and {len(errors) - 1} more: run tracking-plan lint)" if len(errors) > 1 else ""))

    return reload
