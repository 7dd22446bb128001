"""Renderers of the report: HTML (a self-contained catalog), Markdown and JSON."""

FORMATS = ("html", "markdown", "json")
"""The formats, in the order `--format` lists them: each is the module `FORMAT.py` here, with `render(...)`."""
