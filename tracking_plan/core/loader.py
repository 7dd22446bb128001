"""Plan directory → one immutable Plan, with a diagnostic (file:line:column, message, hint) per problem.

Every file is parsed on its own, so one broken file does not hide the problems of the others.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from tracking_plan.core.diagnostics import Diagnostic, Location, Severity
from tracking_plan.core.model import (
    EMPTY_MAP,
    NO_CONSTRAINTS,
    Conventions,
    Event,
    FieldLocations,
    Metric,
    Objective,
    Plan,
    Property,
    Squad,
    Variant,
    json_type,
)
from tracking_plan.core.naming import did_you_mean
from tracking_plan.core.schema import Shape, shapes
from tracking_plan.core.yamlsource import START_OF_FILE, Position, YList, YMap, at

ROOT_FILE = "tracking-plan.yaml"
_SETTINGS_KEYS = ("lint", "diff", "generate", "destination_settings", "status", "automatic")

_CONSTRAINT_FIELDS = {
    "pattern": "pattern",
    "format": "format",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "exclusiveMaximum": "exclusive_maximum",
    "minLength": "min_length",
    "maxLength": "max_length",
    "minItems": "min_items",
    "maxItems": "max_items",
}
_PLAIN_PROPERTY_FIELDS = ("description", "required", "pii", "deprecated")
_NO_KEYS: frozenset[str] = frozenset()


def extensions(raw: YMap) -> tuple[tuple[str, str], ...]:
    """The `x-` keys of a mapping, each value as canonical JSON (sorted keys): what diff compares."""
    return tuple(sorted((key, json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))
                        for key, value in raw.items() if key.startswith("x-")))
MAX_DEPTH = 64
"""How deep properties may nest (objects, arrays, library refs): bounded so no input exhausts the stack."""


@dataclass(frozen=True)
class LoadResult:
    plan: Plan | None
    """None when the root file is missing its essentials or cannot be parsed."""
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.plan is not None and not any(d.severity is Severity.ERROR for d in self.diagnostics)


@contextmanager
def gc_paused(freeze: bool = True) -> Iterator[None]:
    """Pause the cyclic garbage collector while building the plan (or, without `freeze`, anything large and
    short-lived).

    Loading creates hundreds of thousands of objects and no reference cycles; without the pause
    the collector rescans the growing heap over and over, which more than doubles load time.
    Afterwards the objects are frozen (gc.freeze), so later collections skip them too.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:  # what was built lives until the command ends: out of the collector's sight for good
            gc.freeze()
        if was_enabled:
            gc.enable()


def display_path(display: str, rel: str) -> str:
    return rel if display == "." else f"{display}/{rel}"


def build_plan(display: str, parsed: Mapping[str, tuple[Any, list[Diagnostic]]],
               diagnostics: list[Diagnostic]) -> LoadResult:
    builder = PlanBuilder(display, diagnostics)
    plan = builder.build(parsed)
    diagnostics.sort(key=lambda d: d.sort_key)
    return LoadResult(plan, tuple(diagnostics))


def _item_ok(value: Any, choices: tuple[str, ...]) -> bool:
    return isinstance(value, str) and (not choices or value in choices)


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value!r} (not a finite number)"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text with a line break" if "\n" in value or "\r" in value else "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


_NOUNS = {"events": "Event", "properties": "Library property", "traits": "Trait", "identify": "Trait",
          "global_properties": "Global property", "objectives": "Objective", "metrics": "Metric", "pages": "Page",
          "screens": "Screen", "group": "Group trait"}
"""How a message names a definition of each section."""

BUILT_ELSEWHERE: Any = object()
"""The value of an event that another process builds (see shard.py): a placeholder in the events gathered here."""


class _Gathered(NamedTuple):
    root: YMap | None
    root_bad: frozenset[str]
    root_file: str
    events_raw: list[tuple[str, str, Any, YMap]]
    traits_raw: list[tuple[str, str, Any, YMap]]
    globals_raw: list[tuple[str, str, Any, YMap]]
    events_open: bool
    """The additional_properties default events are built with (False when the root file is not valid)."""


class PlanBuilder:
    def __init__(self, display: str, diagnostics: list[Diagnostic]) -> None:
        self.display = display
        self.diagnostics = diagnostics
        self.shapes = shapes()
        self.library_raw: dict[str, tuple[Any, str, YMap]] = {}
        self.default_open = False
        """The plan-wide additional_properties, which library objects that list keys take too."""
        self.depth = 0
        self.library: dict[str, Property | None] = {}
        self.resolving: set[str] = set()

    # -- reporting -------------------------------------------------------------------------------
    def error(self, rule: str, message: str, file: str, pos: Position, hint: str | None) -> None:
        self.diagnostics.append(Diagnostic(rule, Severity.ERROR, message, at(file, pos), hint))

    def check_settings(self, root: YMap, bad: frozenset[str], file: str) -> None:
        """The sections other commands read (`generate:`, `status:`), checked with the plan: lint then says what is
        wrong at its line, rather than the command that reads them, later."""
        jobs = root.get("generate")
        if "generate" not in bad and isinstance(jobs, YList):
            for index, job in enumerate(jobs):
                what = f"Generate entry {index + 1}"
                entry = self.expect_map(job, file, jobs.item_pos[index], what,
                                        "{target: typescript, out: ../web/src/tracking}")
                if entry is not None:
                    self.check_keys(entry, self.shapes["generateJob"], file, what)
        status = root.get("status")
        if "status" not in bad and isinstance(status, YMap):
            self.check_keys(status, self.shapes["statusSettings"], file, "The status section")

    def check_keys(self, raw: YMap, shape: Shape, file: str, what: str) -> frozenset[str]:
        """Report unknown keys and wrong value types; return the keys to ignore."""
        keys = shape.keys
        bad: set[str] | None = None
        for key, value in raw.items():
            expect = keys.get(key)
            if expect is None and shape.extensions and key.startswith("x-"):
                continue
            if expect is None:
                self.error("unknown-key", f"{what} has no key '{key}'.{did_you_mean(key, keys)}", file,
                           raw.key_pos[key], "Allowed keys: " + ", ".join(keys) + ".")
            elif value is None or expect.check(value):
                continue
            else:
                self.report_wrong_value(key, value, expect.description, expect.choices, raw, file, what)
            bad = bad or set()
            bad.add(key)
        for key in shape.required:
            if key not in raw:
                self.error("missing-key", f"{what} needs '{key}'.", file, raw.pos, f"Add '{key}:' to this file.")
        return frozenset(bad) if bad else _NO_KEYS

    def report_wrong_value(self, key: str, value: Any, description: str, choices: tuple[str, ...],
                           raw: YMap, file: str, what: str) -> None:
        if choices and isinstance(value, str):
            message = f"'{key}' of {what} must be {description}, not '{value}'.{did_you_mean(value, choices)}"
        elif isinstance(value, list) and description.startswith("a list"):
            index, wrong = next(((i, v) for i, v in enumerate(value, 1) if not _item_ok(v, choices)), (0, None))
            message = f"'{key}' of {what} must be {description}; item {index} is {_kind_of(wrong)}" + (
                f" ('{wrong}')." if isinstance(wrong, str) else ".")
        else:
            message = f"'{key}' of {what} must be {description}, but here it is {_kind_of(value)}."
        hint = "Put the value in quotes if it is meant as text." if description.startswith("text") \
            and not isinstance(value, list | dict) else f"Write {description} here."
        self.error("invalid-value", message, file, raw.value_pos[key], hint)

    def expect_map(self, value: Any, file: str, pos: Position, what: str, example: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.error("invalid-value", f"{what} must be a mapping, but here it is {_kind_of(value)}.", file, pos,
                   f"Write it as a mapping, for example: {example}")
        return None

    # -- plan ------------------------------------------------------------------------------------
    def gather(self, parsed: Mapping[str, tuple[Any, list[Diagnostic]]]) -> _Gathered:
        """Every file's named definitions (names already defined elsewhere reported), and the library resolved."""
        root_file = display_path(self.display, ROOT_FILE)
        root_raw = parsed.get(root_file, (None, []))[0]
        fragments = [(file, value) for file, (value, _) in parsed.items() if file != root_file]
        events_raw: list[tuple[str, str, Any, YMap]] = []
        traits_raw: list[tuple[str, str, Any, YMap]] = []
        globals_raw: list[tuple[str, str, Any, YMap]] = []
        seen: dict[str, dict[str, Location]] = {"events": {}, "properties": {}, "traits": {}, "global_properties": {},
                                                "objectives": {}, "metrics": {}, "pages": {}, "screens": {},
                                                "group": {}}
        self.objectives_raw: list[tuple[str, str, Any, YMap]] = []
        self.metrics_raw: list[tuple[str, str, Any, YMap]] = []
        self.pages_raw: list[tuple[str, str, Any, YMap]] = []
        self.screens_raw: list[tuple[str, str, Any, YMap]] = []
        self.group_raw: list[tuple[str, str, Any, YMap]] = []

        root = None
        root_bad = _NO_KEYS
        if root_raw is not None or not parsed.get(root_file, (None, []))[1]:
            root = self.expect_map(root_raw, root_file, START_OF_FILE, ROOT_FILE, "{plan: my-plan, version: 1.0.0}")
        if root is not None:
            root_bad = self.check_keys(root, self.shapes["root"], root_file, ROOT_FILE)
            self.check_settings(root, root_bad, root_file)
            self.collect(root, root_bad, root_file, seen, events_raw, traits_raw, globals_raw)
        for file, value in fragments:
            if value is None:
                continue
            raw = self.expect_map(value, file, START_OF_FILE, "A plan file", "events: {Order Completed: {...}}")
            if raw is None:
                continue
            bad = self.check_keys(raw, self.shapes["fragment"], file, "A plan file")
            self.collect(raw, bad, file, seen, events_raw, traits_raw, globals_raw)

        self.default_open = bool(self.get(root, "additional_properties", root_bad, False)) if root is not None \
            else False
        for name in self.library_raw:
            self.resolve_library(name)
        valid = root is not None and "plan" in root and "version" in root
        return _Gathered(root, root_bad, root_file, events_raw, traits_raw, globals_raw,
                         self.default_open if valid else False)

    def events_of(self, parsed: Mapping[str, tuple[Any, list[Diagnostic]]],
                  files: set[str]) -> dict[tuple[str, str], tuple[Event | None, list[Diagnostic]]]:
        """The events defined in `files`, built as build() builds them, each with the findings of building it:
        what a worker process hands over (see shard.py). `parsed` needs every file defining anything else."""
        gathered = self.gather(parsed)
        out = {}
        for item in gathered.events_raw:
            if item[1] in files:
                start = len(self.diagnostics)
                event = self.event(*item, default_open=gathered.events_open)
                out[(item[1], item[0])] = (event, self.diagnostics[start:])
        return out

    def build(self, parsed: Mapping[str, tuple[Any, list[Diagnostic]]],
              built: Callable[[], Mapping[tuple[str, str], tuple[Event | None, list[Diagnostic]]]] | None = None,
              ) -> Plan | None:
        """The plan. `built`, when given, returns the events another process built (by file and name, with the
        findings of building each), which `parsed` holds as BUILT_ELSEWHERE; it is called once this process has
        built its own."""
        root, root_bad, root_file, events_raw, traits_raw, globals_raw, events_open = self.gather(parsed)
        default_open = self.default_open
        built_here = {(item[1], item[0]): self.event(*item, default_open=events_open)
                      for item in events_raw if item[2] is not BUILT_ELSEWHERE}
        if built is not None:
            elsewhere = built()
            for name, file, value, _ in events_raw:
                if value is BUILT_ELSEWHERE:
                    built_here[(file, name)], findings = elsewhere[(file, name)]
                    self.diagnostics.extend(findings)
        if root is None or "plan" not in root or "version" not in root:
            return None

        events = {}
        for name, file, _, _ in events_raw:
            event = built_here[(file, name)]
            if event is not None:
                events[event.name] = event
        conventions_raw = self.get(root, "conventions", root_bad, None)
        conventions = Conventions(
            **{k: v for k, v in (conventions_raw or {}).items() if k in Conventions._fields and isinstance(v, str)})
        return Plan(
            id=str(root.get("plan")) if "plan" not in root_bad else "",
            version=str(root.get("version")) if "version" not in root_bad else "0.0.0",
            root=self.display,
            location=Location(root_file, 1, 1),
            title=self.get(root, "title", root_bad, None),
            description=self.get(root, "description", root_bad, None),
            conventions=conventions,
            squads=MappingProxyType(self.squads(root, root_bad, root_file)),
            platforms=self.names(root, "platforms", root_bad),
            destinations=self.names(root, "destinations", root_bad),
            pii_destinations=self.names(root, "pii_destinations", root_bad),
            traits_destinations=self.names(root, "traits_destinations", root_bad)
            if "traits_destinations" in root and "traits_destinations" not in root_bad else None,
            additional_properties=default_open,
            compatibility=self.get(root, "compatibility", root_bad, "full"),
            library=MappingProxyType({k: v for k, v in self.library.items() if v is not None}),
            events=MappingProxyType(events),
            objectives=MappingProxyType({o.name: o for o in map(self.objective, self.objectives_raw) if o}),
            metrics=MappingProxyType({m.name: m for m in map(self.metric, self.metrics_raw) if m}),
            traits=self.property_list(traits_raw, default_open),
            global_properties=self.property_list(globals_raw, default_open),
            pages=MappingProxyType(self.calls(self.pages_raw, "Page", events_open)),
            screens=MappingProxyType(self.calls(self.screens_raw, "Screen", events_open)),
            group_traits=self.property_list(self.group_raw, default_open),
            alias=self.get(root, "alias", root_bad, False) is True,
            settings=MappingProxyType({k: root[k] for k in _SETTINGS_KEYS if k in root and k not in root_bad}),
            files=tuple(parsed),
            fields=FieldLocations(root_file, root.value_pos),
        )

    @staticmethod
    def get(raw: YMap, key: str, bad: frozenset[str], default: Any) -> Any:
        if key in bad:
            return default
        value = raw.get(key)
        return default if value is None else value

    def names(self, raw: YMap, key: str, bad: frozenset[str]) -> tuple[str, ...]:
        value = self.get(raw, key, bad, ())
        return (value,) if isinstance(value, str) else tuple(value)

    def collect(self, raw: YMap, bad: frozenset[str], file: str, seen: dict[str, dict[str, Location]],
                events: list[tuple[str, str, Any, YMap]], traits: list[tuple[str, str, Any, YMap]],
                globals_: list[tuple[str, str, Any, YMap]]) -> None:
        """Gather named definitions from one file, reporting names already defined elsewhere."""
        targets: dict[str, list[tuple[str, str, Any, YMap]] | None] = {
            "events": events, "properties": None, "traits": traits, "identify": traits, "global_properties": globals_,
            "objectives": self.objectives_raw, "metrics": self.metrics_raw, "pages": self.pages_raw,
            "screens": self.screens_raw, "group": self.group_raw}
        for section, target in targets.items():
            if section in bad:
                continue
            mapping = raw.get(section)
            if mapping is None:
                continue
            first = seen["traits" if section == "identify" else section]  # identify: is another spelling of traits:
            noun = _NOUNS[section]
            for name, value in mapping.items():
                pos = mapping.key_pos[name]
                if not name.strip():
                    self.error("invalid-name", f"{noun} names cannot be empty.", file, pos, "Give it a name.")
                    continue
                if name in first:
                    where = first[name]
                    self.error("duplicate-definition", f"{noun} '{name}' is already defined at {where}.", file, pos,
                               "Keep one definition: remove or rename this one.")
                    continue
                first[name] = at(file, pos)
                if target is None:
                    self.library_raw[name] = (value, file, mapping)
                else:
                    target.append((name, file, value, mapping))

    def squads(self, root: YMap, bad: frozenset[str], file: str) -> dict[str, Squad]:
        raw = self.get(root, "squads", bad, None)
        result: dict[str, Squad] = {}
        if raw is None:
            return result
        for name, value in raw.items():
            pos = raw.key_pos[name]
            location = at(file, pos)
            if value is None:
                result[name] = Squad(name, location)
                continue
            squad = self.expect_map(value, file, raw.value_pos[name], f"Squad '{name}'",
                                    "{description: ..., contact: '#channel'}")
            if squad is None:
                continue
            sbad = self.check_keys(squad, self.shapes["squad"], file, f"Squad '{name}'")
            result[name] = Squad(name, location, self.get(squad, "description", sbad, None),
                                 self.get(squad, "contact", sbad, None), self.names(squad, "members", sbad))
        return result

    # -- objectives and metrics ------------------------------------------------------------------
    def definition(self, item: tuple[str, str, Any, YMap], kind: str,
                   example: str) -> tuple[Location, YMap | None, frozenset[str]] | None:
        """Where a named objective or metric is, its mapping (None when written bare) and its bad keys; None when
        it is not a mapping (reported)."""
        name, file, value, parent = item
        location = at(file, parent.key_pos[name])
        if value is None:
            return location, None, _NO_KEYS
        raw = self.expect_map(value, file, parent.value_pos[name], f"{kind.title()} '{name}'", example)
        if raw is None:
            return None
        return location, raw, self.check_keys(raw, self.shapes[kind], file, f"{kind.title()} '{name}'")

    def objective(self, item: tuple[str, str, Any, YMap]) -> Objective | None:
        found = self.definition(item, "objective", "{description: ..., owner: ...}")
        if found is None:
            return None
        (name, file, _, _), (location, raw, bad) = item, found
        if raw is None:
            return Objective(name, location)
        return Objective(name, location, self.get(raw, "description", bad, None), self.get(raw, "owner", bad, None),
                         FieldLocations(file, raw.value_pos))

    def metric(self, item: tuple[str, str, Any, YMap]) -> Metric | None:
        found = self.definition(item, "metric", "{type: count, event: Order Completed, objective: ...}")
        if found is None:
            return None
        (name, file, _, _), (location, raw, bad) = item, found
        if raw is None:
            return Metric(name, location)
        get = self.get
        filters = get(raw, "filter", bad, None)
        return Metric(
            name, location, get(raw, "type", bad, "count"), get(raw, "description", bad, None),
            get(raw, "owner", bad, None), get(raw, "objective", bad, None), get(raw, "event", bad, None),
            self.names(raw, "steps", bad), get(raw, "window", bad, None), get(raw, "property", bad, None),
            MappingProxyType({str(k): tuple(v) for k, v in filters.items() if isinstance(v, list)})
            if isinstance(filters, dict) else EMPTY_MAP,
            FieldLocations(file, raw.value_pos))

    # -- events ----------------------------------------------------------------------------------
    def calls(self, items: list[tuple[str, str, Any, YMap]], noun: str, default_open: bool) -> dict[str, Event]:
        """Pages or screens, each described as an event is."""
        built = (self.event(*item, default_open=default_open, noun=noun) for item in items)
        return {call.name: call for call in built if call is not None}

    def event(self, name: str, file: str, value: Any, parent: YMap, default_open: bool,
              noun: str = "Event") -> Event | None:
        pos = parent.key_pos[name]
        location = at(file, pos)
        if value is None:
            return Event(name, location, additional_properties=default_open)
        raw = self.expect_map(value, file, parent.value_pos[name], f"{noun} '{name}'",
                              "{description: ..., owner: ..., properties: {...}}")
        if raw is None:
            return None
        bad = self.check_keys(raw, self.shapes["event"], file, f"{noun} '{name}'")
        get = self.get
        extra = get(raw, "additional_properties", bad, default_open)
        is_open = extra if isinstance(extra, bool) else True
        values = self.property("additional_properties", extra, file, raw, default_open) \
            if isinstance(extra, YMap) and ("type" in extra or "ref" in extra) else None
        props = get(raw, "properties", bad, None)
        properties = self.property_map(props, file, default_open) if props else ()
        variants = get(raw, "variants", bad, None)
        discriminator: str | None = None
        cases: tuple[Variant, ...] = ()
        if variants is not None:
            if noun != "Event":
                self.error("invalid-value", f"{noun} '{name}' has variants: only track events have them.", file,
                           raw.key_pos["variants"], "Describe each version as its own page or screen.")
            else:
                discriminator, cases = self.variants(name, variants, properties, file, default_open)
        return Event(
            name,
            location,
            get(raw, "description", bad, None),
            get(raw, "trigger", bad, None),
            get(raw, "owner", bad, None),
            get(raw, "status", bad, "active"),
            get(raw, "replaced_by", bad, None),
            self.names(raw, "renamed_from", bad),
            self.names(raw, "platforms", bad),
            self.names(raw, "destinations", bad),
            self.names(raw, "tags", bad),
            properties,
            is_open,
            frozenset(self.names(raw, "lint_ignore", bad)),
            FieldLocations(file, raw.value_pos),
            values,
            extensions(raw),
            discriminator,
            cases,
        )

    def variants(self, event: str, raw: YMap, properties: tuple[Property, ...], file: str,
                 default_open: bool) -> tuple[str | None, tuple[Variant, ...]]:
        """An event's `variants:`: its discriminator, which must be one of its own required text properties, and
        each case, whose properties change the event's own (only the fields written) or add new ones."""
        bad = self.check_keys(raw, self.shapes["variants"], file, f"The variants of '{event}'")
        on = raw.get("discriminator") if "discriminator" not in bad else None
        cases = raw.get("cases") if "cases" not in bad else None
        if not isinstance(on, str) or not isinstance(cases, YMap):
            return None, ()
        own = {p.name: p for p in properties}
        prop = own.get(on)
        if prop is None or prop.value_types != ("string",) or not prop.required or prop.nullable:
            what = "is not one of its properties" if prop is None else "is not a required text property"
            guess = did_you_mean(on, own) if prop is None else ""
            self.error("invalid-value", f"The discriminator '{on}' of '{event}' {what}.{guess}",
                       file, raw.value_pos["discriminator"],
                       "Name one of the event's own properties with type: string and required: true: its value "
                       "picks the variant.")
            return None, ()
        result = []
        for value, case in cases.items():
            pos = cases.key_pos[value]
            if not isinstance(value, str) or not value:
                self.error("invalid-value", f"Variant {value!r} of '{event}' is not text: '{on}' is a text "
                           "property.", file, pos, f"Quote it: '{value}':")
                continue
            if prop.enum is not None and value not in prop.enum:
                self.error("invalid-value", f"Variant '{value}' of '{event}' is not one of the values '{on}' allows."
                           f"{did_you_mean(value, [v for v in prop.enum if isinstance(v, str)])}", file, pos,
                           f"Use one of its enum values: {', '.join(map(str, prop.enum))}.")
                continue
            body = YMap(pos) if case is None else self.expect_map(
                case, file, cases.value_pos[value], f"Variant '{value}' of '{event}'",
                "{description: ..., properties: {...}}")
            if body is None:
                continue
            case_bad = self.check_keys(body, self.shapes["variant"], file, f"Variant '{value}' of '{event}'")
            written = body.get("properties") if "properties" not in case_bad else None
            changes = written if isinstance(written, YMap) else YMap(pos)
            changed: dict[str, Property] = {}
            for prop_name, change in changes.items():
                if prop_name == on:
                    self.error("invalid-value", f"Variant '{value}' of '{event}' changes its discriminator "
                               f"'{on}'.", file, changes.key_pos[prop_name],
                               "The discriminator is the same in every variant: drop it from the case.")
                    continue
                built = self.changed_property(own.get(prop_name), prop_name, change, file, changes, default_open)
                if built is not None:
                    changed[prop_name] = built
            effective = tuple(changed.get(p.name, p) for p in properties) + tuple(
                p for n, p in changed.items() if n not in own)
            result.append(Variant(value, at(file, pos), self.get(body, "description", case_bad, None), effective,
                                  tuple(changed), FieldLocations(file, body.value_pos)))
        return on, tuple(result)

    def changed_property(self, base: Property | None, name: str, value: Any, file: str, parent: YMap,
                         default_open: bool) -> Property | None:
        """A variant's property: a new one, or the event's own with the fields the case writes (its constraints
        merged into the event's, as a library property's are)."""
        if base is None:
            return self.property(name, value, file, parent, default_open)
        raw = YMap(parent.key_pos[name]) if value is None else self.expect_map(
            value, file, parent.value_pos[name], f"Property '{name}'", "{required: true}")
        if raw is None:
            return None
        bad = self.check_keys(raw, self.shapes["property"], file, f"Property '{name}'") if raw else _NO_KEYS
        fields = self.property_fields(raw, bad, file, default_open)
        if "constraints" in fields:
            fields["constraints"] = base.constraints._replace(
                **{k: v for k, v in fields["constraints"]._asdict().items() if v is not None})
        return self.checked(base._replace(location=at(file, parent.key_pos[name]),
                                          fields=FieldLocations(file, raw.value_pos, base.fields), **fields))

    # -- properties ------------------------------------------------------------------------------
    def property_list(self, items: list[tuple[str, str, Any, YMap]], default_open: bool) -> tuple[Property, ...]:
        result = []
        for name, file, value, parent in items:
            prop = self.property(name, value, file, parent, default_open)
            if prop is not None:
                result.append(prop)
        return tuple(result)

    def property_map(self, raw: YMap, file: str, default_open: bool) -> tuple[Property, ...]:
        result = []
        for name, value in raw.items():
            prop = self.property(name, value, file, raw, default_open)
            if prop is not None:
                result.append(prop)
        return tuple(result)

    def resolve_library(self, name: str) -> Property | None:
        if name in self.library:
            return self.library[name]
        value, file, parent = self.library_raw[name]
        self.resolving.add(name)
        prop = self.property(name, value, file, parent, self.default_open, in_library=True)
        self.resolving.discard(name)
        self.library[name] = prop
        return prop

    def property(self, name: str, value: Any, file: str, parent: YMap, default_open: bool,
                 in_library: bool = False) -> Property | None:
        """One property, its nested ones and the library ones it refers to, at most MAX_DEPTH deep."""
        if self.depth >= MAX_DEPTH:
            self.error("invalid-value", f"Property '{name}' is nested (or refers through the library) more than "
                       f"{MAX_DEPTH} levels deep.", file, parent.key_pos[name],
                       "Flatten the structure: no event needs so deep a payload.")
            return None
        self.depth += 1
        try:
            return self._property(name, value, file, parent, default_open, in_library)
        finally:
            self.depth -= 1

    def _property(self, name: str, value: Any, file: str, parent: YMap, default_open: bool,
                  in_library: bool) -> Property | None:
        pos = parent.key_pos[name]
        location = at(file, pos)
        raw = YMap(pos) if value is None else self.expect_map(
            value, file, parent.value_pos[name], f"Property '{name}'", "{type: string, description: ...}")
        if raw is None:
            return None
        bad = self.check_keys(raw, self.shapes["property"], file, f"Property '{name}'") if raw else _NO_KEYS
        ref = raw.get("ref") if "ref" not in bad else None
        if ref is None and "type" not in raw:
            ref = name
            implicit = True
        else:
            implicit = False
        fields = self.property_fields(raw, bad, file, default_open)
        if ref is None:
            return self.checked(Property(name, location, fields=FieldLocations(file, raw.value_pos), **fields))
        base = self.library_base(ref, implicit, name, in_library, file, raw, pos)
        if base is None:
            return None
        if "constraints" in fields:
            fields["constraints"] = base.constraints._replace(
                **{k: v for k, v in fields["constraints"]._asdict().items() if v is not None})
        return self.checked(base._replace(name=name, location=location, ref=ref,
                                          fields=FieldLocations(file, raw.value_pos, base.fields), **fields))

    def checked(self, prop: Property) -> Property:
        """Enum values must have the property's type: `{type: number, enum: ["", 0]}` can never hold "", and
        no generated code can say it. (null is always allowed: it makes the property nullable.)"""
        if prop.enum is None or not prop.type:
            return prop
        kinds = set(prop.type)
        wrong = [v for v in prop.enum if v is not None and json_type(v) not in kinds
                 and not (json_type(v) == "integer" and "number" in kinds)
                 and not (json_type(v) == "number" and "integer" in kinds and float(v).is_integer())]
        if wrong:
            self.diagnostics.append(Diagnostic(
                "invalid-value", Severity.ERROR, f"Property '{prop.name}' is of type {'/'.join(prop.type)}, but its "
                f"enum lists {wrong[0]!r}, which is not.", prop.where("enum"),
                "Make every enum value of the property's type, or widen the type."))
            return prop._replace(enum=tuple(v for v in prop.enum if v not in wrong) or None)
        return prop

    def library_base(self, ref: str, implicit: bool, name: str, in_library: bool, file: str, raw: YMap,
                     pos: Position) -> Property | None:
        if ref in self.library_raw and ref not in self.resolving:
            base = self.resolve_library(ref)
            return base
        if ref in self.resolving:
            if implicit and ref == name and in_library:
                self.error("missing-type", f"Library property '{name}' has no type.", file, pos,
                           "Add a type, for example 'type: string'.")
            else:
                self.error("unresolved-ref", f"Property '{name}' refers to '{ref}', which refers back to it.",
                           file, raw.value_pos.get("ref", pos), "Give one of them a type instead of a ref.")
            return None
        if implicit:
            message = (f"Property '{name}' has no type, and the library defines no property '{name}'."
                       f"{did_you_mean(name, self.library_raw)}")
            hint = (f"Give it a type (type: string, number...), point it at a library property with 'ref:', "
                    f"or define '{name}' in properties/.")
            self.error("unresolved-ref", message, file, pos, hint)
        else:
            self.error("unresolved-ref",
                       f"Property '{name}' refers to '{ref}', which the library does not define."
                       f"{did_you_mean(ref, self.library_raw)}",
                       file, raw.value_pos["ref"], "Define it in properties/ or fix the name.")
        return None

    def plain_enum(self, values: YList, file: str) -> bool:
        """Enum values are text, whole or finite numbers, true/false or null: what every target can spell."""
        for index, item in enumerate(values):
            if isinstance(item, dict | list) or (isinstance(item, float) and not math.isfinite(item)):
                self.error("invalid-value", f"An enum value must be text, a number, true/false or null, not "
                           f"{_kind_of(item)}.", file,
                           values.item_pos[index], "Write each allowed value as a plain scalar.")
                return False
        return True

    def property_fields(self, raw: YMap, bad: frozenset[str], file: str, default_open: bool) -> dict[str, Any]:
        """The Property fields written in this definition (the rest comes from defaults or the library)."""
        fields: dict[str, Any] = {}
        if not raw:
            return fields
        for key in _PLAIN_PROPERTY_FIELDS:
            value = raw.get(key)
            if value is not None and key not in bad:
                fields[key] = value
        kind = raw.get("type")
        if kind is not None and "type" not in bad:
            kinds = (kind,) if isinstance(kind, str) else tuple(kind)
            fields["type"] = () if "any" in kinds else kinds
        extra = raw.get("additional_properties")
        if extra is not None and "additional_properties" not in bad:
            fields["additional_properties"] = extra if isinstance(extra, bool) else True
            if isinstance(extra, YMap) and ("type" in extra or "ref" in extra):
                fields["values"] = self.property("additional_properties", extra, file, raw, default_open)
        for key, converter in (("enum", tuple), ("examples", tuple), ("lint_ignore", frozenset)):
            value = raw.get(key)
            if value is not None and key not in bad:
                if key == "enum" and not self.plain_enum(value, file):
                    continue
                fields[key] = converter(value)
        constraints = {_CONSTRAINT_FIELDS[k]: raw[k] for k in raw.keys() & _CONSTRAINT_FIELDS.keys()
                       if k not in bad and raw[k] is not None}
        if constraints:
            fields["constraints"] = NO_CONSTRAINTS._replace(**constraints)
        items = raw.get("items")
        if items is not None and "items" not in bad:
            holder = YMap(raw.pos)
            holder["items"] = items
            holder.key_pos["items"] = raw.key_pos["items"]
            holder.value_pos["items"] = raw.value_pos["items"]
            fields["items"] = self.property("items", items, file, holder, default_open)
        nested = raw.get("properties")
        if nested is not None and "properties" not in bad:
            fields["properties"] = self.property_map(nested, file, default_open)
            fields.setdefault("additional_properties", default_open)
        if any(key.startswith("x-") for key in raw):
            fields["extensions"] = extensions(raw)
        return fields
