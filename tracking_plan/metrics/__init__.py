"""Metrics: the plan's indicators as queries over the collected events, in the team's warehouse."""
