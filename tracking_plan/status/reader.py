"""Reading one file's syntax tree (tree-sitter) into its facts, the part every language shares: what each name
holds (a tracker, an SDK client, a string constant, an imported send function), then each call. A language
(languages/) says how its declarations, arguments, literal keys and parameters are written; the SDKs are data
(sdks.py).

Names are followed within the file: a tracker or SDK client held in a variable, a property, a field or a
constructor parameter (by type or by what it is assigned), import aliases, and string constants.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from tracking_plan.status.facts import Call, Value
from tracking_plan.status.sdks import (
    CALL_METHODS,
    CALL_VENDORS,
    IMPORTED_SENDS,
    INNER_EVENTS,
    NAME_LABELS,
    NAME_POSITIONS,
    PROPS_LABELS,
    SEND_METHODS,
    sending_vendor,
    vendor_of,
)

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TEXT_LIMIT = 80
_STRINGS = ("string", "template_string", "string_literal", "line_string_literal", "multi_line_string_literal")
_MAP_CALLS = frozenset({"mapOf", "hashMapOf", "mutableMapOf", "linkedMapOf", "bundleOf", "dict",
                        "buildJsonObject", "jsonObject", "parametersOf"})
"""The functions that build a map from literal keys (Kotlin, Android's Bundle, Python's dict)."""
_NAMES = ("identifier", "simple_identifier", "member_expression", "attribute", "navigation_expression")

Binding = tuple[str | None, str | None, Node | None]
"""A declared name, its written type, and the node of its value (each may be missing)."""


@dataclass(frozen=True)
class Grammar:
    """One language: which files, which tree-sitter grammar, the node types the reader needs, and its reader."""

    name: str
    target: str
    """The `generate` target whose methods its tracker calls use."""
    suffixes: tuple[str, ...]
    load: Callable[[], Any]
    calls: str
    """The query capturing call nodes."""
    bindings: str
    """The query capturing declarations, parameters, assignments and imports."""
    functions: tuple[str, ...]
    reader: type[Reader]


def text_of(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def last_ident(text: str) -> str | None:
    found = _IDENT.findall(text.split("(")[0] if text.endswith(")") and "(" in text else text)
    return found[-1] if found else None


class Reader:
    """Reads one file: first its bindings (what each name holds), then its calls. Subclasses (one per language)
    say how the language writes what the hooks below read."""

    keyword_keys = False
    """Whether a map call's keyword arguments are its keys (Python's `dict(a=1)`)."""

    def __init__(self, grammar: Grammar, source: bytes, tracker_classes: set[str]) -> None:
        self.grammar = grammar
        self.source = source
        self.tracker_classes = tracker_classes
        self.trackers: set[str] = set()
        self.vendors: dict[str, str] = {}
        self.constants: dict[str, str] = {}
        self.imported: dict[str, str] = {}
        """Local function name → vendor, for SDK functions imported by name (`import { track } from ...`)."""
        self.function_params: dict[str, tuple[str, ...]] = {}

    # -- the language's hooks ---------------------------------------------------------------------------------
    def binding(self, node: Node) -> Iterator[Binding]:
        """The names a declaration, parameter, assignment or import node binds (imports call `imported`)."""
        return iter(())

    def argument_holders(self, node: Node) -> list[Node]:
        """The nodes holding a call's arguments."""
        holder = node.child_by_field_name("arguments")
        return [holder] if holder is not None else []

    def argument(self, arg: Node) -> Value:
        return self.value(None, arg)

    def keys(self, node: Node) -> tuple[tuple[str, ...] | None, bool]:
        """The literal keys of an object, dict or map written inline, and whether some keys may be missing."""
        return None, False

    def parameter_name(self, param: Node) -> Node | None:
        if param.type in ("identifier", "simple_identifier"):
            return param
        return param.child_by_field_name("name") or next(
            (c for c in param.named_children if c.type in ("identifier", "simple_identifier")), None)

    def parameter_names(self, names: list[str]) -> list[str]:
        """The parameters a caller passes (Python's `self` is not one)."""
        return names

    def message(self, node: Node) -> tuple[Value, Value | None] | None:
        """The event and properties of an SDK call taking one message object, for languages whose SDKs do."""
        return None

    # -- bindings -------------------------------------------------------------------------------------------
    def bind(self, nodes: list[Node]) -> None:
        aliases: list[tuple[str, str]] = []
        for node in nodes:
            for name, type_text, value in self.binding(node):
                if not name:
                    continue
                if type_text:
                    bare = last_ident(type_text.rstrip("?!"))
                    if bare in self.tracker_classes:
                        self.trackers.add(name)
                    elif (vendor := vendor_of(type_text)) is not None and not type_text.startswith("import:"):
                        self.vendors.setdefault(name, vendor)
                if value is None:
                    continue
                literal = self.string(value)
                if literal is not None:
                    self.constants.setdefault(name, literal)
                    continue
                value_text = text_of(value)
                head = value_text.split("(")[0]
                head = head.removeprefix("new ").strip()
                if value.type in ("call_expression", "new_expression", "call", "object_creation_expression") and \
                        last_ident(head) in self.tracker_classes:
                    self.trackers.add(name)
                elif "(" not in value_text and (target := last_ident(value_text)) is not None:
                    aliases.append((name, target))
                    if (vendor := vendor_of(value_text)) is not None:
                        self.vendors.setdefault(name, vendor)
                elif (vendor := vendor_of(head)) is not None:
                    self.vendors.setdefault(name, vendor)
        for _ in range(3):  # aliases of aliases: `const t = this.tracker`
            for name, target in aliases:
                if target in self.trackers:
                    self.trackers.add(name)
                if target in self.vendors:
                    self.vendors.setdefault(name, self.vendors[target])

    def import_name(self, local: str, imported: str, module: str) -> None:
        """`imported` from `module`, known here as `local`: a tracker class, a send function or a client."""
        if imported in self.tracker_classes:
            self.tracker_classes.add(local)
        vendor = vendor_of(module)
        if vendor is not None and imported in IMPORTED_SENDS:
            self.imported[local] = sending_vendor(vendor, imported)
        elif vendor is not None:
            self.vendors.setdefault(local, vendor)

    # -- calls ----------------------------------------------------------------------------------------------
    def callee(self, node: Node) -> tuple[Node | None, str | None]:
        """A call's receiver (None for a plain function) and the name of the method or function called."""
        callee = node.child_by_field_name("function") or node.child_by_field_name("constructor") or \
            (node.named_children[0] if node.named_children else None)
        return self._split(callee) if callee is not None else (None, None)

    def call(self, node: Node) -> Call | None:
        receiver, method = self.callee(node)
        if method is None:
            return None
        args = self.arguments(node)
        line, column = node.start_point.row + 1, node.start_point.column + 1
        function = self._enclosing(node)
        if receiver is not None:
            holder = last_ident(text_of(receiver))
            if holder in self.trackers:
                if not args:
                    return Call("tracker", method, line, column, function=function)
                return Call("tracker", method, line, column, props=args[0], function=function)
            vendor = self._vendor(receiver, method)
            if vendor is not None:
                return self._sdk(vendor, args, node, line, column, function)
            if method in CALL_METHODS:
                client = self.vendors.get(last_ident(text_of(receiver)) or "") or vendor_of(text_of(receiver))
                if client is not None and client in CALL_VENDORS:
                    return self._named_call(method, client, args, line, column, function)
        elif method in self.imported:
            return self._sdk(self.imported[method], args, node, line, column, function)
        if node.type == "new_expression" or not any(a.literal is not None or a.param is not None for a in args):
            return None  # only a call passing a name on can be a wrapper's
        return Call("call", method, line, column, args=tuple(args), function=function)

    def _split(self, callee: Node) -> tuple[Node | None, str | None]:
        kind = callee.type
        if kind in ("identifier", "simple_identifier"):
            return None, text_of(callee)
        if kind == "member_expression":
            return callee.child_by_field_name("object"), text_of(callee.child_by_field_name("property"))
        if kind == "attribute":
            return callee.child_by_field_name("object"), text_of(callee.child_by_field_name("attribute"))
        if kind == "navigation_expression":
            suffix = callee.child_by_field_name("suffix")
            target = callee.child_by_field_name("target")
            if suffix is not None:  # Swift
                name = suffix.child_by_field_name("suffix")
                return target, text_of(name) if name is not None else None
            children = callee.named_children  # Kotlin: (expression) (identifier)
            if len(children) >= 2 and children[-1].type == "identifier":
                return children[0], text_of(children[-1])
        return None, None  # a call on a call (Kotlin's `logEvent("x") { ... }`): the inner call is the one read

    def _vendor(self, receiver: Node, method: str) -> str | None:
        if method not in SEND_METHODS:
            return None
        text = text_of(receiver)
        vendor = self.vendors.get(last_ident(text) or "") or vendor_of(text)
        return sending_vendor(vendor, method) if vendor is not None else None

    def arguments(self, node: Node) -> list[Value]:
        values: list[Value] = []
        for holder in self.argument_holders(node):
            if holder.type in ("annotated_lambda", "lambda_literal"):
                values.append(self.value(None, holder))
                continue
            for arg in holder.named_children:
                if arg.type == "comment":
                    continue
                values.append(self.argument(arg))
        return values

    def value(self, label: str | None, node: Node | None) -> Value:
        if node is None:
            return Value(label, "")
        text = text_of(node)
        short = text if len(text) <= _TEXT_LIMIT else text[:_TEXT_LIMIT - 1] + "…"
        literal = self.string(node)
        if literal is None and node.type in _NAMES:
            literal = self.constants.get(last_ident(text) or "")
        param = None
        if literal is None and node.type in ("identifier", "simple_identifier"):
            param = self._param_index(node, text)
        keys, open_ = self.keys(node)
        return Value(label, short, literal, param, keys, open_)

    def string(self, node: Node) -> str | None:
        """The value of a string literal with no interpolation; None otherwise."""
        if node.type not in _STRINGS:
            return None
        parts = []
        for child in node.named_children:
            if child.type in ("string_fragment", "string_content", "line_str_text"):
                parts.append(text_of(child))
            elif child.type in ("escape_sequence", "str_escaped_char", "character_escape_seq"):
                parts.append(unescape(text_of(child)))
            elif child.type not in ("string_start", "string_end", "comment"):
                return None  # an interpolation: the name is computed
        return "".join(parts)

    def _enclosing(self, node: Node) -> str | None:
        parent = node.parent
        while parent is not None:
            if parent.type in self.grammar.functions:
                name = self._function_name(parent)
                if name is not None and name not in self.function_params:
                    self.function_params[name] = self._params(parent)
                return name
            parent = parent.parent
        return None

    def _function_name(self, node: Node) -> str | None:
        name = node.child_by_field_name("name")
        if name is not None:
            return text_of(name)
        if node.type in ("arrow_function", "function_expression", "function") and node.parent is not None:
            holder = node.parent  # const trackEvent = (name, props) => ...
            if holder.type in ("variable_declarator", "pair", "public_field_definition", "field_definition"):
                key = holder.child_by_field_name("name") or holder.child_by_field_name("key") or \
                    holder.child_by_field_name("property")
                return last_ident(text_of(key))
        if node.type in ("function_declaration", "secondary_constructor", "init_declaration"):
            ident = next((c for c in node.named_children if c.type in ("identifier", "simple_identifier")), None)
            return text_of(ident) if ident is not None else None
        return None

    def _params(self, node: Node) -> tuple[str, ...]:
        holder = node.child_by_field_name("parameters") or next(
            (c for c in node.named_children if c.type in ("function_value_parameters", "formal_parameters")), None)
        nodes = holder.named_children if holder is not None else \
            [c for c in node.named_children if c.type == "parameter"]  # Swift
        names = [text_of(self.parameter_name(param)) for param in nodes if param.type not in ("comment", "modifiers")]
        return tuple(self.parameter_names(names))

    def _param_index(self, node: Node, name: str) -> int | None:
        parent = node.parent
        while parent is not None:
            if parent.type in self.grammar.functions:
                params = self._params(parent)
                return params.index(name) if name in params else None
            parent = parent.parent
        return None

    def _sdk(self, vendor: str, args: list[Value], node: Node, line: int, column: int,
             function: str | None) -> Call:
        """The event name and properties of an SDK call, wherever that SDK puts them (sdks.py)."""
        labelled = {a.label: a for a in args if a.label}
        positional = [a for a in args if not a.label]
        name = next((labelled[k] for k in labelled if k in NAME_LABELS), None)
        props = next((labelled[k] for k in labelled if k in PROPS_LABELS), None)
        message = self.message(node)
        if name is None and message is not None:
            return Call("sdk", vendor, line, column, message[0], message[1], function=function)
        if name is None and positional:
            first = positional[0]
            if first.text.startswith(INNER_EVENTS):
                inner = self._inner_event(node)
                if inner is not None:
                    return Call("sdk", vendor, line, column, inner[0], inner[1], function=function)
            index = next((at.position for at in NAME_POSITIONS
                          if at.vendor == vendor and self.grammar.name in at.languages and len(positional) > at.position
                          and not (at.only_after_a_client and (first.literal is not None or first.param is not None))),
                         0)
            name = positional[index]
            rest = positional[index + 1:]
            if props is None and rest:
                props = rest[0]
        return Call("sdk", vendor, line, column, name, props, function=function)

    def _named_call(self, method: str, vendor: str, args: list[Value], line: int, column: int,
                    function: str | None) -> Call:
        """A page() or screen() call: its name is labelled (`name=`, Swift's `title:`), else the last of the
        leading text arguments (`page("Docs", "Home")`: category, then name; analytics-python's first argument is
        the user id); no text argument: the call is unnamed (name None)."""
        labelled = {a.label: a for a in args if a.label}
        name = labelled.get("name") or labelled.get("title")
        positional = [a for a in args if not a.label]
        if self.grammar.name == "python":
            positional = positional[1:]  # analytics.page(user_id, category, name, properties)
        if name is None:
            leading: list[Value] = []
            for arg in positional:
                if arg.literal is None and arg.param is None and arg.keys is None and leading:
                    break
                if arg.keys is not None:
                    break
                leading.append(arg)
            name = leading[-1] if leading else None
        props = labelled.get("properties") or next((a for a in positional if a.keys is not None), None)
        return Call(method, vendor, line, column, name, props, function=function)

    def _inner_event(self, node: Node) -> tuple[Value | None, Value | None] | None:
        arguments = node.child_by_field_name("arguments")
        inner = arguments.named_children[0] if arguments is not None and arguments.named_children else None
        if inner is None or inner.type != "call":
            return None
        args = self.arguments(inner)
        labelled = {a.label: a for a in args if a.label}
        positional = [a for a in args if not a.label]  # BaseEvent(event_type, user_id=..., ...)
        return labelled.get("event_type") or (positional[0] if positional else None), labelled.get("event_properties")


def map_call_keys(reader: Reader, node: Node) -> tuple[tuple[str, ...] | None, bool]:
    """The keys of a map built by a call (`mapOf("k" to v)`, `bundleOf(...)`, `dict(k=v)`); None for another call."""
    callee = node.child_by_field_name("function") or (node.named_children[0] if node.named_children else None)
    name = text_of(callee) if callee is not None and callee.type in ("identifier", "simple_identifier") else ""
    if name not in _MAP_CALLS:
        return None, False
    keys: list[str] = []
    open_ = False
    for arg in reader.arguments(node):
        if arg.label is not None and reader.keyword_keys:
            keys.append(arg.label)
        elif arg.keys is not None:  # a lambda of put(...) calls
            keys.extend(arg.keys)
            open_ = open_ or arg.open
        else:
            pair = re.match(r'\s*"((?:[^"\\$]|\\.)*)"\s+to\s', arg.text)
            if pair is None:
                open_ = True
            else:
                keys.append(unescape_all(pair[1]))
    return tuple(keys), open_


def unescape(text: str) -> str:
    simple = {"\\n": "\n", "\\t": "\t", "\\r": "\r", '\\"': '"', "\\'": "'", "\\\\": "\\", "\\$": "$",
              "\\0": "\0", "\\`": "`"}
    if text in simple:
        return simple[text]
    match = re.fullmatch(r"\\u\{?([0-9a-fA-F]{1,6})\}?|\\x([0-9a-fA-F]{2})", text)
    if match:
        try:
            return chr(int(match[1] or match[2], 16))
        except ValueError:
            return text
    return text[1:] if text.startswith("\\") else text


def unescape_all(text: str) -> str:
    return re.sub(r"\\u\{?[0-9a-fA-F]{1,6}\}?|\\.", lambda m: unescape(m[0]), text)
