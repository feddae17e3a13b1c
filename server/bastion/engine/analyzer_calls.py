"""The engine's calls into the analyzers, each analyzer isolated from the others: over one unit,
over the whole file, and to judge the findings of a file (`Analyzer.retract`); and their
cache keys for a file, joined (`joined_keys`). `Retractions`, the last judged text's
retracted findings, is the engine's (one per engine, used under its lock).

An analyzer that raises costs only its own findings: its failure becomes a `NotAnalysed` entry
in `errors`, naming it, and the other analyzers' findings stand. Kept apart from engine.py so
that every path to an analyzer (unit by unit, whole file, progressive) fails the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from bastion.engine.failures import analyzer_failure, depth_failure, failure_reason
from bastion.model import Finding, NotAnalysed

if TYPE_CHECKING:
    import ast

    from bastion.analyzers.base import Analyzer, UnitSource
    from bastion.analyzers.text_base import TextAnalyzer
    from bastion.engine.units import Unit

log = logging.getLogger(__name__)


def unit_findings(analyzers: Sequence[Analyzer], unit: Unit, source: UnitSource,
                  errors: list[NotAnalysed]) -> tuple[list[Finding], bool]:
    """Every analyzer's findings of `unit` (`source`: its tree, in document lines), and
    whether one failed (a failing one adds to `errors`)."""
    found: list[Finding] = []
    failed = False
    for analyzer in analyzers:
        try:
            found.extend(analyzer.analyse_unit(source))
        except Exception as exc:  # a crashing check must not cost the other findings
            # A too deep statement needs no traceback (thousands of identical frames).
            log.error("%s failed on lines %d-%d", analyzer.id, unit.start + 1, unit.end + 1,
                      exc_info=depth_failure(exc) is None)
            errors.append(NotAnalysed(f"{analyzer.id} failed: {failure_reason(exc)}",
                                      unit.start, unit.end, analyzer.id))
            failed = True
    return found, failed


def file_findings(analyzers: Sequence[Analyzer], text: str, path: str, errors: list[NotAnalysed],
                  tree: ast.Module | None = None) -> list[Finding]:
    """The analyzers' whole-file checks; a failing one adds to `errors`. `tree`: `text`
    parsed whole, when the caller has it (`Analyzer.analyse_file`)."""
    found: list[Finding] = []
    for analyzer in analyzers:
        try:
            found.extend(analyzer.analyse_file(text, path, tree))
            errors.extend(analyzer.left_out(text, path))
        except Exception as exc:  # noqa: BLE001 - the other analyzers' findings still count
            log.error("%s failed on the whole file %s", analyzer.id, path,
                      exc_info=not isinstance(exc, _EXHAUSTED))
            errors.append(NotAnalysed(f"{analyzer.id}'s whole-file checks failed: "
                                      f"{analyzer_failure(exc)}", analyzer=analyzer.id))
    return found


class Retractions:
    """Each retracted finding of a judged text, the last text's taken again for the same finding
    and reason: a keystroke's pattern findings are mostly the unedited units' very objects, and
    making each retracted one anew (`attrs.evolve`, some 20 calls) was 390 calls a key in a file
    of 60 views. A finding is frozen, so the one taken again is the one made anew."""

    def __init__(self) -> None:
        # id of a finding -> (the finding, kept so that its id is not reused while the entry
        # lives; the reason; the finding retracted for it)
        self._last: dict[int, tuple[Finding, str, Finding]] = {}
        self._next: dict[int, tuple[Finding, str, Finding]] = {}

    def retracted(self, finding: Finding, reason: str) -> Finding:
        key, last = id(finding), self._last
        kept = last[key] if key in last else None
        if kept is None or kept[0] is not finding or kept[1] != reason:
            kept = (finding, reason, attrs.evolve(finding, retracted=reason))
        self._next[key] = kept
        return kept[2]

    def done(self) -> None:
        """This text's retractions are what the next text may take."""
        self._last, self._next = self._next, {}


def judged(analyzers: Sequence[Analyzer], text: str, path: str, findings: list[Finding],
           errors: list[NotAnalysed], kept: Retractions | None = None) -> list[Finding]:
    """`findings` with `retracted` set where an analyzer's whole-file analysis retracts them
    (`Analyzer.retract`); `apply_config` leaves those out unless `bandit_exact` is on. Done
    on every assembled result from the same inputs, so an edit and a fresh analysis agree.
    `kept`: the last judged text's retractions, taken again (the engine's)."""
    failed = {e.analyzer for e in errors if e.start_line is None}
    for analyzer in analyzers:
        if analyzer.id in failed:
            continue  # its whole-file analysis failed: it judges nothing
        try:
            why = analyzer.retract(text, path, findings)
        except Exception as exc:  # noqa: BLE001 - the findings stand unjudged, said so
            log.error("%s failed to judge the findings of %s", analyzer.id, path,
                      exc_info=not isinstance(exc, _EXHAUSTED))
            errors.append(NotAnalysed(f"{analyzer.id}'s whole-file checks failed: "
                                      f"{analyzer_failure(exc)}", analyzer=analyzer.id))
            continue
        for index, reason in why.items():
            findings[index] = attrs.evolve(findings[index], retracted=reason) if kept is None \
                else kept.retracted(findings[index], reason)
    if kept is not None:
        kept.done()
    return findings


# What a whole-file analysis runs out of: its traceback is thousands of frames that say no more
# than the message.
_EXHAUSTED = (RecursionError, MemoryError)


def joined_keys(analyzers: Sequence[Analyzer | TextAnalyzer], text: str, path: str) -> str | None:
    """The analyzers' `dependency_key`s for a file, joined (None: its result is not cached)."""
    parts = []
    for analyzer in analyzers:
        part = analyzer.dependency_key(text, path)
        if part is None:
            return None
        parts.append(part)
    return "".join(parts)
