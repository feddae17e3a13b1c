"""Lock files: uv.lock, poetry.lock, pdm.lock, pylock.toml / pylock.*.toml, Pipfile.lock.

Locks are never edited: a finding names the command that re-locks the package. Values come from
the real parsers (`tomllib`, `json`); the version's span from the line that holds it, since
the tools write one key per line. Packages from git, a path or a URL are not looked up: uv and
Poetry say so in a `source` table, pylock.toml with a `vcs`, `directory` or `archive` table,
PDM with the package's own `git` (`hg`, `svn`, `bzr`), `path` or `url` key. pdm.lock's second
table for a package with extras is not reported again (`_extras_variant`). PDM 1.x locks
(lock_version 3.x, up to 4.2 in PDM 2.x) put `[metadata]` and its `[metadata.files]` hashes after
the packages, later ones `[metadata]` first: read alike. A lock that looks cut short
(deps/lock_whole.py) or a pdm.lock package with no version line read says so ("not analysed"),
never a silent clean.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from bastion.deps import lock_whole
from bastion.deps.model import Dependency, Manifest, Problem
from bastion.deps.toml_text import TOMLDecodeError, loads
from bastion.model import Span
from bastion.model.text import text_lines

LOCK_COMMANDS = {
    "uv.lock": "uv lock --upgrade-package {name}",
    "poetry.lock": "poetry update {name}",
    # PDM updates a package that only another one depends on too (its changelog: pdm#2628).
    "pdm.lock": "pdm update {name}",
    "pylock": "re-lock with the tool that wrote the file (e.g. `pip lock`, or "
              "`uv lock --upgrade-package {name}` then `uv export --format pylock.toml`)",
    "Pipfile.lock": "pipenv update {name}",
}
BLOCK = {"uv.lock": "package", "poetry.lock": "package", "pdm.lock": "package", "pylock": "packages"}
_NOT_INDEX = {"git", "directory", "file", "url", "path", "editable", "virtual", "vcs", "archive"}
_NOT_INDEX_KEYS = {"pdm.lock": ("git", "hg", "svn", "bzr", "path", "url")}
_NOT_INDEX_TABLES = ("vcs", "directory", "archive")
# Locks whose every package from an index has a version: one without (a lock cut short after its
# name) is said not analysed. pylock.toml's is optional (PEP 751); the others are not checked.
_VERSIONED = frozenset({"pdm.lock"})


def parse(kind: str, text: str) -> Manifest:
    if kind == "Pipfile.lock":
        return _pipfile(text)
    try:
        data = loads(text, keep=False)
    except TOMLDecodeError as exc:
        return Manifest(kind, (), (Problem(f"not valid TOML ({exc})"),))
    block = BLOCK[kind]
    entries = data.get(block)
    if not isinstance(entries, list):
        problems = [] if entries is None else [Problem(f"`{block}` is not an array of tables "
                                                       f"([[{block}]]): no package is analysed")]
        return Manifest(kind, (), (*problems, *file_problems(kind, data, frozenset(), frozenset())))
    whole = file_problems(kind, data, *lock_whole.graph(kind, entries))
    spans = version_lines(text, block)
    if len(spans) < len(entries):  # more header lines: one in a multi-line string, after
        return Manifest(kind, (), (_unplaced(block, len(entries), len(spans)), *whole))
    found, problems = dependencies(kind, entries, spans)
    return Manifest(kind, tuple(found), (*problems, *whole))


def _unplaced(block: str, tables: int, headers: int) -> Problem:
    """The versions are placed by pairing the tables with their `[[block]]` lines in order: an
    inline array (`block = [{ name = "x", version = "1.0" }]`, valid TOML that no lock tool
    writes) or a header written otherwise (`[[ "block" ]]`) has tables without such a line.
    (A header-like line in a multi-line string is one too many: as before, the tables are
    paired with the first lines, tests/unit/test_deps_lock_preview.py's case.)"""
    return Problem(f"{tables} `{block}` tables but {headers} `[[{block}]]` header lines (an "
                   f"inline array `{block} = [{{ ... }}]`?): their versions cannot be placed on "
                   "their lines, no package is analysed")


def file_problems(kind: str, keys: Iterable[str], names: frozenset[str], wants: frozenset[str]
                  ) -> list[Problem]:
    """Why the lock whose top-level `keys`, package names and names its packages depend on
    (`lock_whole.graph`) are these looks cut short (deps/lock_whole.py)."""
    return [*lock_whole.key_problems(kind, keys), *lock_whole.reference_problems(names, wants)]


def dependencies(kind: str, entries: list, spans: list[Span | int]
                 ) -> tuple[list[Dependency], list[Problem]]:
    """The locked packages of `entries` (the `[[block]]` tables, in order), each at the span
    of the same position in `spans` (`version_spans`)."""
    found: list[Dependency] = []
    problems: list[Problem] = []
    for position, entry in enumerate(entries):
        if not isinstance(entry, dict) or position >= len(spans) or _not_from_index(kind, entry):
            continue
        name, version, span = entry.get("name"), entry.get("version"), spans[position]
        if not isinstance(name, str) or not isinstance(version, str) or not isinstance(span, Span):
            if kind in _VERSIONED:
                problems.append(_unread(name, span))
            continue
        if kind == "pdm.lock" and _extras_variant(entry, name, version):
            continue
        dependency = _locked(kind, name, version, span, problems)
        if dependency is not None:
            found.append(dependency)
    return found, problems


def _unread(name: object, place: Span | int) -> Problem:
    what = f"{name}: no `version = \"...\"` line read" if isinstance(name, str) \
        else "a package table with no name"
    return Problem(f"{what}: not analysed (a lock cut short or edited by hand?)",
                   place if isinstance(place, int) else place.start_line)


def _not_from_index(kind: str, entry: dict) -> bool:
    source = entry.get("source")
    if isinstance(source, dict):
        if source.get("type") in _NOT_INDEX or any(key in _NOT_INDEX for key in source):
            return True
    return any(key in entry for key in _NOT_INDEX_KEYS.get(kind, _NOT_INDEX_TABLES))


_PIN = re.compile(r"\s*([A-Za-z0-9._-]+)\s*==\s*([^\s;,]+)\s*(?:;.*)?$")


def _extras_variant(entry: dict, name: str, version: str) -> bool:
    """Whether `entry` is pdm.lock's table for a package with extras (`extras = ["socks"]`),
    which depends on the bare package at its own version, locked in a table of its own: the
    package is reported there, once."""
    if "extras" not in entry or not isinstance(entry.get("dependencies"), list):
        return False
    wanted = canonicalize_name(name)
    for requirement in entry["dependencies"]:
        pin = _PIN.match(requirement) if isinstance(requirement, str) else None
        if pin is not None and canonicalize_name(pin.group(1)) == wanted and pin.group(2) == version:
            return True
    return False


def version_lines(text: str, block: str) -> list[Span | int]:
    """For each `[[block]]` in order, the span of its `version = "..."` value, or the header's
    line if it has none."""
    return version_spans(text_lines(text), block)


def header(block: str) -> re.Pattern:
    """A `[[block]]` line, as `version_lines` tells one."""
    return re.compile(r"^\s*\[\[\s*" + block + r"\s*\]\]\s*(#.*)?$")


def version_spans(lines: list[str], block: str, start: int = 0, stop: int | None = None
                  ) -> list[Span | int]:
    """`version_lines` of the lines `start` to `stop` (exclusive) read on their own, at their
    numbers; the same spans as the whole text's when line `start` is 0 or a `[[block]]` line."""
    starts = header(block)
    other = re.compile(r"^\s*\[")
    version = re.compile(r'^\s*version\s*=\s*(["\'])([^"\']*)\1')
    spans: list[Span | int] = []
    inside = False
    for number in range(start, len(lines) if stop is None else stop):
        line = lines[number]
        if starts.match(line):
            spans.append(number)
            inside = True
        elif other.match(line):
            inside = False  # a sub-table ([package.source], [[package.wheels]]): not the version
        elif inside and not isinstance(spans[-1], Span):
            match = version.match(line)
            if match:
                spans[-1] = Span(number, match.start(2), number, match.end(2))
    return spans


def _locked(kind: str, name: str, version: str, span: Span,
            problems: list[Problem]) -> Dependency | None:
    if not _pep440(version):
        problems.append(_not_pep440(name, version, span.start_line))
        return None
    normalised = canonicalize_name(name)
    return Dependency(normalised, f"=={version}", span, version, span, locked=True,
                      lock_command=LOCK_COMMANDS[kind].format(name=normalised))


@functools.lru_cache(maxsize=4096)  # a large lock repeats versions (1.0, 2.0.1...)
def _pep440(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


def _not_pep440(name: str, version: str, line: int) -> Problem:
    return Problem(f"{name}: {version!r} is not a PEP 440 version", line)


# A Pipfile.lock package with a string version: its name, version, and the line, column and
# raw text of the version's value.
Slot = tuple[str, str, int, int, str]


def _pipfile(text: str) -> Manifest:
    slots, problem = pipfile_slots(text)
    if problem is not None:
        return Manifest("Pipfile.lock", (), (problem,))
    found: list[Dependency] = []
    problems: list[Problem] = []
    for slot in slots:
        dependency = pipfile_dependency(slot, problems)
        if dependency is not None:
            found.append(dependency)
    return Manifest("Pipfile.lock", tuple(found), tuple(problems))


def pipfile_slots(text: str, data: object | None = None) -> tuple[list[Slot], Problem | None]:
    """The packages of a Pipfile.lock, in order, or why the text cannot be read; `data`: its
    values when already parsed."""
    if data is None:
        try:
            data = json.loads(text)
        except ValueError as exc:
            return [], Problem(f"not valid JSON ({exc})")
    return pipfile_slots_of(data, pipfile_versions(text)), None


def pipfile_slots_of(data: object, places: dict[tuple[str, str], tuple[int, int, str]]
                     ) -> list[Slot]:
    """The packages of a Pipfile.lock's values `data` whose version `places` holds, in order."""
    slots: list[Slot] = []
    for section in ("default", "develop"):
        packages = data.get(section) if isinstance(data, dict) else None
        if not isinstance(packages, dict):
            continue
        for name, entry in packages.items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if isinstance(version, str) and (section, name) in places:
                slots.append((name, version, *places[section, name]))
    return slots


def pipfile_dependency(slot: Slot, problems: list[Problem]) -> Dependency | None:
    """A package's dependency if its version is pinned (`==`); its problem goes to `problems`."""
    name, version, line, col, token = slot
    if not version.startswith("=="):
        return None
    inner = token.find(version)  # -1 only if the value is written with escapes
    col += (inner if inner >= 0 else 1) + 2
    span = Span(line, col, line, col + len(version) - 2)
    return _locked("Pipfile.lock", name, version[2:], span, problems)


def pipfile_problems(slot: Slot) -> tuple[Problem, ...]:
    """The problems `pipfile_dependency` reports of a package, without its dependency."""
    name, version, line, _column, _token = slot
    if not version.startswith("==") or _pep440(version[2:]):
        return ()
    return (_not_pep440(name, version[2:], line),)


# A JSON key (a string and its colon), a string value or a bracket: enough to walk a text that
# json.loads accepted. An array of strings only (an entry's "hashes") is passed over whole.
_JSON_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?|[{}\[\]]')
_STRINGS = re.compile(r'\[(?:\s*"(?:[^"\\]|\\.)*"\s*,?)*\s*\]')
# A section's package written with no backslash and no object inside its entry (as pipenv
# writes them): its name and entry, read in one match; then its following comma. Each key of
# such an entry is the entry's own, and its strings' quotes alternate, so a string "version"
# followed by a colon is its version key.
# Possessive runs (Python 3.11+) take a run in one step; Python 3.10 has none: there one
# character a step, the same language and as linear (no run can be split two ways), ~3x slower.
FLAT_ENTRY_POSSESSIVE = r'"([^"\\]*+)"\s*+:\s*+(\{(?:[^{}"\\]++|"[^"\\]*+")*+\})\s*+,?\s*+'
FLAT_ENTRY_STEPWISE = r'"([^"\\]*)"\s*:\s*(\{(?:[^{}"\\]|"[^"\\]*")*\})\s*,?\s*'
try:
    _FLAT_ENTRY = re.compile(FLAT_ENTRY_POSSESSIVE)
except re.error:
    _FLAT_ENTRY = re.compile(FLAT_ENTRY_STEPWISE)
_FLAT_VERSION = re.compile(r'"version"\s*:\s*("[^"\\]*")')
_SECTIONS = ("default", "develop")


def pipfile_versions(text: str, stop: int | None = None
                     ) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(section, package) -> (line, column, raw token) of the package's "version" value: read
    by nesting, so that a package named like an entry's key ("hashes", "version") or a key
    elsewhere named like a section is not taken for another. One pass over the text, or over
    the tokens that start before `stop`."""
    places: dict[tuple[str, str], tuple[int, int, str]] = {}
    keys: list[str | None] = []  # per open container: the key it is the value of
    key: str | None = None  # the key whose value comes next
    line, scanned = 0, 0  # lines counted up to `scanned`
    position = 0
    while (match := _JSON_TOKEN.search(text, position)) is not None \
            and (stop is None or match.start() < stop):
        token, position = match.group(), match.end()
        if match.group(2) is not None and len(keys) == 2 and keys[1] in _SECTIONS and (
                flat := _flat_entries(text, match.start(), stop, keys[1], places, line, scanned)
        )[0] > match.start():
            # a section's packages: the flat ones read whole (the walk's steps per token were
            # most of a 5 MB lock's whole read), up to the first that is not
            position, line, scanned = flat
            key = None
        elif match.group(2) is not None:  # a key
            raw = match.group(1)
            key = json.loads(f'"{raw}"') if "\\" in raw else raw
        elif token == "[" and (strings := _STRINGS.match(text, match.start())) is not None:
            key, position = None, strings.end()
        elif token in ("{", "["):
            keys.append(key)
            key = None
        elif token in ("}", "]"):
            if keys:
                keys.pop()
            key = None
        else:
            if key == "version" and len(keys) == 3 and keys[1] in _SECTIONS \
                    and isinstance(keys[2], str):
                offset = match.start()
                line += text.count("\n", scanned, offset)
                scanned = offset
                places[keys[1], keys[2]] = (line, offset - text.rfind("\n", 0, offset) - 1,
                                            token)
            key = None
    return places


def _flat_entries(text: str, start: int, stop: int | None, section: str,
                  places: dict[tuple[str, str], tuple[int, int, str]], line: int, scanned: int
                  ) -> tuple[int, int, int]:
    """The flat packages (`_FLAT_ENTRY`) from `start` (a key in `section`) on, ending before
    `stop`, put in `places` as `pipfile_versions` walking them would; where they end, and
    `pipfile_versions`' line count (`line` up to `scanned`) then."""
    position = start
    while (entry := _FLAT_ENTRY.match(text, position, len(text) if stop is None else stop)) is not None:
        position = entry.end()
        versions = list(_FLAT_VERSION.finditer(text, entry.start(2), entry.end(2)))
        if versions:
            version = versions[-1]  # the last one written counts
            offset = version.start(1)
            line += text.count("\n", scanned, offset)
            scanned = offset
            places[section, entry.group(1)] = (line, offset - text.rfind("\n", 0, offset) - 1,
                                               version.group(1))
    return position, line, scanned
