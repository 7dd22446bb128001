"""Swift: properties, parameters (`name: Type`), assignments, labelled arguments and dictionary literals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tree_sitter import Node

from tracking_plan.status.facts import Value
from tracking_plan.status.reader import Binding, Grammar, Reader, last_ident, text_of


class SwiftReader(Reader):
    def binding(self, node: Node) -> Iterator[Binding]:
        kind = node.type
        if kind == "property_declaration":
            type_node = next((c for c in node.named_children if c.type == "type_annotation"), None)
            yield last_ident(text_of(node.child_by_field_name("name"))), text_of(type_node).lstrip(": ") or None, \
                node.child_by_field_name("value")
        elif kind == "parameter":  # `name: Type` (the type is the last named child)
            children = node.named_children
            yield (text_of(node.child_by_field_name("name")) or None), \
                (text_of(children[-1]) if children else None), None
        elif kind == "assignment":
            yield last_ident(text_of(node.child_by_field_name("target"))), None, node.child_by_field_name("result")

    def argument_holders(self, node: Node) -> list[Node]:
        if node.type != "call_expression":
            return super().argument_holders(node)
        suffix = next((c for c in node.named_children if c.type == "call_suffix"), None)
        return list(suffix.named_children) if suffix is not None else []

    def argument(self, arg: Node) -> Value:
        if arg.type == "value_argument":
            return self.value(text_of(arg.child_by_field_name("name")) or None, arg.child_by_field_name("value"))
        return self.value(None, arg)

    def keys(self, node: Node) -> tuple[tuple[str, ...] | None, bool]:
        if node.type != "dictionary_literal":
            return None, False
        literals = [self.string(key) for key in node.children_by_field_name("key")]
        return tuple(k for k in literals if k is not None), None in literals

    def parameter_name(self, param: Node) -> Node | None:
        return param.child_by_field_name("name")


def _swift() -> Any:
    import tree_sitter_swift

    return tree_sitter_swift.language()


SWIFT = Grammar("swift", "swift", (".swift",), _swift, "(call_expression) @call",
                "(property_declaration) @bind (parameter) @bind (assignment) @bind",
                ("function_declaration", "init_declaration"), SwiftReader)
