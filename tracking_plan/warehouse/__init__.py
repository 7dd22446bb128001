"""The warehouse side shared by `validate --sql` and `metrics --sql`: the table of collected events as each
warehouse reads it (table.py) and what each one calls the JSON operations sqlglot does not translate
(dialects.py)."""
