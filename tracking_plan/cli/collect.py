"""`collect`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracking_plan.cli.common import PlanOnlyOption, app, console, readable_plan
from tracking_plan.core.diagnostics import UsageError


@app.command()
def collect(
    plan: PlanOnlyOption = None,
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port to listen on.")] = 8787,
    host: Annotated[str, typer.Option(help="The address to listen on (127.0.0.1: this machine only).")]
    = "127.0.0.1",
    out: Annotated[Path | None, typer.Option(metavar="FILE", help="Append every event to this NDJSON file "
                                             "(validate reads it back).", show_default=False)] = None,
    watch: Annotated[bool, typer.Option("--watch", help="Reload the plan when its files change.")] = False,
    allow_origin: Annotated[list[str] | None, typer.Option(metavar="ORIGIN", help="A web origin that may read "
                                                           "and reset the collector (/tracking-plan/*), e.g. "
                                                           "http://localhost:3000. Repeatable.",
                                                           show_default=False)] = None,
    allow_host: Annotated[list[str] | None, typer.Option(metavar="NAME", help="A host name the collector answers "
                                                         "to besides loopback ones and --host. Repeatable.",
                                                         show_default=False)] = None,
    show_values: Annotated[bool, typer.Option("--show-values", help="Show values the plan does not name (ids, "
                                              "context, unplanned properties) in /tracking-plan/events, not "
                                              "only their type and length; pii ones stay hidden.")] = False,
) -> None:
    """A local collector for your app's SDK (Segment, RudderStack, Amplitude, GA4): every event checked live."""
    from tracking_plan.collect.serve import plan_reloader, serve
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.output.fileio import refuse_plan_paths

    root = find_plan_root(plan)[0]
    if out is not None:
        refuse_plan_paths(out, root, "collect")
        if out.exists() and not out.is_file():
            raise UsageError(f"{out} is not a regular file.", "Name a file for --out.")
    loaded = readable_plan(plan, "The collector did not start: fix the plan first.")
    serve(loaded, root, plan_reloader(plan), host, port, out, watch, console(), allow_host or [], allow_origin or [],
          show_values)
