"""Key and value expectations for each kind of plan object, read from the shipped JSON Schema.

The JSON Schema in `schemas/plan.schema.json` is the one description of the file format: editors
use it for completion and validation, and the loader compiles it here into per-object key tables
so that it reports unknown keys and wrong value types without running a full JSON Schema
validator over thousands of events.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "plan.schema.json"

Check = Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class Expect:
    """What one key accepts: a predicate and how to say it in words."""

    check: Check
    description: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Shape:
    """The keys one kind of object (root, event, property...) may have."""

    name: str
    keys: Mapping[str, Expect]
    required: tuple[str, ...]
    extensions: bool
    """Whether `x-` keys are allowed (and ignored), as in docker-compose files."""


def schema_text() -> str:
    return resources.files("tracking_plan.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_text())
    return schema


@cache
def shapes() -> Mapping[str, Shape]:
    schema = load_schema()
    defs: dict[str, Any] = schema["$defs"]
    result = {}
    for name, definition in defs.items():
        if definition.get("type") == "object" and "properties" in definition:
            keys = {key: _expect(sub, defs) for key, sub in definition["properties"].items()}
            result[name] = Shape(name, keys, tuple(definition.get("required", ())),
                                 "^x-" in definition.get("patternProperties", {}))
    return result


def _resolve(sub: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in sub:
        sub = defs[sub["$ref"].rsplit("/", 1)[-1]]
    return sub


def _is_number(value: Any) -> bool:
    """A finite number: .nan and .inf cannot be said in JSON, so no generated schema or code could hold them."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_TYPE_CHECKS: dict[str, tuple[Check, str]] = {
    "string": (lambda v: isinstance(v, str), "text"),
    "boolean": (lambda v: isinstance(v, bool), "true or false"),
    "number": (_is_number, "a number"),
    "integer": (_is_integer, "a whole number"),
    "array": (lambda v: isinstance(v, list), "a list"),
    "object": (lambda v: isinstance(v, dict), "a mapping"),
}


def _expect(sub: Mapping[str, Any], defs: Mapping[str, Any]) -> Expect:
    sub = _resolve(sub, defs)
    if "anyOf" in sub:
        options = [_expect(option, defs) for option in sub["anyOf"]]
        descriptions = [o.description for o in options]
        if len(options) == 2 and options[0].choices and options[0].choices == options[1].choices:
            descriptions = [options[0].description + ", or a list of them"]
        return Expect(lambda v: any(o.check(v) for o in options), " or ".join(descriptions),
                      tuple(dict.fromkeys(c for o in options for c in o.choices)))
    type_check, description = _TYPE_CHECKS[sub["type"]]
    checks: list[Check] = [type_check]
    choices: tuple[str, ...] = ()
    if "enum" in sub:
        choices = tuple(sub["enum"])
        allowed = frozenset(choices)
        checks.append(lambda v: v in allowed)
        description = "one of " + ", ".join(choices)
    if "pattern" in sub:
        # JSON Schema's `$` ends the text; Python's also matches before a final newline: say \Z.
        regex = re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", sub["pattern"]))
        checks.append(lambda v: regex.search(v) is not None)
        description = f"{description} matching {sub['pattern']}"
    if "minimum" in sub:
        low = sub["minimum"]
        checks.append(lambda v: v >= low)
        description = f"{description} of at least {low}"
    if "items" in sub:
        item = _expect(sub["items"], defs)
        checks.append(lambda v: all(item.check(i) for i in v))
        description = f"a list of {item.description}" if item.description != "a mapping" else "a list of mappings"
        if item.choices:
            choices = item.choices
            description = "a list of " + ", ".join(item.choices)
    if "minItems" in sub:
        least = sub["minItems"]
        checks.append(lambda v: len(v) >= least)
    if len(checks) == 1:
        return Expect(type_check, description, choices)
    return Expect(lambda v: all(c(v) for c in checks), description, choices)
