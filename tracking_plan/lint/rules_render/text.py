"""The rules at a terminal: a table (a block per rule when the terminal is narrow), or one rule explained."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from tracking_plan.lint.rules_render import RulesListing, preset
from tracking_plan.lint.rules_render import markdown as markdown_render

_NARROW = 100


class _RulesTable:
    """The list, laid out for the width it is printed at."""

    def __init__(self, listing: RulesListing) -> None:
        self.listing = listing

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width < _NARROW:  # a narrow terminal: one rule per block, its summary on its own line
            for rule in self.listing.rules:
                yield Text(f"{rule.id}  ({rule.severity.value}, {preset(rule)})", style="bold")
                yield Text(f"    {rule.summary}")
        else:
            table = Table(box=None, pad_edge=False)
            table.add_column("rule", no_wrap=True)
            table.add_column("severity", no_wrap=True)
            table.add_column("preset", no_wrap=True)
            table.add_column("what it checks", ratio=1)
            for rule in self.listing.rules:
                table.add_row(rule.id, rule.severity.value, preset(rule), rule.summary)
            yield table
        yield Text("\n'tracking-plan rules RULE-ID' explains one rule, with examples.")


def render(listing: RulesListing) -> Markdown | _RulesTable:
    return Markdown(markdown_render.render(listing)) if listing.one else _RulesTable(listing)
