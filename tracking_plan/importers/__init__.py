"""Other tools' tracking plans → a plan directory in our format (`tracking-plan import`)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from tracking_plan.core.diagnostics import UsageError

if TYPE_CHECKING:  # the command reads FORMATS at start: the importers load only when one runs
    from tracking_plan.importers.model import ImportedPlan

FORMATS = ("segment", "rudderstack", "mparticle", "jsonschema")


def read(format_name: str, source: Path) -> ImportedPlan:
    """The source as a neutral plan. Each importer says what it cannot read as a usage error (exit 2), with where;
    anything else it raises is a bug of ours (exit 3), never hidden as bad input."""
    module = importlib.import_module(f"tracking_plan.importers.{format_name}")
    try:
        plan: ImportedPlan = module.read(source)
    except RecursionError:  # a document nested past what Python walks: the input's size, not a bug
        raise UsageError(f"{source} nests too deeply to be a {format_name} export.",
                         "Export it again from the tool; real plans are far shallower.") from None
    return plan
