"""A folder of JSON Schema files, one event per schema, including Snowplow Iglu layouts
(`vendor/name/jsonschema/M-R-A` with a self-describing `self` block): the newest version of each."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.importers.common import ImportedEvent, ImportedPlan, plan_id, properties_of

_SCHEMAVER = re.compile(r"^(\d+)-(\d+)-(\d+)$")


def _version(text: str) -> tuple[int, int, int]:
    match = _SCHEMAVER.match(text)
    return (int(match[1]), int(match[2]), int(match[3])) if match else (0, 0, 0)


def read(source: Path) -> ImportedPlan:
    if not source.is_dir():
        raise UsageError(f"{source} is not a folder of JSON Schema files.", None)
    plan = ImportedPlan(plan_id(source.name, "jsonschema-plan"), title=source.name)
    newest: dict[str, tuple[tuple[int, int, int], Path, dict[str, Any]]] = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith(".")):
        rel = path.relative_to(source).as_posix()
        if path.suffix not in ("", ".json"):
            continue
        try:
            schema = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            plan.drop(rel, "file", "not JSON")
            continue
        if not isinstance(schema, dict):
            plan.drop(rel, "file", "not a JSON Schema object")
            continue
        if str(schema.get("$id", "")).endswith("/identify"):  # the traits schema `export jsonschema` writes
            traits, _ = properties_of(schema, plan, rel)
            plan.traits.update(traits)
            continue
        self_block = schema.get("self") if isinstance(schema.get("self"), dict) else None
        parts = rel.split("/")
        if self_block:
            name, version = str(self_block.get("name")), _version(str(self_block.get("version", "")))
            vendor = str(self_block.get("vendor") or "")
        elif len(parts) >= 4 and parts[-2] == "jsonschema" and _SCHEMAVER.match(parts[-1]):
            name, version, vendor = parts[-3], _version(parts[-1]), parts[-4]
        else:
            name = str(schema.get("title") or path.stem.removesuffix(".schema"))
            version, vendor = (0, 0, 0), ""
        key = f"{vendor}/{name}"
        if key not in newest or version > newest[key][0]:
            if key in newest:
                plan.drop(newest[key][1].relative_to(source).as_posix(), "older version", "the newest version is kept")
            newest[key] = (version, path, schema)
        else:
            plan.drop(rel, "older version", "the newest version is kept")
    for key, (_, path, schema) in sorted(newest.items()):
        vendor, name = key.split("/", 1)
        props, extra = properties_of(schema, plan, path.relative_to(source).as_posix())
        event = ImportedEvent(name, schema.get("description") or None, props, extra, group=vendor or None)
        metadata = schema.get("x-tracking-plan")  # written by `export jsonschema`
        if isinstance(metadata, dict) and isinstance(metadata.get("tags"), list):
            event.tags = [str(t) for t in metadata["tags"]]
        elif vendor:
            event.tags = [f"vendor:{vendor}"]
        plan.events.append(event)
    return plan
