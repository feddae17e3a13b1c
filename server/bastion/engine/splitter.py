"""Split a document's text into units (units.py): `split_document`.

When the document does not parse (mid-typing), a line-based splitter finds the chunks; each
chunk that parses on its own is split as a parsed document is, a class or function that does
not parse keeps the body statements that do, and only the broken statement goes quiet.

`_CHUNKS` (the units of chunks by digest) is module state shared by every document;
`forget_chunks` (`Engine.clear_cache`) empties it.
"""

from __future__ import annotations

import ast
import re

from bastion.analyzers.base import reads_whole
from bastion.engine.cache import LRU
from bastion.engine.units import Split, Unit, header_end, lines_text, units_of_body
from bastion.parsing import parse_code

_CONTINUATION = re.compile(r"(else|elif|except|finally)\b|[)\]}]")
_STRING_TOKENS = re.compile(r"#[^\n]*|'''|\"\"\"|'(?:\\.|[^'\\\n])*'?|\"(?:\\.|[^\"\\\n])*\"?")


def split_document(text: str) -> Split:
    lines = text.split("\n")
    try:
        tree = parse_code(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _split_broken(lines)
    return Split(tuple(units_of_body(tree.body, lines, indented=False)), ())


def lines_in_strings(text: str) -> set[int]:
    """0-based lines that begin inside a triple-quoted string."""
    inside: set[int] = set()
    pos, size = 0, len(text)
    line, counted = 0, 0  # newlines in text[:counted], counted as the scan moves forward
    while pos < size:
        match = _STRING_TOKENS.search(text, pos)
        if not match:
            break
        token = match.group(0)
        if token not in ("'''", '"""'):
            pos = match.end()
            continue
        close = find_close(text, match.end(), token)
        line += text.count("\n", counted, match.end())
        first = line
        line += text.count("\n", match.end(), close)
        counted = close
        inside.update(range(first + 1, line + 1))
        pos = close + 3 if close < size else size
    return inside


def find_close(text: str, pos: int, quote: str) -> int:
    """Where the triple quote `quote` that closes a string opened before `pos` stands (one
    preceded by an odd number of backslashes is escaped), or len(text) when none does."""
    while True:
        found = text.find(quote, pos)
        if found < 0:
            return len(text)
        start = found
        while start and text[start - 1] == "\\":
            start -= 1
        if (found - start) % 2 == 0:  # the quote is not escaped
            return found
        pos = found + 1


def _split_broken(lines: list[str]) -> Split:
    units, broken = split_region(lines, 0, len(lines) - 1, "", lines_in_strings("\n".join(lines)))
    return Split(tuple(units), tuple(broken))


def split_region(lines: list[str], lo: int, hi: int, indent: str, in_string: set[int],
                 known: dict[bytes, Unit] | None = None, trees: dict[bytes, ast.Module] | None = None,
                 in_function: bool = False) -> tuple[list[Unit], list[tuple[int, int]]]:
    """The units of lines lo..hi, statements that start at exactly `indent`, and the ranges of
    those lines that are broken or that no unit holds, sorted (see `_split_region` for the
    arguments; `in_string` holds absolute line numbers)."""
    units: list[Unit] = []
    broken: list[tuple[int, int]] = []
    _split_region(lines, lo, hi, indent, in_string, units, broken, known, trees, in_function)
    return units, sorted(broken + unplaced(lines, units, broken, in_string, lo, hi))


def unplaced(lines: list[str], units: list[Unit], broken: list[tuple[int, int]],
             in_string: set[int], lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Code lines of lo..hi that no unit and no broken range holds, as ranges: a line the
    splitter could place nowhere (an `else:` left at column 0 after a class) must not go
    unanalysed in silence."""
    hi = len(lines) - 1 if hi is None else hi
    covered = [False] * (hi + 1 - lo)
    for start, end in [*((u.start, u.end) for u in units), *broken]:
        start, end = max(start, lo), min(end, hi)
        if start <= end:
            covered[start - lo:end + 1 - lo] = [True] * (end + 1 - start)
    ranges: list[tuple[int, int]] = []
    for i in range(lo, hi + 1):
        line = lines[i]
        if covered[i - lo] or i in in_string or not line.strip() or line.lstrip().startswith("#"):
            continue
        if ranges and ranges[-1][1] == i - 1:
            ranges[-1] = (ranges[-1][0], i)
        else:
            ranges.append((i, i))
    return ranges


def statement_starts(lines: list[str], lo: int, hi: int, indent: str, in_string: set[int]) -> list[int]:
    """Lines lo..hi that may begin a statement at exactly `indent` (by their first characters:
    a line inside brackets may look like one; only a parse can tell)."""
    width = len(indent)
    return [i for i in range(lo, hi + 1)
            if lines[i].startswith(indent) and i not in in_string and looks_like_a_start(lines[i], width)]


def looks_like_a_start(line: str, width: int) -> bool:
    """Whether `line`'s text from column `width` may begin a statement: not blank, a comment or
    an indented line, and not a clause or a closing bracket that continues one."""
    return line[width:width + 1] not in _NOT_A_START and not _CONTINUATION.match(line, width)


def _split_region(lines: list[str], lo: int, hi: int, indent: str, in_string: set[int],
                  units: list[Unit], broken: list[tuple[int, int]],
                  known: dict[bytes, Unit] | None = None,
                  trees: dict[bytes, ast.Module] | None = None, in_function: bool = False) -> None:
    """Split lines lo..hi into statements that start at exactly `indent`; parse each alone.

    `known`: units of an earlier split by digest. A chunk whose text is exactly one of them is
    that unit again (same text, same tree), so it is not parsed a second time.
    `trees`: receives the tree of each chunk that became exactly one unit, by digest.
    `in_function`: the lines are statements of a function body.
    """
    width = len(indent)
    starts = statement_starts(lines, lo, hi, indent, in_string)
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
            end = _chunk_end(lines, starts, index, hi, in_string)
            same = known.get(Unit(start, end, lines_text(lines, start, end), indented,
                                  in_function=in_function).digest)
            if same is not None and not same.suffix:
                units.append(same.moved(start - same.start))
                index += 1
                continue
        found = None
        # A chunk that fails alone may be a statement whose continuation line starts at the
        # same indentation (`x = f(` / `1)`): try it joined with the next few chunks.
        for joined in range(index, min(index + _MAX_JOIN, len(starts))):
            if joined > index and _parses(lines, starts, joined, hi, indented, in_string,
                                          in_function):
                break  # the next chunk is a statement of its own: keep the decision local
            end = _chunk_end(lines, starts, joined, hi, in_string)
            found = _chunk_units(Unit(start, end, lines_text(lines, start, end), indented,
                                      in_function=in_function), lines, trees)
            if found is not None:
                break
        if found is None:
            end = _chunk_end(lines, starts, index, hi, in_string)
            if not _split_broken_block(lines, start, end, indent, in_string, units, broken,
                                       in_function):
                broken.append((start, end))
            index += 1
            continue
        units.extend(found)
        index = joined + 1


# Chunks by digest: the units each gave (lines relative to its start), or False when it did
# not parse. A document split whole again and again (while it does not parse, or has an
# unclosed string) then parses only the chunks that changed.
_CHUNKS: LRU[bytes, tuple | bool] = LRU(8192)


def forget_chunks() -> None:
    """Empty the chunk cache (when no document is open any more)."""
    _CHUNKS.clear()


def _chunk_units(candidate: Unit, lines: list[str],
                 trees: dict[bytes, ast.Module] | None) -> list[Unit] | None:
    """The units of a chunk, None when it does not parse (`trees`: see `_split_region`)."""
    known = _CHUNKS.get(candidate.digest)
    if known is False:
        return None
    start = candidate.start
    if known is not None:
        return [Unit(start + a, start + b, lines_text(lines, start + a, start + b), indented,
                     suffix, in_function) for a, b, indented, suffix, in_function in known]
    try:
        parsed = candidate.parse()
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        _CHUNKS.put(candidate.digest, False)
        return None
    body = parsed.body[0].body if candidate.indented else parsed.body
    found = units_of_body(body, lines, candidate.indented, None, candidate.in_function)
    if trees is not None and len(found) == 1 and found[0] == candidate:
        trees[candidate.digest] = parsed
    _CHUNKS.put(candidate.digest, tuple((u.start - start, u.end - start, u.indented, u.suffix,
                                         u.in_function) for u in found))
    return found


_MAX_JOIN = 4
# First characters of lines that never start a statement ("\r": blank lines of CRLF files).
_NOT_A_START = ("", " ", "\t", "#", "\r", "\x0c")


def _parses(lines: list[str], starts: list[int], index: int, hi: int, indented: bool,
            in_string: set[int], in_function: bool) -> bool:
    end = _chunk_end(lines, starts, index, hi, in_string)
    chunk = Unit(starts[index], end, lines_text(lines, starts[index], end), indented,
                 in_function=in_function)
    return _chunk_units(chunk, lines, None) is not None


def _chunk_end(lines: list[str], starts: list[int], index: int, hi: int, in_string: set[int]) -> int:
    """The chunk's last line, without trailing blank and comment lines (a `#` line inside a
    triple-quoted string is not a comment)."""
    start = starts[index]
    end = (starts[index + 1] if index + 1 < len(starts) else hi + 1) - 1
    while end > start and (not lines[end].strip() or (
            lines[end].lstrip().startswith("#") and end not in in_string)):
        end -= 1
    return end


def _split_broken_block(lines: list[str], start: int, end: int, indent: str, in_string: set[int],
                        units: list[Unit], broken: list[tuple[int, int]], in_function: bool) -> bool:
    """A class or function that does not parse: keep the statements of its body that do, so one
    typo quiets one statement. Split as `units_of_body` splits it once it parses again."""
    header = start
    while header <= end and lines[header][len(indent):].startswith("@"):
        header += 1
    line = lines[header][len(indent):] if header <= end else ""
    function = line.startswith(("def ", "async def "))
    if not (function or line.startswith("class ")):
        return False
    inner = in_function or function
    members = [i for i in range(header + 1, end + 1) if _member_line(lines[i], indent)
               and i not in in_string]
    for member in members:
        # The first line after which the header parses alone begins the body (a long
        # signature's continuation lines are indented like a body; a header ends in ":").
        before = next(lines[i] for i in range(member - 1, header - 1, -1)
                      if lines[i].strip() and not lines[i].lstrip().startswith("#"))
        if not before.rstrip().endswith(":") and "#" not in before:
            continue
        member_indent = re.match(r"[ \t]*", lines[member]).group(0)
        head_end = header_end(lines, start, member)
        head = Unit(start, head_end, lines_text(lines, start, head_end), bool(indent),
                    member_indent + "pass\n", in_function)
        try:
            tree = head.parse()
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        definition = tree.body[0].body[0] if head.indented else tree.body[0]
        if function and reads_whole(definition, lines[start:end + 1]):
            return False
        units.append(head)
        _split_region(lines, member, end, member_indent, in_string, units, broken,
                      in_function=inner)
        return True
    if not members or not line.rstrip().endswith(":"):
        return False
    # The header itself is broken (`class A(B:`): it goes quiet, its body's statements do not.
    broken.append((start, members[0] - 1))
    _split_region(lines, members[0], end, re.match(r"[ \t]*", lines[members[0]]).group(0),
                  in_string, units, broken, in_function=inner)
    return True


def _member_line(text: str, indent: str) -> bool:
    """A line of code indented deeper than `indent`."""
    if not text.strip() or text.lstrip().startswith("#"):
        return False
    own = re.match(r"[ \t]*", text).group(0)
    return len(own) > len(indent) and own.startswith(indent)
