"""Markdown helpers shared by the diff comment and the report."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~])")


def escape(text: str | None) -> str:
    """Plan text is data: no Markdown, HTML or table syntax from it may take effect."""
    if not text:
        return ""
    return _SPECIAL.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")
