"""Analysis of a document that is not Python: the text analyzers of its kind, over the whole text.

No units, no parse, no incremental split: each run reads the whole text (the editor re-runs it on
every change; the per-engine memo below and the result cache answer repeated texts). Suppression
comments use the kind's line-comment marker (`# nosec BST301` at the end of a `.env` or YAML
line); a kind without comments (JSON) is suppressed through a baseline or the configuration.
A large document's analysis runs on the second deep worker (`analysed_apart`), so that the
caller's worker, the editor's analyses of other documents, is not held for its seconds.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Generator, Mapping
from concurrent.futures import wait
from typing import TYPE_CHECKING

import attrs

from bastion.digests import blake2b
from bastion.engine.deep import run_deep_apart
from bastion.engine.failures import failure_reason
from bastion.engine.suppress import Directive, parse_directive
from bastion.filekinds import FileKind
from bastion.files import ReadRoot, lies_within
from bastion.model import Finding, NotAnalysed

if TYPE_CHECKING:
    from bastion.engine.engine import Engine, RawAnalysis

log = logging.getLogger(__name__)

# A text document of this many characters or more is analysed on the second deep worker; a
# smaller one's analysis takes milliseconds and stays on the caller's (no thread hand-over).
APART_MIN_CHARS = 200_000
APART_WAIT_S = 0.02  # the longest a step waits for the second worker before it yields

# A comment that may suppress: its marker at the start of the line or after a blank (a `#`
# inside a value, `KEY=a#b`, starts no comment in the formats that have `#` comments). The
# pattern starts with its literal marker, which the regex engine scans for quickly (a leading
# `^` or look-behind made it try every position: 66 ms on a 1 MB file, now 2 ms); what precedes
# the marker is checked after.
_DIRECTIVE = re.compile(r"#[ \t]*(?=(?i:nosec|noqa|bastion))")
_COMMENT_AFTER = frozenset("\n \t")


def analyse_text(engine: Engine, text: str, path: str, kind: FileKind,
                 root: ReadRoot) -> RawAnalysis:
    """The raw analysis of `text` as a document of `kind`, reading other files only inside
    `root` (`root_of`). Call with `engine.text_lock` held."""
    from bastion.engine.engine import RawAnalysis

    findings: list[Finding] = []
    errors: list[NotAnalysed] = []
    for analyzer in engine.text_analyzers:
        if kind not in analyzer.kinds:
            continue
        try:
            found = analyzer.analyse_text(text, path, kind, root)
        except Exception as exc:  # noqa: BLE001 - the other analyzers' findings still count
            log.exception("%s failed on %s", analyzer.id, path)
            errors.append(NotAnalysed(f"{analyzer.id} failed: {failure_reason(exc)}",
                                      analyzer=analyzer.id))
            continue
        for item in found:  # a part the analyzer could not read comes as a NotAnalysed
            if isinstance(item, NotAnalysed):
                errors.append(item)
            else:
                findings.append(with_lines(item))
    findings.sort(key=Finding.sort_key)
    return RawAnalysis(tuple(findings), text_directives(text, kind, engine.nosec_names), (),
                       tuple(errors))


def analysed_apart(engine: Engine, text: str, path: str, kind: FileKind, root: ReadRoot
                   ) -> Generator[None, None, RawAnalysis]:
    """`analyse_text` on the second deep worker under `engine.text_lock`, yielding while it
    runs: the caller's worker serves other documents between two yields."""
    future = run_deep_apart(_analysed_alone, engine, text, path, kind, root)
    while not wait([future], timeout=APART_WAIT_S).done:
        yield
    return future.result()


def _analysed_alone(engine: Engine, text: str, path: str, kind: FileKind, root: ReadRoot
                    ) -> RawAnalysis:
    with engine.text_lock:
        return analyse_text(engine, text, path, kind, root)


def with_lines(finding: Finding) -> Finding:
    """The finding, its lines (where a suppression comment may sit) its first line by default."""
    if finding.lines:
        return finding
    return attrs.evolve(finding, lines=(finding.span.start_line,))


def text_directives(text: str, kind: FileKind, names: Mapping[str, str]) -> dict[int, Directive]:
    """The suppression comments of a document of `kind`, by 0-based line."""
    if kind.comment != "#":
        return {}
    found: dict[int, Directive] = {}
    line, counted = 0, 0  # lines counted up to `counted`, so the whole count stays linear
    for match in _DIRECTIVE.finditer(text):
        start = match.start()
        if start and text[start - 1] not in _COMMENT_AFTER:
            continue
        line += text.count("\n", counted, start)
        counted = start
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        comment = text[start:line_end if line_end >= 0 else len(text)].rstrip("\r")
        directive = parse_directive(comment, line, names, start - line_start)
        if directive is not None and line not in found:
            found[line] = directive
    return found


def root_of(roots: tuple[ReadRoot, ...], path: str) -> ReadRoot:
    """The folder a document's analysis may read other files from: the innermost of `roots`
    (the folders being analysed) that holds it, else the document's own folder (a file named
    on the command line, a document outside every workspace folder)."""
    holding = [root for root in roots if lies_within(path, (root.folder,))]
    if holding:
        return max(holding, key=lambda root: len(os.path.realpath(root.folder)))
    return ReadRoot(os.path.dirname(os.path.abspath(path)),
                    f"the folder of {os.path.basename(path)!r}")


def memo_key(text: str, kind: FileKind, dependencies: str = "") -> bytes:
    digest = blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(kind.value.encode())
    if dependencies:
        digest.update(b"\0" + dependencies.encode())
    return digest.digest()
