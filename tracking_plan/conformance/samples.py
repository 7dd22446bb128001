"""How a value a check failed on is shown, the one rule every engine follows (the collector here, the local engine
and the warehouse query in SQL, which read SAMPLE_WIDTH from here): a value's text cut to SAMPLE_WIDTH characters;
a wrong type as its kind and JSON; a list that breaks its item bounds as its length; a property marked pii (and
one the plan does not list, which may be personal) as its kind and length only, so its value never leaves."""

from __future__ import annotations

import json
import math
from typing import Any

from tracking_plan.core.model import json_type

SAMPLE_WIDTH = 60
"""How many characters of a value a sample keeps."""


def _raw(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def value_kind(value: Any) -> str:
    """A collected value's JSON type as JSON Schema 2020-12 reads it: a number with no fractional part is an
    integer (`2.0`, `-0.0`), whatever its size."""
    kind = json_type(value)
    if kind == "number" and math.isfinite(value) and float(value).is_integer():
        return "integer"
    return kind


def shown(value: Any, pii: bool, check: str = "") -> str:
    """A sample of the value: its text, cut short; for a property marked pii (and a property the plan does not
    list, which may be personal), its type and length only: a text's length in characters, else its JSON's."""
    kind = value_kind(value)
    if pii or check == "unplanned-property":
        return f"{kind} of length {len(value) if isinstance(value, str) else len(_raw(value))}"
    text = value if isinstance(value, str) else _raw(value)
    return f"{kind}: {_raw(value)[:SAMPLE_WIDTH]}" if check == "wrong-type" else text[:SAMPLE_WIDTH]
