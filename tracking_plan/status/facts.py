"""The facts status reads from one file: the calls that send events (tracker and SDK calls), the calls that may
reach a wrapper, and the functions' parameters. They depend on the file's bytes alone, so they are cached by content
(scan.py) and matched against the plan afterwards (resolve.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Value(NamedTuple):
    """One argument as status reads it. (Named tuples: thousands are rebuilt from the cache on every run.)"""

    label: str | None
    text: str
    """Its source, shortened: what a dynamic name is shown as."""
    literal: str | None = None
    """A string literal's value, or a string constant's the name refers to."""
    param: int | None = None
    """It is the enclosing function's parameter with this index (a wrapper forwards it)."""
    keys: tuple[str, ...] | None = None
    """The literal keys of an object, dict, map or bundle written inline."""
    open: bool = False
    """Not every key is literal (a spread, `**kwargs`): keys may be missing from `keys`."""

    def dump(self) -> list[Any]:
        return [self.label, self.text, self.literal, self.param, list(self.keys) if self.keys is not None else None,
                self.open]

    @classmethod
    def load(cls, raw: list[Any]) -> Value:
        return cls(raw[0], raw[1], raw[2], raw[3], tuple(raw[4]) if raw[4] is not None else None, bool(raw[5]))


class Call(NamedTuple):
    kind: str
    """tracker (a generated method), sdk (a vendor's track/logEvent), page or screen (a Segment or RudderStack
    client's page() or screen()) or call (any other call with arguments: a wrapper's caller, once wrappers are
    known)."""
    callee: str
    """tracker: the method; sdk, page, screen: the vendor; call: the function's name."""
    line: int
    column: int
    name: Value | None = None
    props: Value | None = None
    args: tuple[Value, ...] = ()
    function: str | None = None
    """The function the call is written in."""

    def dump(self) -> list[Any]:
        return [self.kind, self.callee, self.line, self.column, self.name.dump() if self.name else None,
                self.props.dump() if self.props else None, [a.dump() for a in self.args], self.function]

    @classmethod
    def load(cls, raw: list[Any]) -> Call:
        return cls(raw[0], raw[1], raw[2], raw[3], Value.load(raw[4]) if raw[4] else None,
                   Value.load(raw[5]) if raw[5] else None, tuple(Value.load(a) for a in raw[6]), raw[7])


@dataclass(frozen=True)
class FileFacts:
    language: str
    calls: tuple[Call, ...]
    """Tracker and SDK calls, and the calls passing a parameter on (a wrapper of a wrapper, perhaps)."""
    functions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Parameter names of the functions defined in the file (to match labelled arguments to a wrapper)."""
    generated: bool = False
    """The file says it is generated (tracking-plan's own trackers, protobuf...): not scanned."""
    calls_to: dict[str, tuple[Call, ...]] = field(default_factory=dict)
    """Other calls passing a literal or a parameter on, by function name: they matter only if that function is a
    wrapper, which other files may tell, so they are kept apart (the cache reads those of the wrappers found)."""
