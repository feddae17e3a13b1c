"""Which module-level names of a workspace module other modules of a scan may change in place
(issue 12): `from .checks import ALLOWED` then `ALLOWED.append(url)`, `ALLOWED += [url]`,
`ALLOWED[k] = v` or `fill(ALLOWED)` anywhere in another module, or `checks.ALLOWED.add(url)`,
`checks.ALLOWED = [...]` through the module. Python shares the one list: a guard reading it in
`checks.py` (`url in ALLOWED`, `for prefix in ALLOWED`) proves nothing once any module of the
program changes it, so such a list, dict or set is no constant for `checks.py` (context.py),
its functions' summaries included (workspace.py). A module re-exporting the name
(`pkg/__init__.py` with `from .checks import ALLOWED`) passes on a change made through it.

Any module-level name, a string's or a number's constant too, that another module binds
through the module (`checks.CMD = x`, `checks.CMD += x`, `setattr(checks, "CMD", x)`, mock's
`patch.object`; every name once `vars(checks)`, `checks.__dict__` or a setattr of a name not
written as a literal appear) is no constant either, whatever it is bound to (`_rebound`).

Each importer's text is read as container_changes.py reads a module's own (an occurrence in doubt, in a
string or a comment too, counts as a change), outside its import statements (a star import's:
each name by its own). Only the names the defining module may bind to a container are looked
for (`_wanted`), and only the files under the scan's roots are seen. Past MAX_FILES of them the
others are not read, so any of them may change any name: every name looked for is then taken
as changed (no module constant of theirs in that scan), and the log says so once per roots.
`ForeignChanges` belongs to the summary store (workspace.py), or to a warm scan's keys
(scan_key.py), and takes the lock it is given.
"""

from __future__ import annotations

import bisect
import os
import re
import threading
from collections.abc import Iterator

from bastion import attrs_classes
from bastion.analyzers.taint.modules import ModuleGraph, import_matches
from bastion.deferred_patterns import deferred
from bastion.digests import blake2b
from bastion.lazy_log import logger

MAX_FILES = 20000
_TOLD: set[tuple[str, ...]] = set()  # the roots whose cap the log told (the store's, the keys')
_SKIPPED = frozenset({"__pycache__", "node_modules", "site-packages"})
_ITEM = deferred(r"\s*([A-Za-z_][\w.]*)(?:\s+as\s+(\w+))?\s*$")
# `ALLOWED += [url]` on a list changes it in place (`list.__iadd__`), though it rebinds the name
_OPERATOR_ASSIGN = r"(?:[-+*/%&|^@]|//|\*\*|>>|<<)="  # `+=` ... `**=`
_AUGMENTED = deferred(r"\s*" + _OPERATOR_ASSIGN)
Exported = dict[str, dict[str, str]]  # defining file -> {name bound here -> name there}
_CONTAINER_VALUE = re.compile(r"=[ \t]*(?:[\[{(\\]|(?:frozen)?set[ \t]*\(|tuple[ \t]*\()")
_NAME = deferred(r"[A-Za-z_]\w*")
# a binding: a name first on its line, then `=` or an annotation's `:` (a superset of the
# module-level ones: also those in a module-level `if` / `try`, a class's, a function's). Those
# after the first line are found after their newline (`re` searches for a leading character
# first: a `^` of MULTILINE is tried at every position, 1.7x slower); no match holds one.
_BOUND_HEAD = r"[ \t]*([A-Za-z_]\w*)[ \t]*(?:=(?!=)|:)"
_BOUND_FIRST = re.compile(_BOUND_HEAD)
_BOUND = re.compile("\n" + _BOUND_HEAD)
# Each pattern below is matched after a module's name as the text writes it (`_after_module`)
_REBOUND = deferred(r"\s*\.\s*(\w+)\s*(?:=(?!=)|" + _OPERATOR_ASSIGN + ")")  # `checks.CMD =`
# `setattr(checks, `, `delattr(`, mock's `patch.object(`; then the name, if a literal. The call's
# start is searched once per importer's text (`Imports.setters`), not once per module it imports
# (a search for `\b(?:setattr|...)` tries every position of the text: 0.8 s of a 323-file scan),
# a pattern per word (one starting with a word is searched for by its first letters; the three
# words in one pattern were tried at every position, 3x slower). No two of their matches overlap.
_SETTER_WORDS = ("setattr", "delattr", "object")
_SETTER_STARTS = tuple((word, deferred(word + r"\s*\(\s*")) for word in _SETTER_WORDS)
_SETTER_REST = deferred(r"\s*,\s*(?:(?:'(\w+)'|\"(\w+)\")\s*[,)])?")
# any name, through the dict: `vars(checks)` (its start searched once per text, as above) or
# `checks.__dict__`
_VARS_START = deferred(r"vars\s*\(\s*")
_VARS_REST = deferred(r"\s*\)")
_DICT = deferred(r"\s*\.\s*__dict__\b")
_ATTRIBUTE = deferred(r"\s*(\.\s*(\w+))")  # `checks.ALLOWED`
_SPACES = deferred(r"\s*")
_WORD = deferred(r"\w")


@attrs_classes.define
class Imports:
    """A module's import statements (their spans), the names they bind to workspace modules'
    names, by defining file, the modules as the text writes them, and those it star-imports;
    where its `setattr(` calls and the like and its `vars(` calls start (`_calls_at`)."""

    spans: list[tuple[int, int]]
    names: Exported
    modules: dict[str, str]
    starred: list[str]
    setters: list[tuple[int, int]]
    vars_calls: list[tuple[int, int]]


def foreign_key(names: frozenset[str]) -> str:
    """A file's result-cache key part (TaintAnalyzer.dependency_key, scan_key.py): the names
    other modules change ("" when none)."""
    return blake2b(repr(sorted(names)).encode(), digest_size=8).hexdigest() if names else ""


class ForeignChanges:
    """A scan's (`compute`): the files are read as they are when first asked, and the editor's
    store, whose files change, asks nothing (it keeps reading a module alone, see workspace.py)."""

    def __init__(self, graph: ModuleGraph, lock: threading.RLock, compute: bool) -> None:
        self._graph = graph
        self._lock = lock
        self._compute = compute
        self._importers: dict[str, list[str]] | None = None  # defining file -> its importers
        self._capped = False  # more than MAX_FILES files: those past it were not read
        self._read: dict[tuple[str, str], Imports] = {}  # (file, digest) -> its imports
        # file -> its answer: asked for its result key, its analysis and its summary
        self._answers: dict[str, frozenset[str]] = {}

    def changed(self, path: str | None) -> frozenset[str]:
        """The names of the module at `path` another module may change in place (of those it
        may bind to a list, dict or set: `_wanted`) or bind through the module (`_rebound`)."""
        if not self._compute or path is None:
            return frozenset()
        with self._lock:
            real = self._graph.resolver.real(path)
            answer = self._answers.get(real)
            if answer is None:
                entry = self._graph.text(real)
                # a module no other imports has nothing to look for (under the cap)
                importers = self._importers_of(real) or self._capped
                text = entry[0] if entry is not None and importers else ""
                wanted, bound = _wanted(text), _bound(text)
                found = self._changed(real, wanted, frozenset({real})) | self._rebound(real, bound)
                answer = self._answers[real] = wanted | bound if self._capped else frozenset(found)
            return answer

    def _changed(self, path: str, wanted: frozenset[str], seen: frozenset[str]) -> set[str]:
        """`seen`: the modules re-exporting the names on the way here (a cycle ends)."""
        found: set[str] = set()
        for importer, text, imports in self._importing(path) if wanted else ():
            found |= _changes(text, imports, path, wanted)
            bound = {local: name for local, name in imports.names.get(path, {}).items() if name in wanted}
            if bound and importer not in seen:
                again = self._changed(importer, frozenset(bound), seen | {importer})  # a re-export
                found.update(name for local, name in bound.items() if local in again)
        return found

    def _rebound(self, path: str, bound: frozenset[str]) -> set[str]:
        """Which of `bound`, the names the module at `path` binds, another module binds through
        the module (`checks.CMD = x`, `setattr(checks, "CMD", x)`): a string's or a number's
        constant too, whatever it is bound to (in doubt)."""
        found: set[str] = set()
        for _, text, imports in self._importing(path) if bound else ():
            for written, owner in imports.modules.items():
                if owner == path:
                    found |= _rebound_through(written, text, imports, bound)
        return found

    def _importing(self, path: str) -> Iterator[tuple[str, str, Imports]]:
        """Each other module importing the one at `path`: its file, text and imports."""
        for importer in self._importers_of(path):
            entry = self._graph.text(importer)
            if entry is not None and importer != path:
                yield importer, entry[0], self._imports(importer, entry)

    def _importers_of(self, path: str) -> list[str]:
        if self._importers is None:
            importers: dict[str, list[str]] = {}
            files = _files(self._graph.resolver.limits)
            for importer in files[:MAX_FILES]:
                for target in self._graph.deps(importer):
                    importers.setdefault(target, []).append(importer)
            self._importers = importers
            self._capped = len(files) > MAX_FILES
            if self._capped and self._graph.resolver.limits not in _TOLD:
                _TOLD.add(self._graph.resolver.limits)
                logger(__name__).warning(
                    "more than %d Python files under the scan's roots: the others were not read for "
                    "changes to module constants, which guard nothing in this scan", MAX_FILES)
        return self._importers.get(path, [])

    def _imports(self, path: str, entry: tuple[str, str]) -> Imports:
        key = (path, entry[1])
        if key not in self._read:
            self._read[key] = _imports_of(entry[0], path, self._graph)
        return self._read[key]


def _files(roots: tuple[str, ...]) -> list[str]:
    """The Python files under `roots`, the first MAX_FILES and one more if there are more."""
    found: list[str] = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED
                             and not os.path.isfile(os.path.join(folder, d, "pyvenv.cfg")))
            for name in sorted(files):
                if name.endswith(".py"):
                    found.append(os.path.realpath(os.path.join(folder, name)))
                    if len(found) > MAX_FILES:
                        return found
    return found


def _imports_of(text: str, path: str, graph: ModuleGraph) -> Imports:
    """The workspace modules the text imports, and how it names them and their names."""
    resolve = graph.resolver.resolve
    spans: list[tuple[int, int]] = []
    names: Exported = {}
    modules: dict[str, str] = {}  # a module as the text writes it -> its file
    starred: list[str] = []
    for match in import_matches(text):
        spans.append((match.start(), match.end()))
        dots, module, items, plain = match.groups()
        level = len(dots or "")
        for name, alias in _items(plain if plain is not None else items):
            if plain is not None:  # `import a.b`: `a.b.NAME`, and `a.NAME` of a/__init__.py
                parts = name.split(".")
                for end in range(1, len(parts) + 1) if alias is None else (len(parts),):
                    found = resolve(".".join(parts[:end]), path, 0)
                    if found is not None:
                        modules[alias or ".".join(parts[:end])] = found
                continue
            owner = resolve(module or "", path, level)
            if name == "*":
                if owner is not None:
                    starred.append(owner)
                continue
            sub = resolve(f"{module}.{name}" if module else name, path, level)
            if sub is not None:
                modules[alias or name] = sub
            elif owner is not None:
                names.setdefault(owner, {})[alias or name] = name
    return Imports(spans, names, modules, starred, *_calls_at(text))


def _changes(text: str, imports: Imports, target: str, wanted: frozenset[str]) -> set[str]:
    """Which of `wanted`, names of the module `target`, the importer's text may change."""
    found = {name for local, name in imports.names.get(target, {}).items()
             if name in wanted and _name_changed(local, text, imports.spans)}
    for written, owner in imports.modules.items():
        if owner == target:
            found |= _attributes_changed(written, text, imports.spans, wanted)
    if target in imports.starred:  # any of them, by its own name
        found |= {name for name in wanted if name not in found and _name_changed(name, text, imports.spans)}
    return found


def _calls_at(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where the text's `setattr(`, `delattr(`, `object(` and `vars(` calls start, each as
    (start, end of the opening bracket and the spaces after it): `\\b` in front, as a word."""
    setters = sorted(span for word, pattern in _SETTER_STARTS if word in text
                     for span in _starts(pattern(), text))
    return setters, _starts(_VARS_START(), text) if "vars" in text else []


def _starts(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)
            if not match.start() or not _WORD().match(text, match.start() - 1)]


def _rebound_through(written: str, text: str, imports: Imports, bound: frozenset[str]) -> set[str]:
    """Which of `bound` the text binds through `written`, a name of their module: by
    assignment, augmented assignment, `setattr(checks, "CMD", x)` (`delattr`, mock's
    `patch.object`), or any of them through a name not written as a literal, `vars(checks)`
    or `checks.__dict__`. `imports`: the text's (`_imports_of`)."""
    spans = imports.spans
    parts = written.split(".")
    found: set[str] = set()
    for start, end in imports.setters:
        match = _after_module(parts, text, end, _SETTER_REST())
        if match is None:
            continue
        name = match.group(1) or match.group(2)
        if _outside(start, spans):
            if name is None:
                return set(bound)
            found.add(name)
    if any(_after_module(parts, text, end, _VARS_REST()) and _outside(start, spans)
           for start, end in imports.vars_calls):
        return set(bound)
    if "__dict__" in text and any(_outside(start, spans) and (
            not start or not _WORD().match(text, start - 1))
            for start, _ in _module_matches(parts, text, _DICT())):
        return set(bound)
    for start, match in _module_matches(parts, text, _REBOUND()):
        name = match.group(1)
        if name in bound and _outside(start, spans) \
                and not (start and (text[start - 1].isalnum() or text[start - 1] in "_.")):
            found.add(name)
    return found & bound


def _bound(text: str) -> frozenset[str]:
    """The names `_BOUND` finds, first on their line (the first line's too)."""
    first = _BOUND_FIRST.match(text)
    return frozenset(_BOUND.findall(text)).union((first.group(1),) if first else ())


def _wanted(text: str) -> frozenset[str]:
    """The names a module may bind to a list, dict or set (context.py's containers: a display,
    or `set(...)`, `frozenset(...)`, `tuple(...)`): every name before an `=` followed by one,
    on its line (a superset: `A = B = [...]`, annotations, a function's locals)."""
    found: set[str] = set()
    position = 0  # the names before it are read (each part of the text once: linear)
    for match in _CONTAINER_VALUE.finditer(text):
        start = match.start()
        newline = text.rfind("\n", position, start)
        found.update(_NAME().findall(text, position if newline == -1 else newline + 1, start))
        position = start
    return frozenset(found)


def _items(items: str) -> Iterator[tuple[str, str | None]]:
    for item in items.strip().strip("()").split(","):
        match = _ITEM().match(item)
        if match is not None:
            yield match.group(1), match.group(2)
        elif item.strip() == "*":
            yield "*", None


def _outside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `position` is outside the import statements (`spans`, in the text's order)."""
    index = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return index < 0 or not spans[index][0] <= position < spans[index][1]


def _name_changed(local: str, text: str, spans: list[tuple[int, int]]) -> bool:
    # Imported here (~3 ms): a warm scan reads no importer text where no module's names are
    # wanted (a project of modules that change nothing of another's).
    from bastion.analyzers.taint.container_changes import changed_at, name_occurrences

    for match in name_occurrences(local, text):
        if not _outside(match.start(), spans):
            continue
        if _AUGMENTED().match(text, match.end()) or changed_at(iter((match,)), text, attribute=False):
            return True
    return False


def _attributes_changed(written: str, text: str, spans: list[tuple[int, int]],
                        wanted: frozenset[str]) -> set[str]:
    """Which of `wanted` `checks.NAME` changes, for a module the text writes `checks`."""
    from bastion.analyzers.taint.container_changes import Span, changed_at  # see _name_changed

    found: set[str] = set()
    for start, match in _module_matches(written.split("."), text, _ATTRIBUTE()):
        name = match.group(2)
        if name not in wanted or name in found or not _outside(start, spans) \
                or start and (text[start - 1].isalnum() or text[start - 1] in "_."):
            continue
        if changed_at(iter((Span(match.start(1), match.end(1)),)), text, attribute=True):
            found.add(name)
    return found


def _after_module(parts: list[str], text: str, position: int, rest: re.Pattern) -> re.Match | None:
    """`rest` matched after a module as `_imports_of` records it (`[\\w.]` only), split at its
    dots (`parts`), at `position`, spaces allowed around its dots: as the pattern
    `checks\\s*\\.\\s*db` + `rest` matches there (a word after spaces is where `\\s*` left
    it: no other split of them matches). Each module's name compiled into its patterns was more
    patterns than `re`'s cache holds (0.2 s of a warm 323-file scan)."""
    if not text.startswith(parts[0], position):
        return None
    position += len(parts[0])
    for part in parts[1:]:
        position = _SPACES().match(text, position).end()
        if not text.startswith(".", position):
            return None
        position = _SPACES().match(text, position + 1).end()
        if not text.startswith(part, position):
            return None
        position += len(part)
    return rest.match(text, position)


def _module_matches(parts: list[str], text: str, rest: re.Pattern) -> Iterator[tuple[int, re.Match]]:
    """Where the module (`parts`) + `rest` matches (`_after_module`), never overlapping, as
    `re.finditer` finds them: the start of each and the match of `rest`. `rest`, as each
    pattern given, starts with `\\s*\\.`: where a word goes on after the module's first part
    (`os` in `pos` or `osx`), nothing matches."""
    head = parts[0]
    size = len(head)
    position = text.find(head)
    while position != -1:
        match = None if _WORD().match(text, position + size) else _after_module(parts, text, position, rest)
        if match is None:
            position = text.find(head, position + 1)
        else:
            yield position, match
            position = text.find(head, max(match.end(), position + 1))
