"""Go: struct fields, parameters, `x := ...` and `var x = ...`, selector calls (`t.OrderCompleted(p)`); a value of
`NewTracker(...)` is a tracker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tree_sitter import Node

from tracking_plan.status.reader import Binding, Grammar, Reader, text_of


class GoReader(Reader):
    def binding(self, node: Node) -> Iterator[Binding]:
        kind = node.type
        if kind in ("field_declaration", "parameter_declaration"):
            type_text = text_of(node.child_by_field_name("type")) or None
            for name in node.children_by_field_name("name"):
                yield text_of(name) or None, type_text, None
        elif kind in ("short_var_declaration", "var_spec", "assignment_statement"):
            left = node.child_by_field_name("left") or node.child_by_field_name("name")
            right = node.child_by_field_name("right") or node.child_by_field_name("value")
            names = [left] if left is not None and left.type == "identifier" else \
                (left.named_children if left is not None else [])
            values = right.named_children if right is not None and right.type == "expression_list" else [right]
            for name, value in zip(names, values, strict=False):
                made = text_of(value).split("(")[0].split(".")[-1] if value is not None else ""
                tracker = made.startswith("New") and made[3:] in self.tracker_classes
                yield text_of(name).split(".")[-1] or None, made[3:] if tracker else None, value

    def callee(self, node: Node) -> tuple[Node | None, str | None]:
        function = node.child_by_field_name("function")
        if function is None:
            return None, None
        if function.type == "selector_expression":
            return function.child_by_field_name("operand"), text_of(function.child_by_field_name("field")) or None
        return (None, text_of(function) or None) if function.type == "identifier" else (None, None)


def _go() -> Any:
    import tree_sitter_go

    return tree_sitter_go.language()


GO = Grammar("go", "go", (".go",), _go, "(call_expression) @call",
             "(field_declaration) @bind (parameter_declaration) @bind (short_var_declaration) @bind (var_spec) @bind "
             "(assignment_statement) @bind", ("function_declaration", "method_declaration", "func_literal"),
             GoReader)
