"""Renderers of locally computed metrics: pure functions of the results."""

FORMATS = ("text", "json")
"""The formats, in the order `--format` lists them: each is the module `FORMAT.py` here, with `render(...)`."""
