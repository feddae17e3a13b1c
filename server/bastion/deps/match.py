"""Dependencies against the advisory index: BST401 (a pinned or locked version is affected),
BST402 (a range admits affected versions), BST403 (a name one edit from a popular package).

One finding per dependency and rule, listing every advisory: an old pin can have dozens, and a
line with dozens of diagnostics helps nobody. The smallest safe version is the smallest `fixed`
version above the current one that no advisory on the package affects; pre-releases are never
proposed.
"""

from __future__ import annotations

import bisect

import attrs
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from bastion.deps import osv
from bastion.deps.index import AdvisoryIndex, Affected
from bastion.deps.model import Dependency
from bastion.deps.typosquat import lookalike
from bastion.model import Finding, Level

SOURCE = "bastion"
CWE_VULNERABLE = 1395  # Dependency on Vulnerable Third-Party Component
CWE_TYPOSQUAT = 829  # Inclusion of Functionality from Untrusted Control Sphere
RULES = {"BST401": "vulnerable_dependency_version", "BST402": "dependency_range_admits_vulnerable",
         "BST403": "dependency_typosquat"}
_LISTED = 8


def smallest_safe(index: AdvisoryIndex, name: str, above: Version | None) -> Version | None:
    """The smallest final release above `above` that fixes every advisory of the package."""
    safe = index.safe_fixes(name)
    at = 0 if above is None else bisect.bisect_right(safe, above)
    return safe[at] if at < len(safe) else None


def findings(dependencies: tuple[Dependency, ...], index: AdvisoryIndex | None) -> list[Finding]:
    result: list[Finding] = []
    # A large manifest repeats requirements (one per platform, per extra): each distinct one
    # is matched once; the finding is then moved to every line that holds it.
    seen: dict[tuple, Finding | None] = {}
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
    try:
        specifiers = SpecifierSet(dependency.specifier)
    except InvalidSpecifier:
        return None
    allowed = osv.specifier_intervals(specifiers)
    if allowed is None:
        return None
    pre = bool(specifiers.prereleases)
    every = [a for a in affected if osv.all_affected(allowed, list(a.intervals), pre)]
    some = [a for a in affected if osv.admits(allowed, list(a.intervals), pre)]
    if not some:
        return None
    lowest = min((i.lo.version for i in allowed if i.lo.version is not None), default=None)
    safe = smallest_safe(index, dependency.name, lowest)
    written = f"`{dependency.specifier}`"
    if dependency.poetry and dependency.poetry != dependency.specifier:
        written = f"`{dependency.poetry}` (`{dependency.specifier}`)"
    if every:
        message = (f"every version {written} allows is affected by "
                   f"{describe(every)}" + _fix_text(dependency, safe, "Require at least"))
        return _finding("BST402", _severity(every, Level.MEDIUM), Level.HIGH, CWE_VULNERABLE,
                        dependency.span, message)
    message = (f"{written} allows versions affected by {len(some)} "
               f"advisor{'y' if len(some) == 1 else 'ies'}: {describe(some)}"
               + _fix_text(dependency, safe, "Require at least"))
    return _finding("BST402", Level.LOW, Level.MEDIUM, CWE_VULNERABLE, dependency.span, message)
