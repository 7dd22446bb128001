"""A folder of JSON Schema files, one event per schema, including Snowplow Iglu layouts
(`vendor/name/jsonschema/M-R-A` with a self-describing `self` block): the newest version of each."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import UNNAMED
from tracking_plan.importers.convert import event_properties_of, properties_of
from tracking_plan.importers.model import (
    ImportedEvent,
    ImportedPlan,
    call_entry,
    plan_id,
    read_bounded,
    read_metadata,
)

_SCHEMAVER = re.compile(r"^(\d+)-(\d+)-(\d+)$")


def _version(text: str) -> tuple[int, int, int]:
    match = _SCHEMAVER.match(text)
    return (int(match[1]), int(match[2]), int(match[3])) if match else (0, 0, 0)


def read(source: Path) -> ImportedPlan:
    """A folder of schemas (newest version of each), or one schema file."""
    if source.is_file():
        root, paths = source.parent, [source]
    elif source.is_dir():
        root = source
        paths = sorted(p for p in source.rglob("*") if p.is_file() and not p.is_symlink()
                       and not any(part.startswith(".") for part in p.relative_to(source).parts))
    else:
        raise UsageError(f"{source} is neither a JSON Schema file nor a folder of them.", None)
    plan = ImportedPlan(plan_id(source.stem if source.is_file() else source.name, "jsonschema-plan"),
                        title=source.stem if source.is_file() else source.name)
    newest: dict[str, tuple[tuple[int, int, int], Path, dict[str, Any], str]] = {}
    for path in paths:
        rel = path.relative_to(root).as_posix()
        if path.suffix not in ("", ".json"):
            continue
        schema = _read_json(path, rel, plan)
        if schema is None:
            continue
        if str(schema.get("$id", "")).endswith("/identify"):  # the traits schema `export jsonschema` writes
            traits, _ = properties_of(schema, plan, rel)
            plan.traits.update(traits)
            plan.read_metadata(schema.get("x-tracking-plan"), rel)
            continue
        if str(schema.get("$id", "")).endswith("/group"):  # and the group traits'
            group, _ = properties_of(schema, plan, rel)
            plan.group_traits.update(group)
            continue
        metadata = schema.get("x-tracking-plan")
        call = metadata.get("call") if isinstance(metadata, dict) else None
        if call in ("page", "screen"):  # a page's or screen's schema: its name follows the call in its title
            title = str(schema.get("title", ""))
            name = title.split(" ", 1)[1] if title.startswith(f"{call} ") else UNNAMED
            props, _ = properties_of(schema, plan, rel)
            plan.calls[f"{call}s"][name] = call_entry(plan, schema.get("description"), props, metadata, rel)
            continue
        name, version, vendor = _identity(schema, rel, path)
        # Iglu schemas are named vendor/name, as in their URIs: a whole registry imports without collisions.
        key = f"{vendor}/{name}" if vendor else name
        if key not in newest or version > newest[key][0]:
            if key in newest:
                plan.drop(newest[key][1].relative_to(root).as_posix(), "older version", "the newest version is kept")
            newest[key] = (version, path, schema, vendor)
        else:
            plan.drop(rel, "older version", "the newest version is kept")
    for key, (_, path, schema, vendor) in sorted(newest.items()):
        kept: dict[str, Any] = {}
        props, extra, variants = event_properties_of(schema, plan, path.relative_to(root).as_posix(), kept=kept,
                                                     metadata=schema.get("x-tracking-plan"))
        description = schema.get("description")
        event = ImportedEvent(key, description if isinstance(description, str) and description else None, props,
                              extra, group=vendor or None, extensions=kept, variants=variants)
        if vendor:
            event.tags = [f"vendor:{vendor}"]
        read_metadata(event, schema.get("x-tracking-plan"), plan, path.relative_to(root).as_posix())
        plan.add(event, path.relative_to(root).as_posix())
    plan.lift_globals()
    return plan


def _read_json(path: Path, rel: str, plan: ImportedPlan) -> dict[str, Any] | None:
    try:
        schema = json.loads(read_bounded(path).decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError, UsageError):
        plan.drop(rel, "file", "not a readable JSON file")
        return None
    if not isinstance(schema, dict):
        plan.drop(rel, "file", "not a JSON Schema object")
        return None
    return schema


def _identity(schema: dict[str, Any], rel: str, path: Path) -> tuple[str, tuple[int, int, int], str]:
    """The event name, SchemaVer version and Iglu vendor of a schema."""
    self_block = schema.get("self") if isinstance(schema.get("self"), dict) else None
    parts = rel.split("/")
    if self_block and self_block.get("name"):
        return (str(self_block.get("name")), _version(str(self_block.get("version", ""))),
                str(self_block.get("vendor") or ""))
    if len(parts) >= 4 and parts[-2] == "jsonschema" and _SCHEMAVER.match(parts[-1]):
        return parts[-3], _version(parts[-1]), parts[-4]
    title = schema.get("title")
    return (title if isinstance(title, str) and title.strip() else path.stem.removesuffix(".schema")), (0, 0, 0), ""
