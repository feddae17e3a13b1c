"""Split a document into units: the pieces the engine parses, analyses and caches one by one.

A unit is a top-level statement, except that a class is split into its header and its body
statements, recursively, so that editing one method never re-analyses a 3,000-line class.
When the document does not parse (mid-typing), a line-based splitter finds the top-level chunks;
each chunk that parses on its own is split as above, and only the broken chunk goes quiet.
"""

from __future__ import annotations

import ast
import hashlib
import re

import attrs

_CONTINUATION = re.compile(r"(else|elif|except|finally)\b|[)\]}]")
_STRING_TOKENS = re.compile(r"#[^\n]*|'''|\"\"\"|'(?:\\.|[^'\\\n])*'?|\"(?:\\.|[^\"\\\n])*\"?")


@attrs.frozen
class Unit:
    """Lines `start`..`end` (0-based, inclusive) of a document, parsed on their own."""

    start: int
    end: int
    text: str  # the unit's lines, each ending in "\n"
    indented: bool  # a class member: parsed inside a synthetic `if 1:` so columns stay true
    suffix: str = ""  # a class header gets a `pass` body so that it parses alone
    digest: bytes = attrs.field(eq=False, default=b"")

    def __attrs_post_init__(self) -> None:
        if not self.digest:
            key = b"I" if self.indented else b"T"
            raw = key + self.text.encode("utf-8", "surrogatepass") + self.suffix.encode()
            object.__setattr__(self, "digest", hashlib.blake2b(raw, digest_size=16).digest())

    def moved(self, lines: int) -> Unit:
        """The same unit `lines` further down; its text and digest are unchanged."""
        if not lines:
            return self
        return attrs.evolve(self, start=self.start + lines, end=self.end + lines)

    def parse(self) -> ast.Module:
        """The unit's AST with the document's own line numbers (raises SyntaxError/ValueError)."""
        # Leading newlines give the document's line numbers: cheaper than ast.increment_lineno.
        if self.indented:
            return ast.parse("\n" * (self.start - 1) + "if 1:\n" + self.text + self.suffix)
        return ast.parse("\n" * self.start + self.text + self.suffix)


@attrs.frozen
class Split:
    units: tuple[Unit, ...]
    broken: tuple[tuple[int, int], ...]  # 0-based inclusive line ranges that do not parse


def split_document(text: str) -> Split:
    lines = text.split("\n")
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return _split_broken(lines)
    return Split(tuple(_units_of_body(tree.body, lines, indented=False)), ())


def _node_start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)]) - 1


def _text(lines: list[str], start: int, end: int) -> str:
    return "".join(line + "\n" for line in lines[start : end + 1])


def _units_of_body(body: list[ast.stmt], lines: list[str], indented: bool,
                   nodes: list[list[ast.stmt]] | None = None) -> list[Unit]:
    """Units of a statement list; `nodes`, when given, receives each unit's statements."""
    groups: list[list[ast.stmt]] = []
    last_end = -1
    for node in body:
        if groups and _node_start(node) <= last_end:
            groups[-1].append(node)  # statements sharing a line (`a; b`) stay together
        else:
            groups.append([node])
        last_end = max(last_end, node.end_lineno - 1)
    units: list[Unit] = []
    for group in groups:
        start, end = _node_start(group[0]), max(n.end_lineno for n in group) - 1
        node = group[0]
        if len(group) == 1 and isinstance(node, ast.ClassDef) and _body_on_own_lines(node):
            body_start = _node_start(node.body[0])
            indent = re.match(r"[ \t]*", lines[body_start]).group(0)
            units.append(Unit(start, body_start - 1, _text(lines, start, body_start - 1),
                              indented, indent + "pass\n"))
            if nodes is not None:
                nodes.append([])  # a class header holds no statements of its own
            units.extend(_units_of_body(node.body, lines, True, nodes))
        else:
            units.append(Unit(start, end, _text(lines, start, end), indented))
            if nodes is not None:
                nodes.append(group)
    return units


def units_of_module(tree: ast.Module, lines: list[str]) -> tuple[tuple[Unit, ...], list[list[ast.stmt]]]:
    """The units of a parsed document, and the statements each unit holds."""
    nodes: list[list[ast.stmt]] = []
    return tuple(_units_of_body(tree.body, lines, False, nodes)), nodes


def _body_on_own_lines(node: ast.ClassDef) -> bool:
    header_end = max([node.lineno, *(b.end_lineno for b in node.bases),
                      *(k.value.end_lineno for k in node.keywords)])
    return _node_start(node.body[0]) >= header_end


def lines_in_strings(text: str) -> set[int]:
    """0-based lines that begin inside a triple-quoted string."""
    inside: set[int] = set()
    pos, size = 0, len(text)
    while pos < size:
        match = _STRING_TOKENS.search(text, pos)
        if not match:
            break
        token = match.group(0)
        if token not in ("'''", '"""'):
            pos = match.end()
            continue
        close = _find_close(text, match.end(), token)
        first = text.count("\n", 0, match.end())
        last = text.count("\n", 0, close)
        inside.update(range(first + 1, last + 1))
        pos = close + 3 if close < size else size
    return inside


def _find_close(text: str, pos: int, quote: str) -> int:
    while True:
        found = text.find(quote, pos)
        if found < 0:
            return len(text)
        backslashes = len(text[:found]) - len(text[:found].rstrip("\\"))
        if backslashes % 2 == 0:
            return found
        pos = found + 1


def _split_broken(lines: list[str]) -> Split:
    in_string = lines_in_strings("\n".join(lines))
    units: list[Unit] = []
    broken: list[tuple[int, int]] = []
    _split_region(lines, 0, len(lines) - 1, "", in_string, units, broken)
    return Split(tuple(units), tuple(broken))


def _split_region(lines: list[str], lo: int, hi: int, indent: str, in_string: set[int],
                  units: list[Unit], broken: list[tuple[int, int]],
                  known: dict[bytes, Unit] | None = None) -> None:
    """Split lines lo..hi into statements that start at exactly `indent`; parse each alone.

    `known`: units of an earlier split by digest. A chunk whose text is exactly one of them is
    that unit again (same text, same tree), so it is not parsed a second time.
    """
    width = len(indent)
    starts = [
        i for i in range(lo, hi + 1)
        if lines[i].startswith(indent) and lines[i][width:width + 1] not in _NOT_A_START
        and i not in in_string and not _CONTINUATION.match(lines[i], width)
    ]
    # A decorator and the definition under it are one statement.
    starts = [s for k, s in enumerate(starts) if k == 0 or lines[starts[k - 1]][width] != "@"]
    # Code before the first statement start (an indented line, a stray `)`) cannot parse.
    leading_end = (starts[0] if starts else hi + 1) - 1
    if any(lines[i].strip() and not lines[i].lstrip().startswith("#") for i in range(lo, leading_end + 1)):
        broken.append((lo, leading_end))
    indented = bool(indent)
    index = 0
    while index < len(starts):
        start = starts[index]
        if known:
            end = _chunk_end(lines, starts, index, hi)
            same = known.get(Unit(start, end, _text(lines, start, end), indented).digest)
            if same is not None and not same.suffix:
                units.append(same.moved(start - same.start))
                index += 1
                continue
        parsed = None
        # A chunk that fails alone may be a statement whose continuation line starts at the
        # same indentation (`x = f(` / `1)`): try it joined with the next few chunks.
        for joined in range(index, min(index + _MAX_JOIN, len(starts))):
            if joined > index and _parses(lines, starts, joined, hi, indented):
                break  # the next chunk is a statement of its own: keep the decision local
            end = _chunk_end(lines, starts, joined, hi)
            candidate = Unit(start, end, _text(lines, start, end), indented)
            try:
                parsed = candidate.parse()
                break
            except (SyntaxError, ValueError, RecursionError):
                continue
        if parsed is None:
            end = _chunk_end(lines, starts, index, hi)
            if not _split_broken_class(lines, start, end, indent, in_string, units, broken):
                broken.append((start, end))
            index += 1
            continue
        body = parsed.body[0].body if indented else parsed.body
        units.extend(_units_of_body(body, lines, indented=indented))
        index = joined + 1


_MAX_JOIN = 4
# First characters of lines that never start a statement ("\r": blank lines of CRLF files).
_NOT_A_START = ("", " ", "\t", "#", "\r", "\x0c")


def _parses(lines: list[str], starts: list[int], index: int, hi: int, indented: bool) -> bool:
    end = _chunk_end(lines, starts, index, hi)
    try:
        Unit(starts[index], end, _text(lines, starts[index], end), indented).parse()
    except (SyntaxError, ValueError, RecursionError):
        return False
    return True


def _chunk_end(lines: list[str], starts: list[int], index: int, hi: int) -> int:
    start = starts[index]
    end = (starts[index + 1] if index + 1 < len(starts) else hi + 1) - 1
    while end > start and (not lines[end].strip() or lines[end].lstrip().startswith("#")):
        end -= 1
    return end


def _split_broken_class(lines: list[str], start: int, end: int, indent: str, in_string: set[int],
                        units: list[Unit], broken: list[tuple[int, int]]) -> bool:
    """A class that does not parse: keep its members that do, so one typo quiets one method."""
    header = start
    while header <= end and lines[header][len(indent):].startswith("@"):
        header += 1
    line = lines[header] if header <= end else ""
    if not line[len(indent):].startswith("class ") or not line.rstrip().endswith(":"):
        return False
    member = next((i for i in range(header + 1, end + 1)
                   if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    if member is None:
        return False
    member_indent = re.match(r"[ \t]*", lines[member]).group(0)
    if len(member_indent) <= len(indent) or not member_indent.startswith(indent):
        return False
    try:
        head = Unit(start, member - 1, _text(lines, start, member - 1), bool(indent),
                    member_indent + "pass\n")
        head.parse()
        units.append(head)
    except (SyntaxError, ValueError):
        broken.append((start, member - 1))
    _split_region(lines, member, end, member_indent, in_string, units, broken)
    return True
