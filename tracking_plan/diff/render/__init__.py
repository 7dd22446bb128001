"""Renderers of a diff: text, Markdown (a pull-request comment) and JSON."""

FORMATS = ("text", "markdown", "json")
"""The formats, in the order `--format` lists them: each is the module `FORMAT.py` here, with `render(...)`."""
