"""The loader's checks, described as rules so that `tracking-plan rules`, the docs and SARIF know them.

They always run and are always errors: a plan that breaks them cannot be read as written.
"""

from __future__ import annotations

from tracking_plan.core.diagnostics import Severity
from tracking_plan.lint.rule import Rule


def _structural(rule_id: str, summary: str, explanation: str, bad: str, good: str) -> Rule:
    return Rule(rule_id, summary, explanation, bad, good, scope="plan", severity=Severity.ERROR, preset="minimal")


STRUCTURAL_RULES: tuple[Rule, ...] = (
    _structural("yaml-syntax", "The file is not valid YAML.",
                "Unclosed quotes, tabs used for indentation, misaligned keys or several documents in one file stop "
                "the file from being read at all.",
                'events:\n  Order Completed: {description: "unclosed}\n',
                'events:\n  Order Completed: {description: "closed"}\n'),
    _structural("encoding", "The file is not UTF-8 text.",
                "Plan files are read as UTF-8; a byte-order mark and CRLF line endings are fine.",
                "(a file saved as Latin-1 with 'Café')", "(the same file saved as UTF-8)"),
    _structural("duplicate-key", "A key is written twice in one mapping.",
                "Plain YAML silently keeps the last of two equal keys, so half of what was written is lost.",
                "Order Completed:\n  description: First.\n  description: Second.\n",
                "Order Completed:\n  description: First.\n"),
    _structural("duplicate-definition", "An event or property is defined twice.",
                "The same event, library property, trait or global property defined in two places (one file or "
                "two) makes it unclear which definition holds.",
                "# events/a.yaml and events/b.yaml both define:\nevents:\n  Order Completed: {...}\n",
                "# only events/a.yaml defines it\n"),
    _structural("unknown-key", "A key the plan format does not have.",
                "Usually a typo; the message suggests the closest known key. Keys starting with x- are ignored.",
                "Order Completed:\n  descripton: Done.\n", "Order Completed:\n  description: Done.\n"),
    _structural("missing-key", "The root file lacks plan or version.",
                "tracking-plan.yaml must say which plan it is and its semantic version.",
                "title: My plan\n", "plan: my-plan\nversion: 1.0.0\n"),
    _structural("invalid-value", "A value of the wrong kind.",
                "Text where a list is expected, a status that does not exist, a number where text is expected "
                "(quote it), a version that is not semantic.",
                "status: actve\nplatforms: web\n", "status: active\nplatforms: [web]\n"),
    _structural("invalid-name", "An empty event or property name.", "Every event and property needs a name.",
                'events:\n  "": {}\n', "events:\n  Order Completed: {}\n"),
    _structural("invalid-key", "A list or mapping used as a key.", "Keys must be plain names.",
                "events:\n  ? [a, b]\n  : {}\n", "events:\n  A B: {}\n"),
    _structural("invalid-merge", "'<<' not followed by a mapping.",
                "A merge key takes an alias to a mapping, or a list of them.",
                "properties:\n  <<: *a_list\n", "properties:\n  <<: *common_properties\n"),
    _structural("unresolved-ref", "A property refers to a library property that does not exist.",
                "A property with ref, or with neither type nor ref, uses a library definition; that definition "
                "must exist, and refs must not loop.",
                "revenue: {ref: pricee}\n", "revenue: {ref: price}\n"),
    _structural("missing-type", "A library property has neither type nor ref.",
                "Library definitions are what events reuse; each needs a type.",
                "properties:\n  price: {description: Price.}\n",
                "properties:\n  price: {type: number, description: Price.}\n"),
    _structural("yaml-tag", "A YAML tag such as !include.", "Plan files use plain values; tags are not supported.",
                "description: !include text.md\n", "description: The order was created.\n"),
    _structural("recursive-alias", "An anchor whose value contains an alias to itself.",
                "Such a value would be infinitely deep.", "a: &a [*a]\n", "a: &a [1, 2]\nb: *a\n"),
    _structural("alias-bomb", "Aliases expand to far more values than the file holds.",
                "A 'billion laughs' file: a few lines of nested aliases that would expand to billions of values. "
                "Refused before it is expanded.",
                "x-a: &a [lol, lol, lol]\nx-b: &b [*a, *a, *a]\n# ...nine levels deep\n",
                "x-common: &common {required: true}\n"),
    _structural("file-too-large", "A plan file over 8 MiB.",
                "Hand-written plan files are far smaller; split a large file by feature or squad.",
                "(a 20 MB events.yaml)", "(events split into files per squad)"),
    _structural("unreadable-file", "A plan file cannot be read.", "Missing permissions or a dangling link.",
                "(events/a.yaml -> missing.yaml)", "(a regular, readable file)"),
    _structural("lint-config", "The lint or destination_settings section is wrong.",
                "An unknown rule id, severity, option or preset in lint:, or an unknown destination or transform "
                "in destination_settings:.",
                "lint:\n  rules:\n    missing-trigger: of\n", "lint:\n  rules:\n    missing-trigger: off\n"),
    _structural("baseline", "The baseline file cannot be read.",
                "A baseline written by 'tracking-plan lint --write-baseline' lists findings to leave out.",
                "lint: {baseline: missing.json}\n", "lint: {baseline: lint-baseline.json}\n"),
)
