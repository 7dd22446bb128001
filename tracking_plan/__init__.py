"""tracking-plan: keep an analytics tracking plan as YAML in git, and lint, diff, generate and report on it."""

__version__ = "0.1.0"
