"""The table of collected events as each warehouse reads it: the shape's layout (Segment, Amplitude, GA4, flat)
with the team's own column names, projected onto `tp_kind, tp_event, tp_platform, tp_ts, tp_props, tp_traits`.
validate's checks and the metrics' queries are both built on it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import TokenType

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import UNNAMED
from tracking_plan.shapes.columns import SHAPES
from tracking_plan.shapes.messages import CALLS, NAMED_CALLS
from tracking_plan.warehouse.dialects import DIALECTS, SPELLINGS, kind_test, search, spell

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

OPTIONAL_COLUMNS = {"segment": ("name",)}
"""Columns read only when --column names them: a page or screen call's `name` (else `properties.name`, which
analytics.js fills in too)."""

USER_COLUMNS: dict[str, dict[str, str]] = {
    "segment": {"user_id": "user_id", "anonymous_id": "anonymous_id"},
    "amplitude": {"user_id": "user_id", "device_id": "device_id"},
    "ga4": {"user_pseudo_id": "user_pseudo_id"},
    "flat": {"user_id": "user_id"},
}
"""Per shape, the columns that say who sent an event (the first one set): read by metrics, not by the checks."""

LIBRARY_PLATFORMS = (("ios", "ios|swift"), ("android", "android|kotlin"),
                     ("web", r"analytics\.js|analytics-next|rudder-sdk-js|javascript|browser"),
                     ("backend", "python|node|java|go|ruby|php|dotnet|net|server"))
"""The platform a Segment or RudderStack library name says it runs on (context.library.name, searched)."""


def lit(text: str) -> exp.Literal:
    return exp.Literal.string(text)


def col(name: str, table: str | None = None) -> exp.Column:
    """A column of the events table, quoted: the team's names are kept as they are spelled."""
    return exp.column(name, table=table, quoted=True)


@dataclass
class TableLayer:
    dialect: str
    shape: str
    columns: dict[str, str]

    @property
    def spelling(self) -> Any:
        return SPELLINGS[self.dialect]

    def spell(self, text: str, **parts: exp.Expr | list[exp.Expr]) -> exp.Expr:
        return spell(self.dialect, text, **parts)

    def get(self, base: exp.Expr | None, keys: Sequence[str]) -> exp.Expr:
        """The value at the keys under `base`; a flat table's top-level key is its column, a GA4 export's its
        event parameter."""
        if base is None and self.shape == "ga4":
            base = self.spell(self.spelling.ga4_param, params=col(self.columns["event_params"]), key=lit(keys[0]))
            keys = keys[1:]
        elif base is None:
            base = self.spell(self.spelling.to_json, v=col(keys[0]))
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

    def wire(self, name: str) -> str:
        return SHAPES[self.shape].wire_property(name) if self.shape in SHAPES else name

    def source(self, table: exp.Table) -> exp.Select:
        return exp.select(exp.Star(), *(exp.alias_(v, k, copy=False) for k, v in self.fields().items()),
                          copy=False).from_(table, copy=False)

    def fields(self) -> dict[str, exp.Expr]:
        """The shape's columns read into `tp_kind, tp_event, tp_platform, tp_ts, tp_props, tp_traits`."""
        c = self.columns
        if self.shape == "segment":
            typed = exp.Lower(this=exp.Coalesce(this=col(c["type"]), expressions=[lit("track")]))
            kind = exp.Case(ifs=[exp.If(this=exp.In(this=typed.copy(), expressions=[lit(k) for k in CALLS]),
                                        true=typed.copy())], default=lit("track"))
            names = [exp.Nullif(this=self.text(self.get(col(c["properties"]), ["name"])), expression=lit("")),
                     lit(UNNAMED)]  # an empty name is no name
            if "name" in c:
                names.insert(0, exp.Nullif(this=col(c["name"]), expression=lit("")))
            page_name = exp.Coalesce(this=names[0], expressions=names[1:])
            library = exp.Lower(this=self.text(self.get(col(c["context"]), ["library", "name"])))
            platform: exp.Expr = exp.Case(
                ifs=[exp.If(this=search(self.dialect, library.copy(), pattern), true=lit(name))
                     for name, pattern in LIBRARY_PLATFORMS],
                default=exp.Lower(this=self.text(self.get(col(c["context"]), ["device", "type"]))))
            fields = {"tp_kind": kind, "tp_event": exp.Case(
                ifs=[exp.If(this=exp.In(this=kind.copy(), expressions=[lit(k) for k in ("identify", "group", "alias")]),
                            true=kind.copy()),
                     exp.If(this=exp.In(this=kind.copy(), expressions=[lit(k) for k in NAMED_CALLS]),
                            true=exp.Concat(expressions=[kind.copy(), lit(" "), page_name], safe=True))],
                default=exp.Coalesce(this=col(c["event"]), expressions=[lit("(no name)")])),
                "tp_platform": platform, "tp_ts": col(c["timestamp"]), "tp_props": col(c["properties"]),
                "tp_traits": exp.Coalesce(this=col(c["traits"]), expressions=[exp.Case(
                    ifs=[exp.If(this=exp.EQ(this=kind.copy(), expression=lit("identify")),
                                true=self.get(col(c["context"]), ["traits"]))])])}
        elif self.shape == "amplitude":
            identify = exp.EQ(this=col(c["event_type"]), expression=lit("$identify"))
            fields = {"tp_kind": exp.Case(ifs=[exp.If(this=identify, true=lit("identify"))], default=lit("track")),
                      "tp_event": exp.Case(ifs=[exp.If(this=identify.copy(), true=lit("identify"))],
                                           default=exp.Coalesce(this=col(c["event_type"]),
                                                                expressions=[lit("(no name)")])),
                      "tp_platform": exp.Lower(this=col(c["platform"])), "tp_ts": col(c["event_time"]),
                      "tp_props": col(c["event_properties"]), "tp_traits": col(c["user_properties"])}
        elif self.shape == "ga4":
            fields = {"tp_kind": lit("track"),
                      "tp_event": exp.Coalesce(this=col(c["event_name"]), expressions=[lit("(no name)")]),
                      "tp_platform": exp.Lower(this=col(c["platform"])),
                      "tp_ts": self.spell(self.spelling.micros, v=col(c["event_timestamp"])),
                      "tp_props": exp.null(), "tp_traits": exp.null()}
        else:
            fields = {"tp_kind": lit("track"),
                      "tp_event": exp.Coalesce(this=col(c["event"]), expressions=[lit("(no name)")]),
                      "tp_platform": exp.Lower(this=exp.cast(col(c["platform"]), "TEXT", copy=False))
                      if c.get("platform") else exp.null(),
                      "tp_ts": col(c["timestamp"]) if c.get("timestamp") else exp.null(),
                      "tp_props": exp.null(), "tp_traits": exp.null()}
        return fields

    def document(self, keys: Sequence[str]) -> exp.Expr:
        """A message's properties as one JSON object, for the shapes that spread them: a flat table's columns
        named by the plan (`keys`; a NULL cell is a property not sent), a GA4 export's event parameters."""
        if self.shape == "ga4":
            return self.spell(self.spelling.ga4_doc, params=col(self.columns["event_params"]))
        members: list[exp.Expr] = [
            exp.Case(ifs=[exp.If(this=exp.Is(this=col(key), expression=exp.null()), true=lit(""))],
                     default=exp.Concat(expressions=[lit("," + json.dumps(key, ensure_ascii=False) + ":"),
                                                     self.raw(self.spell(self.spelling.to_json, v=col(key)))],
                                        safe=True, coalesce=True))
            for key in dict.fromkeys(keys)]
        listed: exp.Expr = exp.Concat(expressions=members, safe=True, coalesce=True) if len(members) > 1 else \
            members[0] if members else lit("")
        text = exp.Concat(expressions=[lit("{"), exp.Substring(this=listed, start=exp.Literal.number(2)), lit("}")],
                          safe=True, coalesce=True)
        return self.spell(self.spelling.parse_json, v=text)


def table_layer(dialect: str, shape: str = "segment", renames: dict[str, str] | None = None) -> TableLayer:
    """The collected-events table as the dialect reads it: the shape's layout with the team's column names."""
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
        if key not in columns and key not in USER_COLUMNS.get(shape, {}) and key not in OPTIONAL_COLUMNS.get(shape, ()):
            raise UsageError(f"The {shape} layout has no column '{key}'.",
                             f"Rename one of: {', '.join(columns)} (as --column {next(iter(columns))}=NAME).")
        columns[key] = name
    return TableLayer(dialect, shape, columns)


def source_table(table: str, dialect: str) -> exp.Table:
    """A table as named on the command line (`dataset.table`, `db.schema.table`, quoted parts as the warehouse
    quotes them): names joined by dots and nothing else — no second statement (`a.b; VACUUM`), no comment, no
    alias — so what is printed is one statement reading that table."""
    hint = ("Name the table as the warehouse spells it, e.g. analytics.tracks or \"my-project\".analytics.tracks "
            "(quotes closed).")
    if not table.strip():
        raise UsageError("--table is empty.", "Name the table of collected events, e.g. --table analytics.tracks.")
    try:
        tokens = Dialect.get_or_raise(dialect).tokenize(table)
        parsed = exp.to_table(table, dialect=dialect)
    except (SqlglotError, ValueError) as error:
        raise UsageError(f"'{table}' is not a table name {dialect} can read: {str(error).splitlines()[0]}.",
                         hint) from None
    joins = {TokenType.DOT, TokenType.DASH} if dialect == "bigquery" else {TokenType.DOT}  # my-project.dataset.t
    refused = {TokenType.SEMICOLON, TokenType.STRING, TokenType.NUMBER}
    joined = all((a.token_type in joins) != (b.token_type in joins) for a, b in pairwise(tokens))
    plain = all(t.token_type not in refused and not t.comments for t in tokens)
    ends = bool(tokens) and tokens[0].token_type not in joins and tokens[-1].token_type not in joins
    if not (isinstance(parsed, exp.Table) and joined and plain and ends and not parsed.alias):
        raise UsageError(f"'{table}' is not one table name: names joined by dots, nothing else.", hint)
    return parsed


def named_table(table: str | None, columns: list[str], shape: str = "segment",
                event_column: str = "event") -> tuple[str, dict[str, str]]:
    """The warehouse table given as `--table` (it must be named) and the table's names for the layout's columns
    given as `--column KEY=NAME` (for the flat shape, `--event-column` names the event's column first)."""
    from tracking_plan.core.options import key_values

    if shape == "flat" and not event_column.strip():
        raise UsageError("--event-column is empty.", "Name the column holding the event name: --event-column event.")
    if not table:
        raise UsageError("--sql needs the table to read.", "--sql bigquery --table analytics.tracks")
    renames = {"event": event_column} if shape == "flat" else {}
    renames.update(key_values(columns, "--column", "properties=props", "KEY=NAME"))
    return table, renames
