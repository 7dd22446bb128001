"""The one validation model that `validate` (collected data) and `collect` (live events) share: the checks, each
with a stable id like lint's rules, and the result of checking events against the plan."""
