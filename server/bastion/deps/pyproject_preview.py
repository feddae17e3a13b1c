"""Part of a pyproject.toml read on its own: the findings on the lines the editor shows first,
while the whole file (seconds at 5 MB) is still to be read (engine/text_preview.py).

The lines in view are cut into table sections (from a `[table]` header line to the next); each
section is read from its header down to its last line in view, as TOML of its own. When the file
has no multi-line string above the last line in view, a line whose first token is `[` is a header
or a nested array's line: a header is taken only when it is bare keys that are no value
(`[project]`, not `[true]` nor `[1979-05-27]`), any other such line leaves the preview to the
whole read (None). A section's lines down to a line end are then a prefix of the file's
statements; read alone (or with a `]` closing the array still open), they give each value the key
path the whole file gives it, and `pyproject.read` the same calls for the values written there.
The calls of PEP 621 arrays and dependency groups are their one-line elements; a Poetry
dependency may have its name above its version (a sub-table, dotted keys), so a Poetry table's
section is read only when each of its lines in the cut is blank, a comment or `name = "version"`.
A section whose header is no dependency table nor one of their parents holds no dependency; one
under a dependency table (`[tool.poetry.dependencies.flask]`) leaves the preview to the whole read.

A file that is not valid TOML (a line half typed far below the view, a key written twice) gives
no finding once read whole, only the error: so findings are shown only once the whole text
parses (`toml_text` keeps the values for the whole analysis and the settings read, which parse
the same text); otherwise there is no preview and the whole analysis reports the error. The cut
is bounded (`_MAX_CHARS` read): a view far down one table's section is left to the whole read.
tests/unit/test_deps_pyproject_preview.py compares the two on random files.
"""

from __future__ import annotations

import re

from bastion.deps import match, pyproject, store
from bastion.deps.index import InvalidIndex
from bastion.deps.toml_text import TOMLDecodeError, loads
from bastion.model import Finding

_BARE = r"[ \t]*[A-Za-z0-9_-]+[ \t]*"
_HEADER = re.compile(rf"[ \t]*\[({_BARE}(?:\.{_BARE})*)\][ \t]*(?:#.*)?\r?")
_VALUES = frozenset({"true", "false", "inf", "nan"})  # bare words that are values
# A Poetry dependency's line that holds its name and its constraints: a string or an inline table.
_ENTRY = re.compile(r"""[ \t]*[A-Za-z0-9_-]+[ \t]*=[ \t]*["'{]""")
_BLANK = re.compile(r"[ \t]*(?:#.*)?\r?")
_MAX_CHARS = 512 * 1024  # read above and in view, at most
_READ = (("project",), ("project", "optional-dependencies"), ("dependency-groups",))  # and Poetry's
_PARENTS = frozenset({(), ("tool",), ("tool", "poetry"), ("tool", "poetry", "group")})


def findings_on(text: str, lines: list[str], first: int, last: int) -> list[Finding] | None:
    """The findings of the pyproject.toml `text`, whose lines are `lines`, on lines `first` to
    `last` (inclusive, 0-based), or None when they cannot be told so."""
    found = _in_view(lines, first, last)
    if found:
        try:
            loads(text)
        except TOMLDecodeError:
            return None
    return found


def _in_view(lines: list[str], first: int, last: int) -> list[Finding] | None:
    """`findings_on`, if the whole text is valid TOML."""
    if any('"""' in line or "'''" in line for line in lines[:last + 1]):
        return None
    start, size = first, 0
    while start > 0 and not lines[start].lstrip().startswith("["):
        start -= 1
        size += len(lines[start])
        if size > _MAX_CHARS:
            return None
    sections = []  # (header line or None: the root table, path)
    for number in range(start, last + 1):
        if lines[number].lstrip().startswith("["):
            path = _header(lines[number])
            if path is None:
                return None
            sections.append((number, path))
    if not sections or sections[0][0] > first:
        sections.insert(0, (None, ()))
    found: list[Finding] = []
    for at, (line, path) in enumerate(sections):
        end = sections[at + 1][0] - 1 if at + 1 < len(sections) else last
        begin = 0 if line is None else line
        part = _section(lines, begin, end, path)
        if part is None:
            return None
        found.extend(f.shifted(begin) for f in part if first <= f.span.start_line + begin <= last)
    return found


def _header(line: str) -> tuple[str, ...] | None:
    """The path of a `[table]` header line that cannot be a nested array's line; else None."""
    header = _HEADER.fullmatch(line)
    if header is None:
        return None
    path = tuple(key.strip() for key in header.group(1).split("."))
    return None if path[0][0] in "0123456789-" or path[0] in _VALUES else path


def _section(lines: list[str], begin: int, end: int, path: tuple) -> list[Finding] | None:
    """The findings of the section whose header (or the file's start) is line `begin`, read down
    to line `end`, at lines from `begin`; None when they cannot be told so."""
    poetry = pyproject.poetry_table(path)
    if not poetry and path not in _READ:
        if path in _PARENTS or (len(path) == 4 and path[:3] == ("tool", "poetry", "group")):
            # dotted keys or an inline table may hold dependencies
            return None if any("dependencies" in line for line in lines[begin:end + 1]) else []
        return None if any(_table(path[:n]) for n in range(1, len(path) + 1)) else []
    body = lines[begin:end + 1]
    if poetry and not all(_BLANK.fullmatch(line) or _ENTRY.match(line) for line in body[1:]):
        return None
    text = "\n".join(body) + "\n"
    for closed in (text, text + "]\n"):
        manifest, keys, _calls, _results = pyproject.read(closed)
        if keys is None:
            continue
        try:
            index = store.load()
        except InvalidIndex:
            index = None
        return match.findings(manifest.dependencies, index)
    return None


def _table(path: tuple) -> bool:
    """Whether `path` is that of a table or array `pyproject.read` reads dependencies from."""
    return path in _READ[1:] or path == ("project", "dependencies") or pyproject.poetry_table(path)
