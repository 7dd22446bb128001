"""Java: fields, local variables and parameters (`Type name = value`), method invocations on a receiver, and
`Map.of("k", v)` literals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tree_sitter import Node

from tracking_plan.status.reader import Binding, Grammar, Reader, text_of


class JavaReader(Reader):
    def binding(self, node: Node) -> Iterator[Binding]:
        kind = node.type
        type_text = text_of(node.child_by_field_name("type")) or None
        if kind in ("field_declaration", "local_variable_declaration"):
            for declarator in node.children_by_field_name("declarator"):
                yield text_of(declarator.child_by_field_name("name")) or None, type_text, \
                    declarator.child_by_field_name("value")
        elif kind == "formal_parameter":
            yield text_of(node.child_by_field_name("name")) or None, type_text, None
        elif kind == "assignment_expression":
            yield text_of(node.child_by_field_name("left")).split(".")[-1] or None, None, \
                node.child_by_field_name("right")

    def callee(self, node: Node) -> tuple[Node | None, str | None]:
        if node.type != "method_invocation":
            return None, None
        return node.child_by_field_name("object"), text_of(node.child_by_field_name("name")) or None

    def keys(self, node: Node) -> tuple[tuple[str, ...] | None, bool]:
        if node.type != "method_invocation" or text_of(node.child_by_field_name("name")) != "of" or \
                text_of(node.child_by_field_name("object")) != "Map":
            return None, False
        args = self.arguments(node)
        literals = [a.literal for a in args[::2]]
        return tuple(k for k in literals if k is not None), None in literals


def _java() -> Any:
    import tree_sitter_java

    return tree_sitter_java.language()


JAVA = Grammar("java", "java", (".java",), _java, "(method_invocation) @call",
               "(field_declaration) @bind (local_variable_declaration) @bind (formal_parameter) @bind "
               "(assignment_expression) @bind", ("method_declaration", "constructor_declaration"), JavaReader)
