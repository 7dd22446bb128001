"""KEY=VALUE options (`--column`, `--platform`, `-o`): read one way; any text is a pair or a usage error."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracking_plan.core.diagnostics import UsageError
from tracking_plan.core.options import key_values


def test_pairs_are_stripped_and_the_last_wins() -> None:
    assert key_values([" properties = props ", "a=b=c", "a=d"], "--column", "k=v") == {"properties": "props",
                                                                                       "a": "d"}


@pytest.mark.parametrize("item", ["novalue", "=x", "x=", " = ", ""])
def test_a_half_pair_names_the_option(item: str) -> None:
    with pytest.raises(UsageError) as refused:
        key_values([item], "--platform", "ios=App/iOS", "NAME=PATH")
    assert refused.value.message.startswith("--platform takes NAME=PATH") and "ios=App/iOS" in str(refused.value.hint)


@given(st.lists(st.text(max_size=20), max_size=5))
def test_any_text_is_a_pair_or_a_usage_error(items: list[str]) -> None:
    try:
        pairs = key_values(items, "--column", "k=v")
    except UsageError:
        return
    for item in items:
        key, _, value = item.partition("=")
        assert key.strip() in pairs and value.strip()
