"""The plan's compiled rules as rows of data: what `validate --sql` inlines in its query, or reads from a table
loaded in the warehouse (`--rules-out FILE` writes them as CSV, `--rules-table NAME` names the loaded table).

The rows are a translation of the one rule compiler (conformance/compiled.py, through `plan_tables`, which the
local engine reads; collect's checker translates it too), so every engine checks the same rules. One row per
rule, with the event, the property's path, the check and its argument:

| column | meaning |
|---|---|
| `rule_id` | the row's number |
| `scope` | the call: `track`, `identify` (the user's traits), `page`, `screen`, `group` (its traits) or `alias` |
| `event` | the event's name on the wire (`page Home` for a page, the call's name for identify, group, alias) |
| `node_id` | the property (or event) the rule is about; an event's id is negative |
| `parent_id` | the object or list holding that property; 0 for an event |
| `prop_key` | the property's key in its parent (`[]` for a list's items; the event's name for an event) |
| `path` | the property's path as a JSON array of keys, from the event's properties down (`[]` for the event) |
| `label` | the property as reports name it (`shipping.country`, `products[].price`) |
| `check_id` | the check (below) |
| `argument` | the check's text argument |
| `num_arg` | the check's number argument |
| `pii` | 1 when the property is personal (or inside a personal one): its values never leave the warehouse |

The checks: `event`; `property` (argument: the JSON types allowed, as `|string|null|`, empty for any type);
`required`; `closed`; `object` and `list` (the plan describes its members, or its items); `enum`, `enum-boolean`,
`enum-number` (one row per allowed value); `pattern` and `format` (argument: the regular expression); `minimum`,
`maximum`, `exclusive_minimum`, `exclusive_maximum`, `min_length`, `max_length`, `min_items`, `max_items`
(`num_arg`: the bound); `platform` (one row per allowed platform); `draft-event` and `deprecated-event` (argument:
what the report says); `discriminator` (argument: the key whose text picks one of the event's variants) and
`variant` (an event row of its own, with the same event: the text that picks it; its properties' rules hang under
it).

An empty text field is the empty text (a CSV loader may read it as NULL: the query reads NULL as '').
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import NamedTuple

from tracking_plan.core.model import Plan
from tracking_plan.shapes.columns import Shape
from tracking_plan.validate.query import RULE_COLUMNS, TYPE_BITS, plan_tables

RULE_TABLE_COLUMNS: dict[str, str] = {
    "rule_id": "BIGINT", "scope": "TEXT", "event": "TEXT", "node_id": "BIGINT", "parent_id": "BIGINT",
    "prop_key": "TEXT", "path": "TEXT", "label": "TEXT", "check_id": "TEXT", "argument": "TEXT",
    "num_arg": "DOUBLE", "pii": "BIGINT",
}
"""The rules table's columns and their SQL types, in order: the CSV's header, README's load commands."""

_BIT_KINDS = (("VARCHAR", "string"), ("BIGINT", "integer"), ("UBIGINT", "integer"), ("HUGEINT", "integer"),
              ("DOUBLE", "number"), ("BOOLEAN", "boolean"), ("OBJECT", "object"), ("ARRAY", "array"),
              ("NULL", "null"))
_BOUNDS = ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum", "min_length", "max_length", "min_items",
           "max_items")


class RuleRow(NamedTuple):
    rule_id: int
    scope: str
    event: str
    node_id: int
    parent_id: int
    prop_key: str
    path: str
    label: str
    check_id: str
    argument: str | None
    num_arg: float | None
    pii: int


@dataclass(frozen=True)
class RuleSet:
    rows: tuple[RuleRow, ...]
    depth: int
    """How deep the plan's objects and lists go: how many levels of a message the query opens."""
    patterns: tuple[str, ...]
    """The distinct regular expressions (pattern and format): Redshift takes only literal patterns."""
    known: tuple[str, ...] = ()
    """Keys an event's properties may hold beyond those it lists: the vendor's automatic parameters."""


def kinds_of(bits: int) -> str:
    """The JSON types a rule's type bits allow, as `|integer|number|`; empty when any type is allowed."""
    if bits == 0:
        return ""
    kinds = dict.fromkeys(kind for name, kind in _BIT_KINDS if bits & TYPE_BITS[name])
    return "|" + "|".join(kinds) + "|"


_Node = tuple[str, str, int, int, str, list[str], str, int]
"""A property's (or event's) columns common to all its rows: scope, event, node_id, parent_id, prop_key, its path
as keys, label, pii. An event's node_id is minus its id in the compiled tables."""


def rule_set(plan: Plan, shape: Shape) -> RuleSet:
    """The plan's rules as rows, from the same compiled tables the local engine reads. Linear in the plan: each
    property's common columns are computed once, for all its rows."""
    tables = plan_tables(plan, shape)
    rows: list[RuleRow] = []
    kinds_cache: dict[int, str] = {}
    nodes: dict[int, _Node] = {}
    required: dict[int, frozenset[str]] = {}

    def add(node: _Node, path: str, check: str,
            argument: str | None = None, number: float | None = None) -> None:
        scope, event, node_id, parent, key, _, label, pii = node
        rows.append(RuleRow(len(rows) + 1, scope, event, node_id, parent, key, path, label, check, argument, number,
                            pii))

    for event_id, scope, name, status, replaced_by, platforms, closed, required_keys, on, variant, _ in tables.events:
        node: _Node = (scope, name, -event_id, 0, name, [], "", 0)
        nodes[-event_id] = node
        required[-event_id] = frozenset(required_keys)
        add(node, "[]", "event")
        if on is not None:
            add(node, "[]", "discriminator", on)
        if variant is not None:
            add(node, "[]", "variant", variant)
        if closed:
            add(node, "[]", "closed")
        if status == "draft":
            add(node, "[]", "draft-event", "draft")
        elif status == "deprecated":
            add(node, "[]", "deprecated-event",
                f"send {replaced_by} instead" if replaced_by else "no replacement is named")
        for platform in dict.fromkeys(platforms):
            add(node, "[]", "platform", platform)
    for values in tables.rules:
        rule = dict(zip(RULE_COLUMNS, values, strict=True))
        node_id, owner, key = rule["rule_id"], rule["owner"], rule["key"]
        scope, event, _, _, _, parent_path, _, _ = nodes[owner]
        path = [*parent_path, key]
        node = (scope, event, node_id, owner, key, path, rule["label"], int(rule["pii"]))
        nodes[node_id] = node
        required[node_id] = frozenset(rule["required_keys"])
        path_text = json.dumps(path, ensure_ascii=False)
        bits = rule["types"]
        kinds = kinds_cache.get(bits)
        if kinds is None:
            kinds = kinds_cache[bits] = kinds_of(bits)
        add(node, path_text, "property", kinds)
        if key in required[owner]:
            add(node, path_text, "required")
        if rule["closed"]:
            add(node, path_text, "closed")
        if rule["descend"] & TYPE_BITS["OBJECT"]:
            add(node, path_text, "object")  # its listed properties are checked when it holds an object
        if rule["descend"] & TYPE_BITS["ARRAY"]:
            add(node, path_text, "list")  # its items are checked when it holds a list
        if rule["has_enum"]:
            for text in dict.fromkeys(rule["enum_s"]):
                add(node, path_text, "enum", text)
            for boolean in dict.fromkeys(rule["enum_b"]):
                add(node, path_text, "enum-boolean", boolean)
            for number in dict.fromkeys(rule["enum_n"]):
                add(node, path_text, "enum-number", None, number)
        if rule["pattern"] is not None:
            add(node, path_text, "pattern", rule["pattern"])
        if rule["format_re"] is not None:
            add(node, path_text, "format", f"^({rule['format_re']})$")
        for bound in _BOUNDS:
            value = rule[bound]
            if value is not None and math.isfinite(value):
                add(node, path_text, bound, None, float(value))
    patterns = tuple(sorted({r.argument for r in rows if r.check_id in ("pattern", "format") and r.argument}))
    return RuleSet(tuple(rows), tables.depth, patterns, tuple(tables.known))


def rules_csv(rules: RuleSet, columns: tuple[str, ...] = tuple(RULE_TABLE_COLUMNS)) -> str:
    """The rules as CSV (RFC 4180) with a header: every text quoted, so the empty text is `""` and NULL an empty
    field, as warehouses' CSV loaders tell them apart; numbers as Python writes them (the shortest text that reads
    back as the same double). The csv module cannot write that: it writes NULL and the empty text alike."""
    lines = [",".join(columns)]
    for row in rules.rows:
        lines.append(",".join(_cell(getattr(row, name)) for name in columns))
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value)
