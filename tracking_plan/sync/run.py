"""pull and push, vendor by vendor: push --dry-run is `diff` between the vendor's copy (pulled, as a plan) and the
plan; push applies the vendor's changes for that difference and says what it did, or up to where it failed."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan
from tracking_plan.diff.compare import Comparison, compare
from tracking_plan.importers.model import ImportedPlan
from tracking_plan.importers.write import write_plan
from tracking_plan.sync import VENDORS
from tracking_plan.sync.http import ApiError
from tracking_plan.sync.vendor import Change, Vendor


def vendor(name: str, region: str, base_url: str | None, remote_id: str | None) -> Vendor[Any]:
    if name == "segment":
        from tracking_plan.sync.segment import Segment

        return Segment(region, base_url, remote_id)
    if name == "amplitude":
        from tracking_plan.sync.amplitude import Amplitude

        return Amplitude(region, base_url, remote_id)
    if name == "mixpanel":
        from tracking_plan.sync.mixpanel import Mixpanel

        return Mixpanel(region, base_url, remote_id)
    if name == "posthog":
        from tracking_plan.sync.posthog import PostHog

        return PostHog(region, base_url, remote_id)
    if name == "rudderstack":
        from tracking_plan.sync.rudderstack import RudderStack

        return RudderStack(region, base_url, remote_id)
    raise UsageError(f"push and pull do not know {name!r} yet.", f"Choose one of: {', '.join(VENDORS)}.")


@dataclass
class PushResult:
    vendor: str
    dry_run: bool
    comparison: Comparison | None
    changes: list[Change]
    applied: list[Change] = field(default_factory=list)
    failure: str | None = None
    requests: int = 0
    retried: int = 0
    losses: list[str] = field(default_factory=list)

    def counts(self, changes: list[Change] | None = None) -> dict[str, int]:
        found = {"add": 0, "update": 0, "remove": 0, "keep": 0}
        for change in self.changes if changes is None else changes:
            found[change.kind] += 1
        return found


def refusal(remote: Vendor[Any], error: ApiError) -> UsageError:
    """What to tell of a request the vendor refused for good: credentials, or what it said."""
    if error.status in (401, 403):
        return UsageError(f"{remote.name} refused the credentials ({error.status}).",
                          "Check the token's environment variable and that it may edit tracking plans.")
    return UsageError(str(error), "Check the tracking plan's id and the region (--region, --base-url).")


def pulled_comparison(remote: Vendor[Any], plan: Plan, plan_dir: str) -> Comparison:
    """`diff` from the vendor's copy, as a plan, to the plan as the vendor can hold it: what push would change."""
    with tempfile.TemporaryDirectory(prefix="tracking-plan-pull-") as folder:
        copy = Path(folder) / "remote"
        write_plan(remote.pull(), copy)
        projected = remote.projected(plan)
        if projected is not None:
            write_plan(projected, Path(folder) / "local")
            plan_dir = str(Path(folder) / "local")
        return compare(str(copy), plan_dir, None, None)


def pull(remote: Vendor[Any]) -> ImportedPlan:
    """The vendor's plan, or a usage error that says why the vendor refused it."""
    try:
        return remote.pull()
    except ApiError as error:
        raise refusal(remote, error) from None


def push(remote: Vendor[Any], plan: Plan, plan_dir: str, prune: bool, dry_run: bool,
         before_writing: Callable[[str], object] | None = None) -> PushResult:
    """`before_writing` is told what the vendor cannot hold, before the first write (the result says it again)."""
    try:
        comparison = pulled_comparison(remote, plan, plan_dir)
        changes = remote.changes(plan, prune)
    except ApiError as error:
        raise refusal(remote, error) from None
    result = PushResult(remote.name, dry_run, comparison, changes, losses=list(remote.losses))
    if not dry_run and result.losses and before_writing is not None:
        before_writing(losses_text(result.vendor, result.losses))
    if not dry_run:
        try:
            result.applied = remote.apply(changes)
        except ApiError as error:
            result.applied = error.applied
            result.failure = str(error)
    result.requests, result.retried = remote.client.requests, remote.client.retried
    return result


def _diff(output_format: str, comparison: Comparison | None) -> str:
    import importlib

    if comparison is None:
        return ""
    text = importlib.import_module(f"tracking_plan.diff.render.{output_format}").render(comparison)
    if isinstance(text, str):
        return text
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=120, color_system=None, highlight=False).print(text)
    return buffer.getvalue()


def losses_text(vendor: str, losses: list[str]) -> str:
    return (f"{vendor} cannot hold (not published, {len(losses)}):\n"
            + "\n".join(f"  {loss}" for loss in losses) + "\n")


def render_push(result: PushResult, output_format: str) -> str:
    counts = result.counts()
    applied = result.counts(result.applied)
    doing = "would change" if result.dry_run else "changed"
    heading = f"What push {doing} on {result.vendor}"
    kept = (f"; {counts['keep']} remote item{'s' * (counts['keep'] != 1)} the plan does not have kept (--prune "
            "removes them)") if counts["keep"] else ""
    if result.dry_run:
        summary = (f"{heading}: add {counts['add']}, update {counts['update']}, remove {counts['remove']}{kept}. "
                   "Nothing was written.")
    elif result.failure is None:
        summary = (f"{heading}: added {applied['add']}, updated {applied['update']}, removed {applied['remove']}"
                   f"{kept} ({result.requests} requests, {result.retried} retried).")
    else:
        left = {k: counts[k] - applied[k] for k in ("add", "update", "remove")}
        summary = (f"{heading} before failing: added {applied['add']}, updated {applied['update']}, removed "
                   f"{applied['remove']}; not applied: {left['add']} to add, {left['update']} to update, "
                   f"{left['remove']} to remove. {result.failure}. Run push again to complete it.")
    if result.losses:
        summary += "\n" + losses_text(result.vendor, result.losses).rstrip("\n")
    if output_format == "json":
        document = json.loads(_diff("json", result.comparison) or "{}")
        document["push"] = {"vendor": result.vendor, "dry_run": result.dry_run, "planned": counts,
                            "not_representable": result.losses,
                            "applied": applied, "failure": result.failure,
                            "changes": [{"kind": c.kind, "what": c.what} for c in result.changes]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    text = _diff(output_format, result.comparison)
    if output_format == "markdown":
        return f"## {heading}\n\n{summary}\n\n{text}"
    return f"{summary}\n\n{text}" if text else summary + "\n"
