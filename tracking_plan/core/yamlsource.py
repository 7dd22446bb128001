"""Parse one YAML file into plain values that remember where they were written.

libyaml's C parser builds the node graph; this module turns it into dicts and lists
(`YMap`, `YList`) carrying 1-based line/column positions, and reports what plain
PyYAML lets through silently: duplicate keys, unknown tags, recursive aliases,
alias bombs, oversized files and bad encodings. It never raises on bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple, Protocol, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tracking_plan.core.diagnostics import Diagnostic, Location, Severity
from tracking_plan.core.files import FileRefused, is_within, read_regular

MAX_FILE_BYTES = 8 * 1024 * 1024
"""Larger plan files are refused: a hand-written plan file is a few hundred KiB at most."""

ALIAS_BUDGET = 100_000
"""Nodes that aliases may add beyond ten times the file's own nodes before the file counts as an alias bomb."""

class Position(Protocol):
    """A place in a file as libyaml marks it: line and column count from 0."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


class StartOfFile(NamedTuple):
    line: int = 0
    column: int = 0


START_OF_FILE = StartOfFile()


def at(file: str, pos: Position) -> Location:
    """The 1-based Location of a libyaml position."""
    return Location(file, pos.line + 1, pos.column + 1)

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_MAX = 65536


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's parser with a memo of implicit tags: plan files repeat the same plain words
    (keys, true, string...) thousands of times, and resolving each by regular expressions in
    Python is a third of the parse time."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
                    _PLAIN_TAGS[value] = tag
            return tag
        resolved: str = super().resolve(kind, value, implicit)
        return resolved
_constructor = yaml.constructor.SafeConstructor()

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_CONVERTED = {_INT: _constructor.construct_yaml_int, _FLOAT: _constructor.construct_yaml_float,
              _BOOL: _constructor.construct_yaml_bool}
_PLAIN_TEXT_TAGS = frozenset({"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"})


class YMap(dict[str, Any]):
    """A YAML mapping: its own position, and the position of each key and each value."""

    __slots__ = ("key_pos", "pos", "value_pos")

    def __init__(self, pos: Position) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Position] = {}
        self.value_pos: dict[str, Position] = {}


class YList(list[Any]):
    """A YAML sequence: its own position and the position of each item."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos: Position) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Position] = []


def to_plain(value: Any) -> Any:
    """The same value with plain dicts and lists, for code that writes it out again (YAML emitters)."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value


def read_yaml_file(path: Path, display: str, root: Path | None = None) -> tuple[Any, list[Diagnostic]]:
    """Read and parse one file; on any problem return None and the diagnostics that say why.

    Only a regular file inside `root` (links followed) is read, and at most MAX_FILE_BYTES of it: a link out of
    the plan, a device or a FIFO is refused, never read."""
    where = Location(display, 1, 1)
    if root is not None and not is_within(path, root):
        return None, [_error("unreadable-file", "This file is a link to a place outside the plan (or a broken "
                             "link), so it is not read.", where,
                             "Plan files must be inside the plan folder: copy the file in instead of linking it.")]
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except FileRefused as refused:
        if refused.kind == "too-large":
            return None, [_error("file-too-large", f"This file is larger than {MAX_FILE_BYTES // 1048576} MiB, the "
                                 "most a plan file may be.", where,
                                 "Split it into several files, one per feature or squad.")]
        return None, [_error("unreadable-file", f"Cannot read this file. {refused.message}", where, refused.hint)]
    return parse_yaml_bytes(data, display)


def parse_yaml_bytes(data: bytes, display: str) -> tuple[Any, list[Diagnostic]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            _error("encoding", "This file is not valid UTF-8 text.", Location(display, line, column),
                   "Save the file as UTF-8 (your editor's 'encoding' setting).")
        ]
    return parse_yaml_text(text, display)


def parse_yaml_text(text: str, display: str) -> tuple[Any, list[Diagnostic]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_diagnostic(exc, display, text)]
    except yaml.reader.ReaderError as exc:
        line, column = _line_col(text, exc.position)
        return None, [
            _error("yaml-syntax", f"This file contains a character YAML does not allow ({exc.character!r}).",
                   Location(display, line, column), "Remove the character or put the text in quotes.")
        ]
    except yaml.YAMLError as exc:
        return None, [_error("yaml-syntax", f"This file is not valid YAML: {exc}.", Location(display, 1, 1), None)]
    finally:
        loader.dispose()
    if node is None:
        return None, []
    builder = _Builder(display, text)
    try:
        return builder.build_document(node)
    finally:
        if builder.recursive:
            _break_cycles(node)


def _break_cycles(root: Node) -> None:
    """Empty every collection node of a graph that an alias made recursive: a cycle outlives the parse (the
    collector is paused while plans load, and what is left then is frozen), so it would never be freed."""
    pending, seen = [root], set()
    while pending:
        node = pending.pop()
        if id(node) in seen or node.__class__ is ScalarNode:
            continue
        seen.add(id(node))
        children = node.value
        node.value = []
        for child in children:
            pending.extend(child if isinstance(child, tuple) else (child,))


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_SYNTAX_HINTS = (
    ("expected a single document", "Keep one YAML document per file: remove the '---' separators."),
    ("found undefined alias", "Define the anchor (&name) before using it as *name."),
    ("mapping values are not allowed", "Put text containing ': ' in quotes, or check the indentation."),
    ("while scanning a quoted scalar", "Close the quotes: a quoted text must end with the same quote."),
    ("found character '\\t'", "Indent with spaces; YAML does not allow tabs."),
    ("could not find expected ':'", "Each entry needs 'key: value'; check quotes and indentation."),
    ("did not find expected key", "Check the indentation: entries of one mapping must line up."),
    ("exceeded maximum nesting depth", "Flatten the structure: it is nested too deeply."),
)


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, display: str, text: str = "") -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "unexpected content"
    context = f" ({exc.context})" if exc.context else ""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[:column] and "cannot start any token" in problem:  # PyYAML does not say it is a tab
        return _error("yaml-syntax", "This is not valid YAML: a tab indents this line, and YAML allows only "
                      "spaces for indentation.", Location(display, line, here.index("\t") + 1),
                      "Replace the tab with spaces (set your editor to insert spaces for YAML files).")
    hint = next((h for needle, h in _SYNTAX_HINTS if needle in f"{problem} {exc.context}"),
                "Check quotes, colons and indentation on this line and the one before.")
    start = exc.context_mark
    if start is not None and mark is not None and start.line != mark.line:
        hint = f"{hint} (The problem starts at line {start.line + 1}, column {start.column + 1}.)"
    return _error("yaml-syntax", f"This is not valid YAML: {problem}{context}.", Location(display, line, column), hint)


def _continues_text(key_node: Node, value_node: Node) -> bool:
    """A plain key with no colon and no value, inside a flow mapping: the rest of a text cut at a comma."""
    return (key_node.__class__ is ScalarNode and not key_node.style and key_node.tag == _STR
            and value_node.tag == _NULL and value_node.start_mark.index == key_node.end_mark.index)


def _error(rule: str, message: str, location: Location, hint: str | None) -> Diagnostic:
    return Diagnostic(rule, Severity.ERROR, message, location, hint)


class _Builder:
    """Turns a node graph into YMap/YList/scalars, converting each shared (aliased) node once."""

    def __init__(self, display: str, text: str) -> None:
        self.display = display
        self.text = text
        self.diagnostics: list[Diagnostic] = []
        self.done: dict[int, tuple[Any, int]] = {}
        self.active: set[int] = set()
        self.written = 0
        """Values written in the file (each node once)."""
        self.reused = 0
        """Values that aliases add by repeating nodes already built: what an alias bomb multiplies."""
        self.recursive = False
        """Whether an alias pointed at one of its own parents (the node graph holds a cycle)."""

    def build_document(self, node: Node) -> tuple[Any, list[Diagnostic]]:
        try:
            value, expanded = self.build(node)
        except RecursionError:
            return None, [self.error("yaml-syntax", "This file is nested too deeply to be a plan file.", node,
                                     "Flatten the structure.")]
        # Count what aliases add, not the file's size: one long list is not a bomb.
        if self.reused > 10 * self.written + ALIAS_BUDGET:
            return None, [self.error(
                "alias-bomb",
                f"Aliases in this file expand to {expanded:,} values, far more than it holds; "
                "this looks like an alias bomb.",
                node, "Use anchors and aliases to share small blocks, not to multiply them.")]
        return value, self.diagnostics

    def error(self, rule: str, message: str, node: Node, hint: str | None) -> Diagnostic:
        return _error(rule, message, at(self.display, node.start_mark), hint)

    def build(self, node: Node) -> tuple[Any, int]:
        """Return the value and how many values it expands to once aliases are followed."""
        if node.__class__ is ScalarNode:
            self.written += 1
            return self.scalar(node), 1
        key = id(node)
        done = self.done.get(key)
        if done is not None:
            self.reused += done[1]
            return done
        self.written += 1
        if key in self.active:
            self.recursive = True
            self.diagnostics.append(self.error(
                "recursive-alias", "The value anchored here contains an alias to itself.", node,
                "An alias cannot point at one of its own parents."))
            return None, 1
        self.active.add(key)
        result = self.mapping(node) if isinstance(node, MappingNode) else self.sequence(cast(SequenceNode, node))
        self.active.discard(key)
        self.done[key] = result
        return result

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag in _CONVERTED:
            try:
                return _CONVERTED[tag](node)
            except (ValueError, KeyError, TypeError, OverflowError, IndexError):
                kind = {_INT: "a whole number", _FLOAT: "a number", _BOOL: "true or false"}[tag]
                self.diagnostics.append(self.error(
                    "invalid-value", f"'{node.value[:40]}' cannot be read as {kind}"
                    + (" (more than 4,300 digits)." if tag == _INT and len(node.value) > 4300 else "."), node,
                    "Write a plain value, or quote it to make it text."))
                return node.value
        if tag in _PLAIN_TEXT_TAGS:
            return node.value
        self.diagnostics.append(self.error("yaml-tag", f"The YAML tag {tag!r} is not supported in plan files.", node,
                                           "Remove the tag: plan files use plain values."))
        return node.value

    def sequence(self, node: SequenceNode) -> tuple[YList, int]:
        items = YList(node.start_mark)
        positions = items.item_pos
        total = 1
        for child in node.value:
            value, size = self.build(child)
            items.append(value)
            positions.append(child.start_mark)
            total += size
        return items, total

    def mapping(self, node: MappingNode) -> tuple[YMap, int]:
        result = YMap(node.start_mark)
        key_pos = result.key_pos
        value_pos = result.value_pos
        total = 1
        merges: list[Node] = []
        previous: tuple[str, Node] | None = None
        for key_node, value_node in node.value:
            if previous is not None and node.flow_style and _continues_text(key_node, value_node):
                # `{description: Cart, payment and checkout}`: YAML reads "payment and checkout" as a
                # key without a value; the author meant one text, so read it as written.
                name, start = previous
                result[name] = self.text[start.start_mark.index:key_node.end_mark.index]
                continue
            previous = None
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if key_node.__class__ is not ScalarNode:
                self.diagnostics.append(self.error("invalid-key", "A key here is a list or mapping, not a name.",
                                                   key_node, "Keys must be plain names."))
                continue
            name = key_node.value
            if name in key_pos:
                line = key_pos[name].line + 1
                self.diagnostics.append(self.error(
                    "duplicate-key", f"'{name}' is written twice in this mapping (first on line {line}).",
                    key_node, "Remove one of them or merge their contents; YAML would silently keep only the last."))
                continue
            value, size = self.build(value_node)
            result[name] = value
            key_pos[name] = key_node.start_mark
            value_pos[name] = value_node.start_mark
            total += size
            if isinstance(value, str) and value_node.tag == _STR and not value_node.style:
                previous = (name, value_node)
        if merges:
            total += self.merge(result, merges)
        return result, total

    def merge(self, target: YMap, merges: list[Node]) -> int:
        """Apply `<<:` merge keys: explicit keys win, then earlier merged mappings over later ones."""
        sources: list[Node] = []
        for node in merges:
            if isinstance(node, SequenceNode):
                sources.extend(node.value)
            else:
                sources.append(node)
        merged = YMap(target.pos)
        total = 0
        for source in sources:
            if not isinstance(source, MappingNode):
                self.diagnostics.append(self.error(
                    "invalid-merge", "'<<' must be followed by a mapping or a list of mappings.", source,
                    "Write '<<: *anchor' where the anchor names a mapping."))
                continue
            built, size = self.build(source)
            if not isinstance(built, YMap):
                continue
            total += size
            for name, value in built.items():
                if name not in merged and name not in target:
                    merged[name] = value
                    merged.key_pos[name] = built.key_pos[name]
                    merged.value_pos[name] = built.value_pos[name]
        # Merged keys come first, as if written before the explicit ones.
        explicit = dict(target)
        target.clear()
        target.update(merged)
        target.update(explicit)
        target.key_pos = {**merged.key_pos, **target.key_pos}
        target.value_pos = {**merged.value_pos, **target.value_pos}
        return total


def encode(value: Any) -> Any:
    """A parsed value as plain tuples, lists and scalars (what marshal writes at C speed): how a worker process
    hands its parsed files over. Positions become (line, column)."""
    if isinstance(value, YMap):
        return ("m", (value.pos.line, value.pos.column),
                [(k, value.key_pos[k].line, value.key_pos[k].column, value.value_pos[k].line,
                  value.value_pos[k].column, encode(v)) for k, v in value.items()])
    if isinstance(value, YList):
        return ("l", (value.pos.line, value.pos.column),
                [(p.line, p.column, encode(v)) for p, v in zip(value.item_pos, value, strict=True)])
    return value


def decode(raw: Any) -> Any:
    """The value `encode` wrote, with YMap and YList again (positions as StartOfFile tuples: line and column)."""
    if raw.__class__ is not tuple:
        return raw
    kind, (line, column), items = raw
    if kind == "m":
        result = YMap(StartOfFile(line, column))
        key_pos, value_pos = result.key_pos, result.value_pos
        for key, key_line, key_column, value_line, value_column, value in items:
            result[key] = decode(value)
            key_pos[key] = StartOfFile(key_line, key_column)
            value_pos[key] = StartOfFile(value_line, value_column)
        return result
    listed = YList(StartOfFile(line, column))
    positions = listed.item_pos
    for item_line, item_column, value in items:
        listed.append(decode(value))
        positions.append(StartOfFile(item_line, item_column))
    return listed
