"""Renderers of a diff: text, Markdown (a pull-request comment) and JSON."""
