"""Dependencies against the advisory index: BST401 (a pinned or locked version is affected),
BST402 (a range admits affected versions), BST403 (a name one edit from a popular package).

One finding per dependency and rule, listing every advisory: an old pin can have dozens, and a
line with dozens of diagnostics helps nobody. The smallest safe version is the smallest `fixed`
version above the current one that no advisory on the package affects; pre-releases are never
proposed.
"""

from __future__ import annotations

import bisect
import re

import attrs
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from bastion.deps import osv
from bastion.deps.index import AdvisoryIndex, Affected
from bastion.deps.model import Dependency
from bastion.deps.pyproject import poetry_to_pep440
from bastion.deps.rules import RULES
from bastion.deps.typosquat import lookalike
from bastion.model import Finding, Level

SOURCE = "bastion"
CWE_VULNERABLE = 1395  # Dependency on Vulnerable Third-Party Component
CWE_TYPOSQUAT = 829  # Inclusion of Functionality from Untrusted Control Sphere
_LISTED = 8
_LOWER = re.compile(r"(>=|>)(\s*)([^\s,;()]+)")
# Poetry's lower bounds: caret, tilde (not `~=`, PEP 440's), `>=`, `>`.
_POETRY_LOWER = re.compile(r"(\^|~(?!=)|>=|>)(\s*)(\d[^\s,;()|]*)")
_RELEASE = re.compile(r"\d+(?:\.\d+)*")
_CANDIDATES = 32  # safe fixes tried, smallest first, for a range


def smallest_safe(index: AdvisoryIndex, name: str, above: Version | None) -> Version | None:
    """The smallest final release above `above` that fixes every advisory of the package."""
    safe = index.safe_fixes(name)
    at = 0 if above is None else bisect.bisect_right(safe, above)
    return safe[at] if at < len(safe) else None


def findings(dependencies: tuple[Dependency, ...], index: AdvisoryIndex | None,
             seen: dict[tuple, Finding | None] | None = None) -> list[Finding]:
    """`seen`: advisory results by requirement from earlier calls with the same `index`."""
    result: list[Finding] = []
    # A large manifest repeats requirements (one per platform, per extra): each distinct one
    # is matched once; the finding is then moved to every line that holds it.
    seen = {} if seen is None else seen
    for dependency in dependencies:
        if index is not None:
            key = (dependency.name, dependency.specifier, dependency.pinned, dependency.locked,
                   dependency.hashed, dependency.via, dependency.lock_command, dependency.poetry)
            if key not in seen:
                seen[key] = _advisories(dependency, index)
            finding = seen[key]
            if finding is not None:
                result.append(attrs.evolve(finding, span=dependency.span, lines=tuple(
                    range(dependency.span.start_line, dependency.span.end_line + 1))))
        if dependency.name_span is not None and not dependency.via:
            near = lookalike(dependency.name)
            if near is not None:
                result.append(_finding(
                    "BST403", Level.MEDIUM, Level.MEDIUM, CWE_TYPOSQUAT, dependency.name_span,
                    f"`{dependency.name}` is one edit away from the popular package `{near}` and "
                    f"is not itself a popular package: check the name before installing it"))
    return result


def _finding(rule: str, severity: Level, confidence: Level, cwe: int, span, message: str) -> Finding:
    return Finding(rule, RULES[rule], severity, confidence, cwe, message, span, source=SOURCE,
                   lines=tuple(range(span.start_line, span.end_line + 1)))


def _severity(advisories: list[Affected], default: Level) -> Level:
    levels = [Level.parse(a.advisory.severity) for a in advisories if a.advisory.severity]
    return max(levels, default=default)


def describe(advisories: list[Affected]) -> str:
    """The worst advisory in full, then the others' ids."""
    ranked = sorted(advisories, key=lambda a: (-(a.advisory.score or 0),
                                               -Level.parse(a.advisory.severity or "low"),
                                               a.advisory.id))
    top = ranked[0].advisory
    aliases = f" ({', '.join(top.aliases)})" if top.aliases else ""
    severity = f", {top.severity}" + (f" {top.score:.1f}" if top.score is not None else "") \
        if top.severity else ""
    text = f"{top.id}{aliases}{severity}: {top.summary}"
    others = [a.advisory.id for a in ranked[1:]]
    if others:
        more = f" and {len(others) - _LISTED} more" if len(others) > _LISTED else ""
        text += f" Also: {', '.join(others[:_LISTED])}{more}."
    return text


def _fix_text(dependency: Dependency, safe: Version | None, verb: str) -> str:
    if safe is None:
        return " No release fixes every advisory yet."
    text = f" {verb} {safe}, the smallest version that fixes every advisory"
    if dependency.locked:
        return text + f": run `{dependency.lock_command}`."
    if dependency.hashed:
        return text + " (then regenerate the --hash values)."
    return text + "."


def _advisories(dependency: Dependency, index: AdvisoryIndex) -> Finding | None:
    affected = index.affected(dependency.name)
    if not affected:
        return None
    via = f" (pinned in {dependency.via})" if dependency.via else ""
    if dependency.pinned is not None:
        try:
            version = Version(dependency.pinned)
        except InvalidVersion:
            return None
        hits = [a for a in affected if a.affects(version)]
        if not hits:
            return None
        count = f"{len(hits)} known vulnerabilit{'y' if len(hits) == 1 else 'ies'}"
        message = (f"{dependency.name} {dependency.pinned}{via} has {count}: {describe(hits)}"
                   + _fix_text(dependency, smallest_safe(index, dependency.name, version),
                                "Upgrade to"))
        return _finding("BST401", _severity(hits, Level.MEDIUM), Level.HIGH, CWE_VULNERABLE,
                        dependency.span, message)
    return _range(dependency, index, affected)


def _range(dependency: Dependency, index: AdvisoryIndex,
           affected: tuple[Affected, ...]) -> Finding | None:
    if not dependency.specifier:
        return None  # unconstrained: the resolver's choice, not the file's
    read = _allowed(dependency.specifier)
    if read is None:
        return None
    allowed, pre = read
    every = [a for a in affected if osv.all_affected(allowed, list(a.intervals), pre)]
    some = [a for a in affected if osv.admits(allowed, list(a.intervals), pre)]
    if not some:
        return None
    # The message names the bound the quick fix writes; without one, the smallest fix above
    # what the range allows (the range must change otherwise: a cap, several lower bounds).
    raised = raised_bound(dependency, index, dependency.poetry or dependency.specifier)
    if raised is not None:
        fix_text = (f" Require `{raised.text}`, the smallest raise of the lower bound after "
                    "which no allowed version is affected.")
    else:
        lowest = min((i.lo.version for i in allowed if i.lo.version is not None), default=None)
        fix_text = _fix_text(dependency, smallest_safe(index, dependency.name, lowest),
                             "Require at least")
    written = f"`{dependency.specifier}`"
    if dependency.poetry and dependency.poetry != dependency.specifier:
        written = f"`{dependency.poetry}` (`{dependency.specifier}`)"
    if every:
        message = f"every version {written} allows is affected by {describe(every)}" + fix_text
        return _finding("BST402", _severity(every, Level.MEDIUM), Level.HIGH, CWE_VULNERABLE,
                        dependency.span, message)
    message = (f"{written} allows versions affected by {len(some)} "
               f"advisor{'y' if len(some) == 1 else 'ies'}: {describe(some)}" + fix_text)
    return _finding("BST402", Level.LOW, Level.MEDIUM, CWE_VULNERABLE, dependency.span, message)


def _allowed(specifier: str) -> tuple[list[osv.Interval], bool] | None:
    """The version intervals a specifier set allows, and whether it admits pre-releases."""
    try:
        specifiers = SpecifierSet(specifier)
    except InvalidSpecifier:
        return None
    allowed = osv.specifier_intervals(specifiers)
    return None if allowed is None else (allowed, bool(specifiers.prereleases))


def _admits_affected(dependency: Dependency, index: AdvisoryIndex) -> bool:
    """Whether a range admits a version some advisory affects (what BST402 reports); one
    that cannot be read counts as doing so."""
    read = _allowed(dependency.specifier)
    if read is None:
        return True
    allowed, pre = read
    return any(osv.admits(allowed, list(a.intervals), pre) for a in index.affected(dependency.name))


@attrs.frozen
class Raised:
    """A range's one lower bound raised to the first fix after which the range admits no
    affected version: `text` replaces the clause at `start`:`end` of the text searched."""

    start: int
    end: int
    text: str
    safe: Version

    @property
    def shown(self) -> str:
        return f">= {self.safe}" if self.text.startswith(">=") and "," not in self.text \
            else self.text.replace(" ", "")


def raised_bound(dependency: Dependency, index: AdvisoryIndex, written: str, start: int = 0,
                 end: int | None = None) -> Raised | None:
    """The bump of a range whose constraint is `written[start:end]` (the manifest's line, or
    the constraint itself), if one bound can be raised to make it clean.

    A Poetry caret or tilde keeps its operator when the raised constraint still allows what
    the user's precision allowed above the new bound: `^0.12` -> `^2.3.2` (both "same leftmost
    non-zero part"), `~3.2.1` -> `~3.2.25`. Where writing the full version would narrow it,
    `~5` (any 5.x) to `~5.4.1` (5.4.x only), `^0` to `^0.4.1`, the bound is written as the
    explicit range the user's precision gives: `>=5.4.1,<6`, so later minor releases (and
    their fixes) stay allowed."""
    end = len(written) if end is None else end
    pattern = _POETRY_LOWER if dependency.poetry else _LOWER
    clauses = list(pattern.finditer(written, start, end))
    if len(clauses) != 1:
        return None
    clause = clauses[0]
    operator, space, bound = clause.group(1), clause.group(2), clause.group(3)
    operator = ">=" if operator == ">" else operator
    safe_fixes = index.safe_fixes(dependency.name)
    at = 0
    if _valid(bound):
        at = bisect.bisect_right(safe_fixes, Version(bound))
    for safe in safe_fixes[at:at + _CANDIDATES]:
        replaced = _written_bound(operator, space, bound, safe)
        constraint = written[start:clause.start()] + replaced + written[clause.end():end]
        try:
            changed = _rewritten(dependency, constraint)
            admits = SpecifierSet(changed.specifier).contains(safe)
        except (ValueError, InvalidSpecifier):
            continue
        if admits and not _admits_affected(changed, index):
            return Raised(clause.start(), clause.end(), replaced, safe)
    return None


def _written_bound(operator: str, space: str, bound: str, safe: Version) -> str:
    if operator not in ("^", "~"):
        return f"{operator}{space}{safe}"
    precision = _RELEASE.match(bound).group().count(".") + 1
    kept = ".".join(str(part) for part in safe.release[:precision])
    upper = _upper(f"{operator}{kept}")
    if _upper(f"{operator}{safe}") == upper:
        return f"{operator}{space}{safe}"
    return f">={safe},<{upper}"


def _upper(poetry: str) -> str:
    return poetry_to_pep440(poetry).split(",<")[1]


def _rewritten(dependency: Dependency, written: str) -> Dependency:
    if dependency.poetry:
        return attrs.evolve(dependency, specifier=poetry_to_pep440(written), poetry=written)
    return attrs.evolve(dependency, specifier=re.sub(r"\s+", "", written.strip().strip("()")))


def _valid(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True
