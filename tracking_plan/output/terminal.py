"""Plan text shown to a person: control characters made visible, so that a name cannot drive the terminal.

An event named `\\x1b[2J` would clear the screen, and `\\x1b]8;;http://...\\x1b\\\\` would plant a link, if written
raw to a terminal or a CI log. Every human output (text, GitHub annotations, messages) goes through `visible`.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text with control characters (and bidirectional overrides) spelled as escapes; line breaks and tabs kept."""
    return _CONTROL.sub(_escaped, text)


_LINE_BREAKS = re.compile("[\n\r\t]")


def visible_name(name: str) -> str:
    """A file name or other one-line text: as `visible`, and line breaks and tabs escaped too, so that a file named
    `a\\nsrc/x.ts:1:1 error ...` cannot forge a line of output."""
    return _LINE_BREAKS.sub(_escaped, visible(name))
