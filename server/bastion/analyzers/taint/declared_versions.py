"""The versions of a library a module's project declares, for sinks that exist only in some of
its versions (a model's `before = { package = "lxml", version = "5.0" }`: lxml's default parser
resolved external entities before 5.0).

A module's project is the nearest folder, from the module's own up to the root it lies in
(template_files.py's walk), holding a manifest the dependency analyzer reads (requirements
files, pyproject.toml, uv / poetry / Pipfile / pylock locks) that names the package; there a
lock's entries, when one names it, stand for the folder, else every manifest's requirement.
Manifests are parsed by the dependency analyzer's `parse_manifest` (one reading of them; one
whose text cannot declare the package asked is not parsed: `_may_declare`, which
tests/unit/test_taint_declared_agree.py holds to the parser's answers) and kept by the (path, mtime,
size) of every file read (a requirements file's and those it includes), folder listings by the
folder's mtime, the walk by the module's folder: a keystroke costs a `stat` per folder walked
and per manifest (and include) found (measured: 12 us beside its manifest,
26 us four folders below it, 150 us without the walk memo), and only in a module whose text
names a package some model asks about. Without a declaration found, a sink is reported at
medium confidence (sinks.py): a project with no manifest most often installs a current lxml,
but distributions still ship 4.x (Debian 12: 4.9.2), and the safe parser costs nothing.

Owner: `SHARED`, the process's one `DeclaredVersions`, read by the TaintAnalyzer and the
workspace summaries; its caches are guarded by a lock (the engine analyses on several threads).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable

from bastion import attrs_classes
from bastion.analyzers.taint.template_files import walked_folders
from bastion.analyzers.taint.words_found import words_found
from bastion.deferred_patterns import deferred
from bastion.deps.include_lines import may_include
from bastion.deps.names import manifest_kind
from bastion.digests import blake2b
from bastion.files import UnreadableSource, decode_source, read_limited
from bastion.package_names import SEPARATORS

_MAX_MANIFEST_BYTES = 8 * 1024 * 1024  # a large lock file (the deps analyzer reads such too)
_MAX_CACHED = 256
_NOT_NAMED: tuple[str | None, frozenset[str], list[str], dict[str, int]] = (None, frozenset(), [], {})
_CONTINUED = deferred(r"\\(?:\r\n?|\n)")  # a requirements line joined to the next (pip's)


@attrs_classes.frozen
class Declaration:
    specifiers: tuple[str, ...]  # PEP 440, one per requirement or locked entry ("" : any)
    where: str  # the manifest's name, "requirements.txt"

    def shown(self, package: str) -> str:
        return f"{', '.join(sorted({package + s for s in self.specifiers}))} in {self.where}"


@attrs_classes.frozen
class Declared:
    """The packages' declarations found for a module (a package absent: none found)."""

    found: dict[str, Declaration]
    digest: bytes  # what a result depends on: part of the function memo's and results' keys

    def below(self, package: str, version: str) -> bool | None:
        """True when every declared version of `package` is below `version`, False when none
        is, None when undeclared or when the ranges admit both."""
        declaration = self.found.get(package)
        if declaration is None:
            return None
        verdicts = {_below(s, version) for s in declaration.specifiers}
        return verdicts.pop() if len(verdicts) == 1 else None


NONE = Declared({}, b"")


def _below(specifier: str, version: str) -> bool | None:
    # imported when a verdict is asked: a warm scan's cache keys need the declarations only
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    from bastion.deps import osv

    try:
        specifiers = SpecifierSet(specifier)
        bound = Version(version)
    except (InvalidSpecifier, InvalidVersion):
        return None
    allowed = osv.specifier_intervals(specifiers)
    if allowed is None:
        return None
    older = [osv.Interval(osv.Bound(None, False), osv.Bound(bound, False))]
    pre = bool(specifiers.prereleases)
    if osv.all_affected(allowed, older, pre):
        return True
    return False if not osv.admits(allowed, older, pre) else None


class DeclaredVersions:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._asked: frozenset[str] = frozenset()  # the packages looked up so far
        self._walks: dict[tuple[str, tuple[str, ...]], list[str]] = {}  # (folder, roots) -> folders
        self._listings: dict[str, tuple[int, tuple[str, ...]]] = {}  # folder -> (mtime, manifests)
        # manifest path -> (the stamps of the files read, itself first and those it includes,
        # the packages its text was searched for (None: parsed whole), {package: (specifiers,
        # locked)})
        self._manifests: dict[str, tuple[tuple[_Stamp, ...], frozenset[str] | None,
                                         dict[str, tuple[tuple[str, ...], bool]]]] = {}
        # The last text and packages `of_module` searched, and the packages found in it: the
        # analyzer asks three times per keystroke with the same text (each a search of the
        # whole text, 0.2 ms at 230 kB). Held, not by id (a reused id would be another text),
        # until `forget_text` (the editor's document closed); one tuple, replaced whole, for
        # the threads that share this object. With where it holds them: the next text of the
        # document is searched around its edit (words_found.py).
        self._named: tuple[str | None, frozenset[str], list[str], dict[str, int]] = _NOT_NAMED

    def of_module(self, text: str, path: str, roots: tuple[str, ...],
                  packages: frozenset[str]) -> Declared:
        """The declarations of the `packages` the text names (none: NONE, nothing read)."""
        named = self._named
        if named[0] is text and named[1] is packages:
            wanted = named[2]
        else:
            found = words_found(text, packages, named[0], named[3]) if named[1] is packages \
                else words_found(text, packages)
            wanted = list(found)
            self._named = (text, packages, wanted, found)
        return self.of_path(path, roots, wanted) if wanted else NONE

    def of_path(self, path: str, roots: tuple[str, ...], packages: list[str]) -> Declared:
        wanted = sorted(packages)
        if not wanted or not path:
            return NONE
        if not os.path.isabs(path):
            # `bastion check .` names its files from the working folder, which lies in its root;
            # a relative name without a root (a buffer analysed alone) has no project to look in
            if not roots:
                return NONE
            path = os.path.abspath(path)
        found: dict[str, Declaration] = {}
        identity = blake2b(digest_size=16)
        with self._lock:
            if not self._asked.issuperset(wanted):
                self._asked = self._asked.union(wanted)
            start = os.path.dirname(path)
            walk = self._walks.get((start, roots))
            if walk is None:  # resolving links costs more than the rest of a lookup
                if len(self._walks) >= _MAX_CACHED:
                    self._walks.clear()
                walk = self._walks[(start, roots)] = walked_folders(start, roots)
            for folder in walk:
                for manifest in self._manifests_in(folder):
                    identity.update(manifest.encode("utf-8", "surrogatepass") + b"\0")
                for package in wanted:
                    if package not in found:
                        declaration = self._declaration(folder, package)
                        if declaration is not None:
                            found[package] = declaration
                if len(found) == len(wanted):
                    break
        for package in wanted:
            identity.update(f"\0{package}={found.get(package)!r}".encode("utf-8", "surrogatepass"))
        return Declared(found, identity.digest())

    def names_asked(self, text: str) -> bool:
        """Whether the text names a package looked up before: its results may depend on the
        manifests (the editor analyses such open modules again when one changes)."""
        return any(package in text for package in self._asked)

    def forget(self) -> None:
        self.forget_text()
        with self._lock:
            self._walks.clear()
            self._listings.clear()
            self._manifests.clear()

    def forget_text(self) -> None:
        """Let go of the last text searched: a closed document's text must not outlive it."""
        self._named = _NOT_NAMED

    def _manifests_in(self, folder: str) -> tuple[str, ...]:
        try:
            stamp = os.stat(folder).st_mtime_ns
        except OSError:
            return ()
        listed = self._listings.get(folder)
        if listed is not None and listed[0] == stamp:
            return listed[1]
        try:
            names = sorted(e.name for e in os.scandir(folder) if e.is_file() and manifest_kind(e.name))
        except OSError:
            names = []
        manifests = tuple(os.path.join(folder, name) for name in names)
        if len(self._listings) >= _MAX_CACHED:
            self._listings.clear()
        self._listings[folder] = (stamp, manifests)
        return manifests

    def _declaration(self, folder: str, package: str) -> Declaration | None:
        """A lock's entries when one names the package, else every manifest's requirements."""
        locked: list[tuple[str, tuple[str, ...]]] = []
        required: list[tuple[str, tuple[str, ...]]] = []
        for manifest in self._manifests_in(folder):
            entry = self._read(manifest, package).get(package)
            if entry is not None:
                (locked if entry[1] else required).append((os.path.basename(manifest), entry[0]))
        chosen = locked or required
        if not chosen:
            return None
        return Declaration(tuple(s for _, specifiers in chosen for s in specifiers),
                           ", ".join(name for name, _ in chosen))

    def _read(self, path: str, package: str) -> dict[str, tuple[tuple[str, ...], bool]]:
        """The manifest's packages ({} when its text cannot name `package`: a lock of a few
        MB takes seconds to parse, and most name no lxml)."""
        stamp = _stamp(path)
        if stamp[1] < 0:
            return {}
        kept = self._manifests.get(path)
        # an included file (`-r base.txt`) edited alone changes the manifest's packages too
        same = kept is not None and kept[0][0] == stamp and all(_stamp(s[0]) == s for s in kept[0][1:])
        if same and (kept[1] is None or package in kept[1]):
            return kept[2]
        read = [stamp]

        def reader(included: str) -> str:
            from bastion.deps.requirements_txt import read_file

            read.append(_stamp(included))  # before reading: an edit meanwhile reads it again
            return read_file(included)

        packages: dict[str, tuple[tuple[str, ...], bool]] = {}
        searched: frozenset[str] | None = None  # None: every package read
        try:
            data, _ = read_limited(path, _MAX_MANIFEST_BYTES)
            text = decode_source(data)
            if not _may_declare(path, text, package):
                searched, manifest = frozenset({package}), None
            else:
                manifest = parse_manifest(path, text, os.path.dirname(path), reader)
        except (UnreadableSource, UnicodeDecodeError, ValueError):
            manifest = None
        for dependency in manifest.dependencies if manifest is not None else ():
            specifier = f"=={dependency.pinned}" if dependency.pinned else dependency.specifier
            specifiers, locked = packages.get(dependency.name, ((), False))
            packages[dependency.name] = ((*specifiers, specifier), locked or dependency.locked)
        if len(self._manifests) >= _MAX_CACHED:
            self._manifests.clear()
        if same and searched is not None and kept[1] is not None:
            searched |= kept[1]
        self._manifests[path] = (tuple(read), searched, packages)
        return packages


_Stamp = tuple[str, int, int]  # (path, mtime, size); -1, -1: not there


def _stamp(path: str) -> _Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return path, -1, -1
    return path, info.st_mtime_ns, info.st_size


def parse_manifest(path: str, text: str, folder: str, reader: Callable[[str], str]):
    """The dependency analyzer's, imported when a manifest is read (30 ms): a warm scan's
    lookups of files that name no versioned package need none."""
    from bastion.deps.analysis import parse_manifest as parse

    return parse(path, text, folder, reader)


def _may_declare(path: str, text: str, package: str) -> bool:
    """Whether `parse_manifest` may find `package` in the manifest `text` (if not, it is not
    parsed): a requirements file that may include another (deps' own answer) or names it once
    its continued lines are joined as pip joins them; another manifest (TOML, JSON) that names
    it or holds a backslash (an escape in a string may spell the name)."""
    if manifest_kind(path) == "requirements":
        return may_include(text) or _named(package).search(_CONTINUED().sub("", text)) is not None
    return "\\" in text or _named(package).search(text) is not None


def _named(package: str) -> re.Pattern:
    """The package's name as a manifest may write it (PEP 503: any case, `-_.` alike)."""
    return re.compile(SEPARATORS.join(map(re.escape, re.split(SEPARATORS, package))), re.IGNORECASE)

# One per process: the analyzer and the workspace summaries (workspace.py) read the same files.
SHARED = DeclaredVersions()
