"""A block being typed, as the block parser (blocks.py) reads it once no join with the blocks
after it parses: without the line its parse fails at, a `pass` at that line's indentation in its
place (`x = subprocess.`, `x = run(`, `x = run('ls` half typed in a method).

Before, the block was left out: the method being typed went from the module, its callers were
analysed again with an unknown callee (argparse.py's _ActionsContainer: 12 functions at the first
broken key), and the functions it makes an entry or registers (a class's `__init__`) changed
the module context of every function. The engine leaves broken lines quiet, not the statements
around them; so now does the taint analysis. What is read depends on the block's lines alone,
so a document's tree after any edits is still the one a fresh parser makes of its text.
"""

from __future__ import annotations

import ast
import bisect

from bastion.digests import blake2b
from bastion.engine.cache import LRU
from bastion.parsing import parse_code, parse_code_at

_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)
_BODIES = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})  # lists of statements
# each node class's fields of them, in its order (`ast.iter_fields`' without its generator)
_BODIES_OF = {kind: fields for kind in vars(ast).values() if isinstance(kind, type)
              and issubclass(kind, ast.AST) and (fields := tuple(f for f in kind._fields if f in _BODIES))}


class Mends:
    """The statements of broken blocks, by (digest of their lines, first line, indent), with
    the line read in place of the one that broke them. `lines`: those read in place in the
    text being parsed, by index (its parser starts it anew a text): the analysis reads them as
    the function's text, so that each key typing the same broken line finds the function's
    result of the last (the statements read are the same)."""

    def __init__(self, size: int = 256) -> None:
        self._kept: LRU[tuple[bytes, int, str], tuple[list[ast.stmt], int, str]] = LRU(size)
        self.lines: dict[int, str] = {}

    def forget(self) -> None:
        self._kept.clear()
        self.lines = {}

    def __call__(self, lines: list[str], start: int, end: int, indent: str) -> list[ast.stmt]:
        """The statements of `lines[start:end]` (a block at `indent`) without the line their
        parse fails at; none when they still do not parse."""
        block = lines[start:end]
        key = (blake2b("\n".join(block).encode("utf-8", "surrogatepass"), digest_size=16).digest(),
               start, indent)
        kept = self._kept.get(key)
        if kept is None:
            kept = _mended(block, start, indent)
            self._kept.put(key, kept)
        statements, failed, read = kept
        if statements:
            self.lines[start + failed] = read
        return statements


def _mended(block: list[str], start: int, indent: str) -> tuple[list[ast.stmt], int, str]:
    failed = _failing_line(block, indent)
    if failed is None:
        return [], 0, ""
    line = block[failed]
    read = line[:len(line) - len(line.lstrip())] + "pass"
    mended = "\n".join([*block[:failed], read, *block[failed + 1:]])
    try:
        if indent:  # `if 1:` keeps the document's columns for indented code, as blocks.py
            return parse_code_at("if 1:\n" + mended, start - 1).body[0].body, failed, read
        return parse_code_at(mended, start).body, failed, read
    except _ERRORS:
        return [], 0, ""


def _failing_line(block: list[str], indent: str) -> int | None:
    """The index in `block` of the line its parse fails at, None if none of its lines is."""
    try:
        parse_code("if 1:\n" + "\n".join(block) if indent else "\n".join(block))
    except SyntaxError as error:
        failed = (error.lineno or 0) - (2 if indent else 1)
        return failed if 0 <= failed < len(block) and block[failed].strip() else None
    except _ERRORS:
        return None
    return None


def read_text(tree: ast.Module, text: str, mended: dict[int, str]) -> str:
    """`text` as `tree` reads it: each line mended in place (`mended`, its parser's) that the
    tree holds a `pass` at. A function's text keys its result (function_keys.py): each key
    typing the same broken line reads the same statements, so its result is found again."""
    if not mended or "\r" in text:
        return text
    lines = text.split("\n")
    starts = [statement.lineno for statement in tree.body]
    for index, read in mended.items():
        at = bisect.bisect_right(starts, index + 1) - 1
        if at >= 0 and index < len(lines) and _holds_pass(tree.body[at], index + 1, len(read) - 4):
            lines[index] = read
    return "\n".join(lines)


def _holds_pass(statement: ast.stmt, line: int, col: int) -> bool:
    """Whether `statement` holds a `pass` at `line`, `col`: read down the statements whose lines
    hold it, not every node (the top-level statement is a class of argparse.py's at each key);
    a member is tested by its lines before it is asked (a call each of _pydecimal.py's
    Decimal's ~120 members at each key typing a broken line in one, 450 calls with the walk)."""
    if statement.lineno > line or (statement.end_lineno or statement.lineno) < line:
        return False
    if type(statement) is ast.Pass:
        return statement.lineno == line and statement.col_offset == col
    for child in _inner_statements(statement):
        if child.lineno <= line <= (child.end_lineno or child.lineno) and _holds_pass(child, line, col):
            return True
    return False


def _inner_statements(statement: ast.stmt) -> list[ast.stmt]:
    """The statements of a compound statement's bodies (an `except`'s and a `case`'s too)."""
    found: list[ast.stmt] = []
    kind = statement.__class__
    for field in _BODIES_OF[kind] if kind in _BODIES_OF else ():
        for item in getattr(statement, field, ()):  # a node built by hand may lack one
            if item.__class__ is ast.ExceptHandler or item.__class__ is ast.match_case:
                found += item.body
            else:
                found += (item,)
    return found
