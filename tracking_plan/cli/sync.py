"""`pull` and `push`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracking_plan.cli.common import app, choices, format_option, readable_plan, say_all
from tracking_plan.sync import VENDORS

PushFormat = StrEnum("PushFormat", choices(("text", "markdown", "json")))  # type: ignore[misc]
Region = StrEnum("Region", choices(("us", "eu")))  # type: ignore[misc]
VendorName = StrEnum("VendorName", choices(VENDORS))  # type: ignore[misc]

RemoteOption = Annotated[str | None, typer.Option(
    "--tracking-plan", metavar="ID", help="The vendor's tracking plan (Segment: tp_..., default "
    "SEGMENT_TRACKING_PLAN_ID; Mixpanel: the project id, default MIXPANEL_PROJECT_ID; PostHog: the project id, "
    "default POSTHOG_PROJECT_ID; RudderStack: tp_..., default RUDDERSTACK_TRACKING_PLAN_ID; Amplitude: the "
    "project's name for the pulled plan).", show_default=False)]
RegionOption = Annotated[Region, typer.Option(help="The vendor's data centre.")]
BaseUrlOption = Annotated[str | None, typer.Option(metavar="URL", help="The API's base URL, for a region or a "
                                                   "proxy of your own.", show_default=False)]


@app.command()
def pull(
    vendor: Annotated[VendorName, typer.Argument(metavar="VENDOR", help=", ".join(VENDORS) + ".")],
    out: Annotated[Path, typer.Option(metavar="DIR", help="The plan directory to write (or an earlier pull or "
                                                          "import to replace).")],
    tracking_plan: RemoteOption = None,
    region: RegionOption = Region("us"),
    base_url: BaseUrlOption = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that already holds other files.")]
    = False,
) -> None:
    """Import a vendor's tracking plan, live: as `import` from a file (credentials from the environment)."""
    from tracking_plan.importers.write import check_destination, imported_summary, write_plan
    from tracking_plan.sync.run import pull as pull_remote
    from tracking_plan.sync.run import vendor as remote_vendor

    check_destination(out, force)
    imported = pull_remote(remote_vendor(vendor.value, region.value, base_url, tracking_plan))
    say_all(imported_summary(imported, write_plan(imported, out, force), out))


@app.command()
def push(
    vendor: Annotated[VendorName, typer.Argument(metavar="VENDOR", help=", ".join(VENDORS) + ".")],
    plan: Annotated[str | None, typer.Argument(metavar="PLAN", help="The plan directory. Default: plans/ or '.'.",
                                               show_default=False)] = None,
    tracking_plan: RemoteOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what push would change (the diff from the "
                                          "vendor's copy to the plan), and write nothing.")] = False,
    prune: Annotated[bool, typer.Option("--prune", help="Also remove what the vendor has and the plan does not.")]
    = False,
    region: RegionOption = Region("us"),
    base_url: BaseUrlOption = None,
    output_format: Annotated[PushFormat, format_option()] = PushFormat("text"),
) -> None:
    """Publish the plan to a vendor: exactly the difference from its copy, never deleting without --prune."""
    from tracking_plan.core.discover import find_plan_root
    from tracking_plan.sync.run import push as run_push
    from tracking_plan.sync.run import render_push
    from tracking_plan.sync.run import vendor as remote_vendor

    loaded = readable_plan(plan, "Nothing was pushed: fix the plan first.")
    remote = remote_vendor(vendor.value, region.value, base_url, tracking_plan)
    result = run_push(remote, loaded, str(find_plan_root(plan)[0]), prune, dry_run, before_writing=sys.stderr.write)
    sys.stdout.write(render_push(result, output_format.value))
    raise typer.Exit(1 if result.failure else 0)
