"""Renderers of a validation result: text (a person at a terminal), json (scripts, pinned fields), markdown."""
