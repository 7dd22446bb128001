"""Benchmark: `tracking-plan validate` on millions of collected events, against the per-event pipelines a team
would write otherwise, in one run.

The plans: the synthetic plan's shape with 200 events, 564 (a production Segment plan's size)
and 5,000. The data: N Segment messages (default 2,000,000) cycling
through the events, every line distinct (an id and a count vary, as in real data), about 1% with a planted violation
(a wrong type), as NDJSON and then as Parquet. Peers, over
the JSON Schemas `export jsonschema` writes for the same plan: orjson + jsonschema-rs (`jsonschema_rs`), and orjson +
the `jsonschema` package (timed on the first 100,000 lines: it is much slower); and the engine's floor, DuckDB
reading the data and splitting the properties with no check. Prints events/s, peak memory and the ratios.

Run: python bench/bench_validate.py [N] [--plans 200,564,5000] [--engine-sql]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, tracking_plan_command
from synth import write_plan

PEER_SAMPLE = 100_000


def _varying(prop: Any) -> str | None:
    """How a property's value can change from line to line and stay valid: 'text', 'count' or None."""
    c = prop.constraints
    if prop.enum is not None or c.pattern or c.format or prop.type not in (("string",), ("integer",), ("number",)):
        return None
    if prop.type == ("string",):
        return "text" if c.max_length is None or c.max_length >= 12 else None
    low = c.minimum if c.minimum is not None else 0
    high = c.maximum if c.maximum is not None else low + 10_000
    return "count" if c.exclusive_minimum is None and c.exclusive_maximum is None and high - low >= 100 else None


def make_data(plan_dir: Path, ndjson: Path, count: int) -> None:
    """Every line distinct, as in real data (ids, counters): one text and one number per event vary line to
    line, so no engine can check a repeated payload once for all its copies."""
    import orjson

    from tracking_plan.core.discover import load_plan
    from tracking_plan.core.model import payload_properties
    from tracking_plan.shapes.examples import example_properties

    plan = load_plan(str(plan_dir)).plan
    assert plan is not None
    libraries = {"web": "analytics.js", "ios": "analytics-ios", "android": "analytics-android",
                 "backend": "analytics-python"}
    templates = []
    for name, event in plan.events.items():
        props = example_properties(plan, event)
        marks: dict[str, str] = {}
        for prop in payload_properties(plan, event):
            kind = _varying(prop)
            if kind and kind not in marks.values():
                marks[prop.name] = kind
                low = prop.constraints.minimum or 0
                props[prop.name] = "@TEXT@" if kind == "text" else f"@COUNT{int(low)}@"
        library = libraries[event.platforms[0] if event.platforms else "web"]
        good = orjson.dumps({"type": "track", "event": name, "properties": props,
                             "timestamp": "2026-11-02T10:00:00Z", "context": {"library": {"name": library}}})
        broken_props = dict(props)
        key = next(k for k in broken_props if k not in marks)
        broken_props[key] = [1]  # a list where the plan wants a scalar: one violation
        bad = orjson.dumps({"type": "track", "event": name, "properties": broken_props,
                            "timestamp": "2026-11-02T10:00:00Z", "context": {"library": {"name": library}}})
        templates.append((good, bad))
    with ndjson.open("wb") as handle:
        for i in range(count):
            good, bad = templates[i % len(templates)]
            line = (bad if i % 100 == 7 else good).replace(b'"@TEXT@"', b'"id-%d"' % i)
            if b"@COUNT" in line:
                head, rest = line.split(b'"@COUNT', 1)
                low, tail = rest.split(b'@"', 1)
                line = head + b"%d" % (int(low) + i % 97) + tail
            handle.write(line + b"\n")


def timed(args: list[str]) -> tuple[float, int, str]:
    """Wall time, peak memory of this child alone (bytes, from /usr/bin/time when present) and its output."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapper = ["/usr/bin/time", "-f", "%M", "-o", rss.name] if Path("/usr/bin/time").exists() else []
        start = time.perf_counter()
        proc = subprocess.run([*wrapper, *args], capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        text = Path(rss.name).read_text().strip().splitlines()
        peak = int(text[-1]) * 1024 if wrapper and text and text[-1].isdigit() else \
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return elapsed, peak, proc.stdout


PEER = r"""
import json, sys, time, resource, orjson
from pathlib import Path
schemas = {}
for path in Path(sys.argv[2]).glob("*.json"):
    if path.name.startswith(".") or path.name == "identify.json":
        continue
    document = json.loads(path.read_text())
    schemas[document["title"]] = document
limit = int(sys.argv[4])
if sys.argv[1] == "jsonschema_rs":
    import jsonschema_rs
    validators = {name: jsonschema_rs.validator_for(s) for name, s in schemas.items()}
    check = lambda v, props: v.is_valid(props)
else:
    import jsonschema
    validators = {name: jsonschema.Draft202012Validator(s) for name, s in schemas.items()}
    check = lambda v, props: v.is_valid(props)
start = time.perf_counter()
seen = valid = 0
with open(sys.argv[3], "rb") as handle:
    for line in handle:
        message = orjson.loads(line)
        validator = validators.get(message.get("event"))
        seen += 1
        if validator is not None and check(validator, message.get("properties") or {}):
            valid += 1
        if seen >= limit:
            break
print(json.dumps({"seen": seen, "valid": valid, "seconds": time.perf_counter() - start}))
"""


FLOOR = r"""
import sys, time, duckdb
source, kind = sys.argv[1], sys.argv[2]
connection = duckdb.connect()
connection.execute("SET preserve_insertion_order = false")
connection.execute("SET enable_progress_bar = false")
relation = (f"read_json('{source}', format = 'newline_delimited', columns = {{'type': 'VARCHAR', 'event': 'VARCHAR', "
            f"'properties': 'JSON', 'timestamp': 'VARCHAR', 'context': 'JSON'}})" if kind == "NDJSON" else
            f"read_parquet('{source}')")
start = time.perf_counter()
connection.execute(f"SELECT sum(len(json_keys(properties))), sum(len(json_extract(properties, '$.*'))) "
                   f"FROM {relation}").fetchall()
print(time.perf_counter() - start)
"""
"""The engine's floor: DuckDB reading the messages and splitting each one's properties into keys and values (what
any check of every value needs first), with no check at all."""


ENGINE_SQL = r"""
import sys, time, duckdb
sys.path.insert(0, sys.argv[3])
from tracking_plan.core.discover import load_plan
from tracking_plan.validate.rules import RULE_TABLE_COLUMNS
from tracking_plan.validate.sql import compiled_rules, rules_csv, warehouse_sql
plan = load_plan(sys.argv[2]).plan
start = time.perf_counter()
rules = compiled_rules(plan, "segment")
connection = duckdb.connect()
connection.execute("SET preserve_insertion_order = false")
connection.execute("SET memory_limit = '640MB'")
connection.execute("SET enable_progress_bar = false")
path = sys.argv[4]
open(path, "w").write(rules_csv(rules))
types = ", ".join(f"'{k}': '{'VARCHAR' if v == 'TEXT' else v}'" for k, v in RULE_TABLE_COLUMNS.items())
connection.execute(f"CREATE TABLE rules AS SELECT * FROM read_csv('{path}', header = true, delim = ',', quote = '\"', "
                   f"escape = '\"', allow_quoted_nulls = false, columns = {{{types}}})")
connection.execute(f"CREATE VIEW events AS SELECT * FROM read_json('{sys.argv[1]}', format = 'newline_delimited', "
                   "columns = {'type': 'VARCHAR', 'event': 'VARCHAR', 'properties': 'JSON', 'timestamp': 'VARCHAR', "
                   "'context': 'JSON', 'traits': 'JSON'})")
connection.execute(warehouse_sql(plan, "duckdb", "events", rules_table="rules", rules=rules)).fetchall()
print(time.perf_counter() - start)
"""
"""An option measured for docs/validate-engine.md: the warehouse query's DuckDB dialect run over the files (the
rules loaded from their CSV), as the one engine."""

PLAN_TIME = r"""
import sys, time
from tracking_plan.core.discover import load_plan
from tracking_plan.shapes.columns import SHAPES
from tracking_plan.validate.query import plan_tables
start = time.perf_counter()
plan = load_plan(sys.argv[1]).plan
loaded = time.perf_counter()
tables = plan_tables(plan, SHAPES["segment"])
done = time.perf_counter()
print(loaded - start, done - loaded, len(tables.rules))
"""
"""The time to plan: load the plan and compile its rules (what the local engine does before reading data)."""


def bench_plan(events: int, count: int, with_engine_sql: bool) -> None:
    work = WORK / "validate"
    plan_dir = work / ("plan" if events == 200 else f"plan-{events}")
    if not plan_dir.exists():
        write_plan(plan_dir, events=events, files=max(1, events // 20), library=min(500, max(100, events // 10)))
    ndjson = work / f"events-{count}-distinct{'' if events == 200 else f'-{events}'}.ndjson"
    parquet = ndjson.with_suffix(".parquet")
    if not ndjson.exists():
        start = time.perf_counter()
        make_data(plan_dir, ndjson, count)
        print(f"wrote {count:,} events ({ndjson.stat().st_size / 1e6:.0f} MB NDJSON) in "
              f"{time.perf_counter() - start:.1f} s")
    if not parquet.exists():
        import duckdb

        duckdb.sql(f"COPY (SELECT * FROM read_json('{ndjson}', columns = {{'type': 'VARCHAR', 'event': 'VARCHAR', "
                   f"'properties': 'JSON', 'timestamp': 'VARCHAR', 'context': 'JSON'}})) TO '{parquet}' "
                   f"(FORMAT parquet)")
    schemas = plan_dir.parent / f"schemas-{events}"
    if not schemas.exists():
        subprocess.run([*tracking_plan_command(), "export", "jsonschema", str(plan_dir), "--out", str(schemas)],
                       check=True, capture_output=True)
    print(f"--- {events:,}-event plan, {count:,} messages")
    load, compiled, rules = subprocess.run([sys.executable, "-c", PLAN_TIME, str(plan_dir)], capture_output=True,
                                           text=True, check=True).stdout.split()
    print(f"time to plan: load {float(load):.2f} s + compile {float(compiled):.2f} s ({int(rules):,} property rules)")
    results = {}
    for label, source in (("NDJSON", ndjson), ("Parquet", parquet)):
        seconds, peak, out = timed([*tracking_plan_command(), "validate", str(source), "--plan", str(plan_dir),
                                    "--format", "json", "--fail-on", "never"])
        summary = json.loads(out)["summary"]
        results[label] = seconds
        print(f"tracking-plan validate ({label:7}): {seconds:7.2f} s, {count / seconds:12,.0f} events/s, "
              f"peak {peak / 1e6:,.0f} MB, {summary['valid_rate'] * 100:.2f}% valid")
    for label, source in (("NDJSON", ndjson), ("Parquet", parquet)):
        floor = float(subprocess.run([sys.executable, "-c", FLOOR, str(source), label], capture_output=True,
                                     text=True, check=True).stdout)
        results[f"floor {label}"] = floor
        print(f"floor: DuckDB reads and splits ({label:7}): {floor:7.2f} s, {count / floor:12,.0f} events/s, "
              f"no check made")
    if with_engine_sql:
        with tempfile.TemporaryDirectory() as folder:
            seconds = float(subprocess.run([sys.executable, "-c", ENGINE_SQL, str(ndjson), str(plan_dir),
                                            str(Path(__file__).resolve().parents[1]), f"{folder}/rules.csv"],
                                           capture_output=True, text=True, check=True).stdout)
        print(f"option: the warehouse query in DuckDB over the NDJSON: {seconds:7.2f} s, "
              f"{count / seconds:12,.0f} events/s")
    for peer, limit in (("jsonschema_rs", count), ("jsonschema", min(count, PEER_SAMPLE))):
        seconds, peak, out = timed([sys.executable, "-c", PEER, peer, str(schemas), str(ndjson), str(limit)])
        report = json.loads(out)
        rate = report["seen"] / report["seconds"]
        results[peer] = count / rate
        note = "" if limit == count else f" (timed on the first {limit:,} lines)"
        print(f"orjson + {peer:13}          : {report['seconds']:7.2f} s, {rate:12,.0f} events/s, "
              f"peak {peak / 1e6:,.0f} MB{note}")
    print(f"ratio: validate is {results['jsonschema_rs'] / results['NDJSON']:.2f}x the jsonschema-rs pipeline on "
          f"NDJSON (goal >= 1x) and {results['jsonschema_rs'] / results['Parquet']:.2f}x on Parquet (goal >= 2x); "
          f"{results['jsonschema'] / results['NDJSON']:.0f}x the jsonschema one")
    print(f"floor: reading and splitting alone is {results['jsonschema_rs'] / results['floor NDJSON']:.2f}x the "
          f"jsonschema-rs pipeline on NDJSON, {results['jsonschema_rs'] / results['floor Parquet']:.2f}x on Parquet")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=2_000_000, help="messages per plan")
    parser.add_argument("--plans", default="200,564,5000", help="plan sizes, in events")
    parser.add_argument("--engine-sql", action="store_true",
                        help="also time the warehouse query's DuckDB dialect over the NDJSON")
    options = parser.parse_args()
    for events in (int(p) for p in options.plans.split(",")):
        bench_plan(events, options.count, options.engine_sql)


if __name__ == "__main__":
    main()
