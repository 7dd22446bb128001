"""The neutral form every importer produces: the events, traits and global properties read from the source,
what could not be carried over (with where), and the helpers every importer reads its source with."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.files import FileRefused, read_regular


@dataclass
class Dropped:
    where: str
    what: str
    why: str


@dataclass
class ImportedEvent:
    name: str
    description: str | None = None
    properties: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Property name → our property definition (type, required, enum...)."""
    additional_properties: bool | dict[str, Any] | None = None
    """Open, closed, or the schema every unlisted property's value follows; None: the plan-wide default."""
    tags: list[str] = field(default_factory=list)
    group: str | None = None
    """The folder the event goes into: a label, category or owner of the source."""
    extensions: dict[str, Any] = field(default_factory=dict)
    """The `x-` keys of the event: the source's own, and NOT_CARRIED (what the plan format cannot say of it)."""
    metadata: dict[str, Any] = field(default_factory=dict)
    """What `export` writes of the event under `x-tracking-plan`, read back (see `read_metadata`): owner, status,
    trigger, platforms, destinations, replaced_by."""
    variants: dict[str, Any] | None = None
    """`variants:` as the plan format writes it: the discriminator and each case's description and properties."""


_STATUSES = ("active", "draft", "deprecated")


def call_entry(plan: ImportedPlan, description: Any, props: dict[str, dict[str, Any]], metadata: Any,
               where: str) -> dict[str, Any]:
    """A page's or screen's definition as the plan format writes it: its description, what its `x-tracking-plan`
    says (owner, platforms...: read as an event's), its properties."""
    read = ImportedEvent("", None, {})
    read_metadata(read, metadata, plan, where)
    entry: dict[str, Any] = {"description": description} if isinstance(description, str) and description else {}
    entry.update(read.metadata)
    if read.tags:
        entry["tags"] = read.tags
    if props:
        entry["properties"] = props
    return entry


def read_metadata(event: ImportedEvent, metadata: Any, plan: ImportedPlan, where: str) -> None:
    """The event's `x-tracking-plan` (what `export jsonschema` and `export segment` write), back into the plan:
    tags, owner, status, trigger, platforms, destinations, replaced_by. A value of the wrong shape is listed."""
    if not isinstance(metadata, dict):
        return
    for key in ("owner", "trigger", "replaced_by", "status"):
        value = metadata.get(key)
        if value is None:
            continue
        if isinstance(value, str) and value.strip() and (key != "status" or value in _STATUSES):
            if key != "status" or value != "active":
                event.metadata[key] = value
        else:
            plan.drop(where, f"x-tracking-plan {key} {str(value)[:40]!r}", "not a value the plan takes")
    for key in ("platforms", "destinations", "tags"):
        value = metadata.get(key)
        if value is None:
            continue
        if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
            if key == "tags":
                event.tags = list(value)
            elif value:
                event.metadata[key] = list(dict.fromkeys(value))
        else:
            plan.drop(where, f"x-tracking-plan {key}", "not a list of names")


@dataclass
class ImportedPlan:
    id: str
    title: str | None = None
    description: str | None = None
    events: list[ImportedEvent] = field(default_factory=list)
    traits: dict[str, dict[str, Any]] = field(default_factory=dict)
    group_traits: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {"pages": {}, "screens": {}})
    """Page and screen definitions by name (`(unnamed)` for the calls without one), as the plan format writes
    them: description and properties."""
    dropped: list[Dropped] = field(default_factory=list)
    version: str = "1.0.0"
    global_properties: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    """Root keys read back from an export (pii_destinations, traits_destinations)."""
    _names: set[str] = field(default_factory=set, repr=False)

    def read_metadata(self, metadata: Any, where: str) -> None:
        """The plan's own `x-tracking-plan` (on the traits schema `export jsonschema` writes): its id, version,
        title, description and where personal data may go; the properties it names as global are lifted out of
        the events (`lift_globals`, once they are read)."""
        if not isinstance(metadata, dict):
            return
        if isinstance(metadata.get("plan"), str):
            self.id = plan_id(metadata["plan"], self.id)
        version = metadata.get("plan_version")
        if isinstance(version, str) and re.fullmatch(r"\d+\.\d+\.\d+", version):
            self.version = version
        for key in ("title", "description"):
            if isinstance(metadata.get(key), str) and metadata[key].strip():
                setattr(self, key, metadata[key])
        if metadata.get("alias") is True:
            self.settings["alias"] = True
        for key in ("pii_destinations", "traits_destinations", "global_properties"):
            value = metadata.get(key)
            if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
                self.settings[key] = list(value)
            elif value is not None:
                self.drop(where, f"x-tracking-plan {key}", "not a list of names")

    def lift_globals(self) -> None:
        """The properties the export named global, out of every event that carries them alike, into
        global_properties: they were folded into each event's payload on the way out."""
        for name in self.settings.pop("global_properties", []):
            shapes = {canonical(e.properties[name]) for e in self.events if name in e.properties}
            if len(shapes) != 1 or any(name not in e.properties for e in self.events):
                continue  # not the same everywhere: left on the events
            self.global_properties[name] = next(e.properties[name] for e in self.events if name in e.properties)
            for event in self.events:
                del event.properties[name]

    def drop(self, where: str, what: str, why: str) -> None:
        self.dropped.append(Dropped(where, what, why))

    def add(self, event: ImportedEvent, where: str) -> None:
        """An event, unless the source already gave one of that name: the first is kept, the other reported
        (two definitions under one name would otherwise leave only the last, silently)."""
        if event.name in self._names:
            self.drop(where, f"event '{event.name}'", "a second definition of an event already imported; the first "
                      "is kept")
            return
        self._names.add(event.name)
        self.events.append(event)


MAX_IMPORT_BYTES = 256 * 1024 * 1024
"""Importers read source files up to this size: a whole vendor export, bounded."""


def read_bounded(path: Path, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """A source file's bytes; a FIFO, device, missing or oversized file is a usage error (exit 2)."""
    try:
        return read_regular(path, limit)
    except FileRefused as refused:
        raise UsageError(f"{path}: {refused.message}", refused.hint) from None


def load_json(path: Path, what: str, hint: str | None) -> Any:
    """A source JSON file, bounded in size and depth."""
    data = read_bounded(path)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise UsageError(f"{path} nests too deeply to be {what}.", hint) from None
    except ValueError as exc:
        raise UsageError(f"Cannot read {path} as JSON: {exc}.", hint) from None


def as_object(value: Any, plan: ImportedPlan, where: str, what: str) -> dict[str, Any]:
    """A part of the source that must be an object: itself, or {} — a missing part is no part, and one of another
    shape (a list, a number) is listed with where it was, never a crash."""
    if isinstance(value, dict):
        return value
    if value is not None:
        plan.drop(where, what, f"not an object ({type(value).__name__}); left out")
    return {}


def plan_id(text: str | None, fallback: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text or "").strip("-._")
    return cleaned or fallback



def canonical(definition: dict[str, Any]) -> str:
    """A definition as text, its `required` left out: two events define a property alike when these are equal."""
    return json.dumps({k: v for k, v in definition.items() if k != "required"}, sort_keys=True)


