"""The plan projected onto the wire: the JSON Schema of each event's payload."""
