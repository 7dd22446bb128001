"""TypeScript (and TSX) and JavaScript: one reader, two grammars."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tree_sitter import Node

from tracking_plan.status.facts import Value
from tracking_plan.status.reader import Binding, Grammar, Reader, last_ident, text_of


class JavaScriptReader(Reader):
    def binding(self, node: Node) -> Iterator[Binding]:
        kind = node.type
        if kind in ("variable_declarator", "public_field_definition", "field_definition"):
            name = node.child_by_field_name("name") or node.child_by_field_name("property")
            type_node = node.child_by_field_name("type")
            yield last_ident(text_of(name)), text_of(type_node) or None, node.child_by_field_name("value")
        elif kind in ("required_parameter", "optional_parameter"):
            yield last_ident(text_of(node.child_by_field_name("pattern"))), \
                text_of(node.child_by_field_name("type")) or None, None
        elif kind == "assignment_expression":
            yield last_ident(text_of(node.child_by_field_name("left"))), \
                text_of(node.child_by_field_name("type")) or None, node.child_by_field_name("right")
        elif kind == "import_specifier":
            name, alias = node.child_by_field_name("name"), node.child_by_field_name("alias")
            module = text_of(node.parent.parent.parent.child_by_field_name("source")) \
                if node.parent and node.parent.parent and node.parent.parent.parent else ""
            self.import_name(text_of(alias or name), text_of(name), module)

    def keys(self, node: Node) -> tuple[tuple[str, ...] | None, bool]:
        if node.type != "object":
            return None, False
        keys: list[str] = []
        open_ = False
        for child in node.named_children:
            if child.type == "pair":
                key = child.child_by_field_name("key")
                if key is None:
                    continue
                literal = self.string(key) if key.type == "string" else \
                    (text_of(key) if key.type in ("property_identifier", "number") else None)
                if literal is None:
                    open_ = True
                else:
                    keys.append(literal)
            elif child.type == "shorthand_property_identifier":
                keys.append(text_of(child))
            elif child.type != "comment":
                open_ = True
        return tuple(keys), open_

    def parameter_name(self, param: Node) -> Node | None:
        if param.type in ("required_parameter", "optional_parameter"):
            return param.child_by_field_name("pattern")
        return super().parameter_name(param)

    def message(self, node: Node) -> tuple[Value, Value | None] | None:
        """analytics-node and RudderStack's Node SDK take one message: `track({ userId, event, properties })`."""
        arguments = node.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments is not None and arguments.named_children else None
        if first is None or first.type != "object":
            return None
        pairs = {}
        for pair in first.named_children:
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            if key is not None:
                pairs[self.string(key) if key.type == "string" else text_of(key)] = pair.child_by_field_name("value")
        if "event" not in pairs:
            return None
        props = pairs.get("properties")
        return self.value("event", pairs["event"]), self.value("properties", props) if props is not None else None


def _typescript() -> Any:
    import tree_sitter_typescript

    return tree_sitter_typescript.language_tsx()


def _javascript() -> Any:
    import tree_sitter_javascript

    return tree_sitter_javascript.language()


_CALLS = "(call_expression) @call (new_expression) @call"
_BINDINGS = """
(variable_declarator) @bind
(required_parameter) @bind
(optional_parameter) @bind
(public_field_definition) @bind
(assignment_expression) @bind
(import_specifier) @bind
"""
_FUNCTIONS = ("function_declaration", "method_definition", "arrow_function", "function_expression", "function")

TYPESCRIPT = Grammar("typescript", "typescript", (".ts", ".tsx", ".mts", ".cts"), _typescript, _CALLS, _BINDINGS,
                     _FUNCTIONS, JavaScriptReader)
JAVASCRIPT = Grammar("javascript", "typescript", (".js", ".jsx", ".mjs", ".cjs"), _javascript, _CALLS,
                     _BINDINGS.replace("(required_parameter) @bind\n(optional_parameter) @bind\n", "")
                     .replace("(public_field_definition)", "(field_definition)"), _FUNCTIONS, JavaScriptReader)
