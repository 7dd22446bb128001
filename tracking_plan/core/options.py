"""Command-line values of the form KEY=VALUE (`--column properties=props`, `--platform ios=App/iOS`,
`-o package=com.shop`), read one way in every command."""

from __future__ import annotations

from collections.abc import Iterable

from tracking_plan.core.diagnostics import UsageError


def key_values(items: Iterable[str], option: str, example: str, what: str = "KEY=VALUE",
               strip: bool = True) -> dict[str, str]:
    """The pairs, both sides stripped of spaces (unless `strip` is False: a value written into code is checked as
    it was given, a trailing line break included); one without `=`, or with an empty side, is a usage error naming
    the option and showing an example. A key given twice keeps its last value, as repeated options do."""
    pairs: dict[str, str] = {}
    for item in items:
        key, equals, value = item.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise UsageError(f"{option} takes {what}, not '{item}'.", f"For example: {option} {example}")
        pairs[key.strip()] = value.strip() if strip else value
    return pairs
