"""The rules as Markdown: the page docs/rules.md is, or one rule's section."""

from __future__ import annotations

from tracking_plan.lint.docs import rule_markdown, rules_page
from tracking_plan.lint.rules_render import RulesListing


def render(listing: RulesListing) -> str:
    return rule_markdown(listing.rules[0]) if listing.one else rules_page(listing.rules)
