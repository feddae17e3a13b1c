"""The lines in view of a large text document, read before the whole of it.

The editor's first analysis of a 5 MB requirements file takes seconds of CPU, and nothing was
shown until it ended. When the caller follows the analysis' progress (`Progress`: the editor's
first analysis of a large document), the text analyzers that can read part of a document on
its own (`TextAnalyzer.preview`) read the lines in view first (the client's visible ranges, else the top of
the document), and what they find is reported as a partial result before the whole analysis
starts. A preview's findings are the ones the whole analysis gives on those lines (each
analyzer's promise), so the set shown only grows when the whole result replaces it; the other
analyzers' findings come with the whole result.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from typing import TYPE_CHECKING

from bastion.engine.analysis import RawAnalysis
from bastion.engine.text_documents import text_directives, with_lines
from bastion.filekinds import FileKind
from bastion.files import ReadRoot
from bastion.model import Finding

if TYPE_CHECKING:
    from bastion.engine.engine import Engine
    from bastion.engine.progressive import Progress

log = logging.getLogger(__name__)

TOP_LINES = 300  # read when the client has not said which lines are in view
MAX_LINES = 2_000  # of the lines in view, the first these many


def in_view(visible: tuple[tuple[int, int], ...], count: int) -> tuple[int, int]:
    """The first and last line (inclusive) to read first of a document of `count` lines."""
    if not visible:
        return 0, min(TOP_LINES, count) - 1
    first = min(max(start, 0) for start, _end in visible)
    last = max(end for _start, end in visible)
    return min(first, count - 1), min(last, first + MAX_LINES - 1, count - 1)


def preview_text(engine: Engine, text: str, lines: list[str], path: str, kind: FileKind,
                 root: ReadRoot, visible: tuple[tuple[int, int], ...]) -> RawAnalysis | None:
    """The findings of the analyzers of `kind` that preview, on the lines in view; None when
    none of them does. Call with `engine.lock` held."""
    if not lines:
        return None
    first, last = in_view(visible, len(lines))
    findings: list[Finding] = []
    answered = False
    for analyzer in engine.text_analyzers:
        if kind not in analyzer.kinds:
            continue
        try:
            found = analyzer.preview(text, lines, first, last, path, kind, root)
        except Exception:  # noqa: BLE001 - the whole analysis follows and reports the failure
            log.exception("%s failed to preview %s", analyzer.id, path)
            continue
        if found is not None:
            answered = True
            findings.extend(with_lines(f) for f in found)
    if not answered:
        return None
    findings.sort(key=Finding.sort_key)
    return RawAnalysis(tuple(findings), text_directives(text, kind, engine.nosec_names), (), ())


def shown(engine: Engine, kind: FileKind, early: RawAnalysis, progress: Progress
          ) -> Generator[None, None, None]:
    """Reports the preview `early`, then yields, so that the caller may publish it before the
    whole analysis holds the worker. A caller that drops the analysis there (closes it: the
    document was closed meanwhile) tells the analyzers that previewed, whose kept values (a
    5 MB lock's parse, 41 MB) would otherwise wait for the next read of a lock, which a
    result served from the result cache never makes."""
    progress.report(early)
    try:
        yield
    except GeneratorExit:
        for analyzer in engine.text_analyzers:
            if kind in analyzer.kinds:
                analyzer.preview_unused()
        raise
