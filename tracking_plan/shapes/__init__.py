"""The plan projected onto the wire and the warehouse: the JSON Schema of each event's payload (jsonschema.py),
its tables and columns per destination (columns.py), one collected message read as the checks see it
(messages.py), and example payloads (examples.py)."""
