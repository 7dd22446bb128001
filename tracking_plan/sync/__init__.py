"""`pull` and `push`: the plan in git kept in step with the vendors' own registries (Segment Protocols...)."""
