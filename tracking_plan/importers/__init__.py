"""Other tools' tracking plans → a plan directory in our format (`tracking-plan import`)."""

from __future__ import annotations

import importlib
from pathlib import Path

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.importers.common import ImportedPlan

FORMATS = ("segment", "rudderstack", "mparticle", "jsonschema")


def read(format_name: str, source: Path) -> ImportedPlan:
    """The source as a neutral plan. A source whose structure is not what the tool exports (a list where an
    object belongs, a number for a name...) at a place no importer check covers is a usage error, never a crash."""
    module = importlib.import_module(f"tracking_plan.importers.{format_name}")
    try:
        plan: ImportedPlan = module.read(source)
    except UsageError:
        raise
    except (AttributeError, TypeError, KeyError, IndexError, ValueError, RecursionError) as exc:
        raise UsageError(f"{source} is not a {format_name} export this tool can read: a value inside has an "
                         f"unexpected shape ({type(exc).__name__}).",
                         "Export it again from the tool, or report it with the file if the tool wrote it so.") \
            from None
    return plan
