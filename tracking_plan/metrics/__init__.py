"""Metrics: the plan's indicators as queries over the collected events, in the team's warehouse (sql.py), or
computed here over collected files (local.py)."""

from __future__ import annotations

from collections.abc import Iterable

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.model import Plan


def check_metric_names(plan: Plan, names: Iterable[str]) -> None:
    """Refuse a `--metric` the plan does not define, guessing the one meant."""
    unknown = [name for name in names if name not in plan.metrics]
    if unknown:
        from tracking_plan.core.naming import closest_name

        guess = closest_name(unknown[0], plan.metrics)
        raise UsageError(f"The plan has no metric '{unknown[0]}'." + (f" Did you mean '{guess}'?" if guess else ""),
                         f"Its metrics: {', '.join(sorted(plan.metrics)) or 'none'}.")
