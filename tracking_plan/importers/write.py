"""Writing an imported plan as a plan directory in one step: a shared library for properties several events
define alike, a folder per label or owner, the manifest that lets an import be replaced."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.files import FileRefused, read_regular
from tracking_plan.core.naming import words
from tracking_plan.importers.convert import as_list
from tracking_plan.importers.model import ImportedEvent, ImportedPlan, canonical
from tracking_plan.output.fileio import replace_tree

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter: a 5,000-event plan in seconds
IMPORT_MANIFEST = ".tracking-plan-import.json"
"""Written beside an imported plan: the files the import wrote, so that importing again replaces them."""


def earlier_import(out: Path) -> set[str] | None:
    """The files an earlier import wrote in `out`, or None when `out` holds no earlier import."""

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


def write_plan(plan: ImportedPlan, out: Path, force: bool = False, extra: dict[str, str] | None = None) -> list[Path]:
    """Write the plan directory in one step (see check_destination for where it may go), with `extra` files beside
    it (a report)."""
    previous = check_destination(out, force)
    usage: dict[str, Counter[str]] = defaultdict(Counter)
    for event in plan.events:
        for name, definition in event.properties.items():
            usage[name][canonical(definition)] += 1
    for name, definition in [*plan.traits.items(), *plan.global_properties.items(), *plan.group_traits.items()]:
        usage[name][canonical(definition)] += 1
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
    call_props = [prop for section in plan.calls.values() for entry in section.values()
                  for prop in entry.get("properties", {}).values()]
    for definition in [*plan.traits.values(), *plan.global_properties.values(), *plan.group_traits.values(),
                       *call_props]:
        _tidy(definition, default_open)
    for definition in library.values():
        _tidy(definition, default_open)
    for event in plan.events:
        if isinstance(event.additional_properties, dict):
            _tidy(event.additional_properties, default_open)

    def use(name: str, definition: dict[str, Any]) -> dict[str, Any] | None:
        if name in library and canonical(definition) == json.dumps(library[name], sort_keys=True):
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
        used = sorted({name for e in plan.events for name in as_list(e.metadata.get(kind, []))})
        if used:
            root[key] = {name: {} for name in used} if key == "squads" else used
    root.update(plan.settings)
    root["additional_properties"] = default_open
    if plan.traits:
        root["traits"] = {name: use(name, d) for name, d in plan.traits.items()}
    if plan.group_traits:
        root["group"] = {name: use(name, d) for name, d in plan.group_traits.items()}
    if plan.global_properties:
        root["global_properties"] = {name: use(name, d) for name, d in plan.global_properties.items()}
    files[out / "tracking-plan.yaml"] = root
    calls = {section: {name: ({**entry, "properties": {n: use(n, d) for n, d in entry["properties"].items()}}
                              if "properties" in entry else entry) or None for name, entry in described.items()}
             for section, described in plan.calls.items() if described}
    if calls:
        files[out / "events" / "pages-and-screens.yaml"] = calls
    if library:
        files[out / "properties" / "library.yaml"] = {"properties": dict(sorted(library.items()))}
    groups: dict[str, dict[str, Any]] = defaultdict(dict)
    first_words = Counter(w[0] for e in plan.events if not e.group for w in [words(e.name)[:1]] if w)
    shared = {word for word, count in first_words.items() if count >= 2}
    for event in plan.events:
        groups[_file_for(event, shared)][event.name] = _event_entry(event, use, default_open)
    for rel, events in sorted(groups.items()):
        files[out / "events" / rel] = {"events": events}
    rendered = _rendered(files, out)
    _check_loads(rendered, out)
    rendered.update(extra or {})
    return _replace(out, rendered, previous)


def write_fragment(plan: ImportedPlan, out: Path, rel: str, default_open: bool, force: bool = False) -> list[Path]:
    """The plan's events, pages and screens, every property defined in place, as one plan file `rel` (more if it
    is large) in `out`: files to add to an existing plan, never replacing one of its own (`infer --against`)."""
    previous = check_destination(out, force)
    document: dict[str, Any] = {}
    for section, described in plan.calls.items():
        if described:
            document[section] = {name: entry or None for name, entry in described.items()}
    if plan.events:
        document["events"] = {e.name: _event_entry(e, lambda _, d: d, default_open) for e in plan.events}
    rendered = _rendered({out / rel: document}, out)
    root = yaml.dump({"plan": "check", "version": "0.1.0", "additional_properties": default_open}, Dumper=_Dumper)
    _check_loads({"tracking-plan.yaml": root, **rendered}, out)
    return _replace(out, rendered, previous)


def _event_entry(event: ImportedEvent, use: Callable[[str, dict[str, Any]], dict[str, Any] | None],
                 default_open: bool) -> dict[str, Any] | None:
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
    if event.variants:
        entry["variants"] = event.variants
    return entry or None


def _rendered(files: dict[Path, Any], out: Path) -> dict[str, str]:
    return _split_large({path.relative_to(out).as_posix(): yaml.dump(document, Dumper=_Dumper, sort_keys=False,
                                                                     allow_unicode=True, width=110)
                         for path, document in files.items()})


def _replace(out: Path, rendered: dict[str, str], previous: set[str]) -> list[Path]:
    """All files at once, with the list of them (see `earlier_import`)."""
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


def imported_summary(plan: ImportedPlan, written: list[Path], out: Path) -> list[str]:
    """What `import` says once it has written: what came in, what could not, and the next step."""
    def counted(count: int, word: str) -> str:
        return f"{count} {word}" + ("" if count == 1 else "s")

    lines = [f"Imported {counted(len(plan.events), 'event')} and {counted(len(plan.traits), 'trait')} into {out} "
             f"({counted(len(written), 'file')})."]
    if plan.dropped:
        lines.append(f"Not carried over ({len(plan.dropped)}):")
        lines.extend(f"  {item.where}: {item.what} — {item.why}" for item in plan.dropped)
    return [*lines, f"Next: tracking-plan lint {out}"]
