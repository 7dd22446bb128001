"""Bad input never crashes: mangled copies of the example plan (truncated files, stray bytes, swapped
lines) must give findings or a clean result through every command, never an internal error."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE_PLAN, Run

MUTATIONS = 40


def mangle(text: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(5)
    position = rng.randrange(len(text) + 1)
    if choice == 0:
        return text[:position]
    if choice == 1:
        return text[:position] + bytes([rng.randrange(256)]) + text[position:]
    if choice == 2:
        junk = rng.choice([b": ", b"- ", b"{", b"}", b"[", b"&a ", b"*a", b"<<: ", b"\t", b'"', b"!!binary ", b"\n  "])
        return text[:position] + junk + text[position:]
    lines = text.split(b"\n")
    if choice == 3 and len(lines) > 2:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    return text.replace(b"  ", b" ", rng.randrange(1, 5))


@pytest.mark.parametrize("seed", range(MUTATIONS))
def test_mangled_plans_never_crash(cli: Callable[..., Run], tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    plan = tmp_path / "plan"
    shutil.copytree(EXAMPLE_PLAN, plan)
    files = sorted(plan.rglob("*.yaml"))
    for target in rng.sample(files, k=rng.randint(1, 3)):
        target.write_bytes(mangle(target.read_bytes(), rng))
    for args in (["lint", str(plan)], ["lint", str(plan), "--format", "sarif"],
                 ["report", str(plan), "--format", "json", "--no-history"],
                 ["generate", "typescript", str(plan), "--out", str(tmp_path / "out"), "--check"],
                 ["diff", str(EXAMPLE_PLAN), str(plan), "--format", "json"],
                 ["export", "segment", str(plan), "--out", str(tmp_path / "segment.json")]):
        run = cli(*args)
        assert run.code in (0, 1), f"{args}: exit {run.code}\n{run.err}"
        assert "internal error" not in run.err and "Traceback" not in run.err + run.out
