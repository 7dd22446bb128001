"""JSON Schema → the plan format's property definitions, with JSON Schema's meaning kept, for every importer
(Segment, mParticle, RudderStack's JSON Schema parts, Iglu): what cannot be said is listed, and kept verbatim
under x-json-schema."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from tracking_plan.core.model import json_type
from tracking_plan.importers.model import ImportedPlan

ANY_TYPE = ["string", "number", "boolean", "object", "array", "null"]
_KEYWORDS = ("enum", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
             "minLength", "maxLength", "minItems", "maxItems", "examples", "description")
_NUMERIC = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_COUNTS = frozenset({"minLength", "maxLength", "minItems", "maxItems"})
_IGNORED = frozenset({"id", "$id", "$schema", "title", "$comment", "default", "self", "labels", "x-tracking-plan",
                      "x-pii"})
_HANDLED = frozenset({"type", "const", "properties", "required", "additionalProperties", "items", "$ref",
                      "patternProperties", "definitions", "$defs", "deprecated"})
_JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})
MAX_DEPTH = 64
"""Deeper schemas are cut there (listed in the report): no real plan nests so deep, and it bounds recursion."""
_DATA_KEY = re.compile(r"[^A-Za-z0-9_$.-]")


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
    is_object = isinstance(nested, dict) or "object" in as_list(result.get("type"))
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
            branches = [_resolve(b, root, plan, where) for b in as_list(result[keyword])]
            rest = {k: v for k, v in result.items() if k != keyword}
            result = _union(branches, rest, exclusive=keyword == "oneOf") or result
    if "allOf" in result:
        branches = [_resolve(b, root, plan, where) for b in as_list(result["allOf"])]
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
            merged["type"] = [*as_list(others[0]["type"]), "null"]
        return merged
    kinds = [kind for b in others for kind in as_list(b.get("type"))]
    bare = all(_meaning(b) == {"type"} for b in others) and "type" not in rest
    overlapping = len(set(kinds)) < len(kinds) or {"number", "integer"} <= set(kinds)  # oneOf would refuse some
    if not bare or (exclusive and overlapping):
        return None
    return {**rest, "type": list(dict.fromkeys([*kinds, *(["null"] if nullable else [])]))}


def as_list(value: Any) -> list[Any]:
    """A keyword that takes one value or a list of them (`type`, `anyOf`...), as a list."""
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




_CHAIN = ("if", "then", "else")


def event_properties_of(schema: Any, plan: ImportedPlan, where: str, root: Any = None,
                        kept: dict[str, Any] | None = None, metadata: Any = None,
                        ) -> tuple[dict[str, dict[str, Any]], bool | dict[str, Any] | None, dict[str, Any] | None]:
    """An event's properties (see `properties_of`), and its variants when its schema is the `if`/`then`/`else`
    chain `export` writes (`if` the discriminator holds a text `then` a variant's schema, the event's own last):
    each case as the plan format writes it, the properties it adds and the fields it changes."""
    chain = _variant_chain(schema if isinstance(schema, dict) else None)
    if chain is None:
        props, extra = properties_of(schema, plan, where, root, kept)
        return props, extra, None
    on, cases, base = chain
    props, extra = properties_of(base, plan, where, root, kept)
    described = metadata.get("variants") if isinstance(metadata, dict) else None
    notes = described.get("cases") if isinstance(described, dict) else None
    result: dict[str, Any] = {}
    for value, then in cases:
        own, _ = properties_of({**base, **then}, plan, f"{where} ({on} = {value})", root)
        changes: dict[str, Any] = {}
        for name, definition in own.items():
            before = props.get(name)
            if before is None:
                changes[name] = definition
                continue
            changed = {key: item for key, item in definition.items() if before.get(key) != item}
            if before.get("required") and not definition.get("required"):
                changed["required"] = False
            if changed:
                changes[name] = changed
        body: dict[str, Any] = {}
        note = notes.get(value) if isinstance(notes, dict) else None
        if isinstance(note, dict) and isinstance(note.get("description"), str):
            body["description"] = note["description"]
        if changes:
            body["properties"] = changes
        result[value] = body
    return props, extra, {"discriminator": on, "cases": result}


def _variant_chain(schema: dict[str, Any] | None) -> tuple[str, list[tuple[str, dict[str, Any]]],
                                                            dict[str, Any]] | None:
    """(discriminator, [(value, its schema)], the event's own schema) of an `if`/`then`/`else` chain on one key's
    text, or None for any other schema (kept as the converter keeps it)."""
    if schema is None or "if" not in schema:
        return None
    top = {k: v for k, v in schema.items() if k not in _CHAIN and not k.startswith("x-")}
    on: str | None = None
    cases: list[tuple[str, dict[str, Any]]] = []
    node: Any = schema
    while isinstance(node, dict) and "if" in node:
        test, then = node.get("if"), node.get("then")
        if not isinstance(test, dict) or not isinstance(then, dict):
            return None
        props = test.get("properties")
        if not isinstance(props, dict) or len(props) != 1:
            return None
        key, condition = next(iter(props.items()))
        value = condition.get("const") if isinstance(condition, dict) else None
        if not isinstance(value, str) or (on is not None and key != on) or test.get("required") != [key]:
            return None
        on = key
        cases.append((value, then))
        node = node.get("else") or {}
    if on is None or not isinstance(node, dict) or set(node) & set(_CHAIN):
        return None
    return on, cases, {**top, **node}
