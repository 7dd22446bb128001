"""Words of a name, naming styles, and conversions between them.

Lint (style rules, identifier collisions), destination name transforms and code generators all
split names the same way, so `Order Completed`, `order_completed` and `orderCompleted` are the
same words everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+|[^\W\d_]+", re.UNICODE)

STYLE_PATTERNS: dict[str, re.Pattern[str]] = {
    "title_case": re.compile(r"^[A-Z0-9][A-Za-z0-9]*( [A-Z0-9][A-Za-z0-9]*)*$"),
    "sentence_case": re.compile(r"^[A-Z0-9][a-z0-9]*( [a-z0-9]+)*$"),
    "snake_case": re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"),
    "camel_case": re.compile(r"^[a-z][a-zA-Z0-9]*$"),
    "pascal_case": re.compile(r"^[A-Z][a-zA-Z0-9]*$"),
    "kebab_case": re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"),
}
STYLE_EXAMPLES = {
    "title_case": "Order Completed",
    "sentence_case": "Order completed",
    "snake_case": "order_completed",
    "camel_case": "orderCompleted",
    "pascal_case": "OrderCompleted",
    "kebab_case": "order-completed",
    "any": "any name",
}


@lru_cache(maxsize=65536)
def words(name: str) -> tuple[str, ...]:
    """Lower-case words: `Order Completed`, `orderCompleted`, `order-completed` → ('order', 'completed')."""
    return tuple(w.lower() for w in _WORD.findall(name))


def _title(words_: tuple[str, ...]) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in words_)


def _sentence(words_: tuple[str, ...]) -> str:
    text = " ".join(words_)
    return text[:1].upper() + text[1:]


def _camel(words_: tuple[str, ...]) -> str:
    return words_[0] + "".join(w[:1].upper() + w[1:] for w in words_[1:]) if words_ else ""


CONVERTERS: dict[str, Callable[[tuple[str, ...]], str]] = {
    "title_case": _title,
    "sentence_case": _sentence,
    "snake_case": "_".join,
    "camel_case": _camel,
    "pascal_case": lambda w: "".join(x[:1].upper() + x[1:] for x in w),
    "kebab_case": "-".join,
}


def matches_style(name: str, style: str) -> bool:
    pattern = STYLE_PATTERNS.get(style)
    return pattern is None or pattern.match(name) is not None


@lru_cache(maxsize=65536)
def convert(name: str, style: str) -> str:
    """The name in another style; 'as_is' and 'any' keep it unchanged."""
    converter = CONVERTERS.get(style)
    return name if converter is None else converter(words(name))


def identifier_key(name: str) -> str:
    """What a name becomes in generated code, up to case: names with the same key collide."""
    return "_".join(words(name))


def closest_name(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate a mistyped name most likely meant (`Checkout Startd` → `Checkout Started`), or None."""
    import difflib

    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """` Did you mean 'x'?` after a message about an unknown name, or nothing when no name is close."""
    match = closest_name(name, candidates)
    return f" Did you mean '{match}'?" if match else ""
