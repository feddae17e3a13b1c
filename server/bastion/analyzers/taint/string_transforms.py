"""What the string transforms a call applies prove of the text they return: `str.replace` of a
quote or a line break, `"".join` of the characters a test keeps (charsets.py), an escaping codec
(`text.encode("unicode_escape")`). Kept apart from calls.py, which resolves what a call is and
returns: what a transform proves is judged from its receiver and arguments alone.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.charsets import kept_cleans
from bastion.analyzers.taint.domain import UNKNOWN, Value, concat, constant

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

_XPATH_QUOTES = frozenset({"'", '"'})
ESCAPING_CODECS = frozenset({"unicode_escape", "unicode-escape"})


def filtered_characters(ev: Evaluator, node: ast.expr) -> frozenset[str]:
    """`c for c in name if TEST`: what a string of the characters TEST keeps proves."""
    if not isinstance(node, (ast.GeneratorExp, ast.ListComp)) or len(node.generators) != 1:
        return frozenset()
    generator = node.generators[0]
    target = generator.target
    if not isinstance(target, ast.Name) or not isinstance(node.elt, ast.Name) \
            or node.elt.id != target.id or generator.is_async or not generator.ifs:
        return frozenset()
    cleans: frozenset[str] = frozenset()
    for test in generator.ifs:  # each holds of every character kept
        cleans |= kept_cleans(ev, test, target.id)
    return cleans


def replace(receiver: Value, args: list[Value]) -> Value:
    value = receiver.flat()
    if len(args) < 2:
        return value
    if args[1].taint:
        return _filled(value, args[0].const, args[1].flat())
    if not value.taint:
        return value
    old = args[0].const
    cleans: set[str] = set()
    if old in _XPATH_QUOTES and args[1].const not in (UNKNOWN, "'", '"'):
        cleans.add("xpath")
    # a line break removed; not the pair "\r\n" alone, which leaves each lone "\n" in place
    if old in ("\n", "\r") and "\n" not in str(args[1].const):
        cleans.add("log")
    return value.evolve(clean=value.clean | cleans) if cleans else value


def _filled(text: Value, placeholder: object, data: Value) -> Value:
    """`text.replace(placeholder, data)` for untrusted `data`: the text with the data where the
    placeholder was, as a format puts it (`PAGE.replace("{{ title }}", title)`). A constant
    text is cut at its placeholders, so that data put first starts the result (a URL's host);
    another text is taken as coming first."""
    if isinstance(text.const, str) and isinstance(placeholder, str) and placeholder:
        if placeholder not in text.const:
            return text
        pieces = text.const.split(placeholder)
        parts = [constant(pieces[0])]
        for piece in pieces[1:]:
            parts += [data, constant(piece)]
        return concat(parts)
    return concat([text, data])
