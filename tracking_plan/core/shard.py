"""Loading a large plan on two cores: a forked worker parses part of the files (WORKER_SHARE of the bytes) and builds
the events of those that define only events, while this process parses and builds the rest.

What crosses between the processes is small or already built: the worker hands back the files that define anything
but events as parsed YAML (the library, traits..., a small share of a plan), a list of event names for the others,
and then those events built; this process tells the worker which of its own files it needs to build them (the root
and the files defining the library), which the worker parses again. The plan and the findings are the ones one
process gives (`tests/test_loader.py` holds them equal).
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
import re
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from tracking_plan.core.diagnostics import Diagnostic, Location
from tracking_plan.core.files import FileRefused, is_within, read_regular
from tracking_plan.core.loader import BUILT_ELSEWHERE, ROOT_FILE, LoadResult, PlanBuilder, display_path
from tracking_plan.core.model import NO_CONSTRAINTS, Constraints, Event, FieldLocations, Property, Variant
from tracking_plan.core.yamlsource import MAX_FILE_BYTES, StartOfFile, YMap, decode, encode, read_yaml_file

Parsed = dict[str, tuple[Any, list[Diagnostic]]]

WORKER_SHARE = 0.43
"""The share of the plan's bytes the worker parses (and builds): measured on the 5,000-event benchmark plan, the two
processes then finish together."""


def load_sharded(root: Path, display: str, sources: dict[str, str], sizes: dict[str, int]) -> LoadResult | None:
    """The plan, loaded with a worker; None when the worker could not be used (the caller loads in one process)."""
    ordered = sorted((rel for rel in sources if rel != ROOT_FILE), key=lambda rel: -sizes[rel])
    # The worker takes a little less than half of the bytes: it also encodes the events it builds.
    total, theirs, mine = sum(sizes[rel] for rel in ordered), [], [ROOT_FILE] if ROOT_FILE in sources else []
    taken = 0
    for rel in ordered:
        if taken + sizes[rel] <= WORKER_SHARE * total:
            theirs.append(rel)
            taken += sizes[rel]
        else:
            mine.append(rel)
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    worker = context.Process(target=_work, args=(there, str(root), display, sources, theirs), daemon=True)
    worker.start()
    there.close()
    try:
        # What the worker needs of this process's files to build events, told before they are parsed: the root
        # and the files that look like they define library properties (checked once they are parsed).
        library = [rel for rel in mine if rel == ROOT_FILE or _looks_like_library(root / rel, root)]
        here.send_bytes(marshal.dumps(library))
        parsed: Parsed = {rel: read_yaml_file(root / rel, sources[rel], root) for rel in mine}
        if any(isinstance(parsed[rel][0], dict) and "properties" in parsed[rel][0] for rel in set(mine) - set(library)):
            return None  # a library written in a way the look-ahead missed: the worker's events may be wrong
        for rel, events_only, payload, raw in marshal.loads(here.recv_bytes()):
            parsed[rel] = (_stub(payload) if events_only else decode(payload), [Diagnostic.from_plain(d) for d in raw])

        def built() -> dict[tuple[str, str], tuple[Event | None, list[Diagnostic]]]:
            codec = _Codec(builder.library)
            return {(file, name): (None if event is None else codec.to_event(event),
                                   [Diagnostic.from_plain(d) for d in raw])
                    for file, name, event, raw in marshal.loads(here.recv_bytes())}

        by_display = {display_path(display, rel): parsed[rel] for rel in sources}
        diagnostics = [d for _, found in by_display.values() for d in found]
        builder = PlanBuilder(display, diagnostics)
        plan = builder.build(by_display, built)
    except (EOFError, OSError):  # the worker died (killed, out of memory): nothing it sent is used
        return None
    finally:
        here.close()
        worker.join()
    diagnostics.sort(key=lambda d: d.sort_key)
    return LoadResult(plan, tuple(diagnostics))


def _work(conn: Connection, root: str, display: str, sources: dict[str, str], theirs: list[str]) -> None:
    """In the worker: parse, hand over, then build the events of the files that define only events."""
    try:
        base = Path(root)
        parsed: Parsed = {rel: read_yaml_file(base / rel, sources[rel], base) for rel in theirs}
        conn.send_bytes(marshal.dumps([
            (rel, True, _names(value), [d.plain() for d in found]) if _events_only(value) else
            (rel, False, encode(value), [d.plain() for d in found]) for rel, (value, found) in parsed.items()]))
        for rel in marshal.loads(conn.recv_bytes()):
            parsed[rel] = read_yaml_file(base / rel, sources[rel], base)
        events_only = {display_path(display, rel) for rel in theirs if _events_only(parsed[rel][0])}
        by_display = {display_path(display, rel): parsed[rel] for rel in sources if rel in parsed}
        builder = PlanBuilder(display, [])
        built = builder.events_of(by_display, events_only)
        codec = _Codec(builder.library)
        conn.send_bytes(marshal.dumps([(file, name, None if event is None else codec.event(event),
                                        [d.plain() for d in found]) for (file, name), (event, found) in built.items()]))
    except (EOFError, OSError):
        pass
    finally:
        conn.close()
        os._exit(0)  # nothing of the parent's (atexit hooks, buffers) runs twice


_LIBRARY_KEY = re.compile(rb"""^(?:["']?properties["']?[ \t]*:|[{\[&*!%]|---)""", re.MULTILINE)


def _looks_like_library(path: Path, root: Path) -> bool:
    """Whether the file may define library properties: a top-level `properties:` key, or a file written in a way
    (flow style, anchors, tags, directives, documents) that a line scan cannot rule out. Read as the parse reads it
    (a regular file inside the plan, within the size limit); one that is not: yes (the parse reports it)."""
    if not is_within(path, root):
        return True
    try:
        return _LIBRARY_KEY.search(read_regular(path, MAX_FILE_BYTES)) is not None
    except FileRefused:
        return True


def _events_only(value: Any) -> bool:
    return isinstance(value, YMap) and len(value) == 1 and isinstance(value.get("events"), YMap)


def _names(value: YMap) -> tuple[Any, ...]:
    """What the other process needs of a file that defines only events: where it and each name are written."""
    events = value["events"]
    return ((value.pos.line, value.pos.column), (value.key_pos["events"].line, value.key_pos["events"].column),
            (events.pos.line, events.pos.column),
            [(name, events.key_pos[name].line, events.key_pos[name].column, events.value_pos[name].line,
              events.value_pos[name].column) for name in events])


def _stub(payload: Any) -> YMap:
    """The file as the other process sees it: the event names where they are written, each event to come."""
    (line, column), (key_line, key_column), (events_line, events_column), names = payload
    events = YMap(StartOfFile(events_line, events_column))
    for name, name_line, name_column, value_line, value_column in names:
        events[name] = BUILT_ELSEWHERE
        events.key_pos[name] = StartOfFile(name_line, name_column)
        events.value_pos[name] = StartOfFile(value_line, value_column)
    top = YMap(StartOfFile(line, column))
    top["events"] = events
    top.key_pos["events"] = StartOfFile(key_line, key_column)
    top.value_pos["events"] = StartOfFile(events_line, events_column)
    return top


# -- built events as plain data (what marshal writes and reads at C speed) -------------------------------------------
# Field by field rather than generically: the codec runs over tens of thousands of properties, and costs what
# building them costs when it is not written for them.

_NO_NAMES: frozenset[str] = frozenset()


class _Positions(FieldLocations):
    """Field positions as (line, column) pairs, as they came over: a Location is made only when one is asked for."""

    __slots__ = ()

    def get(self, field_name: str) -> Location | None:
        pos = self._positions.get(field_name)
        if pos is not None:
            return Location(self._file, pos[0] + 1, pos[1] + 1)
        return self._fallback.get(field_name) if self._fallback is not None else None


class _Codec:
    """Built events to plain data and back. A property based on a library one falls back to the library's
    positions: that part is sent as the library property's name, since both processes have built the library."""

    def __init__(self, library: Mapping[str, Property | None]) -> None:
        self.library = library

    def fields(self, fields: FieldLocations, ref: str | None = None) -> Any:
        positions: Mapping[str, Any] = fields._positions
        pairs = positions if isinstance(fields, _Positions) else {k: (p.line, p.column) for k, p in positions.items()}
        fallback = fields._fallback
        base = self.library.get(ref) if ref is not None else None
        return (fields._file, dict(pairs), None if fallback is None else ref
                if base is not None and fallback is base.fields else self.fields(fallback))

    def positions(self, raw: Any) -> FieldLocations:
        file, pairs, fallback = raw
        if fallback.__class__ is str:
            base = self.library[fallback]
            assert base is not None
            return _Positions(file, pairs, base.fields)
        return _Positions(file, pairs, None if fallback is None else self.positions(fallback))

    def property(self, p: Property) -> Any:
        loc = p.location
        return (p.name, (loc.file, loc.line, loc.column), p.type, p.description, p.required, p.pii, p.enum,
                None if p.constraints is NO_CONSTRAINTS else tuple(p.constraints),
                None if p.items is None else self.property(p.items), tuple(map(self.property, p.properties)),
                p.additional_properties, tuple(encode(v) for v in p.examples), p.deprecated, p.ref,
                tuple(p.lint_ignore), self.fields(p.fields, p.ref),
                None if p.values is None else self.property(p.values), p.extensions)

    def to_property(self, raw: Any) -> Property:
        (name, loc, kinds, description, required, pii, enum, constraints, items, props, extra, examples, deprecated,
         ref, ignore, fields, values, extensions) = raw
        return Property(name, Location(*loc), kinds, description, required, pii, enum,
                        NO_CONSTRAINTS if constraints is None else Constraints(*constraints),
                        None if items is None else self.to_property(items),
                        tuple(map(self.to_property, props)) if props else (), extra,
                        tuple(map(decode, examples)) if examples else (), deprecated, ref,
                        frozenset(ignore) if ignore else _NO_NAMES, self.positions(fields),
                        None if values is None else self.to_property(values), extensions)

    def event(self, e: Event) -> Any:
        loc = e.location
        return (e.name, (loc.file, loc.line, loc.column), e.description, e.trigger, e.owner, e.status,
                e.replaced_by, e.renamed_from, e.platforms, e.destinations, e.tags,
                tuple(map(self.property, e.properties)), e.additional_properties, tuple(e.lint_ignore),
                self.fields(e.fields), None if e.values is None else self.property(e.values), e.extensions,
                e.discriminator, tuple((v.value, (v.location.file, v.location.line, v.location.column),
                                        v.description, tuple(map(self.property, v.properties)), v.changed,
                                        self.fields(v.fields)) for v in e.variants))

    def to_event(self, raw: Any) -> Event:
        (name, loc, description, trigger, owner, status, replaced_by, renamed_from, platforms, destinations, tags,
         props, extra, ignore, fields, values, extensions, discriminator, variants) = raw
        return Event(name, Location(*loc), description, trigger, owner, status, replaced_by, renamed_from,
                     platforms, destinations, tags, tuple(map(self.to_property, props)), extra,
                     frozenset(ignore) if ignore else _NO_NAMES, self.positions(fields),
                     None if values is None else self.to_property(values), extensions, discriminator,
                     tuple(Variant(value, Location(*where), text, tuple(map(self.to_property, own)), changed,
                                   self.positions(positions))
                           for value, where, text, own, changed, positions in variants))
