"""requirements*.txt: logical lines (continuations, comments), options, includes, exact spans.

Follows pip's reading: a trailing backslash joins lines; `#` at the start or after whitespace
starts a comment; `-r`/`-c` include other files, resolved relative to the including file, read
only through `files.read_limited`, only inside the root the caller gives (the scanned folder,
the workspace folder), each file at most once.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterator

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from bastion.deps import collector
from bastion.deps.model import Dependency, Manifest, Problem
from bastion.deps.names import manifest_kind
from bastion.files import UnreadableSource, read_limited
from bastion.model import Span
from bastion.model.text import text_lines

_COMMENT = re.compile(r"(^|\s)#")
_OPTION = re.compile(r"(^|\s)(-[A-Za-z]|--[A-Za-z][\w-]*)")
_INCLUDE = re.compile(r"^\s*(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)")
_NAME = re.compile(r"\s*[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(\[[^\]]*\])?\s*")
_PIN = re.compile(r"(===?)\s*([^\s,;()]+)")
_CLAUSE = r"(?:===|==|!=|~=|>=|<=|>|<)\s*[A-Za-z0-9.*+!_-]+"
# Most lines are `name[extras] op version, ...`: read without the full PEP 508 parser.
_SIMPLE = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*"
                     rf"((?:{_CLAUSE})(?:\s*,\s*{_CLAUSE})*)?\s*$")
_RELEASE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_OPERATOR = re.compile(r"===|==|!=|~=|>=|<=|>|<")
_MAX_INCLUDES = 64


class _Logical:
    """A logical line: its text, and where each joined physical piece starts."""

    __slots__ = ("text", "pieces")

    def __init__(self) -> None:
        self.text = ""
        self.pieces: list[tuple[int, int, int]] = []  # (offset in text, line, column)

    def add(self, line: int, col: int, text: str) -> None:
        self.pieces.append((len(self.text), line, col))
        self.text += text

    def where(self, offset: int) -> tuple[int, int]:
        at = bisect.bisect_right(self.pieces, (offset, float("inf"), 0)) - 1
        start, line, col = self.pieces[max(at, 0)]
        return line, col + offset - start

    @property
    def first_line(self) -> int:
        return self.pieces[0][1]

    def span(self, start: int, end: int) -> Span:
        if len(self.pieces) == 1:  # most logical lines: one physical line
            _, line, col = self.pieces[0]
            return Span(line, col + start, line, col + end)
        line, col = self.where(start)
        end_line, end_col = self.where(end - 1)
        return Span(line, col, end_line, end_col + 1)


def continues(raw: str) -> bool:
    """Whether a physical line joins the next: a trailing backslash outside a comment."""
    return raw.endswith("\\") and not _COMMENT.search(raw)


def logical_lines(lines: list[str]) -> Iterator[_Logical]:
    current: _Logical | None = None
    for number, raw in enumerate(lines):
        match = _COMMENT.search(raw) if "#" in raw else None
        body = raw[:match.start()] if match else raw
        if current is None:
            current = _Logical()
        joined = body.endswith("\\") and not match
        current.add(number, 0, body[:-1] if joined else body)
        if not joined:
            yield current
            current = None
    if current is not None:
        yield current


def parse(text: str) -> tuple[list[tuple[_Logical, str, str]], Manifest]:
    return parse_lines(text_lines(text))


def parse_lines(lines: list[str]) -> tuple[list[tuple[_Logical, str, str]], Manifest]:
    """The dependencies of one requirements file (its physical lines), and its include lines
    (logical line, option, path) for `follow_includes`; a long file's with the collector
    paused (deps/collector.py)."""
    with collector.paused(len(lines) >= collector.PAUSE_LINES):
        return _parse_lines(lines)


def _parse_lines(lines: list[str]) -> tuple[list[tuple[_Logical, str, str]], Manifest]:
    dependencies: list[Dependency] = []
    problems: list[Problem] = []
    includes: list[tuple[_Logical, str, str]] = []
    for logical in logical_lines(lines):
        line = logical.text
        if not line.strip():
            continue
        include = _INCLUDE.match(line)
        if include:
            includes.append((logical, include.group(1), include.group(2)))
            continue
        option = _OPTION.search(line)
        requirement = line[:option.start()] if option else line
        if not requirement.strip() or _is_location(requirement):
            continue  # a global option, an editable, a path or a URL: nothing to look up
        try:
            dependency = _dependency(logical, requirement, line[len(requirement):])
        except InvalidRequirement as exc:
            problems.append(Problem(f"not a valid requirement ({str(exc).splitlines()[0]})",
                                    logical.first_line))
            continue
        if dependency is not None:
            dependencies.append(dependency)
    return includes, Manifest("requirements", tuple(dependencies), tuple(problems))


def _is_location(requirement: str) -> bool:
    text = requirement.strip()
    return (text.startswith((".", "/", "~")) or "://" in text.split("@")[0] or "$" in text
            or text.endswith((".whl", ".zip", ".tar.gz")))


def simple_requirement(requirement: str) -> tuple[str, str] | None:
    """(name, specifier) of a requirement without markers or URL, when its pin is a version."""
    match = _SIMPLE.match(requirement)
    specifier = None if match is None else _simple_specifier(match)
    return None if specifier is None else (match.group(1), specifier)


def _simple_specifier(match: re.Match[str]) -> str | None:
    """The specifier `_SIMPLE` matched, blanks removed; None when its pin is not a version."""
    specifier = "".join((match.group(2) or "").split())  # str.split's blanks are \s's
    clauses = specifier.split(",") if specifier else []
    if len(clauses) == 1 and clauses[0].startswith("==") and "*" not in clauses[0]:
        version = clauses[0].lstrip("=")
        if not _RELEASE.fullmatch(version):  # a plain release is valid: most pins
            try:
                Version(version)
            except InvalidVersion:
                return None  # the full parser says what is wrong
    return specifier


def _dependency(logical: _Logical, requirement: str, options: str) -> Dependency | None:
    # Most lines of a large file: `_SIMPLE`'s groups are the name and the specifier's spans
    # that the general path finds by searching the text again. A `;` (in extras) moves the
    # general path's spans: left to it.
    match = _SIMPLE.match(requirement) if ";" not in requirement else None
    specifier = None if match is None else _simple_specifier(match)
    if specifier is None:
        return _general_dependency(logical, requirement, options)
    name_span = logical.span(*match.span(1))
    if specifier:
        offset, end = match.span(2)
        span = logical.span(offset, end)
    else:
        offset = 0
        span = logical.span(len(requirement) - len(requirement.lstrip()), len(requirement.rstrip()))
    return _with_pin(logical, requirement, match.group(1), specifier, span, offset, options,
                     name_span)


def _general_dependency(logical: _Logical, requirement: str, options: str) -> Dependency | None:
    simple = simple_requirement(requirement)
    if simple is None:
        parsed = Requirement(requirement.strip())
        if parsed.url:
            return None
    name_match = _NAME.match(requirement)
    name_end = name_match.end()
    name_text = requirement[:name_end].split("[")[0]
    name_start = len(name_text) - len(name_text.lstrip())
    name_span = logical.span(name_start, len(name_text.rstrip()))
    spec_end = requirement.find(";") if ";" in requirement else len(requirement)
    spec_text = requirement[name_end:spec_end]
    stripped = spec_text.strip().strip("()").strip()
    offset = name_end + spec_text.find(stripped) if stripped else 0
    first = len(requirement) - len(requirement.lstrip())
    span = (logical.span(offset, offset + len(stripped)) if stripped
            else logical.span(first, len(requirement.rstrip())))
    name, specifier = simple or (parsed.name, re.sub(r"\s+", "", stripped))
    return _with_pin(logical, requirement, name, specifier, span, offset, options, name_span)


def _with_pin(logical: _Logical, requirement: str, name: str, specifier: str, span: Span,
              offset: int, options: str, name_span: Span) -> Dependency:
    """The dependency, its pin found in `requirement` from `offset` (the specifier's start)."""
    pinned = version_span = None
    clauses = specifier.split(",") if specifier else []
    if len(clauses) == 1 and clauses[0].startswith("==") and "*" not in clauses[0]:
        pin = _PIN.search(requirement, offset)
        pinned = pin.group(2)
        version_span = logical.span(pin.start(2), pin.end(2))
    return Dependency(canonicalize_name(name), specifier, span, pinned, version_span,
                      hashed="--hash" in options, name_span=name_span)


Reader = Callable[[str], str]


def read_file(path: str) -> str:
    data, _ = read_limited(path, what="requirements file")
    return data.decode("utf-8-sig", errors="replace")


def read_with_includes(path: str, text: str, root: str | None,
                       reader: Reader = read_file, root_name: str | None = None) -> Manifest:
    """The file's own dependencies, plus those of included files that are not manifests
    themselves (a manifest reports its own), each placed on the include line that brings it.
    Includes are read only inside the folder `root` (None: the file's own folder), which a
    message about one outside calls `root_name` ("the scan root 'proj'"; by default, by its
    path): the caller knows what its roots are."""
    includes, manifest = parse(text)
    spans = [(logical.span(0, len(logical.text.rstrip())), target)
             for logical, _option, target in includes]
    included, problems = follow_includes(path, spans, root, reader, root_name)
    return Manifest("requirements", manifest.dependencies + included,
                    manifest.problems + tuple(problems))


def follow_includes(path: str, includes: list[tuple[Span, str]], root: str | None,
                    reader: Reader = read_file, root_name: str | None = None
                    ) -> tuple[tuple[Dependency, ...], list[Problem]]:
    """The dependencies of the files that the include lines (span, target) of the file at
    `path` bring, each placed on its include line, and the problems reading them (`root`,
    `root_name`: see `read_with_includes`)."""
    top = os.path.realpath(root or os.path.dirname(path))
    outside = root_name or f"the folder {top!r}"
    seen = {os.path.realpath(path)}
    found: list[Dependency] = []
    problems: list[Problem] = []
    for span, target in includes:
        _follow(path, target, span, (top, outside), reader, seen, found, problems, depth=0)
    return tuple(found), problems


def _follow(parent: str, target: str, span: Span, root: tuple[str, str], reader: Reader,
            seen: set[str], found: list[Dependency], problems: list[Problem], depth: int) -> None:
    """`root`: the real path of the folder includes are read in, and its name."""
    full = os.path.realpath(os.path.join(os.path.dirname(parent), target))
    top, name = root
    if os.path.commonpath([top, full]) != top:  # said on every line that names one
        problems.append(Problem(f"include {target!r} is outside {name}: not read",
                                span.start_line))
        return
    if full in seen or len(seen) > _MAX_INCLUDES or depth > 16:
        return  # a cycle, or an include already read through another line
    seen.add(full)
    if manifest_kind(full) == "requirements":
        return
    try:
        text = reader(full)
    except UnreadableSource as exc:
        problems.append(Problem(f"include {target!r}: {exc}", span.start_line))
        return
    includes, manifest = parse(text)
    label = os.path.basename(full)
    for dependency in manifest.dependencies:
        where = f"{label}:{dependency.span.start_line + 1}"
        found.append(Dependency(dependency.name, dependency.specifier, span, dependency.pinned,
                                None, via=where))
    problems.extend(Problem(f"{label}:{p.line + 1 if p.line is not None else ''}: {p.reason}",
                            span.start_line) for p in manifest.problems)
    for _logical, _option, nested in includes:
        _follow(full, nested, span, root, reader, seen, found, problems, depth + 1)
