"""Renderers of lint findings: text, JSON, SARIF and GitHub annotations."""
