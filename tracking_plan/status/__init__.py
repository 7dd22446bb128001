"""`tracking-plan status`: which planned events the code really sends, per platform, read from the source with
tree-sitter (syntax.py), cached by content and parsed on every core (scan.py), matched against the plan
(resolve.py) into one result (model.py) that the renderers and the report read."""
