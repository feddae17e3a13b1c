"""Pipfile.lock as the editor re-reads it: an edit within one line that changes only the
contents of string values, or one that adds or removes blank lines, is read from the last read,
without parsing the JSON again.

Such an edit adds and removes no line end and leaves the line's tokens as they were but for
the contents of strings that are values (not followed by a colon), the new contents plain: no
quote, backslash or control character, so each is still one string whose value is its text;
and blanks (JSON's: space, tab, carriage return) beside a bracket, a comma, a colon, a string
or the line's ends, where they mean nothing (between two characters of a number or a literal
they would cut it in two).
JSON strings hold no line end, so a line's tokens are read from its start. The new text is then
valid JSON when the old one was, with the same keys: only string values changed, and a package
(`locks.pipfile_slots`) is derived again only if its version's value is one of them or moved on
that line. A changed string that is no package's version changes no package: the version a
package has is the last one written for it, as the text's last place for it is.
JSON strings hold no line end, so a line of blanks added or removed (Enter, a line joined to an
empty one) only moves the packages below it, whose places and findings move by the lines added.
Any other edit is read whole (from the values its preview parsed, if any: deps/pipfile_text.py);
a text that is not valid JSON is read whole and the next one is compared with the last valid one.
tests/unit/test_deps_pipfile_lines.py compares the two on random edits.

State: a `PipfileMemo` belongs to the deps analyzer's `LockCache`, which empties it with its
own. It keeps, for each of the 4 Pipfile.lock files read last, the `_Layout` of its packages
in its last valid read (updated in place by an edit read without parsing). It takes no lock:
the engine runs text analyzers under its own.
"""

from __future__ import annotations

import array
import bisect
import itertools
import re

import attrs

from bastion.deps import locks, match, pipfile_text
from bastion.deps.index import AdvisoryIndex
from bastion.deps.locks import Slot
from bastion.deps.model import Problem
from bastion.engine.cache import LRU
from bastion.model import Finding
from bastion.model.text import changed_lines, common_ends

_PATHS = 4
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^"]+')  # a string, or a run of the rest
_PLAIN = re.compile(r'[^"\\\x00-\x1f]*')
_BLANKS = re.compile(r"[ \t\r\n]*")
_BLANK_LINE = re.compile(r"[ \t\r]*\n")  # JSON's blanks, and its end
_BARE = re.compile(r"[{}\[\]:,]|[^ \t\r\n{}\[\]:,]+")  # a run's tokens: punctuation, or the rest


@attrs.define
class _Layout:
    text: str
    slots: list[Slot]  # as last derived: a line added above leaves them (the lines are read again)
    found: list[tuple[Finding, ...]]  # each package's findings
    problems: list[tuple[Problem, ...]]  # each package's problem, if any
    lines: array.array  # the packages' version lines, ascending
    numbers: array.array  # the package on each of `lines`

    def results(self) -> tuple[list[Finding], list[Problem]]:
        return list(itertools.chain.from_iterable(self.found)), \
            list(itertools.chain.from_iterable(self.problems))

    def derive(self, number: int, slot: Slot, index: AdvisoryIndex | None) -> None:
        if index is None or not index.affected(slot[0]):  # no finding (most packages): its
            self.slots[number] = slot  # dependency and spans are not built
            self.found[number] = ()
            self.problems[number] = locks.pipfile_problems(slot)
            return
        problems: list[Problem] = []
        dependency = locks.pipfile_dependency(slot, problems)
        self.slots[number] = slot
        # No advisory results kept by requirement (`match.findings`' `seen`): a lock names each
        # package once, and those keys held more memory than the rest of the layout.
        self.found[number] = () if dependency is None else tuple(match.findings((dependency,), index))
        self.problems[number] = tuple(problems)


class PipfileMemo:
    def __init__(self) -> None:
        self._last: LRU[str, _Layout] = LRU(_PATHS)

    def forget(self) -> None:
        self._last.clear()

    def closed(self, path: str) -> None:
        """The editor closed the file at `path`: its last read (its text) goes."""
        self._last.pop(path)

    def read(self, path: str, text: str, index: AdvisoryIndex | None
             ) -> tuple[list[Finding], list[Problem]]:
        """The findings (unsorted) and problems of the Pipfile.lock `text` at `path`; `index`
        is the one of the last read (the owner forgets us when it changes)."""
        kept = pipfile_text.take(text)  # taken even when unused: not kept past this read
        layout = self._last.get(path)
        changed = None if layout is None else _reread(layout, text)
        if layout is not None and changed is not None:
            for number, slot in changed.items():
                layout.derive(number, slot, index)
            layout.text = text
            return layout.results()
        slots, problem = locks.pipfile_slots(text, kept)
        if problem is not None:  # the last layout is kept: the keystroke that makes the
            return [], [problem]  # JSON valid again (a string being typed) is read from it
        held = sorted((slot[2], number) for number, slot in enumerate(slots))
        layout = _Layout(text, slots, [()] * len(slots), [()] * len(slots),
                         array.array("q", (line for line, _number in held)),
                         array.array("q", (number for _line, number in held)))
        for number, slot in enumerate(slots):
            layout.derive(number, slot, index)
        self._last.put(path, layout)
        return layout.results()


def _reread(layout: _Layout, text: str) -> dict[int, Slot] | None:
    """The packages that differ in `text` from `layout.text`, by number; None when the edit is
    not one that changes string values' contents only (above)."""
    old = layout.text
    if text == old:
        return {}
    head, tail = common_ends(old, text)
    if "\n" in old[head:len(old) - tail] or "\n" in text[head:len(text) - tail]:
        return _lines_changed(layout, text, head, tail)
    start = old.rfind("\n", 0, head) + 1
    before, after = _tokens(old, start), _tokens(text, start)
    if before is None or after is None or len(before) != len(after):
        return None
    tokens = {}  # a token's old column -> its new column and text, and whether it changed
    for (was_at, was), (now_at, now) in zip(before, after, strict=True):
        if (was[0] == '"') != (now[0] == '"') or (was[0] != '"' and _BARE.findall(was) != _BARE.findall(now)):
            return None
        changed = was != now
        if changed and (not _PLAIN.fullmatch(now, 1, len(now) - 1)
                        or text.startswith(":", _BLANKS.match(text, start + now_at + len(now)).end())):
            return None
        tokens[was_at] = (now_at, now, changed)
    line = old.count("\n", 0, start)
    found = {}
    first = bisect.bisect_left(layout.lines, line)
    for number in layout.numbers[first:bisect.bisect_right(layout.lines, line, first)]:
        name, version, _line, column, token = layout.slots[number]
        column, token, changed = tokens[column]
        slot = (name, token[1:-1] if changed else version, line, column, token)
        if slot != layout.slots[number]:
            found[number] = slot
    return found


def _lines_changed(layout: _Layout, text: str, head: int, tail: int) -> dict[int, Slot] | None:
    """{} when `text` is `layout.text` with blank lines added or removed, and `layout` then
    updated to it (but its text); else None."""
    first, removed, added = changed_lines(layout.text, text, head, tail)
    if not all(_BLANK_LINE.fullmatch(line) for line in (*removed, *added)):
        return None
    moved = len(added) - len(removed)
    if moved:
        below = bisect.bisect_left(layout.lines, first)  # the lines removed are blank
        for number in layout.numbers[below:]:
            if layout.found[number] or layout.problems[number]:
                layout.found[number] = tuple(f.shifted(moved) for f in layout.found[number])
                layout.problems[number] = tuple(attrs.evolve(p, line=p.line + moved)
                                                for p in layout.problems[number])
        layout.lines[below:] = array.array("q", [line + moved for line in layout.lines[below:]])
    return {}


def _tokens(text: str, start: int) -> list[tuple[int, str]] | None:
    """The strings and the runs between them of the line at `start` (column, text); None if
    a quote opens a string that does not close on the line."""
    end = text.find("\n", start)
    line = text[start:] if end < 0 else text[start:end]
    tokens = []
    at = 0
    while at < len(line):
        token = _TOKEN.match(line, at)
        if token is None:
            return None
        tokens.append((at, token.group()))
        at = token.end()
    return tokens
