"""Part of a lock file read for the lines the editor shows first, while the rest of its analysis
(seconds at 5 MB) is still to be done (engine/text_preview.py): uv.lock, poetry.lock,
pdm.lock, pylock.toml and Pipfile.lock.

A lock's findings are its packages', each on its version's line, each depending only on its
package's values and that line; but whether there are any at all depends on the whole text
(one that is not valid TOML or JSON gives none, only the error). So the whole text is parsed
first: when it is not valid (a merge conflict's markers far below the view) there is no preview,
the whole analysis reports the error. Then only the packages in view are read:
- TOML: the values are kept for the whole read (deps/lock_blocks.py builds its per-package
  results from them: the text is parsed once, not whole then package by package). The
  whole-file reading pairs the `[[package]]` tables tomllib gives with the header lines the
  line scan finds, by position; the lines from the header at or above the first line in view
  down to the last are scanned on their own (the scan starts afresh at each header), and their
  tables are those at the positions of the headers above them, counted.
- Pipfile.lock: the version places are walked from the start of the text down to the end of the
  view only (the walk is the whole reading's, cut short); a key written twice anywhere (the
  whole reading takes the last one, which may lie below the view) leaves it to the whole read.
  The values are kept for the whole read (deps/pipfile_text.py): the JSON is parsed once.
tests/unit/test_deps_lock_preview.py compares the preview with the whole analysis.
"""

from __future__ import annotations

import bisect
import json

from bastion.deps import locks, match, pipfile_text, store
from bastion.deps.index import AdvisoryIndex, InvalidIndex
from bastion.deps.model import Dependency, Problem
from bastion.deps.toml_text import TOMLDecodeError, loads
from bastion.model import Finding


class _Twice(ValueError):
    """A JSON object with a key written twice."""


def findings_on(kind: str, text: str, lines: list[str], first: int, last: int
                ) -> list[Finding] | None:
    """The findings of the lock file `text` of format `kind` (`locks.LOCK_COMMANDS`), whose
    lines are `lines` (`split_lines`), on lines `first` to `last` (inclusive, 0-based), or None
    when they are not told so."""
    found = _pipfile(text, lines, last) if kind == "Pipfile.lock" else _toml(kind, text, lines, first, last)
    if found is None:
        return None
    try:
        index: AdvisoryIndex | None = store.load()
    except InvalidIndex:
        index = None
    return [f for f in match.findings(tuple(found), index) if first <= f.span.start_line <= last]


def _toml(kind: str, text: str, lines: list[str], first: int, last: int) -> list[Dependency] | None:
    try:
        data = loads(text, preview=True)
    except TOMLDecodeError:
        return None
    block = locks.BLOCK[kind]
    entries = data.get(block)
    if not isinstance(entries, list):
        return []
    header = locks.header(block)
    heads = [number for number, line in enumerate(lines) if "[" in line and header.match(line)]
    if len(heads) < len(entries):
        return None  # tables with no header line: the whole analysis says why (`locks.parse`)
    start = first
    while start > 0 and not header.match(lines[start]):
        start -= 1
    above = bisect.bisect_left(heads, start)
    spans = locks.version_spans(lines, block, start, last + 1)
    found, _problems = locks.dependencies(kind, entries[above:above + len(spans)], spans)
    return found


def _pipfile(text: str, lines: list[str], last: int) -> list[Dependency] | None:
    try:
        data = json.loads(text, object_pairs_hook=_unique)
    except ValueError:  # _Twice too
        return None
    pipfile_text.keep(text, data)
    end = sum(map(len, lines[:last + 1])) + last + 1  # the end of line `last` (a CRLF's "\r" is
    # in its line)
    problems: list[Problem] = []
    found = (locks.pipfile_dependency(slot, problems)
             for slot in locks.pipfile_slots_of(data, locks.pipfile_versions(text, end)))
    return [dependency for dependency in found if dependency is not None]


def _unique(pairs: list[tuple[str, object]]) -> dict:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _Twice
    return value
