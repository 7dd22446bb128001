"""Markdown helpers shared by the diff comment and the report."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~])")


def escape(text: str | None) -> str:
    """Plan text is data: no Markdown, HTML or table syntax from it may take effect."""
    if not text:
        return ""
    return _SPECIAL.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


def code(text: str | None) -> str:
    """Plan text as a code span, for a table cell: shown exactly as written (no backslash escapes, which
    GitHub would show), fenced with more backticks than it holds, its pipes escaped so the table holds."""
    value = (text or "").replace("\r", " ").replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {value} " if value.startswith("`") or value.endswith("`") or not value.strip() else value
    return f"{fence}{padded.replace('|', chr(92) + '|')}{fence}"
