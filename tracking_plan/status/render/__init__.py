"""Renderers of a StatusResult, one module per --format, each a pure function of the result."""

FORMATS = ("text", "json", "markdown", "sarif", "github")
"""The formats, in the order `--format` lists them: each is the module `FORMAT.py` here, with `render(result)`."""
