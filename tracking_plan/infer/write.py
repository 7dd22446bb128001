"""Writing what `infer` found: a draft plan directory (with INFERRED.md, the volume and time span of each call), or
with --against the new events as one new plan file, never one of the plan's own."""

from __future__ import annotations

from pathlib import Path

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan
from tracking_plan.importers.write import check_destination, write_fragment, write_plan
from tracking_plan.infer import against as additions_of
from tracking_plan.infer.build import Thresholds, inferred_plan, personal_name
from tracking_plan.infer.render import markdown
from tracking_plan.infer.result import InferResult
from tracking_plan.infer.stats import Observed
from tracking_plan.shapes.columns import SHAPES, Shape, flat_shape

SIDECAR = "INFERRED.md"


def groups_by_property(observed: Observed, key: str) -> dict[tuple[str, str], str]:
    """`--group-by PROPERTY`: each event in the folder of that property's most frequent text (never a personal
    one's)."""
    if personal_name(key):
        raise UsageError(f"'{key}' looks like personal data: its values would become folder names.",
                         "Group by a property such as a category or a feature area.")
    return {(p.kind, p.name): p.top_texts[0] for p in observed.paths if p.path == (key,) and p.top_texts}


def write_inferred(observed: Observed, out: Path, limits: Thresholds, groups: dict[tuple[str, str], str],
                   force: bool) -> InferResult:
    plan = inferred_plan(observed, out.name, limits, groups)
    sidecar = markdown.render(InferResult(observed, str(out), ()))
    written = write_plan(plan, out, force, extra={SIDECAR: sidecar})
    return InferResult(observed, str(out), tuple(p.as_posix() for p in written))


def write_additions(observed: Observed, plan: Plan, plan_dir: str, out: Path, limits: Thresholds,
                    event_column: str, force: bool) -> InferResult:
    shape: Shape = flat_shape(event_column) if observed.shape == "flat" else SHAPES[observed.shape]
    found = additions_of.additions(plan, observed, shape, limits)
    written: list[Path] = []
    if found.new is not None:
        check_destination(out, force)
        rel, n = "events/inferred.yaml", 2
        while (Path(plan_dir) / rel).exists():  # a name the plan does not use: adding the file replaces nothing
            rel, n = f"events/inferred-{n}.yaml", n + 1
        written = write_fragment(found.new, out, rel, plan.additional_properties, force)
    return InferResult(observed, str(out), tuple(p.as_posix() for p in written), plan_dir, found)
