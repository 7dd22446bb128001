"""Kotlin: properties, constructor parameters, `import a.B as C`, `name = value` arguments, trailing lambdas,
`mapOf("k" to v)` and Firebase's `logEvent("x") { param("k", v) }`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tree_sitter import Node

from tracking_plan.status.facts import Value
from tracking_plan.status.reader import Binding, Grammar, Reader, last_ident, map_call_keys, text_of

_PUT_CALLS = frozenset({"put", "param", "putString", "putLong", "putInt", "putDouble", "putBoolean"})
"""The builder calls that add one key: a Bundle's, Firebase's `param`, a JSON object builder's."""


class KotlinReader(Reader):
    def binding(self, node: Node) -> Iterator[Binding]:
        kind = node.type
        if kind == "import":  # import a.b.Tracker as T
            parts = [c for c in node.named_children if c.type in ("qualified_identifier", "identifier")]
            if len(parts) == 2:
                self.import_name(text_of(parts[1]), text_of(parts[0]).split(".")[-1], text_of(parts[0]))
        elif kind == "property_declaration":
            declaration = next((c for c in node.named_children if c.type == "variable_declaration"), None)
            if declaration is not None:
                idents = [c for c in declaration.named_children if c.type == "identifier"]
                types = [c for c in declaration.named_children if c.type != "identifier"]
                value = next((c for c in node.named_children
                              if c.type not in ("modifiers", "variable_declaration", "type_constraints")), None)
                yield (text_of(idents[0]) if idents else None), (text_of(types[0]) if types else None), value
        elif kind in ("class_parameter", "parameter"):
            idents = [c for c in node.named_children if c.type == "identifier"]
            types = [c for c in node.named_children if c.type.endswith("_type")]
            yield (text_of(idents[0]) if idents else None), (text_of(types[0]) if types else None), None
        elif kind == "assignment":
            children = node.named_children
            if len(children) >= 2:
                yield last_ident(text_of(children[0])), None, children[-1]

    def argument_holders(self, node: Node) -> list[Node]:
        if node.type != "call_expression":
            return super().argument_holders(node)
        holders = [c for c in node.named_children if c.type in ("value_arguments", "annotated_lambda")]
        parent = node.parent  # `logEvent("name") { param(...) }`: the trailing lambda is the outer node's
        if parent is not None and parent.type == "call_expression" and parent.named_children[0] == node:
            holders += [c for c in parent.named_children if c.type == "annotated_lambda"]
        return holders

    def argument(self, arg: Node) -> Value:
        if arg.type == "value_argument":  # `name = value` or `value`
            children = arg.children
            if len(children) >= 3 and children[1].type == "=":
                return self.value(text_of(children[0]), children[-1])
            named = arg.named_children
            return self.value(None, named[-1] if named else arg)
        return self.value(None, arg)

    def keys(self, node: Node) -> tuple[tuple[str, ...] | None, bool]:
        if node.type == "call_expression":
            return map_call_keys(self, node)
        if node.type in ("annotated_lambda", "lambda_literal"):
            return self._put_keys(node)
        return None, False

    def _put_keys(self, node: Node) -> tuple[tuple[str, ...] | None, bool]:
        keys: list[str] = []
        body = node.named_children
        if node.type == "annotated_lambda":
            body = [c for inner in body for c in (inner.named_children if inner.type == "lambda_literal" else [inner])]
        stack = list(body)
        while stack:
            child = stack.pop()
            if child.type == "call_expression":
                callee = child.named_children[0] if child.named_children else None
                if callee is not None and callee.type == "identifier" and text_of(callee) in _PUT_CALLS:
                    args = self.arguments(child)
                    if args and args[0].literal is not None:
                        keys.append(args[0].literal)
                    continue
            if child.type not in ("lambda_literal", "annotated_lambda"):
                stack.extend(child.named_children)
        return tuple(sorted(keys)), False


def _kotlin() -> Any:
    import tree_sitter_kotlin

    return tree_sitter_kotlin.language()


KOTLIN = Grammar("kotlin", "kotlin", (".kt", ".kts"), _kotlin, "(call_expression) @call",
                 "(property_declaration) @bind (class_parameter) @bind (parameter) @bind (assignment) @bind "
                 "(import) @bind", ("function_declaration", "secondary_constructor"), KotlinReader)
