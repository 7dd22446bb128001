"""Other tools' tracking plans → a plan directory in our format (`tracking-plan import`)."""

from __future__ import annotations

import importlib
from pathlib import Path

from tracking_plan.importers.common import ImportedPlan

FORMATS = ("segment", "rudderstack", "mparticle", "jsonschema")


def read(format_name: str, source: Path) -> ImportedPlan:
    module = importlib.import_module(f"tracking_plan.importers.{format_name}")
    plan: ImportedPlan = module.read(source)
    return plan
