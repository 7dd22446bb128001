"""Benchmark: `tracking-plan report` with git history on a generated repository of 2,000 commits over
the 5,000-event plan (built with git fast-import), against the report without history and the bare
YAML parse of the plan. Prints times, how many blobs the history read, and the ratios.

Run: python bench/bench_report.py [--commits N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bare_parse, best_of, plan_size, run, tracking_plan_command
from synth import write_plan


def build_repository(repo: Path, plan: Path, commits: int) -> int:
    """One commit with the whole plan, then commits that each edit one events file (a month apart
    every 100 commits). Returns how many distinct blobs the plan's history holds."""
    files = sorted(p for p in plan.rglob("*.yaml"))
    events = [p for p in files if "/events/" in p.as_posix()]
    stream: list[bytes] = []
    mark = 0
    start = 1_600_000_000

    def data(text: bytes) -> None:
        stream.append(b"data %d\n" % len(text) + text + b"\n")

    def commit(message: str, when: int, changes: list[tuple[str, bytes]]) -> None:
        nonlocal mark
        mark += 1
        stream.append(b"commit refs/heads/main\nmark :%d\n" % mark)
        stream.append(b"author Bench <bench@example.com> %d +0000\n" % when)
        stream.append(b"committer Bench <bench@example.com> %d +0000\n" % when)
        data(message.encode())
        if mark > 1:
            stream.append(b"from :%d\n" % (mark - 1))
        for path, content in changes:
            stream.append(f"M 100644 inline plan/{path}\n".encode())
            data(content)

    commit("the plan", start, [(p.relative_to(plan).as_posix(), p.read_bytes()) for p in files])
    contents = {p: p.read_text(encoding="utf-8") for p in events}
    blobs = len(files)
    for n in range(1, commits):
        path = events[n % len(events)]
        text = contents[path]
        if n % 3 == 0:  # add an event
            text += f"  Bench Event {n} Happened:\n    description: Added by commit {n}.\n    owner: discovery\n"
        else:  # edit a description
            text = text.replace("Fires when the user", f"Fires (rev {n}) when the user", 1)
        contents[path] = text
        commit(f"change {n}", start + n * 30_000, [(path.relative_to(plan).as_posix(), text.encode())])
        blobs += 1
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)
    return blobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commits", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as work_dir:
        work = Path(work_dir)
        source = write_plan(work / "source")
        repo = work / "repo"
        started = time.perf_counter()
        blobs = build_repository(repo, source, args.commits)
        print(f"plan: 5000 events, {plan_size(source)}; repository of {args.commits} commits built in "
              f"{time.perf_counter() - started:.1f} s ({blobs} blob versions of plan files)")
        plan = repo / "plan"
        parse = best_of(lambda: bare_parse([plan]), runs=2)
        command = [*tracking_plan_command(), "report", str(plan), "--format", "json", "--out"]
        timings = {}
        for label, extra in (("without history", ["--no-history"]), ("with history", [])):
            start = time.perf_counter()
            proc = run([*command, str(work / f"report-{len(extra)}.json"), *extra])
            timings[label] = time.perf_counter() - start
            assert proc.returncode == 0, proc.stderr.decode()
        history_cost = timings["with history"] - timings["without history"]
        print(f"bare yaml.CSafeLoader parse of the plan : {parse:.3f} s")
        print(f"tracking-plan report, no history        : {timings['without history']:.3f} s")
        print(f"tracking-plan report, with history      : {timings['with history']:.3f} s")
        print(f"history alone ({args.commits} commits)        : {history_cost:.3f} s "
              f"({history_cost / args.commits * 1000:.2f} ms per commit)")
        print(f"ratio report with history / bare parse  : {timings['with history'] / parse:.2f}x")
        html_catalog(plan, work)


TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def timed_search(page: Any, word: str) -> float:
    """From typing to drawn results, as a reader sees it: Playwright's `fill` (focus, type, the input event),
    then two animation frames (the results laid out and painted), in milliseconds."""
    start = time.perf_counter()
    page.fill("#search", word)
    page.evaluate(TWO_FRAMES)
    return (time.perf_counter() - start) * 1000


def html_catalog(plan: Path, work: Path) -> None:
    """The HTML catalog of the 5,000-event plan: build time against the JSON report's, size, and in Debian's
    Chromium (Playwright) the load time and how long a search takes to show its result."""
    builds = {}
    for fmt in ("json", "html"):
        out = work / f"catalog.{fmt}"
        start = time.perf_counter()
        proc = run([*tracking_plan_command(), "report", str(plan), "--format", fmt, "--no-history", "--out", str(out)])
        builds[fmt] = time.perf_counter() - start
        assert proc.returncode == 0, proc.stderr.decode()
    size = (work / "catalog.html").stat().st_size
    print(f"report --format json (no history)       : {builds['json']:.2f} s")
    print(f"report --format html (no history)       : {builds['html']:.2f} s, {size / 1e6:.1f} MB "
          f"(ratio {builds['html'] / builds['json']:.2f}x the JSON report, goal <= 1.3x; goal <= 8 MB)")
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print("chromium or playwright not installed: no load and search times")
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        loads, searches = [], []
        for _ in range(3):
            page = browser.new_page()
            start = time.perf_counter()
            page.goto((work / "catalog.html").as_uri(), wait_until="load")
            page.evaluate(TWO_FRAMES)
            loads.append(time.perf_counter() - start)
            searches.append(max(timed_search(page, word) for word in ("checkout", "value_12", "zzzz", "")))
            page.close()
        browser.close()
    print(f"Chromium: load {min(loads):.2f} s (goal <= 1.5 s), slowest search shown after "
          f"{min(searches):.0f} ms (goal <= 150 ms), best of 3")


if __name__ == "__main__":
    main()
