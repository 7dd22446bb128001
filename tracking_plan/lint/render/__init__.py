"""Renderers of lint findings: text, JSON, SARIF and GitHub annotations."""

FORMATS = ("text", "json", "sarif", "github")
"""The formats, in the order `--format` lists them: each is the module `FORMAT.py` here, with `render(...)`."""
