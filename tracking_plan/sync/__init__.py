"""`pull` and `push`: the plan in git kept in step with the vendors' own registries (Segment Protocols...)."""

VENDORS = ("segment", "amplitude", "mixpanel", "posthog", "rudderstack")
"""The vendors push and pull talk to, as the command line names them."""
