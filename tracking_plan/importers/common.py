"""The neutral form every importer produces, JSON Schema → our property definitions, and writing the
plan directory: a shared library for properties several events define alike, a folder per label or
owner, and a report of everything that could not be carried over."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.files import FileRefused, read_regular
from tracking_plan.core.model import json_type
from tracking_plan.core.naming import words
from tracking_plan.output.fileio import replace_tree

ANY_TYPE = ["string", "number", "boolean", "object", "array", "null"]
_KEYWORDS = ("enum", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
             "minLength", "maxLength", "minItems", "maxItems", "examples", "description")
_NUMERIC = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_COUNTS = frozenset({"minLength", "maxLength", "minItems", "maxItems"})
_IGNORED = frozenset({"id", "$id", "$schema", "title", "$comment", "default", "self", "labels", "x-tracking-plan",
                      "x-pii"})
_HANDLED = frozenset({"type", "const", "properties", "required", "additionalProperties", "items", "$ref",
                      "patternProperties", "definitions", "$defs", "deprecated"})
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter: a 5,000-event plan in seconds
_JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})
MAX_DEPTH = 64
"""Deeper schemas are cut there (listed in the report): no real plan nests so deep, and it bounds recursion."""
_DATA_KEY = re.compile(r"[^A-Za-z0-9_$.-]")


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


_STATUSES = ("active", "draft", "deprecated")


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
            shapes = {_canonical(e.properties[name]) for e in self.events if name in e.properties}
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


def convert_schema(schema: Any, plan: ImportedPlan, where: str, root: Any = None, depth: int = 0) -> dict[str, Any]:
    """One JSON Schema property → our definition, with JSON Schema's meaning kept: no `type` is any value, no
    `additionalProperties` is open. Local `$ref`s are resolved against `root`; what our format cannot say is
    listed in the report with where it was."""
    schema = _resolve(schema, root if root is not None else schema, plan, where)
    if not isinstance(schema, dict):
        plan.drop(where, repr(schema)[:60], "a property schema must be an object; kept as any value")
        return {"type": "any"}
    schema = _combined(schema, root if root is not None else schema, plan, where)
    if depth >= MAX_DEPTH:
        plan.drop(where, "deeper nesting", f"schemas nested over {MAX_DEPTH} levels are cut; kept as any value")
        return {"type": "any"}
    result: dict[str, Any] = {}
    kind = schema.get("type")
    if isinstance(kind, str) and kind in _JSON_TYPES:
        result["type"] = kind
    elif isinstance(kind, list) and kind and all(isinstance(k, str) and k in _JSON_TYPES for k in kind):
        result["type"] = list(dict.fromkeys(kind))
    elif kind is not None and kind != "any":
        plan.drop(where, f"type {str(kind)[:40]!r}", "not a JSON type; kept as any value")
    if "const" in schema:
        result["enum"] = [schema["const"]]
    for keyword in _KEYWORDS:
        value = _keyword(schema, keyword, plan, where)
        if value is not None:
            result[keyword] = value
    nested = schema.get("properties")
    if isinstance(nested, dict):
        props, _ = _object(schema, plan, where, root, depth)
        if props:
            result["properties"] = props
    elif nested is not None:
        plan.drop(where, "properties", "not an object of property schemas")
    is_object = isinstance(nested, dict) or "object" in _as_list(result.get("type"))
    extra = schema.get("additionalProperties", True)
    if isinstance(extra, bool):
        if is_object or "additionalProperties" in schema:
            result["additional_properties"] = extra
    elif isinstance(extra, dict):
        result["additional_properties"] = convert_schema(extra, plan, f"{where}{{}}", root, depth + 1)
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict) and patterns:
        if len(patterns) == 1 and not isinstance(result.get("additional_properties"), dict):
            pattern, values = next(iter(patterns.items()))
            result["additional_properties"] = convert_schema(values, plan, f"{where}{{}}", root, depth + 1)
            plan.drop(where, f"patternProperties key pattern {str(pattern)[:40]!r}",
                      "kept as a dictionary-like object: every value follows the schema, keys are not checked")
        else:
            plan.drop(where, "patternProperties", "several key patterns cannot be said; kept as open")
    elif patterns is not None:
        plan.drop(where, "patternProperties", "not an object of schemas")
    if isinstance(nested, dict) and isinstance(result.get("additional_properties"), bool):
        _detect_dictionary(result)
    if "items" in schema:
        items = schema["items"]
        if isinstance(items, dict):
            result["items"] = convert_schema(items, plan, f"{where}[]", root, depth + 1)
        elif isinstance(items, list):
            plan.drop(where, "items as a list (tuple validation)", "not supported; items kept as any value")
        elif items is not True:  # `items: true` is any item, as when it is left out
            plan.drop(where, f"items {json.dumps(items)[:40]}", "not a schema the plan format can say; items kept as "
                      "any value")
    if schema.get("x-pii") is True:  # written by `export jsonschema` for a property marked pii
        result["pii"] = True
    if schema.get("deprecated") is True:
        result["deprecated"] = True
    annotations = {str(k): v for k, v in schema.items() if str(k).startswith("x-") and k not in _IGNORED}
    not_carried = {str(k): schema[k] for k in sorted(set(schema) - set(_KEYWORDS) - _IGNORED - _HANDLED, key=str)
                   if k not in annotations}
    for keyword in not_carried:
        plan.drop(where, keyword[:60], f"no equivalent in the plan format; kept as is under {NOT_CARRIED}")
    if isinstance(schema.get("items"), list):
        not_carried["items"] = schema["items"]
    if isinstance(patterns, dict) and len(patterns) > 1:
        not_carried["patternProperties"] = patterns
    result.update(_annotations(annotations, not_carried))
    if "type" not in result and "enum" in result:
        # JSON Schema's `{enum: [a, b]}` takes a and b only (not null, unless listed): the plan says that with the
        # enum values' own type, since a plan's `any` with an enum also takes null.
        kinds = list(dict.fromkeys(json_type(value) for value in result["enum"]))
        if "number" in kinds and "integer" in kinds:
            kinds.remove("integer")
        result["type"] = kinds[0] if len(kinds) == 1 else kinds
    if "type" not in result:
        result["type"] = "any"
    return result


def _annotations(annotations: dict[str, Any], not_carried: dict[str, Any]) -> dict[str, Any]:
    """The `x-` keys a converted definition carries: the source's own (export writes the plan's back as they were)
    and NOT_CARRIED, the source keywords the plan format cannot say, added to any the source already kept."""
    out = dict(annotations)
    kept = out.get(NOT_CARRIED)
    if not_carried:
        out[NOT_CARRIED] = {**(kept if isinstance(kept, dict) else {}), **not_carried}
    return out


NOT_CARRIED = "x-json-schema"
"""Where a converted property keeps, verbatim, the keywords of its source schema the plan format cannot say: no
check reads them, and diff reports when they change, so that a change in them is never lost between two imports."""

_NOTES = frozenset({"description", "title", "$comment"})
"""Keywords that say nothing about the values: they may sit beside a combinator's branches."""


def _combined(schema: dict[str, Any], root: Any, plan: ImportedPlan, where: str) -> dict[str, Any]:
    """`anyOf` / `oneOf` / `allOf` said in the plan format where they can be, as JSON Schema generators write them:
    a nullable schema (`anyOf: [X, {type: null}]`, what pydantic writes for Optional[X]) is X with null added; a
    union of bare types is a list of types; `allOf` branches that constrain different keywords are merged. The
    others are left for the report."""
    result = dict(schema)
    for keyword in ("anyOf", "oneOf"):
        if keyword in result:
            branches = [_resolve(b, root, plan, where) for b in _as_list(result[keyword])]
            rest = {k: v for k, v in result.items() if k != keyword}
            result = _union(branches, rest, exclusive=keyword == "oneOf") or result
    if "allOf" in result:
        branches = [_resolve(b, root, plan, where) for b in _as_list(result["allOf"])]
        rest = {k: v for k, v in result.items() if k != "allOf"}
        said = [_meaning(b) for b in branches if isinstance(b, dict)] + [_meaning(rest)]
        if len(said) == len(branches) + 1 and sum(map(len, said)) == len(set().union(*said)):  # none said twice
            for branch in branches:
                rest.update({k: v for k, v in branch.items() if k not in _NOTES})
            result = rest
    return result


def _meaning(schema: dict[str, Any]) -> set[str]:
    """The keywords of a schema that constrain values."""
    return set(schema) - _NOTES


def _union(branches: list[Any], rest: dict[str, Any], exclusive: bool) -> dict[str, Any] | None:
    """The schema that `rest` with `anyOf` (`oneOf` when `exclusive`) of `branches` is, when the plan format can say
    it; else None."""
    if not branches or not all(isinstance(b, dict) for b in branches):
        return None
    others = [b for b in branches if {k: v for k, v in b.items() if k not in _NOTES} != {"type": "null"}]
    nullable = len(others) < len(branches)
    if len(others) == 1 and not _meaning(others[0]) & _meaning(rest):  # X, or X or null
        merged = {**others[0], **rest}
        if nullable and "type" in others[0]:
            merged["type"] = [*_as_list(others[0]["type"]), "null"]
        return merged
    kinds = [kind for b in others for kind in _as_list(b.get("type"))]
    bare = all(_meaning(b) == {"type"} for b in others) and "type" not in rest
    overlapping = len(set(kinds)) < len(kinds) or {"number", "integer"} <= set(kinds)  # oneOf would refuse some
    if not bare or (exclusive and overlapping):
        return None
    return {**rest, "type": list(dict.fromkeys([*kinds, *(["null"] if nullable else [])]))}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _keyword(schema: dict[str, Any], keyword: str, plan: ImportedPlan, where: str) -> Any:
    """A value keyword, when it has the shape our format takes; otherwise listed and left out."""
    value = schema.get(keyword)
    if value is None:
        return None
    if keyword == "examples" and not isinstance(value, list):
        value = [value]
    valid = {
        "enum": lambda v: isinstance(v, list) and bool(v) and all(_plain(i) for i in v),
        "pattern": lambda v: isinstance(v, str) and _compiles(v),
        "format": lambda v: isinstance(v, str),
        "description": lambda v: isinstance(v, str),
        "examples": lambda v: isinstance(v, list),
    }.get(keyword)
    if keyword in _NUMERIC:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    elif keyword in _COUNTS:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    else:
        ok = valid(value) if valid else True
    if not ok:
        plan.drop(where, f"{keyword} {str(value)[:40]!r}", "not a valid value for this keyword")
        return None
    if keyword == "description" and not str(value).strip():
        return None
    if keyword == "enum":
        value = list(dict.fromkeys(value))
    return value


def _plain(value: Any) -> bool:
    """A value an enum of the plan can hold: text, a finite number, true/false or null."""
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, str | int | bool)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def _resolve(schema: Any, root: Any, plan: ImportedPlan, where: str) -> Any:
    """Follow local `$ref`s (`#/definitions/x`, `#/$defs/x`); a remote or broken one is listed."""
    seen: set[str] = set()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref = schema["$ref"]
        if ref in seen:
            plan.drop(where, f"$ref {ref[:60]!r}", "refers back to itself; kept as any value")
            return {}
        seen.add(ref)
        target = _pointer(root, ref)
        if target is None:
            plan.drop(where, f"$ref {ref[:60]!r}", "only local references (#/...) that exist can be followed; "
                      "kept as any value")
            return {}
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **siblings} if isinstance(target, dict) else target
    return schema


def _pointer(root: Any, ref: str) -> Any:
    if not ref.startswith("#"):
        return None
    node = root
    for part in ref[1:].split("/")[1:] if ref != "#" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _detect_dictionary(result: dict[str, Any]) -> None:
    """An open object whose keys are data (form labels: `First Name`, `Phone number`), not names: three or more
    optional keys that share one schema, some of them not identifier-like. It becomes a dictionary (lint does not
    read its keys as property names), and stays as open as it was: its other keys take any value. Giving them
    the listed keys' schema tightened it: a null under another label became a violation."""
    props = result.get("properties") or {}
    if result.get("additional_properties") is not True or len(props) < 3:
        return
    shapes = {json.dumps(d, sort_keys=True) for d in props.values()}
    if len(shapes) == 1 and not any(d.get("required") for d in props.values()) and \
            any(_DATA_KEY.search(name) for name in props):
        result["additional_properties"] = {"type": "any"}


def _object(schema: dict[str, Any], plan: ImportedPlan, where: str, root: Any,
            depth: int) -> tuple[dict[str, dict[str, Any]], bool]:
    props = schema.get("properties")
    props = props if isinstance(props, dict) else {}
    required = schema.get("required")
    required = [r for r in required if isinstance(r, str)] if isinstance(required, list) else []
    result = {str(name): convert_schema(sub, plan, f"{where}.{name}", root, depth + 1) for name, sub in props.items()}
    for name in required:
        if name in result:
            result[name]["required"] = True
        else:
            plan.drop(where, f"required '{name[:60]}'", "listed as required but not defined")
    extra = schema.get("additionalProperties", True)
    return result, extra if isinstance(extra, bool) else True


_ROOT_KNOWN = frozenset({"properties", "required", "additionalProperties", "description", "deprecated"}) | _IGNORED
"""`deprecated` at an event's root comes with its status in x-tracking-plan, which says it."""


def properties_of(schema: Any, plan: ImportedPlan, where: str, root: Any = None,
                  kept: dict[str, Any] | None = None) -> tuple[dict[str, dict[str, Any]], bool | dict[str, Any] | None]:
    """The properties of an event's (or traits') object schema, `required` folded in, and whether it is open
    (JSON Schema's default: yes) or the schema its unlisted properties' values follow. Every keyword at its root
    that is not carried over is listed; `kept`, when given, receives the root's `x-` keys (with those keywords
    under NOT_CARRIED)."""
    root = schema if root is None else root
    schema = _resolve(schema, root, plan, where)
    if not isinstance(schema, dict):
        if schema is not None:
            plan.drop(where, "schema", "not a JSON Schema object")
        return {}, None
    kind = schema.get("type")
    if kind is not None and kind != "object" and not (isinstance(kind, list) and "object" in kind):
        plan.drop(where, f"root type {str(kind)[:40]!r}", "an event carries an object of properties")
    extra = schema.get("additionalProperties", True)
    values: dict[str, Any] | None = None
    if isinstance(extra, dict):
        values = convert_schema(extra, plan, f"{where}{{}}", root, 1)
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict) and len(patterns) == 1 and values is None:
        pattern, value_schema = next(iter(patterns.items()))
        values = convert_schema(value_schema, plan, f"{where}{{}}", root, 1)
        plan.drop(where, f"patternProperties key pattern {str(pattern)[:40]!r}",
                  "kept as the schema of every unlisted property's value; keys are not checked")
    elif patterns is not None:
        plan.drop(where, "patternProperties", "several key patterns cannot be said; kept as open")
    annotations = {str(k): v for k, v in schema.items() if str(k).startswith("x-") and k not in _IGNORED}
    not_carried = {}
    for keyword in sorted(set(schema) - _ROOT_KNOWN - {"type", "definitions", "$defs", "patternProperties"},
                          key=str):
        if keyword in annotations:
            continue
        plan.drop(where, str(keyword)[:60], "no equivalent at an event's root in the plan format" + (
            f"; kept as is under {NOT_CARRIED}" if kept is not None else ""))
        not_carried[str(keyword)] = schema[keyword]
    if kept is not None:
        kept.update(_annotations(annotations, not_carried))
    props, is_open = _object(schema, plan, where, root, 0)
    return props, values if values is not None else is_open


def _canonical(definition: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in definition.items() if k != "required"}, sort_keys=True)


IMPORT_MANIFEST = ".tracking-plan-import.json"
"""Written beside an imported plan: the files the import wrote, so that importing again replaces them."""


def earlier_import(out: Path) -> set[str] | None:
    """The files an earlier import wrote in `out`, or None when `out` holds no earlier import."""
    from tracking_plan.core.files import FileRefused, read_regular

    try:
        document = json.loads(read_regular(out / IMPORT_MANIFEST, 16 * 1024 * 1024))
    except (FileRefused, ValueError, RecursionError):
        return None
    files = document.get("files") if isinstance(document, dict) else None
    return {f for f in files if isinstance(f, str)} if isinstance(files, list) else None


def check_destination(out: Path, force: bool) -> set[str]:
    """What an import may replace in `out`: nothing in a new or empty folder, the files of an earlier import;
    any other folder with files is refused unless `force`. Returns the earlier import's files."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder.", "Pass a new folder with --out.")
    if out.is_symlink():
        raise UsageError(f"{out} is a symbolic link.", "Pass a real folder with --out.")
    previous = earlier_import(out) if out.is_dir() else None
    if previous is not None:
        return previous
    if out.is_dir() and any(out.iterdir()) and not force:
        what = "a plan" if (out / "tracking-plan.yaml").exists() else "files"
        raise UsageError(f"{out} already holds {what}, and not from an earlier import.",
                         "import never overwrites: choose a new or empty folder, or pass --force to write into it.")
    return set()


def write_plan(plan: ImportedPlan, out: Path, force: bool = False) -> list[Path]:
    """Write the plan directory in one step (see check_destination for where it may go)."""
    previous = check_destination(out, force)
    usage: dict[str, Counter[str]] = defaultdict(Counter)
    for event in plan.events:
        for name, definition in event.properties.items():
            usage[name][_canonical(definition)] += 1
    for name, definition in [*plan.traits.items(), *plan.global_properties.items()]:
        usage[name][_canonical(definition)] += 1
    # A property several events define alike becomes a library property, used by name.
    library: dict[str, dict[str, Any]] = {}
    for name, shapes in usage.items():
        shape, count = shapes.most_common(1)[0]
        if count >= 2:
            library[name] = json.loads(shape)

    open_events = [e.additional_properties is not False for e in plan.events if e.additional_properties is not None]
    default_open = Counter(open_events).most_common(1)[0][0] if open_events else False
    for event in plan.events:
        for definition in event.properties.values():
            _tidy(definition, default_open)
    for definition in [*plan.traits.values(), *plan.global_properties.values()]:
        _tidy(definition, default_open)
    for definition in library.values():
        _tidy(definition, default_open)
    for event in plan.events:
        if isinstance(event.additional_properties, dict):
            _tidy(event.additional_properties, default_open)

    def use(name: str, definition: dict[str, Any]) -> dict[str, Any] | None:
        if name in library and _canonical(definition) == json.dumps(library[name], sort_keys=True):
            return {"required": True} if definition.get("required") else None
        return definition

    files: dict[Path, Any] = {}
    root: dict[str, Any] = {"plan": plan.id, "version": plan.version}
    if plan.title:
        root["title"] = plan.title
    if plan.description:
        root["description"] = plan.description
    # What the events name, declared: the owners as squads, their platforms and destinations.
    for key, kind in (("squads", "owner"), ("platforms", "platforms"), ("destinations", "destinations")):
        used = sorted({name for e in plan.events for name in _as_list(e.metadata.get(kind, []))})
        if used:
            root[key] = {name: {} for name in used} if key == "squads" else used
    root.update(plan.settings)
    root["additional_properties"] = default_open
    if plan.traits:
        root["traits"] = {name: use(name, d) for name, d in plan.traits.items()}
    if plan.global_properties:
        root["global_properties"] = {name: use(name, d) for name, d in plan.global_properties.items()}
    files[out / "tracking-plan.yaml"] = root
    if library:
        files[out / "properties" / "library.yaml"] = {"properties": dict(sorted(library.items()))}
    groups: dict[str, dict[str, Any]] = defaultdict(dict)
    first_words = Counter(w[0] for e in plan.events if not e.group for w in [words(e.name)[:1]] if w)
    shared = {word for word, count in first_words.items() if count >= 2}
    for event in plan.events:
        entry: dict[str, Any] = {}
        if event.description:
            entry["description"] = event.description
        if event.tags:
            entry["tags"] = event.tags
        for key in ("owner", "status", "replaced_by", "trigger", "platforms", "destinations"):
            if key in event.metadata:
                entry[key] = event.metadata[key]
        entry.update(event.extensions)
        if event.additional_properties is not None and event.additional_properties != default_open:
            entry["additional_properties"] = event.additional_properties
        if event.properties:
            entry["properties"] = {name: use(name, d) for name, d in event.properties.items()}
        groups[_file_for(event, shared)][event.name] = entry or None
    for rel, events in sorted(groups.items()):
        files[out / "events" / rel] = {"events": events}
    rendered = {path.relative_to(out).as_posix(): yaml.dump(document, Dumper=_Dumper, sort_keys=False,
                                                            allow_unicode=True, width=110)
                for path, document in files.items()}
    rendered = _split_large(rendered)
    _check_loads(rendered, out)
    rendered[IMPORT_MANIFEST] = json.dumps({"generated_by": "tracking-plan import", "files": sorted(rendered)},
                                           indent=2) + "\n"
    replace_tree(out, rendered, previous - set(rendered))
    return [out / rel for rel in rendered if rel != IMPORT_MANIFEST]


def _check_loads(rendered: dict[str, str], out: Path) -> None:
    """An import writes a plan that loads, or nothing: the files are loaded in memory before any is written."""
    from tracking_plan.core.discover import load_parsed
    from tracking_plan.core.yamlsource import parse_yaml_text

    display = out.as_posix()
    loaded = load_parsed(display, {rel: parse_yaml_text(text, f"{display}/{rel}") for rel, text in rendered.items()})
    errors = [d for d in loaded.diagnostics if d.severity.value == "error"]
    if errors:
        shown = "; ".join(f"{d.location}: {d.message}" if d.location else d.message for d in errors[:3])
        raise UsageError(f"The imported plan would not load ({len(errors)} problem{'s' * (len(errors) != 1)}: "
                         f"{shown}). Nothing was written.",
                         "Report it with the source file: every import must write a plan that loads.")


_SPLIT_BYTES = 4 * 1024 * 1024
"""An events file larger than this is split: the loader reads plan files of at most 8 MiB."""


def _split_large(rendered: dict[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for rel, text in rendered.items():
        if len(text.encode("utf-8")) <= _SPLIT_BYTES or not rel.startswith("events/"):
            result[rel] = text
            continue
        events = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["events"]
        chunk: dict[str, Any] = {}
        size, part = 0, 1
        stem = rel.removesuffix(".yaml")
        for name, entry in events.items():
            piece = yaml.dump({name: entry}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
            if chunk and size + len(piece) > _SPLIT_BYTES:
                result[f"{stem}-{part}.yaml"] = yaml.dump({"events": chunk}, Dumper=_Dumper, sort_keys=False,
                                                          allow_unicode=True, width=110)
                chunk, size, part = {}, 0, part + 1
            chunk[name] = entry
            size += len(piece)
        result[f"{stem}-{part}.yaml"] = yaml.dump({"events": chunk}, Dumper=_Dumper, sort_keys=False,
                                                  allow_unicode=True, width=110)
    return result


def _tidy(definition: dict[str, Any], default_open: bool) -> None:
    """Leave out `additional_properties` where the loader derives the same value: an object that lists keys
    takes the plan-wide default, one that lists none is open."""
    extra = definition.get("additional_properties")
    if isinstance(extra, dict):
        _tidy(extra, default_open)
    elif extra is not None and extra == (default_open if definition.get("properties") else True):
        del definition["additional_properties"]
    for nested in (definition.get("properties") or {}).values():
        _tidy(nested, default_open)
    if isinstance(definition.get("items"), dict):
        _tidy(definition["items"], default_open)


def _slug(text: str) -> str:
    """A folder name from a label: its words, cut (with a hash to stay unique) well below file systems' 255 bytes."""
    slug = "_".join(words(text)) or "events"
    if len(slug.encode("utf-8")) > 80:
        slug = slug.encode("utf-8")[:60].decode("utf-8", "ignore") + "-" + hashlib.sha1(slug.encode()).hexdigest()[:8]
    return slug


def _file_for(event: ImportedEvent, shared_first_words: set[str]) -> str:
    """Events go in a folder per group; ungrouped ones in a file per first word when several share it
    (`order.yaml` for Order Completed and Order Refunded), else in events.yaml."""
    if event.group:
        return f"{_slug(event.group)}/events.yaml"
    first = words(event.name)[:1]
    return f"{first[0]}.yaml" if first and first[0] in shared_first_words and first[0] != "events" else "events.yaml"
