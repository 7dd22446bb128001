"""What one source file says about analytics, read from its syntax tree (tree-sitter), never from regular
expressions: the calls to the generated trackers, the vendor SDK calls with their event name and literal property
keys, the calls to wrappers, and the functions that forward an event name to an SDK (wrappers).

The facts of a file depend on its bytes alone, not on the plan, so they are cached by content (scan.py) and
matched against the plan afterwards (resolve.py). Names are followed within the file: a tracker or SDK client
held in a variable, a property, a field or a constructor parameter (by type or by what it is assigned), import
aliases, and string constants.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from tree_sitter import Language, Node, Parser, Query, QueryCursor

_VENDOR_WORDS = (("amplitude", "amplitude"), ("firebase", "firebase"), ("rudder", "rudderstack"),
                 ("mixpanel", "mixpanel"), ("segment", "segment"), ("analytics", "segment"))
_NAME_LABELS = frozenset({"event", "name", "eventType", "event_type", "eventName", "event_name"})
_PROPS_LABELS = frozenset({"properties", "eventProperties", "event_properties", "parameters", "params"})
_MAP_CALLS = frozenset({"mapOf", "hashMapOf", "mutableMapOf", "linkedMapOf", "bundleOf", "dict",
                        "buildJsonObject", "jsonObject", "parametersOf"})
_PUT_CALLS = frozenset({"put", "param", "putString", "putLong", "putInt", "putDouble", "putBoolean"})
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TEXT_LIMIT = 80
_IMPORTS = frozenset({"import_specifier", "aliased_import", "import"})


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
    """tracker (a generated method), sdk (a vendor's track/logEvent) or call (any other call with arguments: a
    wrapper's caller, once wrappers are known)."""
    callee: str
    """tracker: the method; sdk: the vendor; call: the function's name."""
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


@dataclass(frozen=True)
class Grammar:
    """One language: which files, which tree-sitter grammar, and the node types the reader needs."""

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


def _typescript() -> Any:
    import tree_sitter_typescript

    return tree_sitter_typescript.language_tsx()


def _javascript() -> Any:
    import tree_sitter_javascript

    return tree_sitter_javascript.language()


def _python() -> Any:
    import tree_sitter_python

    return tree_sitter_python.language()


def _kotlin() -> Any:
    import tree_sitter_kotlin

    return tree_sitter_kotlin.language()


def _swift() -> Any:
    import tree_sitter_swift

    return tree_sitter_swift.language()


_JS_BINDINGS = """
(variable_declarator) @bind
(required_parameter) @bind
(optional_parameter) @bind
(public_field_definition) @bind
(assignment_expression) @bind
(import_specifier) @bind
"""
GRAMMARS: dict[str, Grammar] = {
    "typescript": Grammar("typescript", "typescript", (".ts", ".tsx", ".mts", ".cts"), _typescript,
                          "(call_expression) @call (new_expression) @call", _JS_BINDINGS,
                          ("function_declaration", "method_definition", "arrow_function", "function_expression",
                           "function")),
    "javascript": Grammar("javascript", "typescript", (".js", ".jsx", ".mjs", ".cjs"), _javascript,
                          "(call_expression) @call (new_expression) @call",
                          _JS_BINDINGS.replace("(required_parameter) @bind\n(optional_parameter) @bind\n", "")
                          .replace("(public_field_definition)", "(field_definition)"),
                          ("function_declaration", "method_definition", "arrow_function", "function_expression",
                           "function")),
    "python": Grammar("python", "python", (".py", ".pyi"), _python, "(call) @call",
                      "(assignment) @bind (typed_parameter) @bind (typed_default_parameter) @bind "
                      "(aliased_import) @bind", ("function_definition",)),
    "kotlin": Grammar("kotlin", "kotlin", (".kt", ".kts"), _kotlin, "(call_expression) @call",
                      "(property_declaration) @bind (class_parameter) @bind (parameter) @bind (assignment) @bind "
                      "(import) @bind", ("function_declaration", "secondary_constructor")),
    "swift": Grammar("swift", "swift", (".swift",), _swift, "(call_expression) @call",
                     "(property_declaration) @bind (parameter) @bind (assignment) @bind",
                     ("function_declaration", "init_declaration")),
}
SUFFIXES = {suffix: grammar for grammar in GRAMMARS.values() for suffix in grammar.suffixes}


@cache
def _compiled(name: str) -> tuple[Parser, Query, Query]:
    grammar = GRAMMARS[name]
    language = Language(grammar.load())
    return Parser(language), Query(language, grammar.calls), Query(language, grammar.bindings)


_GENERATED = re.compile(rb"Generated by tracking-plan|@generated|DO NOT EDIT|Code generated .* DO NOT EDIT",
                        re.IGNORECASE)


def read_facts(language: str, source: bytes, tracker_classes: tuple[str, ...] = ("Tracker",)) -> FileFacts:
    """The analytics facts of one file's bytes. A leading byte-order mark is not text: columns count from after it."""
    if source.startswith(b"\xef\xbb\xbf"):
        source = source[3:]
    if _GENERATED.search(source[:600]):
        return FileFacts(language, (), {}, generated=True)
    parser, calls_query, bindings_query = _compiled(language)
    tree = parser.parse(source)
    reader = _Reader(GRAMMARS[language], source, set(tracker_classes))
    bindings = QueryCursor(bindings_query).captures(tree.root_node).get("bind", [])
    # Captures come in no fixed order: imports first (they name the tracker class), then in the file's order.
    reader.bind(sorted(bindings, key=lambda n: (n.type not in _IMPORTS, n.start_byte)))
    calls = QueryCursor(calls_query).captures(tree.root_node).get("call", [])
    found: list[Call] = []
    calls_to: dict[str, list[Call]] = {}
    for node in sorted(calls, key=lambda n: n.start_byte):
        call = reader.call(node)
        if call is None:
            continue
        if call.kind == "call":
            calls_to.setdefault(call.callee, []).append(call)
        else:
            found.append(call)
    return FileFacts(language, tuple(found), reader.function_params, False,
                     {name: tuple(calls) for name, calls in calls_to.items()})


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def _last_ident(text: str) -> str | None:
    found = _IDENT.findall(text.split("(")[0] if text.endswith(")") and "(" in text else text)
    return found[-1] if found else None


def _vendor_of(text: str) -> str | None:
    lowered = text.lower()
    return next((vendor for word, vendor in _VENDOR_WORDS if word in lowered), None)


class _Reader:
    """Reads one file: first its bindings (what each name holds), then its calls."""

    def __init__(self, grammar: Grammar, source: bytes, tracker_classes: set[str]) -> None:
        self.grammar = grammar
        self.lang = grammar.name
        self.source = source
        self.tracker_classes = tracker_classes
        self.trackers: set[str] = set()
        self.vendors: dict[str, str] = {}
        self.constants: dict[str, str] = {}
        self.imported: dict[str, str] = {}
        """Local function name → vendor, for SDK functions imported by name (`import { track } from ...`)."""
        self.function_params: dict[str, tuple[str, ...]] = {}

    # -- bindings -----------------------------------------------------------------------------------------
    def bind(self, nodes: list[Node]) -> None:
        aliases: list[tuple[str, str]] = []
        for node in nodes:
            for name, type_text, value in self._binding(node):
                if not name:
                    continue
                if type_text:
                    bare = _last_ident(type_text.rstrip("?!"))
                    if bare in self.tracker_classes:
                        self.trackers.add(name)
                    elif (vendor := _vendor_of(type_text)) is not None and not type_text.startswith("import:"):
                        self.vendors.setdefault(name, vendor)
                if value is None:
                    continue
                literal = self._string(value)
                if literal is not None:
                    self.constants.setdefault(name, literal)
                    continue
                value_text = _text(value)
                head = value_text.split("(")[0]
                head = head.removeprefix("new ").strip()
                if value.type in ("call_expression", "new_expression", "call") and \
                        _last_ident(head) in self.tracker_classes:
                    self.trackers.add(name)
                elif "(" not in value_text and (target := _last_ident(value_text)) is not None:
                    aliases.append((name, target))
                    if (vendor := _vendor_of(value_text)) is not None:
                        self.vendors.setdefault(name, vendor)
                elif (vendor := _vendor_of(head)) is not None:
                    self.vendors.setdefault(name, vendor)
        for _ in range(3):  # aliases of aliases: `const t = this.tracker`
            for name, target in aliases:
                if target in self.trackers:
                    self.trackers.add(name)
                if target in self.vendors:
                    self.vendors.setdefault(name, self.vendors[target])

    def _binding(self, node: Node) -> Iterator[tuple[str | None, str | None, Node | None]]:
        kind = node.type
        if kind in ("variable_declarator", "public_field_definition", "field_definition"):
            name = node.child_by_field_name("name") or node.child_by_field_name("property")
            type_node = node.child_by_field_name("type")
            yield _last_ident(_text(name)), _text(type_node) or None, node.child_by_field_name("value")
        elif kind in ("required_parameter", "optional_parameter"):
            yield _last_ident(_text(node.child_by_field_name("pattern"))), \
                _text(node.child_by_field_name("type")) or None, None
        elif kind in ("assignment_expression", "assignment") and self.lang != "swift" and self.lang != "kotlin":
            left = node.child_by_field_name("left")
            yield _last_ident(_text(left)), _text(node.child_by_field_name("type")) or None, \
                node.child_by_field_name("right")
        elif kind == "import_specifier":
            name, alias = node.child_by_field_name("name"), node.child_by_field_name("alias")
            local, imported = _text(alias or name), _text(name)
            module = _text(node.parent.parent.parent.child_by_field_name("source")) \
                if node.parent and node.parent.parent and node.parent.parent.parent else ""
            self._imported(local, imported, module)
        elif kind in ("typed_parameter", "typed_default_parameter"):
            name = node.child_by_field_name("name") or next((c for c in node.named_children
                                                             if c.type == "identifier"), None)
            yield _text(name), _text(node.child_by_field_name("type")) or None, None
        elif kind == "aliased_import":
            dotted, as_name = _text(node.child_by_field_name("name")), _text(node.child_by_field_name("alias"))
            module = _text(node.parent.child_by_field_name("module_name")) if node.parent else ""
            self._imported(as_name, dotted.split(".")[-1], module or dotted)
        elif kind == "import":  # Kotlin: import a.b.Tracker as T
            parts = [c for c in node.named_children if c.type in ("qualified_identifier", "identifier")]
            if len(parts) == 2:
                self._imported(_text(parts[1]), _text(parts[0]).split(".")[-1], _text(parts[0]))
        elif kind == "property_declaration" and self.lang == "kotlin":
            declaration = next((c for c in node.named_children if c.type == "variable_declaration"), None)
            if declaration is not None:
                idents = [c for c in declaration.named_children if c.type == "identifier"]
                types = [c for c in declaration.named_children if c.type != "identifier"]
                value = next((c for c in node.named_children
                              if c.type not in ("modifiers", "variable_declaration", "type_constraints")), None)
                yield (_text(idents[0]) if idents else None), (_text(types[0]) if types else None), value
        elif kind in ("class_parameter", "parameter") and self.lang == "kotlin":
            idents = [c for c in node.named_children if c.type == "identifier"]
            types = [c for c in node.named_children if c.type.endswith("_type")]
            yield (_text(idents[0]) if idents else None), (_text(types[0]) if types else None), None
        elif kind == "assignment" and self.lang == "kotlin":
            children = node.named_children
            if len(children) >= 2:
                yield _last_ident(_text(children[0])), None, children[-1]
        elif kind == "property_declaration":  # Swift
            name = node.child_by_field_name("name")
            type_node = next((c for c in node.named_children if c.type == "type_annotation"), None)
            yield _last_ident(_text(name)), _text(type_node).lstrip(": ") or None, node.child_by_field_name("value")
        elif kind == "parameter":  # Swift: `name: Type` (the type is the last named child)
            children = node.named_children
            yield (_text(node.child_by_field_name("name")) or None), (_text(children[-1]) if children else None), None
        elif kind == "assignment":  # Swift
            yield _last_ident(_text(node.child_by_field_name("target"))), None, node.child_by_field_name("result")

    def _imported(self, local: str, imported: str, module: str) -> None:
        if imported in self.tracker_classes:
            self.tracker_classes.add(local)
        vendor = _vendor_of(module)
        if vendor is not None and imported in ("track", "logEvent"):
            self.imported[local] = "firebase" if imported == "logEvent" and vendor == "segment" else vendor
        elif vendor is not None:
            self.vendors.setdefault(local, vendor)

    # -- calls ----------------------------------------------------------------------------------------------
    def call(self, node: Node) -> Call | None:
        callee = node.child_by_field_name("function") or node.child_by_field_name("constructor") or \
            (node.named_children[0] if node.named_children else None)
        if callee is None:
            return None
        receiver, method = self._split(callee)
        if method is None:
            return None
        args = self._args(node)
        line, column = node.start_point.row + 1, node.start_point.column + 1
        function = self._enclosing(node)
        if receiver is not None:
            holder = _last_ident(_text(receiver))
            if holder in self.trackers:
                if not args:
                    return Call("tracker", method, line, column, function=function)
                return Call("tracker", method, line, column, props=args[0], function=function)
            vendor = self._vendor(receiver, method)
            if vendor is not None:
                return self._sdk(vendor, method, args, node, line, column, function)
        elif method in self.imported:
            return self._sdk(self.imported[method], method, args, node, line, column, function)
        if node.type == "new_expression" or not any(a.literal is not None or a.param is not None for a in args):
            return None  # only a call passing a name on can be a wrapper's
        return Call("call", method, line, column, args=tuple(args), function=function)

    def _split(self, callee: Node) -> tuple[Node | None, str | None]:
        kind = callee.type
        if kind in ("identifier", "simple_identifier"):
            return None, _text(callee)
        if kind == "member_expression":
            return callee.child_by_field_name("object"), _text(callee.child_by_field_name("property"))
        if kind == "attribute":
            return callee.child_by_field_name("object"), _text(callee.child_by_field_name("attribute"))
        if kind == "navigation_expression":
            suffix = callee.child_by_field_name("suffix")
            target = callee.child_by_field_name("target")
            if suffix is not None:  # Swift
                name = suffix.child_by_field_name("suffix")
                return target, _text(name) if name is not None else None
            children = callee.named_children  # Kotlin: (expression) (identifier)
            if len(children) >= 2 and children[-1].type == "identifier":
                return children[0], _text(children[-1])
        return None, None  # a call on a call (Kotlin's `logEvent("x") { ... }`): the inner call is the one read

    def _vendor(self, receiver: Node, method: str) -> str | None:
        if method not in ("track", "logEvent", "log_event"):
            return None
        text = _text(receiver)
        holder = _last_ident(text)
        vendor = self.vendors.get(holder or "") or _vendor_of(text)
        if vendor is None:
            return None
        if method != "track" and vendor == "segment":  # Firebase: Analytics.logEvent, analytics().logEvent
            return "firebase"
        return vendor

    def _args(self, node: Node) -> list[Value]:
        values: list[Value] = []
        if node.type == "call_expression" and self.lang == "kotlin":
            holders = [c for c in node.named_children if c.type in ("value_arguments", "annotated_lambda")]
            parent = node.parent  # `logEvent("name") { param(...) }`: the trailing lambda is the outer node's
            if parent is not None and parent.type == "call_expression" and parent.named_children[0] == node:
                holders += [c for c in parent.named_children if c.type == "annotated_lambda"]
        elif node.type == "call_expression" and self.lang == "swift":
            suffix = next((c for c in node.named_children if c.type == "call_suffix"), None)
            holders = [c for c in suffix.named_children] if suffix is not None else []
        else:
            holder = node.child_by_field_name("arguments")
            holders = [holder] if holder is not None else []
        for holder in holders:
            if holder.type in ("annotated_lambda", "lambda_literal"):
                values.append(self._value(None, holder))
                continue
            for arg in holder.named_children:
                if arg.type == "comment":
                    continue
                values.append(self._argument(arg))
        return values

    def _argument(self, arg: Node) -> Value:
        if arg.type == "keyword_argument":  # Python
            return self._value(_text(arg.child_by_field_name("name")), arg.child_by_field_name("value"))
        if arg.type == "value_argument" and self.lang == "swift":
            label = arg.child_by_field_name("name")
            return self._value(_text(label) or None, arg.child_by_field_name("value"))
        if arg.type == "value_argument":  # Kotlin: `name = value` or `value`
            children = arg.children
            if len(children) >= 3 and children[1].type == "=":
                return self._value(_text(children[0]), children[-1])
            named = arg.named_children
            return self._value(None, named[-1] if named else arg)
        return self._value(None, arg)

    def _value(self, label: str | None, node: Node | None) -> Value:
        if node is None:
            return Value(label, "")
        text = _text(node)
        short = text if len(text) <= _TEXT_LIMIT else text[:_TEXT_LIMIT - 1] + "…"
        literal = self._string(node)
        if literal is None and node.type in ("identifier", "simple_identifier", "member_expression", "attribute",
                                             "navigation_expression"):
            literal = self.constants.get(_last_ident(text) or "")
        param = None
        if literal is None and node.type in ("identifier", "simple_identifier"):
            param = self._param_index(node, text)
        keys, open_ = self._keys(node)
        return Value(label, short, literal, param, keys, open_)

    def _string(self, node: Node) -> str | None:
        """The value of a string literal with no interpolation; None otherwise."""
        kind = node.type
        if kind not in ("string", "template_string", "string_literal", "line_string_literal",
                        "multi_line_string_literal"):
            return None
        parts = []
        for child in node.named_children:
            if child.type in ("string_fragment", "string_content", "line_str_text"):
                parts.append(_text(child))
            elif child.type in ("escape_sequence", "str_escaped_char", "character_escape_seq"):
                parts.append(_unescape(_text(child)))
            elif child.type not in ("string_start", "string_end", "comment"):
                return None  # an interpolation: the name is computed
        return "".join(parts)

    def _keys(self, node: Node) -> tuple[tuple[str, ...] | None, bool]:
        kind = node.type
        keys: list[str] = []
        open_ = False
        if kind == "object":  # JavaScript
            for child in node.named_children:
                if child.type == "pair":
                    key = child.child_by_field_name("key")
                    if key is None:
                        continue
                    literal = self._string(key) if key.type == "string" else \
                        (_text(key) if key.type in ("property_identifier", "number") else None)
                    if literal is None:
                        open_ = True
                    else:
                        keys.append(literal)
                elif child.type == "shorthand_property_identifier":
                    keys.append(_text(child))
                elif child.type != "comment":
                    open_ = True
            return tuple(keys), open_
        if kind in ("dictionary", "dictionary_literal"):  # Python, Swift
            entries = node.children_by_field_name("key") if kind == "dictionary_literal" else \
                [p.child_by_field_name("key") for p in node.named_children if p.type == "pair"]
            for key in entries:
                literal = self._string(key) if key is not None else None
                if literal is None:
                    open_ = True
                else:
                    keys.append(literal)
            if kind == "dictionary" and any(c.type == "dictionary_splat" for c in node.named_children):
                open_ = True
            return tuple(keys), open_
        if kind in ("call", "call_expression") and self.lang in ("python", "kotlin"):
            callee = node.child_by_field_name("function") or (node.named_children[0] if node.named_children else None)
            name = _text(callee) if callee is not None and callee.type in ("identifier", "simple_identifier") else ""
            if name in _MAP_CALLS:
                return self._map_call_keys(node)
            return None, False
        if kind in ("annotated_lambda", "lambda_literal"):  # Kotlin `logEvent("x") { param("k", v) }`
            return self._put_keys(node)
        return None, False

    def _map_call_keys(self, node: Node) -> tuple[tuple[str, ...] | None, bool]:
        keys: list[str] = []
        open_ = False
        for arg in self._args(node):
            if arg.label is not None and self.lang == "python":  # dict(a=1)
                keys.append(arg.label)
            elif arg.keys is not None:  # a lambda of put(...) calls
                keys.extend(arg.keys)
                open_ = open_ or arg.open
            else:
                pair = re.match(r'\s*"((?:[^"\\$]|\\.)*)"\s+to\s', arg.text)
                if pair is None:
                    open_ = True
                else:
                    keys.append(_unescape_all(pair[1]))
        return tuple(keys), open_

    def _put_keys(self, node: Node) -> tuple[tuple[str, ...] | None, bool]:
        keys: list[str] = []
        body = node.named_children
        if node.type == "annotated_lambda":
            body = [c for inner in body for c in (inner.named_children if inner.type == "lambda_literal" else [inner])]
        else:
            body = list(body)
        stack = body
        while stack:
            child = stack.pop()
            if child.type == "call_expression":
                callee = child.named_children[0] if child.named_children else None
                if callee is not None and callee.type == "identifier" and _text(callee) in _PUT_CALLS:
                    args = self._args(child)
                    if args and args[0].literal is not None:
                        keys.append(args[0].literal)
                    continue
            if child.type not in ("lambda_literal", "annotated_lambda"):
                stack.extend(child.named_children)
        return tuple(sorted(keys)), False

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
            return _text(name)
        if node.type in ("arrow_function", "function_expression", "function") and node.parent is not None:
            holder = node.parent  # const trackEvent = (name, props) => ...
            if holder.type in ("variable_declarator", "pair", "public_field_definition", "field_definition"):
                key = holder.child_by_field_name("name") or holder.child_by_field_name("key") or \
                    holder.child_by_field_name("property")
                return _last_ident(_text(key))
        if node.type in ("function_declaration", "secondary_constructor", "init_declaration"):
            ident = next((c for c in node.named_children if c.type in ("identifier", "simple_identifier")), None)
            return _text(ident) if ident is not None else None
        return None

    def _params(self, node: Node) -> tuple[str, ...]:
        holder = node.child_by_field_name("parameters") or next(
            (c for c in node.named_children if c.type in ("function_value_parameters", "formal_parameters")), None)
        nodes = holder.named_children if holder is not None else \
            [c for c in node.named_children if c.type == "parameter"]  # Swift
        names = []
        for param in nodes:
            if param.type in ("comment", "modifiers"):
                continue
            if self.lang == "swift":
                name = param.child_by_field_name("name")
            elif param.type in ("required_parameter", "optional_parameter"):
                name = param.child_by_field_name("pattern")
            elif param.type in ("identifier", "simple_identifier"):
                name = param
            else:
                name = param.child_by_field_name("name") or next(
                    (c for c in param.named_children if c.type in ("identifier", "simple_identifier")), None)
            names.append(_text(name))
        if self.lang == "python" and names and names[0] in ("self", "cls"):
            names = names[1:]
        return tuple(names)

    def _param_index(self, node: Node, name: str) -> int | None:
        parent = node.parent
        while parent is not None:
            if parent.type in self.grammar.functions:
                params = self._params(parent)
                return params.index(name) if name in params else None
            parent = parent.parent
        return None

    def _sdk(self, vendor: str, method: str, args: list[Value], node: Node, line: int, column: int,
             function: str | None) -> Call:
        """The event name and properties of an SDK call, wherever that SDK puts them."""
        name: Value | None = None
        props: Value | None = None
        labelled = {a.label: a for a in args if a.label}
        positional = [a for a in args if not a.label]
        name = next((labelled[k] for k in labelled if k in _NAME_LABELS), None)
        props = next((labelled[k] for k in labelled if k in _PROPS_LABELS), None)
        message = self._message(node)
        if name is None and message is not None:
            return Call("sdk", vendor, line, column, message[0], message[1], function=function)
        if name is None and positional:
            first = positional[0]
            if first.text.startswith(("BaseEvent(", "Event(")):  # Amplitude Python: track(BaseEvent(event_type=...))
                inner = self._inner_event(node)
                if inner is not None:
                    return Call("sdk", vendor, line, column, inner[0], inner[1], function=function)
            if self.lang == "python" and vendor in ("segment", "rudderstack") and len(positional) >= 2:
                index = 1  # analytics-python: track(user_id, event, properties)
            elif vendor == "firebase" and len(positional) >= 2 and first.literal is None and first.param is None \
                    and self.lang in ("typescript", "javascript"):
                index = 1  # modular Firebase: logEvent(analytics, name, params)
            else:
                index = 0
            name = positional[index]
            rest = positional[index + 1:]
            if props is None and rest:
                props = rest[0]
        return Call("sdk", vendor, line, column, name, props, function=function)

    def _message(self, node: Node) -> tuple[Value, Value | None] | None:
        """analytics-node and RudderStack's Node SDK take one message: `track({ userId, event, properties })`."""
        if self.lang not in ("typescript", "javascript"):
            return None
        arguments = node.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
        if first is None or first.type != "object":
            return None
        pairs = {}
        for pair in first.named_children:
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            if key is not None:
                pairs[self._string(key) if key.type == "string" else _text(key)] = pair.child_by_field_name("value")
        if "event" not in pairs:
            return None
        props = pairs.get("properties")
        return self._value("event", pairs["event"]), self._value("properties", props) if props is not None else None

    def _inner_event(self, node: Node) -> tuple[Value | None, Value | None] | None:
        arguments = node.child_by_field_name("arguments")
        inner = arguments.named_children[0] if arguments is not None and arguments.named_children else None
        if inner is None or inner.type != "call":
            return None
        args = self._args(inner)
        labelled = {a.label: a for a in args if a.label}
        positional = [a for a in args if not a.label]  # BaseEvent(event_type, user_id=..., ...)
        return labelled.get("event_type") or (positional[0] if positional else None), labelled.get("event_properties")


def _unescape(text: str) -> str:
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


def _unescape_all(text: str) -> str:
    return re.sub(r"\\u\{?[0-9a-fA-F]{1,6}\}?|\\.", lambda m: _unescape(m[0]), text)
