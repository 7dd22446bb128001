"""Python: assignments, typed parameters, `import x as y`, keyword arguments, dict literals and `dict(...)`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tree_sitter import Node

from tracking_plan.status.facts import Value
from tracking_plan.status.reader import Binding, Grammar, Reader, last_ident, map_call_keys, text_of


class PythonReader(Reader):
    keyword_keys = True
    """`dict(a=1)`: a keyword argument of a map call is a key."""

    def binding(self, node: Node) -> Iterator[Binding]:
        kind = node.type
        if kind == "assignment":
            yield last_ident(text_of(node.child_by_field_name("left"))), \
                text_of(node.child_by_field_name("type")) or None, node.child_by_field_name("right")
        elif kind in ("typed_parameter", "typed_default_parameter"):
            name = node.child_by_field_name("name") or next((c for c in node.named_children
                                                             if c.type == "identifier"), None)
            yield text_of(name), text_of(node.child_by_field_name("type")) or None, None
        elif kind == "aliased_import":
            dotted, as_name = text_of(node.child_by_field_name("name")), text_of(node.child_by_field_name("alias"))
            module = text_of(node.parent.child_by_field_name("module_name")) if node.parent else ""
            self.import_name(as_name, dotted.split(".")[-1], module or dotted)

    def argument(self, arg: Node) -> Value:
        if arg.type == "keyword_argument":
            return self.value(text_of(arg.child_by_field_name("name")), arg.child_by_field_name("value"))
        return self.value(None, arg)

    def keys(self, node: Node) -> tuple[tuple[str, ...] | None, bool]:
        if node.type == "dictionary":
            keys: list[str] = []
            open_ = any(c.type == "dictionary_splat" for c in node.named_children)
            for pair in node.named_children:
                if pair.type != "pair":
                    continue
                key = pair.child_by_field_name("key")
                literal = self.string(key) if key is not None else None
                if literal is None:
                    open_ = True
                else:
                    keys.append(literal)
            return tuple(keys), open_
        if node.type == "call":
            return map_call_keys(self, node)
        return None, False

    def parameter_names(self, names: list[str]) -> list[str]:
        return names[1:] if names and names[0] in ("self", "cls") else names


def _python() -> Any:
    import tree_sitter_python

    return tree_sitter_python.language()


PYTHON = Grammar("python", "python", (".py", ".pyi"), _python, "(call) @call",
                 "(assignment) @bind (typed_parameter) @bind (typed_default_parameter) @bind (aliased_import) @bind",
                 ("function_definition",), PythonReader)
