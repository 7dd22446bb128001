"""`validate`'s own option values: the `--fail-on` threshold and the `--since` window, refused as usage errors
before any data is read, and what makes the run fail."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from tracking_plan.conformance.result import ValidationResult
from tracking_plan.core.diagnostics import UsageError

_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def fail_threshold(fail_on: str) -> float | None:
    """The share of valid events (in percent) below which validate fails; None for `any` and `never`."""
    if fail_on in ("any", "never"):
        return None
    try:
        threshold = float(fail_on.rstrip("%"))
    except ValueError:
        threshold = math.nan
    if not 0 <= threshold <= 100:  # NaN too
        raise UsageError(f"--fail-on takes any, never or a percentage from 0 to 100, not '{fail_on}'.",
                         "--fail-on 99.5")
    return threshold


def since_window(since: str | None) -> timedelta | None:
    """`--since 7d` (days, hours or minutes) as a duration."""
    if since is None:
        return None
    match = re.fullmatch(r"(\d+)([dhm])", since)
    if match is None:
        raise UsageError(f"--since takes a duration like 7d, 12h or 30m, not '{since}'.", None)
    return timedelta(**{_UNITS[match[2]]: int(match[1])})


def failed(result: ValidationResult, fail_on: str) -> bool:
    """Whether the result fails `--fail-on`: any invalid event, never, or a share of valid events too low."""
    if fail_on == "never":
        return False
    threshold = fail_threshold(fail_on)
    if threshold is not None:
        rate = 100 * result.valid / result.total if result.total else 100.0
        return rate < threshold
    return result.valid < result.total


def checked_sources(sources: list[str], from_sql_result: str | None) -> None:
    """Refuse a run with nothing to read, or with both files and a query's result."""
    if from_sql_result is not None and sources:
        raise UsageError("--from-sql-result reads the query's result, not SOURCE files.",
                         "Pass either SOURCE... or --from-sql-result FILE.")
    if from_sql_result is None and not sources:
        raise UsageError("Nothing to validate: name the collected events.",
                         "tracking-plan validate events.ndjson (or --sql DIALECT --table NAME for a warehouse).")


def checked_warehouse_options(sql: str | None, rules_table: str | None, rules_out: object | None) -> None:
    """The options that go only with --sql."""
    if sql is None and (rules_table is not None or rules_out is not None):
        raise UsageError("--rules-table and --rules-out go with --sql.",
                         "tracking-plan validate --sql bigquery --table T --rules-table R --rules-out rules.csv")
