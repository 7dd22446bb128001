"""`validate --sql DIALECT --table NAME`: the plan's checks as one SQL query for the warehouse a team already runs.

One expression tree, built with sqlglot and rendered in each dialect; the few JSON operations sqlglot does not
translate are spelled per warehouse in dialects.py. The query reads the table once:

1. `source` projects the table onto `tp_kind, tp_event, tp_platform, tp_ts, tp_props, tp_traits` (the shape's
   layout; options rename columns);
2. `coded` gives each message the ids of the rules it breaks, as a text like `|12|40|` — one CASE branch per
   planned event, one condition per rule;
3. `seen` counts messages per event (all, invalid, first and last seen); `hits` joins only the invalid messages to
   the `rules` table (VALUES) to count each rule and take two sample values, a property marked `pii` showing its
   type and length, never its value.

The result has one row per event (`seen`, `valid`, `first_seen`, `last_seen`) and one per violation (`check`,
`property`, `count`, `sample_1`, `sample_2`); `validate --from-sql-result` renders it as the local report.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp
from sqlglot.errors import SqlglotError

from tracking_plan.conformance.formats import FORMATS
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan, Property
from tracking_plan.shapes.columns import SHAPES
from tracking_plan.shapes.payload import payload_properties
from tracking_plan.validate.dialects import (
    DIALECTS,
    SPELLINGS,
    full_match,
    kind_test,
    literal_list,
    safe_name,
    search,
    spell,
)

RESULT_COLUMNS = ("event", "seen", "valid", "first_seen", "last_seen", "check", "property", "count", "sample_1",
                  "sample_2")
"""The query's result columns, pinned: `--from-sql-result` reads a CSV or JSON export of them."""

LAYOUTS: dict[str, dict[str, str]] = {
    "segment": {"type": "type", "event": "event", "timestamp": "timestamp", "properties": "properties",
                "traits": "traits", "context": "context"},
    "amplitude": {"event_type": "event_type", "event_properties": "event_properties",
                  "user_properties": "user_properties", "platform": "platform", "event_time": "event_time"},
    "flat": {"event": "event", "timestamp": "timestamp", "platform": "platform"},
    "ga4": {"event_name": "event_name", "event_params": "event_params", "platform": "platform",
            "event_timestamp": "event_timestamp"},
}
"""Per shape, the columns the query reads (logical name → the table's column, which --column renames)."""

USER_COLUMNS: dict[str, dict[str, str]] = {
    "segment": {"user_id": "user_id", "anonymous_id": "anonymous_id"},
    "amplitude": {"user_id": "user_id", "device_id": "device_id"},
    "ga4": {"user_pseudo_id": "user_pseudo_id"},
    "flat": {"user_id": "user_id"},
}
"""Per shape, the columns that say who sent an event (the first one set): read by metrics, not by the checks."""

_SAMPLE_WIDTH = 60
_PRETTY_UP_TO = 250_000
_TYPE_KINDS = {"string": {"string"}, "integer": {"integer"}, "number": {"integer", "number"},
               "boolean": {"boolean"}, "object": {"object"}, "array": {"array"}, "null": {"null"}}
_KIND_ORDER = ("string", "integer", "number", "boolean", "object", "array", "null")


def _lit(text: str) -> exp.Literal:
    return exp.Literal.string(text)


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def _and(*terms: exp.Expr) -> exp.Expr:
    return exp.and_(*terms, copy=False)


def _or(*terms: exp.Expr) -> exp.Expr:
    return exp.paren(exp.or_(*terms, copy=False), copy=False) if len(terms) > 1 else terms[0]


def _not(term: exp.Expr) -> exp.Expr:
    return exp.not_(term, copy=False)


def _is_null(value: exp.Expr) -> exp.Expr:
    return exp.Is(this=value, expression=exp.null())


def _text_cast(value: exp.Expr) -> exp.Expr:
    return exp.cast(value, "TEXT", copy=False)


def _concat(*parts: exp.Expr) -> exp.Expr:
    return exp.Concat(expressions=list(parts), safe=True, coalesce=True) if len(parts) > 1 else parts[0]


def _cut(text: exp.Expr) -> exp.Expr:
    return exp.Substring(this=text, start=exp.Literal.number(1), length=exp.Literal.number(_SAMPLE_WIDTH))


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _number(value: float) -> exp.Expr:
    return exp.Literal.number(repr(float(value)))


@dataclass(frozen=True)
class Rule:
    """One check on one event (or identify) and property: a row of the query's `rules` table."""
    event: str
    check: str
    property: str | None
    sample: str
    """Which sample expression shows the offending value (a key of the compiler's samples)."""
    pii: bool = False


@dataclass
class Compiler:
    """Builds, per event, an expression giving the ids of the rules a message breaks, and the rules table."""
    dialect: str
    shape: str
    columns: dict[str, str]
    rules: list[Rule] = field(default_factory=list)
    values: dict[str, exp.Expr] = field(default_factory=dict)
    """Sample expressions giving a JSON value (shown as text, or type and length when pii)."""
    texts: dict[str, exp.Expr] = field(default_factory=dict)
    """Sample expressions giving text as it is shown."""
    skipped: set[str] = field(default_factory=set)
    """Checks this dialect cannot express, said on stderr by the command."""

    @property
    def spelling(self) -> Any:
        return SPELLINGS[self.dialect]

    def spell(self, text: str, **parts: exp.Expr | list[exp.Expr]) -> exp.Expr:
        return spell(self.dialect, text, **parts)

    def get(self, base: exp.Expr | None, keys: Sequence[str]) -> exp.Expr:
        """The value at the keys under `base`; a flat table's top-level key is its column, a GA4 export's its
        event parameter."""
        if base is None and self.shape == "ga4":
            base = self.spell(self.spelling.ga4_param, params=_col(self.columns["event_params"]),
                              key=_lit(keys[0]))
            keys = keys[1:]
        elif base is None:
            base = self.spell(self.spelling.to_json, v=_col(keys[0]))
            keys = keys[1:]
        if not keys:
            return base
        return self.spell(self.spelling.get, doc=base, path=self.spelling.path(keys))

    def kind(self, value: exp.Expr, kinds: set[str]) -> exp.Expr:
        return kind_test(self.dialect, value.copy(), kinds)

    def text(self, value: exp.Expr) -> exp.Expr:
        return self.spell(self.spelling.text, v=value)

    def raw(self, value: exp.Expr) -> exp.Expr:
        return self.spell(self.spelling.raw, v=value)

    def rule(self, event: str, check: str, prop: str | None, sample: str, pii: bool = False) -> exp.Expr:
        """A new rule; the code its breaking adds to a message's list."""
        self.rules.append(Rule(event, check, prop, sample, pii))
        return _lit(f"|{len(self.rules)}|")

    def value_sample(self, key: str, value: exp.Expr) -> str:
        self.values.setdefault(key, value)
        return key

    def text_sample(self, key: str, text: exp.Expr) -> str:
        self.texts.setdefault(key, text)
        return key

    # --- one property, at any depth ------------------------------------------------------------------------------

    def property_codes(self, event: str, prop: Property, value: exp.Expr, sample: str, label: str,
                       parent: exp.Expr | None, traits: bool, pii: bool,
                       in_item: bool = False) -> list[exp.Expr]:
        """The codes the property adds: one CASE (missing, else wrong type, else each value check), then those
        of its own properties and items. `parent` is the object holding it (None at a document's top)."""
        named = (lambda check: "trait") if traits else (lambda check: check)
        pii = pii or prop.pii
        allowed = set().union(*(_TYPE_KINDS.get(t, set()) for t in prop.type)) if "any" not in prop.type else set()
        if allowed and prop.enum is not None and None in prop.enum:
            allowed.add("null")
        ifs: list[exp.If] = []
        if prop.required:
            code = self.rule(event, "missing-trait" if traits else "missing-property", label,
                             self.text_sample("missing", _lit("(missing)")))
            missing = _is_null(value.copy())
            ifs.append(exp.If(this=missing, true=code if parent is None else exp.Case(
                ifs=[exp.If(this=self.kind(parent, {"object"}), true=code)], default=_lit(""))))
        else:
            ifs.append(exp.If(this=_is_null(value.copy()), true=_lit("")))
        if allowed:
            ifs.append(exp.If(this=_not(self.kind(value, allowed)),
                              true=self.rule(event, named("wrong-type"), label, sample, pii)))
        checks: list[tuple[str, exp.Expr]] = []
        if prop.enum is not None:
            checks.append(("enum", self.enum_violation(value, prop.enum, allowed)))
        c = prop.constraints
        if c.pattern is not None:
            checks.append(("pattern", self.guarded(value, {"string"}, allowed, _not(
                search(self.dialect, self.text(value.copy()), c.pattern)))))
        if c.format in FORMATS:
            checks.append(("format", self.guarded(value, {"string"}, allowed, _not(
                full_match(self.dialect, self.text(value.copy()), FORMATS[c.format])))))
        number = self.spell(self.spelling.number, v=value.copy())
        bounds: list[exp.Expr] = [
            op(this=number.copy(), expression=_number(bound))
            for bound, op in ((_finite(c.minimum), exp.LT), (_finite(c.maximum), exp.GT),
                              (_finite(c.exclusive_minimum), exp.LTE), (_finite(c.exclusive_maximum), exp.GTE))
            if bound is not None]
        if bounds:
            checks.append(("range", self.guarded(value, {"integer", "number"}, allowed, _or(*bounds))))
        size = self.spell(self.spelling.text_length, v=self.text(value.copy()))
        lengths = [op(this=size.copy(), expression=exp.Literal.number(bound))
                   for bound, op in ((c.min_length, exp.LT), (c.max_length, exp.GT)) if bound is not None]
        if lengths:
            checks.append(("length", self.guarded(value, {"string"}, allowed, _or(*lengths))))
        count = self.spell(self.spelling.length, v=value.copy())
        items = [op(this=count.copy(), expression=exp.Literal.number(bound))
                 for bound, op in ((c.min_items, exp.LT), (c.max_items, exp.GT)) if bound is not None]
        if items:
            checks.append(("items", self.guarded(value, {"array"}, allowed, _or(*items))))
        rest = [exp.Case(ifs=[exp.If(this=condition, true=self.rule(event, named(check), label, sample, pii))],
                         default=_lit("")) for check, condition in checks]
        codes: list[exp.Expr] = []
        if len(ifs) > 1 or rest:
            codes.append(exp.Case(ifs=ifs, default=_concat(*rest) if rest else _lit("")))
        if prop.properties and prop.values is None:
            codes += self.object_codes(event, prop.properties, not prop.additional_properties, value, label,
                                       traits, pii, item_sample=sample if in_item else None)
        if prop.items is not None:
            codes += self.item_codes(event, prop.items, value, sample, f"{label}[]", traits, pii)
        return codes

    def guard(self, value: exp.Expr, kinds: set[str], allowed: set[str]) -> exp.Expr | None:
        """The kind test a value check needs, or None when the type check before it already made it."""
        return None if allowed and allowed <= kinds else self.kind(value, kinds)

    def guarded(self, value: exp.Expr, kinds: set[str], allowed: set[str],
                condition: exp.Expr) -> exp.Expr:
        guard = self.guard(value, kinds, allowed)
        return condition if guard is None else _and(guard, condition)

    def enum_violation(self, value: exp.Expr, enum: tuple[Any, ...], allowed_kinds: set[str]) -> exp.Expr:
        texts = [v for v in enum if isinstance(v, str)]
        numbers = [float(v) for v in enum if isinstance(v, int | float) and not isinstance(v, bool)
                   and math.isfinite(v)]
        booleans = [str(v).lower() for v in enum if isinstance(v, bool)]
        allowed: list[exp.Expr] = []
        plain = allowed_kinds - {"null"}
        if texts:
            allowed.append(self.guarded(value, {"string"}, plain, exp.In(
                this=self.text(value.copy()), expressions=[_lit(t) for t in texts])))
        if numbers:
            allowed.append(self.guarded(value, {"integer", "number"}, plain, exp.In(
                this=self.spell(self.spelling.number, v=value.copy()), expressions=[_number(n) for n in numbers])))
        if booleans:
            allowed.append(self.guarded(value, {"boolean"}, plain, exp.In(
                this=self.raw(value.copy()), expressions=[_lit(b) for b in booleans])))
        matched = exp.Coalesce(this=_or(*allowed), expressions=[exp.false()]) if allowed else exp.false()
        if allowed_kinds and "null" not in allowed_kinds:
            return _not(matched)
        return _and(_not(self.kind(value, {"null"})), _not(matched))

    def object_codes(self, event: str, props: tuple[Property, ...], closed: bool, holder: exp.Expr | None,
                     label: str, traits: bool, pii: bool, top: bool = False,
                     item_sample: str | None = None) -> list[exp.Expr]:
        """The codes of an object's properties (a document's when `top`), and of its closedness. `holder` is
        the object's value (None for a flat table, whose properties are columns). Inside a list's items,
        samples show the list (`item_sample`): the item is only named inside the list's test."""
        codes: list[exp.Expr] = []
        for prop in props:
            key = prop.name if traits else self.wire(prop.name)
            value = self.get(holder.copy() if holder is not None else None, [key])
            path = f"{label}.{key}" if label else key
            sample = item_sample or self.value_sample(f"{event}\0{path}", value)
            codes += self.property_codes(event, prop, value, sample, path, None if top else holder, traits, pii,
                                         in_item=item_sample is not None)
        if closed and not traits:
            allowed = literal_list(self.dialect, [self.wire(p.name) for p in props])
            if holder is None and self.shape == "ga4" and self.spelling.ga4_keys_not_in:
                listed = self.spell(self.spelling.ga4_keys_not_in, params=_col(self.columns["event_params"]),
                                    allowed=allowed)
            elif self.spelling.keys_not_in is None or holder is None:
                self.skipped.add("unplanned-property")
                return codes
            else:
                guarded = exp.Case(ifs=[exp.If(this=self.kind(holder, {"object"}), true=holder.copy())])
                listed = self.spell(self.spelling.keys_not_in, v=guarded, allowed=allowed)
            extra = exp.Coalesce(this=listed, expressions=[_lit("")])
            sample = item_sample or self.text_sample(f"{event}\0{label}\0keys", _cut(extra.copy()))
            codes.append(exp.Case(ifs=[exp.If(this=exp.NEQ(this=extra, expression=_lit("")), true=self.rule(
                event, "unplanned-property", label or None, sample))], default=_lit("")))
        return codes

    def item_codes(self, event: str, items: Property, listed: exp.Expr, sample: str, label: str,
                   traits: bool, pii: bool) -> list[exp.Expr]:
        """A list's item rules: each code is added when any item breaks the rule."""
        if self.spelling.any_item is None:
            if items.properties or items.type or items.enum is not None or items.constraints != type(
                    items.constraints)():
                self.skipped.add("checks on list items")
            return []
        item = exp.column(safe_name(label), quoted=False)
        inner = self.property_codes(event, items._replace(required=False), item, sample, label, None, traits,
                                    pii, in_item=True)
        out: list[exp.Expr] = []
        for code_case in inner:
            # Each inner CASE yields codes; per rule it contributes, ask whether any item yields it.
            found = {literal.this for literal in code_case.find_all(exp.Literal) if literal.is_string
                     and literal.this.startswith("|") and literal.this.endswith("|") and literal.this[1:-1].isdigit()}
            for text in sorted(found, key=lambda t: int(t[1:-1])):
                condition = exp.GT(this=exp.StrPosition(this=code_case.copy(), substr=_lit(text)),
                                   expression=exp.Literal.number(0))
                out.append(exp.Case(ifs=[exp.If(this=self.spell(self.spelling.any_item, v=listed.copy(),
                                                                 pred=condition, x=item), true=_lit(text))],
                                    default=_lit("")))
        return out

    def wire(self, name: str) -> str:
        return SHAPES[self.shape].wire_property(name) if self.shape in SHAPES else name

    # --- the query ------------------------------------------------------------------------------------------------

    def source(self, table: exp.Table) -> exp.Select:
        return exp.select(exp.Star(), *(exp.alias_(v, k, copy=False) for k, v in self.fields().items()),
                          copy=False).from_(table, copy=False)

    def fields(self) -> dict[str, exp.Expr]:
        """The shape's columns read into `tp_kind, tp_event, tp_platform, tp_ts, tp_props, tp_traits`."""
        c = self.columns
        if self.shape == "segment":
            kind = exp.Lower(this=exp.Coalesce(this=_col(c["type"]), expressions=[_lit("track")]))
            library = exp.Lower(this=self.text(self.get(_col(c["context"]), ["library", "name"])))
            platforms = [("ios", "ios|swift"), ("android", "android|kotlin"),
                         ("web", r"analytics\.js|analytics-next|rudder-sdk-js|javascript|browser"),
                         ("backend", "python|node|java|go|ruby|php|dotnet|net|server")]
            platform: exp.Expr = exp.Case(
                ifs=[exp.If(this=search(self.dialect, library.copy(), pattern), true=_lit(name))
                     for name, pattern in platforms],
                default=exp.Lower(this=self.text(self.get(_col(c["context"]), ["device", "type"]))))
            fields = {"tp_kind": kind, "tp_event": exp.Case(
                ifs=[exp.If(this=exp.EQ(this=kind.copy(), expression=_lit("identify")), true=_lit("identify"))],
                default=exp.Coalesce(this=_col(c["event"]), expressions=[_lit("(no name)")])),
                "tp_platform": platform, "tp_ts": _col(c["timestamp"]), "tp_props": _col(c["properties"]),
                "tp_traits": exp.Coalesce(this=_col(c["traits"]),
                                          expressions=[self.get(_col(c["context"]), ["traits"])])}
        elif self.shape == "amplitude":
            identify = exp.EQ(this=_col(c["event_type"]), expression=_lit("$identify"))
            fields = {"tp_kind": exp.Case(ifs=[exp.If(this=identify, true=_lit("identify"))], default=_lit("track")),
                      "tp_event": exp.Case(ifs=[exp.If(this=identify.copy(), true=_lit("identify"))],
                                           default=exp.Coalesce(this=_col(c["event_type"]),
                                                                expressions=[_lit("(no name)")])),
                      "tp_platform": exp.Lower(this=_col(c["platform"])), "tp_ts": _col(c["event_time"]),
                      "tp_props": _col(c["event_properties"]), "tp_traits": _col(c["user_properties"])}
        elif self.shape == "ga4":
            fields = {"tp_kind": _lit("track"),
                      "tp_event": exp.Coalesce(this=_col(c["event_name"]), expressions=[_lit("(no name)")]),
                      "tp_platform": exp.Lower(this=_col(c["platform"])),
                      "tp_ts": self.spell(self.spelling.micros, v=_col(c["event_timestamp"])),
                      "tp_props": exp.null(), "tp_traits": exp.null()}
        else:
            fields = {"tp_kind": _lit("track"),
                      "tp_event": exp.Coalesce(this=_col(c["event"]), expressions=[_lit("(no name)")]),
                      "tp_platform": exp.Lower(this=_text_cast(_col(c["platform"])))
                      if c.get("platform") else exp.null(),
                      "tp_ts": _col(c["timestamp"]) if c.get("timestamp") else exp.null(),
                      "tp_props": exp.null(), "tp_traits": exp.null()}
        return fields

    def event_codes(self, plan: Plan) -> list[tuple[str, exp.Expr]]:
        """(the event's name on the wire, or identify; the expression listing the rules a message breaks)."""
        out = []
        props = _col("tp_props") if self.shape not in ("flat", "ga4") else None
        for event in plan.events.values():
            wire = SHAPES[self.shape].wire_event(event.name) if self.shape in SHAPES else event.name
            codes: list[exp.Expr] = []
            if event.status != "active":
                sample = "draft" if event.status == "draft" else \
                    f"send {event.replaced_by} instead" if event.replaced_by else "no replacement is named"
                codes.append(self.rule(wire, f"{event.status}-event", None,
                                       self.text_sample(f"status\0{sample}", _lit(sample))))
            if event.platforms:
                platform = _col("tp_platform")
                code = self.rule(wire, "unplanned-platform", None, self.text_sample("platform", platform.copy()))
                codes.append(exp.Case(ifs=[exp.If(this=_and(
                    exp.not_(_is_null(platform.copy())),
                    _not(exp.In(this=platform.copy(), expressions=[_lit(p.lower()) for p in event.platforms]))),
                    true=code)], default=_lit("")))
            codes += self.object_codes(wire, payload_properties(plan, event), not event.additional_properties,
                                       props, "", False, False, top=True)
            out.append((wire, _concat(*codes) if codes else _lit("")))
        if self.shape not in ("flat", "ga4"):
            codes = self.object_codes("identify", plan.traits, False, _col("tp_traits"), "", True, False, top=True)
            out.append(("identify", _concat(*codes) if codes else _lit("")))
        return out


def table_layer(dialect: str, shape: str = "segment", renames: dict[str, str] | None = None) -> Compiler:
    """The collected-events table as the dialect reads it: the shape's layout with the team's column names.
    validate's checks and the metrics' queries are both built on it."""
    if dialect not in DIALECTS:
        raise UsageError(f"Unknown SQL dialect '{dialect}'.", f"Choose one of: {', '.join(DIALECTS)}.")
    if shape not in LAYOUTS:
        raise UsageError(f"--sql has no table layout for the shape '{shape}'.",
                         f"Choose --shape {', '.join(LAYOUTS)}.")
    if shape == "ga4" and SPELLINGS[dialect].ga4_param is None:
        raise UsageError(f"The GA4 export's layout (event_params as key / typed value) is BigQuery's: --sql {dialect} "
                         "has no query for it.", "Use --sql bigquery (or duckdb, over a copy of the export).")
    columns = dict(LAYOUTS[shape])
    for key, name in (renames or {}).items():
        if key not in columns and key not in USER_COLUMNS.get(shape, {}):
            raise UsageError(f"The {shape} layout has no column '{key}'.",
                             f"Rename one of: {', '.join(columns)} (as --column {next(iter(columns))}=NAME).")
        columns[key] = name
    return Compiler(dialect, shape, columns)


def source_table(table: str, dialect: str) -> exp.Table:
    """The table of collected events, as named on the command line (`dataset.table`, `db.schema.table`, quoted
    parts as the warehouse quotes them)."""
    try:
        parsed = exp.to_table(table, dialect=dialect) if table.strip() else None
    except SqlglotError as error:
        raise UsageError(f"'{table}' is not a table name {dialect} can read: {str(error).splitlines()[0]}.",
                         "Name the table as the warehouse spells it, e.g. analytics.tracks or "
                         "\"my-project\".analytics.tracks (quotes closed).") from None
    if parsed is None:
        raise UsageError("--table is empty.", "Name the table of collected events, e.g. --table analytics.tracks.")
    return parsed


def warehouse_sql(plan: Plan, dialect: str, table: str, shape: str = "segment",
                  renames: dict[str, str] | None = None, warn: Callable[[str], None] | None = None,
                  pretty: bool = True) -> str:
    """The plan's checks as one query over `table`, in the dialect."""
    compiler = table_layer(dialect, shape, renames)
    tree = _query(compiler, plan, source_table(table, dialect))
    for skipped in sorted(compiler.skipped):
        if warn:
            warn(f"{dialect}: {skipped} is not checked by this SQL (no {dialect} function for it).")
    # Laid out for reading, unless that would pass ClickHouse's default max_query_size (256 KiB). The compact
    # text comes first: when it is already past the limit (a large plan), the layout is never generated.
    text = tree.sql(dialect=dialect)
    if pretty and len(text.encode("utf-8")) <= _PRETTY_UP_TO:
        laid_out = tree.sql(dialect=dialect, pretty=True)
        if len(laid_out.encode("utf-8")) <= _PRETTY_UP_TO:
            text = laid_out
    # No closing semicolon: dbt runs the query as a subquery of its test, and warehouses' CLIs need none.
    return text + "\n"


def _query(compiler: Compiler, plan: Plan, table: exp.Table) -> exp.Query:
    branches = [(exp.EQ(this=_col("tp_kind"), expression=_lit("identify")) if name == "identify" and
                 compiler.shape not in ("flat", "ga4") else exp.EQ(this=_col("tp_event"), expression=_lit(name)), codes)
                for name, codes in compiler.event_codes(plan)]
    branches.sort(key=lambda branch: not isinstance(branch[0].this, exp.Column) or branch[0].this.name != "tp_kind")
    codes = exp.Case(ifs=[exp.If(this=condition, true=code) for condition, code in branches], default=_lit("|0|"))
    invalid = exp.NEQ(this=_col("tp_codes"), expression=_lit(""))
    if compiler.shape in ("flat", "ga4"):  # samples read the property columns
        checked = exp.select(exp.Star(), exp.alias_(codes, "tp_codes", copy=False), copy=False).from_("source")
    else:  # documents kept for the invalid messages only: what the samples read
        inner = exp.select("tp_kind", "tp_event", "tp_ts", "tp_platform", "tp_props", "tp_traits",
                           exp.alias_(codes, "tp_codes", copy=False), copy=False).from_("source")
        checked = exp.select("tp_event", "tp_ts", "tp_codes", "tp_platform", *(
            exp.alias_(exp.Case(ifs=[exp.If(this=invalid.copy(), true=_col(doc))]), doc, copy=False)
            for doc in ("tp_props", "tp_traits")), copy=False).from_(inner.subquery("s", copy=False), copy=False)
    seen = exp.select(
        exp.alias_(_col("tp_event"), "event"), exp.alias_(exp.Count(this=exp.Star()), "seen"),
        exp.alias_(exp.Sum(this=exp.Case(ifs=[exp.If(this=invalid.copy(), true=exp.Literal.number(1))],
                                         default=exp.Literal.number(0))), "invalid"),
        exp.alias_(exp.Min(this=_col("tp_ts")), "first_seen"), exp.alias_(exp.Max(this=_col("tp_ts")), "last_seen"),
        copy=False).from_("checked").group_by(_col("tp_event"), copy=False)
    sample_ids = {key: f"s{n}" for n, key in enumerate([*compiler.values, *compiler.texts], start=1)}
    rows = [exp.tuple_(_lit(str(n)), _lit(r.event), _lit(r.check),
                       _lit(r.property) if r.property is not None else exp.null(), _lit(sample_ids[r.sample]),
                       _lit("yes" if r.pii else "no"), copy=False)
            for n, r in enumerate(compiler.rules, start=1)] or [
        exp.tuple_(_lit("0"), _lit(""), _lit(""), exp.null(), _lit(""), _lit("no"), copy=False)]
    rules = exp.select(exp.Star(), copy=False).from_(exp.values(rows, alias="r", columns=[
        "rule_id", "rule_event", "rule_check", "rule_property", "rule_sample", "rule_pii"]), copy=False)

    def chooser(samples: dict[str, exp.Expr]) -> exp.Expr:
        if not samples:
            return exp.null()
        return exp.Case(this=_col("rule_sample", "r"),
                        ifs=[exp.If(this=_lit(sample_ids[key]), true=value) for key, value in samples.items()])

    hits = exp.select(
        exp.alias_(_col("tp_event", "c"), "event"), _col("rule_check", "r"), _col("rule_property", "r"),
        _col("rule_pii", "r"), exp.alias_(chooser(compiler.values), "sample_value", copy=False),
        exp.alias_(chooser(compiler.texts), "sample_text", copy=False), copy=False,
    ).from_(exp.alias_(exp.to_table("checked"), "c"), copy=False).join(
        exp.alias_(exp.to_table("rules"), "r"), on=exp.EQ(this=_col("rule_event", "r"),
                                                          expression=_col("tp_event", "c")), copy=False,
    ).where(_and(exp.NEQ(this=_col("tp_codes", "c"), expression=_lit("")), exp.GT(
        this=exp.StrPosition(this=_col("tp_codes", "c"), substr=_concat(_lit("|"), _col("rule_id", "r"), _lit("|"))),
        expression=exp.Literal.number(0))), copy=False)
    value = _col("sample_value")
    kind_name = exp.Case(ifs=[exp.If(this=compiler.kind(value, {k}), true=_lit(k)) for k in _KIND_ORDER])
    shown = exp.Case(ifs=[
        exp.If(this=exp.EQ(this=_col("rule_pii"), expression=_lit("yes")), true=_concat(
            kind_name.copy(), _lit(" of length "),
            _text_cast(compiler.spell(compiler.spelling.text_length, v=compiler.raw(value.copy()))))),
        exp.If(this=exp.EQ(this=_col("rule_check"), expression=_lit("wrong-type")), true=_concat(
            kind_name.copy(), _lit(": "), _cut(compiler.raw(value.copy())))),
        exp.If(this=compiler.kind(value, {"string"}), true=_cut(compiler.text(value.copy())))],
        default=_cut(compiler.raw(value.copy())))
    described = exp.select(
        "event", "rule_check", "rule_property",
        exp.alias_(exp.Coalesce(this=_col("sample_text"), expressions=[shown]), "sample", copy=False), copy=False,
    ).from_("hits")
    unplanned = exp.select(
        exp.alias_(_col("tp_event"), "event"), exp.alias_(_lit("unplanned-event"), "rule_check"),
        exp.alias_(_text_cast(exp.null()), "rule_property"), exp.alias_(_lit("not in the plan"), "sample"),
        copy=False).from_("checked").where(exp.EQ(this=_col("tp_codes"), expression=_lit("|0|")), copy=False)
    found = exp.select(
        "event", "rule_check", "rule_property", exp.alias_(exp.Count(this=exp.Star()), "n"),
        exp.alias_(exp.Min(this=_col("sample")), "sample_1"), exp.alias_(exp.Max(this=_col("sample")), "sample_2"),
        copy=False).from_(exp.union(described, unplanned, distinct=False, copy=False).subquery("v", copy=False),
                          copy=False).group_by("event", "rule_check", "rule_property", copy=False)

    def out(expression: exp.Expr | str, name: str) -> exp.Expr:
        return exp.alias_(expression, exp.to_identifier(name, quoted=True), copy=False)

    def null(kind: str) -> exp.Expr:
        return exp.cast(exp.null(), kind, copy=False)

    events_part = exp.select(
        out(_col("event"), "event"), out(_col("seen"), "seen"),
        out(exp.Sub(this=_col("seen"), expression=_col("invalid")), "valid"),
        out(_text_cast(_col("first_seen")), "first_seen"), out(_text_cast(_col("last_seen")), "last_seen"),
        out(null("TEXT"), "check"), out(null("TEXT"), "property"), out(null("BIGINT"), "count"),
        out(null("TEXT"), "sample_1"), out(null("TEXT"), "sample_2"), copy=False).from_("seen")
    violations_part = exp.select(
        out(_col("event"), "event"), out(null("BIGINT"), "seen"), out(null("BIGINT"), "valid"),
        out(null("TEXT"), "first_seen"), out(null("TEXT"), "last_seen"), out(_col("rule_check"), "check"),
        out(_col("rule_property"), "property"), out(_col("n"), "count"), out(_col("sample_1"), "sample_1"),
        out(_col("sample_2"), "sample_2"), copy=False).from_("found")
    result = exp.union(events_part, violations_part, distinct=False, copy=False).subquery("result", copy=False)
    query = exp.select(exp.Star(), copy=False).from_(result, copy=False).order_by(
        exp.Ordered(this=_col("event"), nulls_first=True), exp.Ordered(this=_col("check"), nulls_first=True),
        exp.Ordered(this=_col("property"), nulls_first=True), copy=False)
    for name, body in (("source", compiler.source(table)), ("checked", checked), ("seen", seen), ("rules", rules),
                       ("hits", hits), ("found", found)):
        query = query.with_(name, as_=body, copy=False)
    return query
