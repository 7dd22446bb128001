"""Renderers of locally computed metrics: pure functions of the results."""
