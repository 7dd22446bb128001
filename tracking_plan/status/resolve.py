"""The plan against the facts of the source: each call becomes a sighting of a planned event, or a finding.

A tracker call is matched by its method, named as `generate` names it for the file's language. An SDK call is
matched by the name the vendor receives, through the plan's name transforms for that destination (a Firebase
`logEvent("order_completed")` is the plan's "Order Completed"). Wrappers are found across the files of one
language: a function passing its parameter on as an SDK's event name is a wrapper, so is one passing its
parameter on to a wrapper, and each call of a wrapper with a literal name is a sighting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from tracking_plan.core.destinations import DEFAULTS, Profile, profiles
from tracking_plan.core.model import UNNAMED, Event, Plan, Property, carried_properties
from tracking_plan.core.naming import closest_name
from tracking_plan.shapes.messages import NAMED_CALLS, call_label, named_calls
from tracking_plan.status.facts import Call, FileFacts, Value
from tracking_plan.status.languages import GRAMMARS
from tracking_plan.status.model import EventStatus, Finding, Sighting, StatusResult

_VENDOR_DESTINATIONS = {"firebase": ("firebase", "ga4"), "amplitude": ("amplitude",), "segment": ("segment",),
                        "rudderstack": ("rudderstack",), "mixpanel": ("mixpanel",)}


@dataclass(frozen=True)
class Scanned:
    path: str
    """As shown: relative to where status ran when the file is below it."""
    platform: str
    facts: FileFacts
    key: str = ""
    """The file's content digest: how the calls to wrappers are looked up."""


@dataclass(frozen=True)
class _Wrapper:
    vendor: str
    name_at: int
    props_at: int | None
    params: tuple[str, ...]


def tracker_methods(plan: Plan) -> dict[str, dict[str, tuple[str, str]]]:
    """Per generate target: method → the call it sends and the name (`track`, `Order Completed`; `page`,
    `Product Page`), as the generated code names them."""
    from tracking_plan.generate import csharp, go, java, kotlin, python, swift, typescript
    from tracking_plan.generate.common import Namespace
    from tracking_plan.generate.model import events_only

    codegen = events_only(plan)
    result = {}
    for module in (typescript, python, kotlin, swift, java, go, csharp):
        methods = Namespace("method")
        names = module.method_names(codegen, methods)
        names.update(module.call_names(codegen, methods))
        variants = (v for e in codegen.events for v in e.variants)  # paymentFailedCard sends Payment Failed
        result[module.TARGET.name] = {names[id(spec)]: (spec.call, spec.wire)
                                      for spec in (*codegen.events, *variants, *codegen.calls)}
    return result


class _Names:
    """The plan's events and properties as each vendor receives them."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        declared, _ = profiles(plan)
        self.profiles: dict[str, Profile] = {}
        for vendor, kinds in _VENDOR_DESTINATIONS.items():
            chosen = next((p for p in declared.values() if p.kind in kinds), None)
            self.profiles[vendor] = chosen or DEFAULTS.get(vendor, Profile(vendor, vendor))
        self.defined: dict[tuple[str, str, bool], tuple[dict[str, Property], set[str]]] = {}
        self.events: dict[str, dict[str, Event]] = {}
        for vendor, profile in self.profiles.items():
            names: dict[str, Event] = {}
            for event in plan.events.values():
                names.setdefault(profile.event_name(event.name), event)
            self.events[vendor] = names

    def event(self, vendor: str, sent: str) -> Event | None:
        found = self.events.get(vendor, {}).get(sent)
        return found if found is not None else self.plan.events.get(sent)

    def properties(self, vendor: str, event: Event, own_only: bool = False) -> tuple[dict[str, Property], set[str]]:
        """The event's properties as the vendor receives them, and the names of its own required ones; `own_only`
        for a page or screen, which carries no global property (they ride on track events)."""
        key = (vendor, event.name, own_only)
        if key not in self.defined:
            profile = self.profiles.get(vendor)
            spell = profile.property_name if profile is not None else str
            carried = event.properties if own_only else carried_properties(self.plan, event)
            self.defined[key] = ({spell(p.name): p for p in carried},
                                 {spell(p.name) for p in event.properties if p.required})
        return self.defined[key]


CallsTo = Callable[[Collection[str]], Mapping[str, Sequence[Call]]]
"""Function names → per file key, the calls to those functions (from the cache when it has them)."""


def resolve(plan: Plan, scanned: list[Scanned], roots: tuple[str, ...], cached: int = 0,
            skipped: tuple[str, ...] = (), calls_to: CallsTo | None = None) -> StatusResult:
    """By default, `calls_to` reads each file's facts."""
    methods = tracker_methods(plan)
    names = _Names(plan)
    if calls_to is None:
        def calls_to(wanted: Collection[str]) -> Mapping[str, Sequence[Call]]:
            return {item.key: [c for name in wanted for c in item.facts.calls_to.get(name, ())] for item in scanned}
    wrappers, extra = _wrappers(scanned, calls_to)
    sightings: dict[str, dict[str, list[Sighting]]] = defaultdict(lambda: defaultdict(list))
    findings: list[Finding] = []
    platforms: dict[str, int] = defaultdict(int)
    for item in scanned:
        platforms[item.platform] += 1
        family = _family(item.facts.language)
        by_method = methods[GRAMMARS[item.facts.language].target]
        calls = item.facts.calls
        if extra.get(item.key):
            calls = tuple(sorted((*calls, *extra[item.key]), key=lambda c: (c.line, c.column)))
        for call in calls:
            if call.kind in NAMED_CALLS:
                _named_call(item, call, names, sightings, findings)
                continue
            if call.kind == "tracker":
                method = by_method.get(call.callee)
                if method is None:
                    continue  # identify(), or a method of the tracker's own
                sighting = Sighting(item.path, call.line, call.column, item.platform, "tracker", call.callee)
                scope, target = method
                if scope == "track":
                    _sighted(plan.events[target], sighting, None, "tracker", names, sightings, findings)
                else:
                    event = (plan.pages if scope == "page" else plan.screens)[target]
                    _sighted(event._replace(name=call_label(scope, target)), sighting, None, "tracker", names,
                             sightings, findings, own_only=True)
                continue
            if call.kind == "sdk":
                vendor, name, props = call.callee, call.name, call.props
                if name is not None and name.literal is None and name.param is not None and \
                        (family, call.function) in wrappers:
                    continue  # the inside of a wrapper: its callers are the sightings
            else:
                wrapper = wrappers.get((family, call.callee))
                if wrapper is None:
                    continue
                vendor = wrapper.vendor
                name = _argument(call.args, wrapper.name_at, wrapper.params)
                props = _argument(call.args, wrapper.props_at, wrapper.params) if wrapper.props_at is not None \
                    else None
                if name is not None and name.literal is None and name.param is not None and \
                        (family, call.function) in wrappers:
                    continue  # a wrapper of a wrapper
            _sdk_call(item, call, vendor, name, props, names, sightings, findings)
    scanned_platforms = tuple(sorted(platforms))
    events = []
    for event in plan.events.values():
        planned = tuple(p.lower() for p in event.platforms) or tuple(p.lower() for p in plan.platforms) or \
            scanned_platforms
        sent = {platform: tuple(found) for platform, found in sorted(sightings.get(event.name, {}).items())}
        missing = tuple(p for p in planned if p in platforms and p not in sent) if event.status == "active" else ()
        for platform in missing:
            findings.append(Finding(
                "not-implemented", f"'{event.name}' is planned for {platform} and sent nowhere in its code.",
                event.location.file, event.location.line, event.location.column, event.name, platform,
                "Send it with the generated tracker, or remove the platform from the event's platforms."))
        events.append(EventStatus(event.name, event.owner, event.status, planned, sent, missing))
    for label, described in named_calls(plan).items():  # pages and screens: seen or not, never required of code
        sent = {platform: tuple(found) for platform, found in sorted(sightings.get(label, {}).items())}
        events.append(EventStatus(label, described.owner, described.status,
                                  tuple(p.lower() for p in described.platforms), sent, ()))
    findings.sort(key=lambda f: (f.file or "", f.line, f.column, f.check, f.message))
    return StatusResult(roots, len(scanned), dict(sorted(platforms.items())), tuple(events), tuple(findings), cached,
                        skipped)


def _family(language: str) -> str:
    return "javascript" if language in ("typescript", "javascript") else language


def _argument(args: tuple[Value, ...], index: int | None, params: tuple[str, ...]) -> Value | None:
    """The argument a call passes for a wrapper's parameter: by label when labelled, else by position."""
    if index is None:
        return None
    wanted = params[index] if index < len(params) else None
    labelled = next((a for a in args if a.label is not None and a.label == wanted), None)
    if labelled is not None:
        return labelled
    positional = [a for a in args if a.label is None]
    return positional[index] if index < len(positional) else None


def _wrappers(scanned: list[Scanned], calls_to: CallsTo
              ) -> tuple[dict[tuple[str, str | None], _Wrapper], dict[str, list[Call]]]:
    """Functions that pass an event name on to an SDK, directly or through another wrapper; and, per file, the
    calls to them. Only the calls to functions found to be wrappers are ever looked up."""
    wrappers: dict[tuple[str, str | None], _Wrapper] = {}
    for item in scanned:
        family = _family(item.facts.language)
        for call in item.facts.calls:
            if call.kind == "sdk" and call.function and call.name is not None and call.name.param is not None:
                params = item.facts.functions.get(call.function, ())
                wrappers.setdefault((family, call.function), _Wrapper(
                    call.callee, call.name.param, call.props.param if call.props is not None else None, params))
    by_key = {item.key: item for item in scanned}
    found: dict[str, list[Call]] = defaultdict(list)
    asked: set[str] = set()
    frontier = {name for _, name in wrappers if name}
    while frontier:
        asked |= frontier
        for key, calls in calls_to(frontier).items():
            caller = by_key.get(key)
            if caller is None:
                continue
            family = _family(caller.facts.language)
            for call in calls:
                inner = wrappers.get((family, call.callee))
                if inner is None:
                    continue  # a function of that name in another language
                found[key].append(call)
                outer = (family, call.function)
                name = _argument(call.args, inner.name_at, inner.params)
                if call.function is None or outer in wrappers or name is None or name.param is None:
                    continue
                props = _argument(call.args, inner.props_at, inner.params) if inner.props_at is not None else None
                wrappers[outer] = _Wrapper(inner.vendor, name.param, props.param if props is not None else None,
                                           caller.facts.functions.get(call.function, ()))
        frontier = {name for _, name in wrappers if name} - asked
    return wrappers, found


def _sdk_call(item: Scanned, call: Call, vendor: str, name: Value | None, props: Value | None, names: _Names,
              sightings: dict[str, dict[str, list[Sighting]]], findings: list[Finding]) -> None:
    if name is None or name.literal is None:
        shown = name.text if name is not None else "(no name)"
        findings.append(Finding(
            "dynamic-name", f"The event name `{shown}` is computed at run time: which event this {vendor} call "
            "sends cannot be read from the code.", item.path, call.line, call.column, None, item.platform,
            "Call the generated tracker, or pass a literal name (or a constant) so the call can be checked."))
        return
    event = names.event(vendor, name.literal)
    sighting = Sighting(item.path, call.line, call.column, item.platform, vendor, name.literal)
    if event is None:
        findings.append(Finding(
            "unplanned-event", f"'{name.literal}' is sent ({vendor}) but is not in the plan."
            + (f" Did you mean '{guess}'?" if (guess := closest_name(name.literal, names.plan.events)) else ""),
            item.path,
            call.line, call.column, name.literal, item.platform,
            "Add the event to the plan (in a pull request the tracking specialists review), or fix the name."))
        return
    _sighted(event, sighting, props, vendor, names, sightings, findings)


def _named_call(item: Scanned, call: Call, names: _Names, sightings: dict[str, dict[str, list[Sighting]]],
                findings: list[Finding]) -> None:
    """A client's page() or screen() call, judged against the plan's pages or screens by the name it sends."""
    if call.name is not None and call.name.literal is None:
        findings.append(Finding(
            "dynamic-name", f"The {call.kind} name `{call.name.text}` is computed at run time: which {call.kind} this "
            "call sends cannot be read from the code.", item.path, call.line, call.column, None, item.platform,
            "Pass a literal name (or a constant) so the call can be checked."))
        return
    name = call.name.literal if call.name is not None and call.name.literal is not None else UNNAMED
    label = call_label(call.kind, name)
    described = names.plan.pages if call.kind == "page" else names.plan.screens
    event = described.get(name)
    if event is None:
        findings.append(Finding(
            "unplanned-event", f"'{label}' is sent ({call.callee}) but the plan has no such {call.kind}.", item.path,
            call.line, call.column, label, item.platform,
            f"Add it under {call.kind}s: in the plan (in a pull request the tracking specialists review), or fix "
            "the name."))
        return
    sighting = Sighting(item.path, call.line, call.column, item.platform, call.callee, name)
    _sighted(event._replace(name=label), sighting, call.props, call.callee, names, sightings, findings,
             own_only=True)


def _sighted(event: Event, sighting: Sighting, props: Value | None, vendor: str, names: _Names,
             sightings: dict[str, dict[str, list[Sighting]]], findings: list[Finding], own_only: bool = False) -> None:
    sightings[event.name][sighting.platform].append(sighting)
    where = (sighting.file, sighting.line, sighting.column, event.name, sighting.platform)
    if event.status == "deprecated":
        instead = f"Send '{event.replaced_by}' instead." if event.replaced_by else "The plan names no replacement."
        findings.append(Finding("deprecated-event", f"'{event.name}' is deprecated and still sent.", *where,
                                instead))
    planned = [p.lower() for p in event.platforms]
    if planned and sighting.platform not in planned:
        findings.append(Finding(
            "unplanned-platform", f"'{event.name}' is sent from {sighting.platform}, which the plan does not list "
            f"for it ({', '.join(planned)}).", *where,
            "Add the platform to the event's platforms, or remove the call."))
    if vendor == "tracker" or props is None or props.keys is None:
        return  # the generated code's types already hold its keys to the plan; computed keys cannot be read
    defined, required = names.properties(vendor, event, own_only)
    closed = not event.additional_properties and event.values is None
    if closed:
        for key in props.keys:
            if key not in defined:
                findings.append(Finding(
                    "unplanned-property", f"'{event.name}' is sent with the property '{key}', which the plan does "
                    "not define for it.", *where,
                    "Fix the key, or add the property to the event in the plan."))
    if not props.open:
        for key in sorted(required - set(props.keys)):
            findings.append(Finding(
                "missing-property", f"'{event.name}' is sent without its required property '{key}'.", *where,
                "Add it to the call."))
