"""OSV's evaluation rules for PyPI, as sets of PEP 440 versions.

An advisory's affected set is the union of its ECOSYSTEM ranges and its explicit `versions`.
A range's events are walked in version order (the OSV schema's algorithm): `introduced` opens
an interval ("0": from the first version), `fixed` closes it before that version,
`last_affected` closes it after; `limit` events cap the whole range (`*`: no cap). Withdrawn
advisories are dropped when the index is built.

Specifier sets are turned into the same intervals so that a range (`>=2.0,<3`) can be compared
with an affected set: is every allowed version affected, or only some? Pre-releases are
explicit: a specifier that does not admit pre-releases (PEP 440's default) does not count an
intersection holding only pre-releases.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

# Events as stored in the index: (kind, version); None is "0" for introduced, "*" for limit.
Event = tuple[str, "Version | None"]
EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


@attrs.frozen
class Bound:
    version: Version | None  # None: unbounded on that side
    inclusive: bool


@attrs.frozen
class Interval:
    lo: Bound
    hi: Bound

    def contains(self, v: Version) -> bool:
        lo, hi = self.lo, self.hi
        if lo.version is not None and (v < lo.version or (v == lo.version and not lo.inclusive)):
            return False
        return hi.version is None or v < hi.version or (v == hi.version and hi.inclusive)

    def empty(self) -> bool:
        lo, hi = self.lo.version, self.hi.version
        if lo is None or hi is None:
            return False
        return lo > hi or (lo == hi and not (self.lo.inclusive and self.hi.inclusive))


EVERYTHING = Interval(Bound(None, False), Bound(None, False))


def range_intervals(events: Iterable[Event]) -> list[Interval]:
    """The versions one OSV range covers."""
    def key(event: Event) -> tuple:
        kind, version = event
        if version is None:  # introduced 0 sorts first, limit * last
            return (0,) if kind == "introduced" else (2,)
        return (1, version)
    ordered = sorted(events, key=key)
    limits = [v for kind, v in ordered if kind == "limit"]
    result: list[Interval] = []
    start: Bound | None = None
    for kind, version in ordered:
        if kind == "introduced" and start is None:
            start = Bound(version, True)
        elif kind in ("fixed", "last_affected") and start is not None:
            result.append(Interval(start, Bound(version, kind == "last_affected")))
            start = None
    if start is not None:
        result.append(Interval(start, Bound(None, False)))
    if limits and None not in limits:
        cap = Interval(Bound(None, False), Bound(max(limits), False))
        result = intersect(result, [cap])
    return [i for i in result if not i.empty()]


def point(version: Version) -> Interval:
    return Interval(Bound(version, True), Bound(version, True))


def _intersect_one(a: Interval, b: Interval) -> Interval:
    def tighter_lo(x: Bound, y: Bound) -> Bound:
        if x.version is None:
            return y
        if y.version is None or x.version > y.version:
            return x
        if x.version == y.version:
            return Bound(x.version, x.inclusive and y.inclusive)
        return y

    def tighter_hi(x: Bound, y: Bound) -> Bound:
        if x.version is None:
            return y
        if y.version is None or x.version < y.version:
            return x
        if x.version == y.version:
            return Bound(x.version, x.inclusive and y.inclusive)
        return y
    return Interval(tighter_lo(a.lo, b.lo), tighter_hi(a.hi, b.hi))


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out = (_intersect_one(x, y) for x in a for y in b)
    return [i for i in out if not i.empty()]


def complement(intervals: list[Interval]) -> list[Interval]:
    result = [EVERYTHING]
    for interval in intervals:
        outside = []
        if interval.lo.version is not None:
            outside.append(Interval(Bound(None, False),
                                    Bound(interval.lo.version, not interval.lo.inclusive)))
        if interval.hi.version is not None:
            outside.append(Interval(Bound(interval.hi.version, not interval.hi.inclusive),
                                    Bound(None, False)))
        result = intersect(result, outside)
    return result


def _release(parts: Iterable[int]) -> str:
    return ".".join(str(p) for p in parts)


def _prefix_interval(prefix: str) -> Interval:
    """`==1.2.*`: every version starting with release 1.2."""
    numbers = Version(prefix).release
    upper = list(numbers)
    upper[-1] += 1
    return Interval(Bound(Version(_release(numbers) + ".dev0"), True),
                    Bound(Version(_release(upper) + ".dev0"), False))


def _specifier_intervals(spec: Specifier) -> list[Interval]:
    op, text = spec.operator, spec.version
    if op == "===":
        return [point(Version(text))]
    if text.endswith(".*"):
        prefix = _prefix_interval(text[:-2])
        return [prefix] if op == "==" else complement([prefix])
    v = Version(text)
    if op == "==":
        return [point(v)]
    if op == "!=":
        return complement([point(v)])
    if op == ">=":
        return [Interval(Bound(v, True), Bound(None, False))]
    if op == ">":
        return [Interval(Bound(v, False), Bound(None, False))]
    if op == "<=":
        return [Interval(Bound(None, False), Bound(v, True))]
    if op == "<":  # PEP 440: `<2.0` admits no pre-release of 2.0
        hi = v if v.is_prerelease else Version(_release(v.release) + ".dev0")
        return [Interval(Bound(None, False), Bound(hi, False))]
    if op == "~=":
        upper = list(v.release[:-1])
        upper[-1] += 1
        return [Interval(Bound(v, True), Bound(Version(_release(upper) + ".dev0"), False))]
    raise InvalidSpecifier(f"unknown operator {op!r}")


def specifier_intervals(specifiers: SpecifierSet) -> list[Interval] | None:
    """The versions a specifier set allows (None when it cannot be turned into intervals)."""
    result = [EVERYTHING]
    try:
        for spec in specifiers:
            result = intersect(result, _specifier_intervals(spec))
    except (InvalidVersion, InvalidSpecifier, IndexError):
        return None
    return result


def has_final_release(interval: Interval) -> bool:
    """Whether some final (not pre- or dev-) release can lie in the interval."""
    lo = interval.lo.version
    if lo is None:
        candidates = [Version("0")]
    else:
        base = Version(_release(lo.release))
        bumped = Version(_release((*lo.release[:-1], lo.release[-1] + 1)))
        candidates = [base, Version(f"{base}.post0"), bumped]
    return any(interval.contains(c) for c in candidates)


def admits(allowed: list[Interval], affected: list[Interval], prereleases: bool) -> bool:
    """Whether some version the specifier allows is affected."""
    return any(prereleases or has_final_release(i) for i in intersect(allowed, affected))


def all_affected(allowed: list[Interval], affected: list[Interval], prereleases: bool) -> bool:
    """Whether every version the specifier allows is affected (and it allows some)."""
    if not admits(allowed, affected, prereleases):
        return False
    clear = intersect(allowed, complement(affected))
    return not any(prereleases or has_final_release(i) for i in clear)


def parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None
