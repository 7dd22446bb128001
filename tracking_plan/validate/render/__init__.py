"""Renderers of a validation result: text (a person at a terminal), json (scripts, pinned fields), markdown."""

FORMATS = ("text", "json", "markdown", "html")
"""The formats, in the order `--format` lists them: each is the module `FORMAT.py` here, with `render(...)`."""
