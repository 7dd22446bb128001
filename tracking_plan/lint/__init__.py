"""Lint: the loader's diagnostics plus the findings of every enabled rule (engine.py), one rule per file
(rules/), rendered by render/."""
