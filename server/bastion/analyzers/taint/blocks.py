"""A module's tree from its top-level blocks, each parsed once per (text, position).

A keystroke changes one block: parsing only that block keeps the taint analyzer's cost per
keystroke near the cost of the edited function, not of the file. Blocks start at lines that
begin in column 0 (decorators join their definition; `else`, `except`, closing brackets and
comments continue the block before; lines inside a triple-quoted string never start one). A
long class is split the same way into its header and its members at the body's indentation,
so an edit in one method of a 3,000-line class parses that method. When a block does not parse
(the split was wrong) it is joined with the blocks after it, up to MAX_MERGE; a block that still
does not parse (code being typed) is read without the line that breaks it (block_mends.py), as
the engine leaves broken lines quiet, or left out.

`BlockParser` owns its caches; like the analyzer it is used under the engine's lock. Given the
whole file's tree (the engine has just parsed it), a block made of whole statements of that tree
takes them instead of being parsed again (whole_blocks.py).
"""

from __future__ import annotations

import ast
import copy
import functools
import re

from bastion.analyzers.taint.block_lines import Spliced, split_after
from bastion.analyzers.taint.block_mends import Mends, read_text
from bastion.analyzers.taint.block_runs import Run, first_index
from bastion.analyzers.taint.block_starts import Starts, block_starts
from bastion.analyzers.taint.block_twins import Twins
from bastion.analyzers.taint.whole_blocks import WholeStatements
from bastion.digests import blake2b
from bastion.engine.cache import LRU
from bastion.parsing import parse_code, parse_code_at

MAX_MERGE = 8  # blocks joined to close a construct that spans them before parsing everything
SPLIT_CLASS_LINES = 80  # classes longer than this are parsed member by member


class BlockParser:
    def __init__(self, size: int = 8192, memo: LRU | None = None) -> None:
        """`memo`: where the nodes of a block moved by an edit are paired with the last parse's
        (block_twins.py), the analyzer's memo of walks by node."""
        self._trees: LRU[tuple[bytes, int, str], list[ast.stmt]] = LRU(size)
        self._twins = Twins(memo, size)
        self._broken: LRU[tuple[bytes, int, str], bool] = LRU(size)
        self._starts = Starts()
        self._mends = Mends()  # blocks being typed, read without the line that breaks them
        # A class body's member starts, relative, by (digest of the body's lines, indent).
        self._members: LRU[tuple[bytes, str], list[int]] = LRU(size)
        self._class_starts: LRU[tuple[str, str], Starts] = LRU(64)  # by header line, indent
        # The last text's lines, and its blocks' statements by (start, end, indent): a block
        # outside the lines an edit changed, at the same place, is served without joining and
        # digesting its lines (a keystroke in a 3,000-line class digested all of it, twice).
        self._lines: list[str] = []
        self._text: str | None = None  # the text `_lines` were split from
        self._anchor = (0, 0)  # an offset of `_text` and the newlines before it (block_lines.py)
        self._placed: dict[tuple[int, int, str], list[ast.stmt]] = {}
        self._placing: dict[tuple[int, int, str], list[ast.stmt]] = {}
        self._edited = (0, 0)  # the lines [from, to) of this text that differ from the last's
        self._changed = (0, 0)  # ... or are not at the same place in it
        # The last block that did not parse failed only at its end, on a bracket never closed.
        self._unclosed = False
        self._whole: WholeStatements | None = None  # the text's tree, while `parse` is given it
        # The runs over block starts of the last parse and of this one, by (indent, first
        # line, end) (block_runs.py), and the run being made.
        self._runs: dict[tuple[str, int, int], Run] = {}
        self._next_runs: dict[tuple[str, int, int], Run] = {}
        self._run = Run()

    def forget(self) -> None:
        for cache in (self._trees, self._broken, self._members):
            cache.clear()
        self._mends.forget()
        self._twins.forget()
        self.forget_text()

    def forget_text(self) -> None:
        """Let go of the last text parsed and of the lines the block scans keep (its document
        closed): the next text's blocks are found again from its start, their trees still
        served by digest."""
        self._class_starts.clear()
        self._starts = Starts()
        self._lines, self._placed, self._text, self._anchor = [], {}, None, (0, 0)
        self._runs = {}

    def parse(self, text: str, whole: ast.Module | None = None) -> ast.Module:
        """The module's statements that parse (a block nested too deeply to parse is left out).
        `whole`: `text` parsed whole, when the caller has it: the same blocks, fewer parses."""
        spliced = split_after(text, self._text, self._lines, self._anchor)
        self._whole = WholeStatements.of(text, spliced.lines, whole)
        try:
            return self._parse(text, spliced)
        finally:
            self._whole = None

    def _parse(self, text: str, spliced: Spliced) -> ast.Module:
        old, lines = self._lines, spliced.lines
        self._mends.lines = {}
        same_before, same_after = spliced.same_before, spliced.same_after
        self._edited = (same_before, len(lines) - same_after)
        # lines after the edit are at the same places only when the count did not change
        self._changed = self._edited if len(lines) == len(old) else (same_before, len(lines))
        self._placing = {}
        # the scanner's last text is this parser's (counted once) unless someone else fed it
        starts = self._starts(lines, (same_before, same_after) if self._starts.lines is old else None)
        body = self._statements(lines, starts or [0], len(lines), "")
        self._lines, self._placed, self._text = lines, self._placing, text
        self._anchor = spliced.anchor
        self._runs, self._next_runs = self._next_runs, {}
        return ast.Module(body=body, type_ignores=[])

    def lines_of(self, text: str) -> list[str] | None:
        """`text.split("\n")` when `text` is the last text parsed (to read, not to change),
        else None: the analyzer's lines of the text, not split again."""
        return self._lines if text is self._text else None

    def read_text(self, tree: ast.Module, text: str) -> str:
        """`text` (of `tree`) as its tree reads it: when it is the last text parsed, with the lines
        read in place of those that broke a block being typed (block_mends.py)."""
        return read_text(tree, text, self._mends.lines) if text is self._text else text

    def _statements(self, lines: list[str], starts: list[int], hi: int, indent: str) -> list[ast.stmt]:
        """The blocks at `starts`, joined where they must be, the last text's run over the same
        lines taken where it can be (block_runs.py)."""
        key = (indent, starts[0], hi)
        last = self._runs.get(key)
        run, outer = Run(), self._run
        self._run = run
        index = 0
        if last is not None:
            index = first_index(starts, run.take_first(last, self._changed[0], self._placing))
        while index < len(starts):
            if last is not None and starts[index] >= self._changed[1] \
                    and run.take_rest(last, starts[index], self._placing):
                break
            ahead = index + MAX_MERGE
            run.begin(starts[index], starts[ahead] + 1 if ahead < len(starts) else hi + 1)
            for until in range(index + 1, min(index + MAX_MERGE, len(starts)) + 1):
                end = starts[until] if until < len(starts) else hi
                statements = self._block(lines, starts[index], end, indent, until == index + 1)
                if statements is not None or self._closes_nothing(lines, starts, index, until,
                                                                  hi, indent):
                    break
            if statements is None:  # mid-edit: what parses of the block, the others are analysed
                end = starts[index + 1] if index + 1 < len(starts) else hi
                statements, until = self._typed(lines, starts[index], end, indent), index + 1
            run.body.extend(statements)
            index = until
        self._run = outer
        self._next_runs[key] = run
        return list(run.body)  # the run's own list stays as it was made

    def _closes_nothing(self, lines: list[str], starts: list[int], index: int, until: int,
                        hi: int, indent: str) -> bool:
        """Whether joining the block at `starts[until]` to the broken lines before it cannot
        make them parse: it and the blocks after it the join could still take each parse on
        their own, so none closes a bracket they left open, and at `indent` none is the body of
        a header among them. Not so when they end in a backslash
        (then blank lines: broken only by where the text ends), hold a line indented less
        than `indent` (a class's members split where the class does not end: the block after
        may be the body of a `def` there), or a triple quote (the scanner's reading of
        strings and the tokenizer's differ in some broken texts: found by random edits).
        A call typed in a view stays unclosed until its `)`, and each keystroke parsed the
        view joined with up to MAX_MERGE - 1 views after it to learn it."""
        if until >= len(starts):
            return False
        unclosed = self._unclosed  # read before the parses below reset it
        # the broken lines as one text: searched whole, not line by line (a method being typed
        # in _pydecimal.py read its ~40 lines four times a key, each line a call or three)
        broken = lines[starts[index]:starts[until]]
        joined = "\n".join(broken)
        if "\\" in joined and _continued(broken) or indent and _unindented(indent).search(joined):
            return False
        docstring = '"""' in joined or "'''" in joined  # a line holding one is not blank
        # A docstring in the broken lines: the scanner's reading of strings is not trusted, the
        # tokenizer's is. It read them to their end outside any string with a bracket still open
        # (a string open there is its own error), so every block after that parses alone leaves
        # the bracket open. A method typed in _pydecimal.py tried ~6 such joins a key.
        if docstring and not unclosed:
            return False
        # The join stops only when all the blocks it could still take parse alone, each as one
        # text: one that parses alone closes nothing, but one after it may (`x = g(a,` / `y` /
        # `, z)`), and the join reaches it through the first.
        last = min(index + MAX_MERGE, len(starts))
        for number in range(until, last):
            end = starts[number + 1] if number + 1 < len(starts) else hi
            if docstring and not indent and end - starts[number] > SPLIT_CLASS_LINES or \
                    self._block(lines, starts[number], end, indent) is None:
                return False
        return True

    def _typed(self, lines: list[str], start: int, end: int, indent: str) -> list[ast.stmt]:
        """A block that does not parse, even joined with the blocks after it (code being
        typed): a short class split by its members (a long one was), so that only the member
        being typed is mended; else the block mended (block_mends.py)."""
        if not indent and end - start <= SPLIT_CLASS_LINES:
            statements = self._class(lines, start, end)
            if statements is not None:
                return statements
        return self._mends(lines, start, end, indent)

    def _block(self, lines: list[str], start: int, end: int, indent: str,
               alone: bool = True) -> list[ast.stmt] | None:
        """`alone`: the lines are one block, not blocks joined to close a construct: only then is
        a long class split by members (a broken class joined with the next read the next class's
        members as its own, its `__init__` lost: every function's module context changed)."""
        place = (start, end, indent)
        statements = self._placing.get(place)
        if statements is not None:  # parsed while telling whether a join could help
            return statements
        changed_from, changed_to = self._changed
        if end <= changed_from or start >= changed_to:
            statements = self._placed.get(place)
            if statements is not None:
                self._placing[place] = statements
                return statements
        statements = None
        if not indent and alone and end - start > SPLIT_CLASS_LINES:
            statements = self._class(lines, start, end)
        if statements is None:
            statements = self._parsed(lines, start, end, indent)
        if statements is not None:
            self._placing[place] = statements
            self._run.placed.append((place, statements))
        return statements

    def _parsed(self, lines: list[str], start: int, end: int, indent: str,
                suffix: str = "") -> list[ast.stmt] | None:
        block = "\n".join(lines[start:end]) + suffix
        key = (blake2b(block.encode("utf-8", "surrogatepass"), digest_size=16).digest(),
               start, indent)
        statements = kept = self._trees.get(key)
        if statements is None and self._whole is not None and not suffix:
            statements = self._whole.block(start, end, indent)
            if statements is not None:
                self._trees.put(key, statements)
        if statements is None and self._broken.get(key) is None:
            try:
                if indent:  # `if 1:` keeps the document's columns for indented code
                    statements = parse_code_at("if 1:\n" + block, start - 1).body[0].body
                else:
                    statements = parse_code_at(block, start).body
            except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
                # Nesting too deep to parse is reported where the engine parses the statement
                # ("not analysed", with its lines); here the block stays quiet like a broken one.
                self._broken.put(key, isinstance(error, SyntaxError)
                                 and str(error.msg).endswith("was never closed"))
            else:
                self._trees.put(key, statements)
        if statements is not None and kept is None and not suffix:  # new nodes
            self._twins.parsed(key[0], start, indent, statements)
        self._unclosed = statements is None and bool(self._broken.get(key))
        return statements

    def _class(self, lines: list[str], start: int, end: int) -> list[ast.stmt] | None:
        class_line = next((n for n in range(start, end) if not lines[n].startswith("@")), None)
        if class_line is None or not lines[class_line].startswith("class"):
            return None
        header_end = next((n for n in range(class_line, end) if lines[n].rstrip().endswith(":")), None)
        if header_end is None:
            return None
        first = next((n for n in range(header_end + 1, end)
                      if lines[n].strip() and not lines[n].lstrip().startswith("#")), None)
        if first is None:
            return None
        indent = lines[first][:len(lines[first]) - len(lines[first].lstrip())]
        if not indent:
            return None
        edited_from, edited_to = self._edited
        key = None
        relative = None
        if end <= edited_from or start >= edited_to:  # moved by an edit above it, or undone
            # From the line before the body: a backslash there would continue into it.
            key = (blake2b("\n".join(lines[first - 1:end]).encode("utf-8", "surrogatepass"),
                                  digest_size=16).digest(), indent)
            relative = self._members.get(key)
        if relative is None and lines[first - 1].rstrip().endswith("\\"):
            relative = [n - first for n in block_starts(lines, first, end, indent)]
        elif relative is None:
            # the class being edited: its members' starts from its last text's (by header)
            scanner = self._class_starts.get((lines[class_line], indent))
            if scanner is None:
                scanner = Starts(indent)
                self._class_starts.put((lines[class_line], indent), scanner)
            relative = scanner(lines[first:end])
        if key is not None:
            self._members.put(key, relative)
        members = [n + first for n in relative]
        if not members or members[0] != first:
            return None
        header = self._parsed(lines, start, header_end + 1, "", f"\n{indent}pass")
        if not header or not isinstance(header[0], ast.ClassDef):
            return None
        body = self._statements(lines, members, end, indent)
        if not body:
            return None
        node = copy.copy(header[0])
        node.body = body
        node.end_lineno = body[-1].end_lineno
        node.end_col_offset = body[-1].end_col_offset
        return [node]


class WholeParser:
    """For one-off scans (`bastion check`): a file that parses is parsed once, whole; the block
    parser, whose caches only pay off when the same document is parsed again after an edit,
    reads the ones that do not."""

    def __init__(self) -> None:
        self._blocks = BlockParser(size=256)

    def forget(self) -> None:
        self._blocks.forget()

    def forget_text(self) -> None:
        self._blocks.forget_text()

    def parse(self, text: str, whole: ast.Module | None = None) -> ast.Module:
        if whole is not None:
            return whole
        try:
            return parse_code(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return self._blocks.parse(text)

    def lines_of(self, text: str) -> list[str] | None:
        return self._blocks.lines_of(text)

    def read_text(self, tree: ast.Module, text: str) -> str:
        return self._blocks.read_text(tree, text)


def _continued(lines: list[str]) -> bool:
    """Whether the last of `lines` holding more than white space ends in a backslash."""
    for line in reversed(lines):
        if line.strip():
            return line.rstrip().endswith("\\")
    return False


@functools.lru_cache(maxsize=16)
def _unindented(indent: str) -> re.Pattern[str]:
    """A line holding more than white space (`str.strip`'s and `\\S`'s are the same: Unicode's)
    that does not start with `indent`, in lines joined by newlines."""
    return re.compile("^(?!" + re.escape(indent) + r")[^\n]*\S", re.MULTILINE)
