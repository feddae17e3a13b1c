"""pyproject.toml as the editor re-reads it: each dependency's parse and findings are kept from
the last read of the file, by the dependency's text and place, so that an edit derives only the
dependencies it changed or moved (an edit that adds no line moves none on other lines). The
TOML itself is parsed whole on every read: a table or a key written anywhere can change what
any line means.

The results equal `pyproject.parse` then `match.findings` on the whole file: each dependency's
results depend only on its text, its place and the advisory index
(tests/unit/test_deps_pyproject_memo.py edits files at random and compares).

State: a `Memo` belongs to one deps analyzer. It keeps, for each of the 4 pyproject files read
last, the results of that read's dependencies, and the advisory results by requirement (as many
as the requirements of those reads and no more than `_SEEN`); it is emptied when the advisory
index object changes and by `forget()`. It takes no lock: the engine runs text analyzers under
its own.
"""

from __future__ import annotations

import attrs

from bastion.deps import match, pyproject
from bastion.deps.index import AdvisoryIndex
from bastion.deps.model import Problem
from bastion.engine.cache import LRU
from bastion.model import Finding

_PATHS = 4
_SEEN = 1 << 17  # advisory results by requirement kept (a 5 MB file has about 130k)
_UNSET = object()


@attrs.frozen
class _Kept:
    parsed: dict  # what pyproject.parse derived, by derivation and arguments
    found: dict  # a dependency -> its findings


class Memo:
    def __init__(self) -> None:
        self._last: LRU[str, _Kept] = LRU(_PATHS)
        self._seen: dict = {}
        self._index: object = _UNSET

    def forget(self) -> None:
        self._last.clear()
        self._seen = {}
        self._index = _UNSET

    def read(self, path: str, text: str, index: AdvisoryIndex | None
             ) -> tuple[list[Finding], list[Problem]]:
        """The findings (unsorted) and problems of the pyproject.toml `text` at `path`."""
        if index is not self._index:
            self.forget()
            self._index = index
        if len(self._seen) > _SEEN:
            self._seen = {}
        last = self._last.get(path) or _Kept({}, {})
        now = _Kept({}, {})
        manifest = pyproject.parse(text, last.parsed, now.parsed)
        found: list[Finding] = []
        for dependency in manifest.dependencies:
            findings = last.found.get(dependency)
            if findings is None:
                findings = tuple(match.findings((dependency,), index, self._seen))
            now.found[dependency] = findings
            found.extend(findings)
        self._last.put(path, now)
        return found, list(manifest.problems)
