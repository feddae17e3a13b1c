"""Line tables, UTF-8 byte offset to code-point conversion, and the text edge cases that the CLI
and the server must treat alike.

`ast` (and so bandit) reports columns as UTF-8 byte offsets; everything else in Bastion uses
code points, and the LSP layer converts those to the client's negotiated encoding.

Lines end at "\\n", "\\r\\n" or a lone "\\r", as LSP clients and Python's tokenizer count them
(never at a form feed or U+2028, where `str.splitlines` would break); the "\\r" of a CRLF line
stays at the end of its line (`line_at` drops it).
"""

from __future__ import annotations

import unicodedata

from bastion.deferred_patterns import deferred

BOM = "\ufeff"
# Why a text is not analysed at all (the CLI's "skipped: ..." and the editor's message).
BINARY = "binary file (contains NUL bytes)"
_LINE_BREAK = deferred(r"\r(?!\n)|\n")
_LONE_CR = deferred(r"\r(?!\n)")
_LINE_END = deferred(r"\r\n|\r|\n")
_OTHER_BREAK = deferred("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines' others
_SURROGATE = deferred("[\ud800-\udfff]")
_ENDED_LINE = deferred(r"[^\n]*\n")
_CHUNK = 1 << 16  # characters compared at a time by `common_ends`: a copy this size stays in cache
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp"})  # control, format, line and paragraph separators


def byte_to_char_col(line: str, byte_col: int) -> int:
    """Code-point column of a UTF-8 byte offset within `line`."""
    if byte_col <= 0:
        return 0
    if line.isascii():
        return min(byte_col, len(line))
    encoded = line.encode("utf-8", "surrogatepass")
    return len(encoded[:byte_col].decode("utf-8", errors="ignore"))


def split_lines(text: str) -> list[str]:
    """Lines without their terminators (but the "\\r" of CRLF), split the way `ast` counts them."""
    if "\r" not in text:
        return text.split("\n")
    return _LINE_BREAK().split(text)


def text_lines(text: str) -> list[str]:
    """`text.splitlines()` with only "\n", "\r\n" and "\r" ending lines, as LSP clients and
    the report's line numbers count them: str.splitlines also breaks at U+2028, U+0085, form
    feeds..., which a TOML or JSON string may hold, and every later line would be off."""
    if "\r" not in text:
        lines = text.split("\n")  # a search for the other breaks costs more than the split
    elif _OTHER_BREAK().search(text) is None:
        return text.splitlines()
    else:
        lines = _LINE_END().split(text)
    if lines[-1] == "":
        lines.pop()  # a line end closes the last line; it does not open one
    return lines


def newlines_as_python_reads(text: str) -> str:
    """`text` with each lone "\\r" (old Mac line ends) made "\\n": same lines, same columns, and
    every line table that splits at "\\n" agrees with the parser's line numbers."""
    return _LONE_CR().sub("\n", text) if "\r" in text else text


def without_surrogates(text: str) -> str:
    """`text` with each lone surrogate (JSON can carry one; no UTF-8 file can) made U+FFFD: the
    same code points elsewhere, and a text the parser and bandit can encode."""
    if text.isascii():
        return text
    return _SURROGATE().sub("\ufffd", text)


def visible(text: str) -> str:
    """`text` with its control and format characters (bidi overrides among them) written as
    `\\uXXXX` escapes: shown text that reads as the file does."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _HIDDEN else c for c in text)


def line_at(lines: list[str], index: int) -> str:
    if 0 <= index < len(lines):
        return lines[index].rstrip("\r")
    return ""


# The last two texts `common_ends` compared and its answer. A keystroke's analysis compares the
# same two texts (the document's last and new one) in each of the taint analyzer's text gates
# and in the secrets analyzer: eight comparisons of 0.1 ms each at 230 kB, the same answer. The
# texts are held (a reused id would be another text) until `forget_compared` (the editor's
# document closed); one tuple, replaced whole, so a thread reads an old or a new entry, never
# a mixed one.
_NO_ENDS: tuple[str, str, tuple[int, int]] = ("", "", (0, 0))
_LAST_ENDS = _NO_ENDS


def common_ends(old: str, new: str) -> tuple[int, int]:
    """The lengths of the common start and the common end of two texts (not overlapping),
    compared a chunk at a time from each end, then by halving within the chunk that differs:
    each comparison is one C-level comparison of a slice of `new` with `old` where it is (halving
    over the whole texts copied both halves into fresh memory: 1.3 ms at 5 MB, now 0.5)."""
    global _LAST_ENDS
    last = _LAST_ENDS
    if last[0] is old and last[1] is new:
        return last[2]
    shortest, old_end, new_end = min(len(old), len(new)), len(old), len(new)
    head = _agreeing(lambda low, high: old.startswith(new[low:high], low), shortest)
    tail = _agreeing(lambda low, high: old.endswith(new[new_end - high:new_end - low], 0, old_end - low),
                     shortest - head)
    _LAST_ENDS = (old, new, (head, tail))
    return head, tail


def forget_compared() -> None:
    """Let go of the last texts compared: a closed document's text must not outlive it."""
    global _LAST_ENDS
    _LAST_ENDS = _NO_ENDS


def _agreeing(same, limit: int) -> int:
    """The largest n <= `limit` such that `same(low, high)` holds for every stretch of [0, n)."""
    low = 0
    while low < limit:
        high = min(low + _CHUNK, limit)
        if not same(low, high):
            break
        low = high
    high = min(low + _CHUNK, limit)
    while low < high:
        mid = (low + high + 1) // 2
        if same(low, mid):
            low = mid
        else:
            high = mid - 1
    return low


def common_lines(new: list[str], old: list[str], head: int = 0, tail: int = 0) -> tuple[int, int]:
    """How many first lines and how many last lines (of those left) both lists have: 64
    compared at once, then one by one, from `head` first and `tail` last lines the caller
    knows they share (the answer is the same)."""
    limit = min(len(new), len(old))
    while head + 64 <= limit and new[head:head + 64] == old[head:head + 64]:
        head += 64
    while head < limit and new[head] == old[head]:
        head += 1
    limit -= head
    tail, new_end, old_end = min(tail, limit), len(new), len(old)
    while (tail + 64 <= limit
           and new[new_end - tail - 64:new_end - tail] == old[old_end - tail - 64:old_end - tail]):
        tail += 64
    while tail < limit and new[-1 - tail] == old[-1 - tail]:
        tail += 1
    return head, tail


def changed_lines(old: str, new: str, head: int, tail: int) -> tuple[int, list[str], list[str]]:
    """The lines of `old` that `new` has others in place of (`head`, `tail`: their
    `common_ends`), those others, and the first one's line: whole lines with their "\n" (the
    last line of a text as if it had one, so that a line end added there adds no line), fewest
    first: lines equal at the start or the end of the change are left out."""
    start = old.rfind("\n", 0, head) + 1
    stop = old.find("\n", len(old) - tail)
    stop = len(old) if stop < 0 else stop + 1
    ended = "\n" if stop == len(old) else ""
    was = _ENDED_LINE().findall(old[start:stop] + ended)
    now = _ENDED_LINE().findall(new[start:stop + len(new) - len(old)] + ended)
    same, kept = common_lines(now, was)
    return old.count("\n", 0, start) + same, was[same:len(was) - kept], now[same:len(now) - kept]
