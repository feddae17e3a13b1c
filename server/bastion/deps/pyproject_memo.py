"""pyproject.toml as the editor re-reads it: each dependency's parse and findings are kept from
the last read of the file, by the dependency's text and place, so that an edit derives only the
dependencies it changed or moved (an edit that adds no line moves none on other lines). An edit
within one line that keeps its tokens (a version typed, a blank, a comment), or one that adds or
removes blank or comment lines (Enter), a dependencies array's elements written a line each or
a Poetry table's `name = "version"` lines, is read without parsing the TOML (`pyproject_lines`,
`pyproject_items`, `pyproject_entries`); so is a keystroke that leaves the text not valid TOML
on the lines it changed among an array's values or at a statement (`pyproject_errors`: tomllib
is given those lines, or the text from them); any other parses it whole: a table or a key
written anywhere can change what any line means.

The results equal `pyproject.parse` then `match.findings` on the whole file: each dependency's
results depend only on its text, its place and the advisory index
(tests/unit/test_deps_pyproject_memo.py, test_deps_pyproject_lines.py,
test_deps_pyproject_items.py and test_deps_pyproject_errors.py edit files at random and compare).

State: a `Memo` belongs to one deps analyzer. It keeps, for each of the 4 pyproject files read
last, the results of its last valid read's dependencies and the `Layout` of its calls
(updated in place by an edit read without parsing), and the advisory results by requirement
(as many as the requirements of those reads and no more than `_SEEN`); it is emptied when the
advisory index object changes and by `forget()`. It takes no lock: the engine runs text
analyzers under its own.
"""

from __future__ import annotations

import itertools

import attrs

from bastion.deps import match, pyproject, pyproject_errors, pyproject_lines
from bastion.deps.index import AdvisoryIndex
from bastion.deps.model import Dependency, Problem
from bastion.deps.pyproject_lines import Layout
from bastion.engine.cache import LRU
from bastion.model import Finding

_PATHS = 4
_SEEN = 1 << 17  # advisory results by requirement kept (a 5 MB file has about 130k)
_UNSET = object()


@attrs.frozen
class _Kept:
    parsed: dict  # what pyproject.parse derived, by call
    found: dict  # a dependency -> its findings
    layout: Layout | None = None  # for an edit within a line (None: not valid TOML)


class Memo:
    def __init__(self) -> None:
        self._last: LRU[str, _Kept] = LRU(_PATHS)
        self._seen: dict = {}
        self._index: object = _UNSET

    def forget(self) -> None:
        self._last.clear()
        self._seen = {}
        self._index = _UNSET

    def closed(self, path: str) -> None:
        """The editor closed the file at `path`: its last read (its text) goes."""
        self._last.pop(path)

    def read(self, path: str, text: str, index: AdvisoryIndex | None
             ) -> tuple[list[Finding], list[Problem]]:
        """The findings (unsorted) and problems of the pyproject.toml `text` at `path`."""
        if index is not self._index:
            self.forget()
            self._index = index
        if len(self._seen) > _SEEN:
            self._seen = {}
        last = self._last.get(path) or _Kept({}, {})
        again = None if last.layout is None else pyproject_lines.reread(last.layout, text)
        if again is not None:
            self._last.put(path, last)
            return self._again(last, text, again, index)
        wrong = None if last.layout is None else pyproject_errors.error(last.layout, text)
        if wrong is not None:  # as `pyproject.read` tells it, the last valid read kept (below)
            self._last.put(path, last)
            return [], [pyproject.not_valid(wrong)]
        now = _Kept({}, {})
        manifest, keys, calls, results = pyproject.read(text, last.parsed, now.parsed)
        findings = [self._findings(result, last.found, now.found, index) for result in results]
        if keys is not None:
            now = attrs.evolve(now, layout=Layout.of(text, keys, calls, results, findings))
        # A text that is not valid TOML (a string being typed) keeps the last valid read: the
        # keystroke that makes it valid again is read from it, not derived again whole.
        self._last.put(path, now if keys is not None else last)
        return list(itertools.chain.from_iterable(findings)), list(manifest.problems)

    def _findings(self, result, kept: dict, keep: dict, index: AdvisoryIndex | None) -> tuple:
        """A call's findings: those `kept` for the same dependency, or matched; put in `keep`."""
        if not isinstance(result, Dependency):
            return ()
        findings = kept.get(result)
        if findings is None:
            findings = tuple(match.findings((result,), index, self._seen))
        keep[result] = findings
        return findings

    def _again(self, kept: _Kept, text: str, calls: pyproject_lines.Changed,
               index: AdvisoryIndex | None) -> tuple[list[Finding], list[Problem]]:
        """What `read` gives for `text`, `kept.layout`'s text with `calls` changed (or new: None
        in the layout), each with its line in `text`; `kept` is updated (what the old calls
        derived is dropped)."""
        layout = kept.layout
        problems = False
        for number, (call, line) in calls.items():
            old = layout.results[number]
            kept.parsed.pop(layout.calls[number], None)
            kept.found.pop(old, None)
            result = kept.parsed[call] = pyproject.derive(call)
            layout.calls[number], layout.results[number] = call, result
            layout.findings[number] = self._placed(call, result, line, kept, index)
            problems = problems or isinstance(old, Problem) or isinstance(result, Problem)
        if problems:
            layout.problems = list(pyproject.manifest(layout.results).problems)
        layout.text = text
        return list(itertools.chain.from_iterable(layout.findings)), layout.problems_now()

    def _placed(self, call: pyproject.Call, result, line: int, kept: _Kept,
                index: AdvisoryIndex | None) -> tuple:
        """The findings of `call`, whose `result` is at its line in the layout's base, at
        `line` in the text."""
        base = pyproject.places(call)[0][0]
        if not float(base).is_integer():  # a line added since: no line of the base's
            return self._findings(pyproject.derive(pyproject.at_line(call, line)), {}, {}, index)
        found = self._findings(result, kept.found, kept.found, index)
        return tuple(f.shifted(line - base) for f in found) if line != base else found
