"""C#: fields, locals and parameters (`Type name = value`, `var name = new Tracker(...)`), member invocations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tree_sitter import Node

from tracking_plan.status.facts import Value
from tracking_plan.status.reader import Binding, Grammar, Reader, text_of


class CSharpReader(Reader):
    def binding(self, node: Node) -> Iterator[Binding]:
        if node.type == "variable_declaration":
            type_text = text_of(node.child_by_field_name("type"))
            for declarator in (c for c in node.named_children if c.type == "variable_declarator"):
                value = next((c for c in declarator.named_children
                              if c != declarator.child_by_field_name("name")), None)
                created = text_of(value.child_by_field_name("type")) if value is not None and \
                    value.type == "object_creation_expression" else ""
                yield text_of(declarator.child_by_field_name("name")) or None, \
                    created or (None if type_text == "var" else type_text or None), value
        elif node.type == "parameter":
            yield text_of(node.child_by_field_name("name")) or None, \
                text_of(node.child_by_field_name("type")) or None, None

    def callee(self, node: Node) -> tuple[Node | None, str | None]:
        function = node.child_by_field_name("function")
        if function is not None and function.type == "member_access_expression":
            return function.child_by_field_name("expression"), text_of(function.child_by_field_name("name")) or None
        return (None, text_of(function) or None) if function is not None and function.type == "identifier" \
            else (None, None)

    def argument(self, arg: Node) -> Value:
        named = arg.named_children
        return self.value(None, named[-1] if arg.type == "argument" and named else arg)


def _csharp() -> Any:
    import tree_sitter_c_sharp

    return tree_sitter_c_sharp.language()


CSHARP = Grammar("csharp", "csharp", (".cs",), _csharp, "(invocation_expression) @call",
                 "(variable_declaration) @bind (parameter) @bind",
                 ("method_declaration", "constructor_declaration", "local_function_statement"), CSharpReader)
