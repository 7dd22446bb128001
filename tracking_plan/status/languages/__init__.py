"""One module per language status reads: its files, its tree-sitter grammar and queries, and its reader (how
its declarations, arguments, literal keys and parameters are written). GRAMMARS is the registry."""

from __future__ import annotations

from tracking_plan.status.languages import csharp, go, java, javascript, kotlin, python, swift
from tracking_plan.status.reader import Grammar

GRAMMARS: dict[str, Grammar] = {grammar.name: grammar for grammar in (
    javascript.TYPESCRIPT, javascript.JAVASCRIPT, python.PYTHON, kotlin.KOTLIN, swift.SWIFT, java.JAVA, go.GO,
    csharp.CSHARP)}
SUFFIXES = {suffix: grammar for grammar in GRAMMARS.values() for suffix in grammar.suffixes}
