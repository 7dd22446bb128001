"""Renderers of what `infer` did: text (a terminal), markdown (a pull request: ready to paste), json (scripts)."""

FORMATS = ("text", "markdown", "json")
"""The formats, in the order `--format` lists them: each is the module `FORMAT.py` here, with `render(...)`."""
