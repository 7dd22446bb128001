"""`validate --from-sql-result FILE`: the warehouse query's result, exported as CSV or JSON (an array of objects or
JSON Lines), read back into the report the local engine gives — so a team whose data outgrows one machine runs
the heavy part in its warehouse and keeps the tool's output (text, JSON, Markdown, HTML, --fail-on)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

from tracking_plan.conformance.checks import CHECK_IDS
from tracking_plan.conformance.result import ValidationResult
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.files import FileRefused, read_regular
from tracking_plan.core.model import Plan
from tracking_plan.shapes.columns import SHAPES
from tracking_plan.shapes.messages import scope_of_label
from tracking_plan.validate.engine import assemble
from tracking_plan.validate.sql import RESULT_COLUMNS

_LIMIT = 512 * 1024 * 1024
_HINT = ("Export the result of `tracking-plan validate --sql ...` as CSV with a header row, or as JSON, with the "
         f"columns {', '.join(RESULT_COLUMNS)}.")


def read_result(plan: Plan, path: str, shape: str = "segment", since: timedelta | None = None) -> ValidationResult:
    rows = _rows(path, _text(path))
    wire = SHAPES[shape].wire_event if shape in SHAPES else (lambda name: name)
    tracked = {wire(name) for name in plan.events}
    events: dict[str, dict[str, Any]] = {}
    for line, row in rows:
        event = _cell(row, "event")
        if event is None:
            raise UsageError(f"{path}:{line}: the row has no event.", _HINT)
        entry = events.setdefault(event, {"seen": None, "invalid": 0, "first": None, "last": None, "found": []})
        check = _cell(row, "check")
        if check is None:
            seen, valid = _count(path, line, row, "seen"), _count(path, line, row, "valid")
            if valid > seen:
                raise UsageError(f"{path}:{line}: {valid} valid events of {seen} seen.", _HINT)
            entry.update(seen=seen, invalid=seen - valid, first=_cell(row, "first_seen"),
                         last=_cell(row, "last_seen"))
        elif check not in CHECK_IDS:
            raise UsageError(f"{path}:{line}: '{check}' is not a check tracking-plan knows.", _HINT)
        else:
            entry["found"].append({"check": check, "property": _cell(row, "property"),
                                   "n": _count(path, line, row, "count"),
                                   "samples": [s for s in (_cell(row, "sample_1"), _cell(row, "sample_2")) if s]})
    out = []
    for event, entry in events.items():
        if entry["seen"] is None:
            raise UsageError(f"{path}: the event '{event}' has violations but no row counting it.", _HINT)
        for found in entry["found"]:  # one sample twice is shown once
            found["samples"] = list(dict.fromkeys(found["samples"]))
        scope = "track" if event in tracked else scope_of_label(event)  # an event named like a call is the event
        out.append((scope, event, entry["seen"], entry["invalid"], entry["first"], entry["last"], entry["found"]))
    return assemble(plan, shape, wire, [path], out, since)


def _text(path: str) -> str:
    try:
        data = read_regular(path, _LIMIT)
    except FileRefused as refused:
        raise UsageError(f"{path}: {refused.message}", refused.hint) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text.", _HINT) from None


def _json(path: str, text: str, where: str) -> Any:
    """JSON, with what Python's reader refuses beyond syntax (nesting past its recursion limit, integers of more
    than 4,300 digits) said as the export's fault, at its place."""
    try:
        return json.loads(text)
    except RecursionError:
        raise UsageError(f"{path}{where}: nested too deep to be the query's result.", _HINT) from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:
        raise UsageError(f"{path}{where}: a number the reader does not take ({error}).", _HINT) from None


def _rows(path: str, text: str) -> list[tuple[int, dict[str, Any]]]:
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            document = _json(path, text, "")
            records = document if isinstance(document, list) else [document]
            numbered = list(enumerate(records, start=1))
        except json.JSONDecodeError:
            numbered = []
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    numbered.append((number, _json(path, line, f":{number}")))
                except json.JSONDecodeError as error:
                    raise UsageError(f"{path}:{number}: not JSON ({error.msg}).", _HINT) from None
        for number, record in numbered:
            if not isinstance(record, dict):
                raise UsageError(f"{path}:{number}: each row must be a JSON object.", _HINT)
        _columns(path, {key for _, record in numbered for key in record})
        return numbered
    reader = csv.DictReader(io.StringIO(text, newline=""))  # the csv module reads line ends itself
    try:
        _columns(path, set(reader.fieldnames or ()))
        return [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise UsageError(f"{path}:{reader.line_num}: not CSV ({error}).", _HINT) from None


def _columns(path: str, present: set[str]) -> None:
    missing = [c for c in RESULT_COLUMNS if c not in present]
    if missing and present:
        raise UsageError(f"{path} lacks the columns {', '.join(missing)}.", _HINT)


def _cell(row: dict[str, Any], column: str) -> str | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    return str(value)


def _count(path: str, line: int, row: dict[str, Any], column: str) -> int:
    value = row.get(column)
    try:
        number = int(float(value)) if isinstance(value, str) else int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UsageError(f"{path}:{line}: {column} must be a count, not {value!r}.", _HINT) from None
    if number < 0:
        raise UsageError(f"{path}:{line}: {column} must be a count, not {value!r}.", _HINT)
    return number
