"""When work may use a second core: a forked worker, which inherits what this process built (the plan) instead
of receiving a copy. `TRACKING_PLAN_JOBS=1` keeps everything in one process (a CI runner's quota, debugging)."""

from __future__ import annotations

import os


def can_fork() -> bool:
    """Whether a forked worker may run beside this process: more than one core allowed, and fork available."""
    if not hasattr(os, "fork"):
        return False
    wanted = os.environ.get("TRACKING_PLAN_JOBS", "").strip()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if wanted.isdigit():
        cores = min(cores, int(wanted))
    return cores > 1
