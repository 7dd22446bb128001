"""The plan core: model, loader, YAML source, schema, naming, destinations and diagnostics.

Every verb reads the plan through this package; it imports nothing outside itself.
"""
