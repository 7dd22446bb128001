"""What README's "Guarantees" promise, tested the hard way: processes killed mid-write, and every command under a
memory limit on inputs built to exhaust it."""

from __future__ import annotations

import json
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EVENTS = 1500


def _plan(folder: Path, version: str) -> Path:
    (folder / "events").mkdir(parents=True, exist_ok=True)
    (folder / "tracking-plan.yaml").write_text(f"plan: big\nversion: {version}\n", encoding="utf-8")
    body = "".join(f"  Event {i}:\n    properties:\n      p{i}: {{type: string}}\n" for i in range(EVENTS))
    (folder / "events" / "all.yaml").write_text("events:\n" + body, encoding="utf-8")
    return folder


def _schemas(out: Path) -> list[Path]:
    return [p for p in out.glob("*.json") if not p.name.startswith(".")]


def _versions(out: Path) -> set[str]:
    """The plan versions the schemas in `out` were generated from: one, if the folder is never a mix."""
    found = set()
    for path in _schemas(out):
        document = json.loads(path.read_text(encoding="utf-8"))
        found.add(document.get("x-tracking-plan", {}).get("plan_version", "identify"))
    return found - {"identify"}


def test_a_killed_generate_leaves_the_old_set_or_the_new_one(tmp_path: Path) -> None:
    plan = _plan(tmp_path / "plan", "1.0.0")
    out = tmp_path / "schemas"
    command = [sys.executable, "-m", "tracking_plan", "generate", "jsonschema", str(plan), "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    assert _versions(out) == {"1.0.0"} and len(_schemas(out)) == EVENTS + 1
    rng = random.Random(7)
    landed = 0
    for attempt in range(6):
        _plan(plan, f"1.0.{attempt + 1}")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if attempt % 2:  # at a random moment
            time.sleep(rng.uniform(0.2, 2.5))
        else:  # the moment the new set is being written (its staging folder exists): the kill lands mid-write
            while process.poll() is None and not any(".tp-" in p.name for p in [*tmp_path.iterdir(), *out.iterdir()]):
                time.sleep(0.002)
            landed += process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        versions = _versions(out)
        assert len(versions) == 1, f"a mix after a kill: {sorted(versions)}"
        assert len(_schemas(out)) == EVENTS + 1
    assert landed >= 2, "no kill landed while the new set was being written: the test proved nothing"
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    assert _versions(out) == {"1.0.6"}
    leftovers = [p.name for p in [*tmp_path.iterdir(), *out.iterdir()] if ".tp-" in p.name]
    assert leftovers == [], leftovers  # what killed runs left is cleaned by the next run


def test_a_killed_import_leaves_nothing_or_the_whole_plan(tmp_path: Path) -> None:
    rules = [{"key": f"Event {i}", "type": "TRACK", "jsonSchema": {"properties": {"properties": {"properties": {
        f"p{j}": {"type": "string"} for j in range(5)}}}}} for i in range(3000)]
    source = tmp_path / "plan.json"
    source.write_text(json.dumps({"rules": rules}), encoding="utf-8")
    out = tmp_path / "imported"
    command = [sys.executable, "-m", "tracking_plan", "import", "segment", str(source), "--out", str(out)]
    for delay in (0.3, 0.8, 1.5):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert not out.exists() or (out / ".tracking-plan-import.json").is_file()
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)  # a re-run is never refused
    assert run.returncode == 0, run.stderr
    assert [p.name for p in tmp_path.iterdir() if ".tp-" in p.name] == []


MEMORY_LIMIT = 1536 * 1024 * 1024


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _bomb(folder: Path) -> Path:
    (folder / "events").mkdir(parents=True)
    (folder / "tracking-plan.yaml").write_text("plan: p\nversion: 1.0.0\n", encoding="utf-8")
    text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 10):
        text += f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]\n"
    (folder / "events" / "bomb.yaml").write_text(text + "events: {E: {tags: *a9}}\n", encoding="utf-8")
    (folder / "events" / "zero.yaml").symlink_to("/dev/zero")
    (folder / "events" / "big.yaml").write_bytes(b"events:\n" + b"# padding\n" * 1_000_000)
    return folder


@pytest.mark.parametrize("args", [["lint"], ["report", "--format", "json", "--no-history"],
                                  ["export", "segment"], ["generate", "jsonschema", "--out", "{tmp}/out"]])
def test_every_command_stays_within_limits_on_resource_attacks(tmp_path: Path, args: list[str]) -> None:
    plan = _bomb(tmp_path / "plan")
    command = [sys.executable, "-m", "tracking_plan", args[0], str(plan),
               *[a.replace("{tmp}", str(tmp_path)) for a in args[1:]]]
    start = time.monotonic()
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, preexec_fn=_limited)
    assert run.returncode in (0, 1, 2), run.stderr[-2000:]
    assert "MemoryError" not in run.stderr and "internal error" not in run.stderr
    assert time.monotonic() - start < 60
