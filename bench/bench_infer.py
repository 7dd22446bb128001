"""Benchmark: `tracking-plan infer` on N collected events (default 1,000,000) over the synthetic plan's 200 events,
as NDJSON and as Parquet, against `tracking-plan validate` on the same data (the same reading, with the checks
instead of the statistics) in one run. Prints events/s, peak memory and the ratio (the goal: within 1.5x of
validate's time, under 1 GB).

Run: python bench/bench_infer.py [N]
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import make_data, timed
from common import WORK, tracking_plan_command
from synth import write_plan


def main(count: int) -> None:
    work = WORK / "infer"
    plan_dir = work / "plan"
    if not plan_dir.exists():
        write_plan(plan_dir, events=200, files=10, library=100)
    ndjson = work / f"events-{count}.ndjson"
    parquet = ndjson.with_suffix(".parquet")
    if not ndjson.exists():
        make_data(plan_dir, ndjson, count)
    if not parquet.exists():
        import duckdb

        duckdb.sql(f"COPY (SELECT * FROM read_json('{ndjson}', columns = {{'type': 'VARCHAR', 'event': 'VARCHAR', "
                   f"'properties': 'JSON', 'timestamp': 'VARCHAR', 'context': 'JSON'}})) TO '{parquet}' "
                   f"(FORMAT parquet)")
    command = tracking_plan_command()
    print(f"{count:,} messages over 200 events")
    for label, source in (("NDJSON", ndjson), ("Parquet", parquet)):
        out = work / f"inferred-{label.lower()}"
        shutil.rmtree(out, ignore_errors=True)
        infer_s, infer_peak, _ = timed([*command, "infer", str(source), "--out", str(out)])
        validate_s, validate_peak, _ = timed([*command, "validate", str(source), "--plan", str(plan_dir),
                                              "--fail-on", "never", "--format", "json"])
        print(f"{label:8} infer    {infer_s:6.2f} s  {count / infer_s:12,.0f} events/s  "
              f"peak {infer_peak / 2**20:6.0f} MiB")
        print(f"{label:8} validate {validate_s:6.2f} s  {count / validate_s:12,.0f} events/s  "
              f"peak {validate_peak / 2**20:6.0f} MiB")
        print(f"{label:8} infer / validate: {infer_s / validate_s:.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
