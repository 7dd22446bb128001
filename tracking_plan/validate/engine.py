"""`tracking-plan validate` on the local engine: DuckDB, embedded (no server), reading NDJSON / JSON Lines (also
gzipped), JSON arrays and Parquet, files, folders or globs. The plan is compiled into one query (query.py); no
Python loop touches a row. DuckDB's memory is capped (MEMORY_LIMIT), and it spills to disk past it, so a large
input streams with bounded memory."""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tracking_plan.conformance.compiled import AUTOMATIC
from tracking_plan.conformance.patterns import refuse_unusable_patterns
from tracking_plan.conformance.result import EventResult, ValidationResult, Violation
from tracking_plan.core.destinations import AUTOMATIC_EVENTS, automatic_mode
from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan
from tracking_plan.core.naming import closest_name
from tracking_plan.shapes.columns import SHAPES, Shape, conform, detect, flat_shape, identifier, sql_string
from tracking_plan.shapes.messages import named_calls
from tracking_plan.validate.query import EVENT_COLUMNS, RULE_COLUMNS, checks_sql, plan_tables

MEMORY_LIMIT = "640MB"
_MAX_OBJECT = 16 << 20
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")
_NOT_JSON = frozenset({".csv", ".tsv", ".tar", ".parquet", ".xml", ".avro", ".orc", ".sql", ".html", ".txt"})
"""What a gzipped file's inner suffix says it is when it is not JSON lines (a folder's other .gz files)."""


def _collected(path: Path) -> bool:
    """Whether a file found in a folder holds collected events: JSON (Lines, gzipped too), Parquet, or a bare .gz,
    as Segment's S3 destination writes them (`segment-logs/{source}/{day}/{name}.gz`, gzipped JSON lines)."""
    name = path.name.lower()
    if name.endswith(_JSON_SUFFIXES + _PARQUET_SUFFIXES):
        return True
    return name.endswith(".gz") and Path(name[:-3]).suffix not in _NOT_JSON


def _glob(pattern: str) -> list[str]:
    """The regular files a glob names (`**` for any depth), found by walking the folder before its first wildcard
    without following links: a link to a folder above (`a -> .`) made Python's recursive glob run forever, and a
    file reached through a link was read once per way to it."""
    parts = pattern.split(os.sep)
    fixed = next(i for i, part in enumerate(parts) if any(ch in part for ch in "*?["))
    base = os.sep.join(parts[:fixed]) or ("/" if pattern.startswith(os.sep) else ".")
    regex = re.compile(_glob_regex(parts[fixed:]))
    found = []
    for folder, dirs, files in os.walk(base, followlinks=False):
        dirs.sort()
        for name in files:
            path = os.path.join(folder, name)
            if regex.fullmatch(os.path.relpath(path, base).replace(os.sep, "/")) and os.path.isfile(path) \
                    and not os.path.islink(path):
                found.append(path if parts[:fixed] else os.path.relpath(path, base))
    return sorted(found)


def _glob_regex(parts: list[str]) -> str:
    """A glob's segments as a regular expression over '/'-separated relative paths, as glob reads them: `**` any
    number of folders, `*` and `?` within one name and never a leading dot, `[...]` a class (`[!...]` negated)."""
    out = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append("(?!\\.)[^/]*(?:/(?!\\.)[^/]*)*" if last else "(?:(?!\\.)[^/]+/)*")
            continue
        out.append(("" if part.startswith(".") else "(?!\\.)") + _glob_segment(part) + ("" if last else "/"))
    return "".join(out)


def _glob_segment(part: str) -> str:
    out = []
    i = 0
    while i < len(part):
        char = part[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in part[i + 2:]:  # a class holds one character at least: `[]]` is `]`
            close = part.index("]", i + 2)
            inner = part[i + 1:close]
            negated = inner.startswith("!")
            out.append("[" + ("^" if negated else "") + (inner[1:] if negated else inner).replace("\\", "\\\\")
                       + "]")
            i = close
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def expand(sources: list[str]) -> tuple[list[str], str]:
    """The files named by the sources (files, folders, globs), and their format: json or parquet."""
    files: list[str] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.is_file() and not p.is_symlink() and _collected(p))
        elif any(ch in source for ch in "*?["):
            found = _glob(source)
        elif path.is_file():
            found = [str(path)]
        elif path.exists() or path.is_symlink():
            raise UsageError(f"{source} is not a regular file (a device, a FIFO, a socket or a broken link): it is "
                             "not read.", "Pass NDJSON, JSON or Parquet files, folders or globs.")
        else:
            raise UsageError(f"{source} does not exist.", "Pass NDJSON, JSON or Parquet files, folders or globs.")
        if not found:
            raise UsageError(f"{source} holds no .json, .jsonl, .ndjson, .gz or .parquet file.", None)
        files += found
    kinds = {"parquet" if f.lower().endswith(_PARQUET_SUFFIXES) else "json" for f in files}
    if len(kinds) > 1:
        raise UsageError("The sources mix Parquet and JSON files.", "Validate each format in its own run.")
    return files, kinds.pop()


def _blank(path: str) -> bool:
    """Whether the file holds no event at all: empty, or white space only (gzipped or not), read until the first
    character that is not."""
    import gzip

    try:
        with (gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")) as handle:
            while chunk := handle.read(1 << 16):
                if chunk.strip():
                    return False
    except (OSError, EOFError):
        return False  # DuckDB reads it and says what is wrong
    return True


def connect() -> Any:
    import duckdb

    connection = duckdb.connect()
    connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    connection.execute(f"SET temp_directory = {sql_string(tempfile.gettempdir())}")
    connection.execute("SET enable_progress_bar = false")
    connection.execute("SET preserve_insertion_order = false")  # the checks aggregate: row order never matters
    # The checks join a stream of millions of nodes to the plan's small rules tables: the rules must be the hash
    # table. DuckDB's estimate of an unnested stream is far too low, and it would otherwise build on the stream.
    connection.execute("SET disabled_optimizers = 'build_side_probe_side'")
    return connection


def _reader(files: list[str], kind: str, columns: dict[str, str] | None) -> str:
    listed = "[" + ", ".join(sql_string(f) for f in files) + "]"
    if kind == "parquet":
        return f"read_parquet({listed}, union_by_name = true)"
    if columns:
        typed = "{" + ", ".join(f"{sql_string(k)}: {sql_string(v)}" for k, v in columns.items()) + "}"
        return f"read_json({listed}, format = 'auto', columns = {typed}, maximum_object_size = {_MAX_OBJECT})"
    return f"read_json({listed}, format = 'auto', maximum_object_size = {_MAX_OBJECT}, sample_size = -1)"


def _conformed(files: list[str], schema: dict[str, Any], shape: Shape, event_column: str) -> str:
    """Parquet files, their nested and timestamp columns as the shape reads them (see `conform`); a flat table's
    columns are all read as JSON, but for the event name."""
    import duckdb

    wanted = shape.columns or {name: "JSON" for name in schema if name != event_column}
    select = [f"{conform(identifier(name), kind, duckdb.sqltype(wanted[name]))} AS {identifier(name)}"
              if name in wanted else identifier(name) for name, kind in schema.items()]
    return f"(SELECT {', '.join(select)} FROM {_reader(files, 'parquet', None)})"


def _parquet_schema(connection: Any, files: list[str]) -> dict[str, Any]:
    """The Parquet files' columns, with their DuckDB types."""
    relation = connection.sql(f"SELECT * FROM {_reader(files, 'parquet', None)}")
    return dict(zip(relation.columns, relation.types, strict=True))


def _keys(connection: Any, files: list[str]) -> list[str]:
    rows = connection.execute(
        f"SELECT DISTINCT unnest(json_keys(json)) FROM (SELECT json FROM read_json_objects("
        f"[{', '.join(sql_string(f) for f in files)}], format = 'auto', maximum_object_size = {_MAX_OBJECT}) "
        "LIMIT 1000)"
    ).fetchall()
    return [row[0] for row in rows]


def run_statement(connection: Any, sql: str, progress: Callable[[float], None] | None, start: float,
         share: float) -> list[tuple[Any, ...]]:
    """Run one statement; with `progress`, in a worker thread while this one reports DuckDB's own estimate of
    how far it is (scaled into [start, start + share])."""
    if progress is None:
        return list(connection.execute(sql).fetchall())
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["rows"] = connection.execute(sql).fetchall()
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
        done = connection.query_progress()
        if done >= 0:
            progress(start + share * min(done, 100.0) / 100.0)
    if "error" in outcome:
        raise outcome["error"]
    progress(start + share)
    return list(outcome["rows"])


def open_events(connection: Any, files: list[str], kind: str, shape_name: str | None, event_column: str,
                extra: Collection[str] = ()) -> tuple[Shape, list[str], str] | None:
    """The collected events in `files` as DuckDB reads them: their shape (given or detected), the columns present
    and the relation reading them, nested values as JSON; None when the files hold no event at all. What
    validate checks and what `metrics` counts locally are read this one way; `extra` names more text columns to
    read when the files have them (who sent each event, for metrics)."""
    schema = _parquet_schema(connection, files) if kind == "parquet" else {}
    keys = list(schema) if kind == "parquet" else _keys(connection, files)
    if not keys and kind == "json":
        if all(_blank(f) for f in files):
            return None
        raise UsageError("The data holds no JSON object: each event must be one (one per line, or in an "
                         "array).", "Check that the file is an export of events.")
    shape: Shape
    if shape_name == "flat":
        shape = flat_shape(event_column)
    elif shape_name is not None:
        shape = SHAPES[shape_name]
    else:
        shape = detect(keys, event_column)
    if shape.name == "flat" and event_column not in keys:
        raise UsageError(f"The data has no column '{event_column}' holding the event name.",
                         "Name it with --event-column, or choose the shape with --shape.")
    named = {"segment": {"event", "type"}, "amplitude": {"event_type"}, "ga4": {"event_name"}}.get(shape.name)
    if named is not None and not named & set(keys):
        likely = detect(keys, event_column).name
        raise UsageError(f"The data is not in the {shape.name} shape: it has no {' or '.join(sorted(named))} "
                         f"column (its columns: {', '.join(sorted(keys)[:12])}).",
                         f"Leave --shape out to detect the shape (here: {likely}), or choose --shape {likely}.")
    if kind == "json" and shape.columns:  # nested values read as JSON, whatever their shape row to row
        columns = {k: v for k, v in shape.columns.items() if k in keys}
        columns.update({k: "VARCHAR" for k in extra if k in keys and k not in columns})
        present, source = list(columns), _reader(files, kind, columns)
    elif kind == "json":  # a flat table: every column as JSON, so rows of other events add no null fields
        columns = {k: "VARCHAR" if k == event_column else "JSON" for k in keys}
        present, source = keys, _reader(files, kind, columns)
    else:
        present, source = keys, _conformed(files, schema, shape, event_column)
    return shape, present, source


def validate(plan: Plan, sources: list[str], shape_name: str | None = None, event_column: str = "event",
             since: timedelta | None = None, progress: Callable[[float], None] | None = None) -> ValidationResult:
    """`progress`, when given, is called with the share of the work done (0 to 1) while the data is read and
    checked: the command draws it on stderr when that is a terminal."""
    import duckdb

    refuse_unusable_patterns(plan)
    files, kind = expand(sources)
    connection = connect()
    try:
        opened = open_events(connection, files, kind, shape_name, event_column)
        if opened is None:  # no event collected: every planned one is silent
            return ValidationResult(tuple(files), shape_name or "segment", (), tuple(sorted(
                name for name, event in plan.events.items() if event.status == "active")))
        shape, present, source = opened
        tables = plan_tables(plan, shape, per_message=True)
        with tempfile.TemporaryDirectory() as folder:  # the plan's tables, loaded in one read each
            for name, columns, rows_in in (("rules", RULE_COLUMNS, tables.rules),
                                           ("event_rules", EVENT_COLUMNS, tables.events)):
                path = Path(folder) / f"{name}.ndjson"
                path.write_text("".join(json.dumps(dict(zip(columns, row, strict=True))) + "\n" for row in rows_in),
                                encoding="utf-8")
                typed = "{" + ", ".join(f"{sql_string(k)}: {sql_string(v)}" for k, v in columns.items()) + "}"
                connection.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM read_json({sql_string(str(path))}, "
                                   f"format = 'newline_delimited', columns = {typed})")
        query = checks_sql(shape.normalize(source, present), tables.depth, tables.wildcards, tables.known_by_vendor)
        rows = run_statement(connection, query, progress, 0.0, 1.0)
    except (duckdb.Error, UnicodeDecodeError) as error:
        raise unreadable(error, kind) from None
    finally:
        connection.close()
    return _result(plan, shape, files, rows, since)


def unreadable(error: Exception, kind: str) -> UsageError:
    """What to tell of data DuckDB could not read: too large an event, bytes that are not UTF-8, or its own
    message (which names the file and line)."""
    if isinstance(error, UnicodeDecodeError):  # DuckDB's own message quoted bytes that are not text
        return UsageError(f"The data cannot be read as {kind.upper()}: it is not valid UTF-8 JSON.",
                          "Check the file's encoding and that every line is complete.")
    if "maximum_object_size" in str(error):
        return UsageError(f"An event in the data is larger than {_MAX_OBJECT >> 20} MiB (one JSON object or line), "
                          f"so it is not read: {first_line(str(error))}",
                          "Look for a runaway value in that file; real events are far smaller.")
    return UsageError(f"The data cannot be read as {kind.upper()}: {first_line(str(error))}",
                      "Check the file (its line is in the message), or choose the shape with --shape.")


def first_line(message: str) -> str:
    return message.strip().splitlines()[0][:500] if message.strip() else "unknown error"


def _result(plan: Plan, shape: Shape, files: list[str], rows: list[tuple[Any, ...]],
            since: timedelta | None) -> ValidationResult:
    return assemble(plan, shape.name, shape.wire_event, files, rows, since, per_message=True)


def assemble(plan: Plan, shape_name: str, wire_event: Callable[[str], str], files: list[str],
             rows: Iterable[tuple[Any, ...]], since: timedelta | None, per_message: bool = False) -> ValidationResult:
    """The report, from per-event rows `(scope, event on the wire, seen, invalid, first seen, last seen,
    [{check, property, n, samples}])` — the local engine's and, read back, the warehouse query's."""
    by_wire = {wire_event(name): event for name, event in plan.events.items()}
    events = []
    seen_names = set()
    calls = named_calls(plan)
    always = {"identify": True, "group": bool(plan.group_traits), "alias": plan.alias}
    mode = automatic_mode(plan, shape_name)
    automatic = AUTOMATIC_EVENTS.get(shape_name, frozenset()) - set(by_wire) if mode != "unplanned" else frozenset()
    # Segment-shaped records collect wrote say their vendor, message by message (`per_message`): an event of a
    # vendor's automatic list the engine did not report unplanned was taken as that vendor's.
    elsewhere = frozenset().union(*(names for vendor, names in AUTOMATIC_EVENTS.items()
                                    if automatic_mode(plan, vendor) != "unplanned")) - set(by_wire) \
        if per_message and shape_name not in AUTOMATIC_EVENTS else frozenset()
    for scope, wire, seen, invalid, first, last, results in rows:
        event = by_wire.get(wire) if scope == "track" else calls.get(wire)
        name = event.name if event is not None and scope == "track" else wire
        is_automatic = scope == "track" and (wire in automatic or (wire in elsewhere and not any(
            r["check"] == "unplanned-event" for r in results or ())))
        planned = event is not None or always.get(scope, False) or is_automatic
        seen_names.add(name)
        violations = tuple(sorted((Violation(r["check"], r["property"], int(r["n"]),
                                             tuple(s for s in r["samples"] if s is not None))
                                   for r in results or ()), key=lambda v: (v.check, v.property or "")))
        status = event.status if event else AUTOMATIC if is_automatic else None
        events.append(EventResult(name, event.owner if event else None, planned, status,
                                  int(seen), int(seen) - int(invalid), first, last, violations,
                                  None if planned or scope != "track" else closest_name(name, plan.events)))
    silent = sorted(name for name, event in plan.events.items() if event.status == "active" and name not in seen_names)
    if mode == "expected":  # the vendor's automatic events the plan counts on
        silent = sorted({*silent, *(automatic - seen_names)})
    events.sort(key=lambda e: (e.planned, -e.seen, e.event))
    stale: list[str] = []
    if since is not None:
        newest = max((m for e in events if (m := _moment(e.last_seen)) is not None), default=None)
        if newest is not None:
            cutoff = newest - since
            stale = [e.event for e in events if e.planned and (moment := _moment(e.last_seen)) and moment < cutoff]
    return ValidationResult(tuple(files), shape_name, tuple(events), tuple(silent), tuple(sorted(stale)))


def _moment(text: str | None) -> datetime | None:
    """A first/last-seen time as the engine or a warehouse wrote it (ISO 8601, with or without a zone)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace(" UTC", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)
