"""The advisory index: a compact, gzip-compressed JSON form of OSV records for PyPI.

Built by `build_index` (from `osv_source` records) for the wheel's copy and for `bastion db
import/update`; read by `load_index`, which trusts nothing in the file: every field is checked
and every version parsed, and anything wrong raises InvalidIndex with a message that says
what, never a crash further on. An AdvisoryIndex is immutable once loaded.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import io
import json
import re
from datetime import datetime, timezone

import attrs
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from bastion.deps import osv
from bastion.deps.location import SCHEMA

FORMAT = "bastion-osv-index"
MAX_INDEX_BYTES = 64 * 1024 * 1024  # decompressed: the PyPI export is about 20 MiB as JSON
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class InvalidIndex(Exception):
    """The advisory index cannot be used; the message says why."""


@attrs.frozen
class Advisory:
    id: str
    aliases: tuple[str, ...]
    summary: str
    severity: str | None  # "low" | "medium" | "high", when the data gives one
    score: float | None = None


@attrs.frozen
class Affected:
    """One advisory's effect on one package."""

    advisory: Advisory
    intervals: tuple[osv.Interval, ...]  # ranges and explicit versions together
    fixed: tuple[Version, ...]  # the `fixed` events: the candidate bumps

    def affects(self, version: Version) -> bool:
        return any(i.contains(version) for i in self.intervals)


@attrs.frozen
class AdvisoryIndex:
    source: str
    created: datetime  # the newest record's `modified`: how fresh the data is
    attribution: str
    advisory_count: int
    packages: dict[str, tuple[Affected, ...]] = attrs.field(hash=False)
    # Per package, the final `fixed` versions no advisory affects, sorted: filled on first use
    # by `safe_fixes` (idempotent, so concurrent readers at worst compute one twice).
    _safe: dict[str, tuple[Version, ...]] = attrs.field(factory=dict, eq=False, hash=False,
                                                        repr=False)

    def affected(self, name: str) -> tuple[Affected, ...]:
        return self.packages.get(canonicalize_name(name), ())

    def safe_fixes(self, name: str) -> tuple[Version, ...]:
        name = canonicalize_name(name)
        if name not in self._safe:
            affected = self.packages.get(name, ())
            candidates = sorted({v for a in affected for v in a.fixed if not v.is_prerelease})
            self._safe[name] = unaffected(candidates, [i for a in affected for i in a.intervals])
        return self._safe[name]

    def age_days(self, now: datetime | None = None) -> int:
        return ((now or datetime.now(timezone.utc)) - self.created).days


def unaffected(candidates: list[Version], intervals: list[osv.Interval]) -> tuple[Version, ...]:
    """The sorted `candidates` that no interval contains. An interval holds a run of sorted
    versions, found by bisection: the test of each candidate against each interval took 15 ms of
    CPU for Django's 116 advisories, at the first manifest of a session that names it."""
    edges = [0] * (len(candidates) + 1)  # intervals starting minus ending at each candidate
    for interval in intervals:
        lo, hi = interval.lo, interval.hi
        start = 0 if lo.version is None else (
            bisect.bisect_left if lo.inclusive else bisect.bisect_right)(candidates, lo.version)
        end = len(candidates) if hi.version is None else (
            bisect.bisect_right if hi.inclusive else bisect.bisect_left)(candidates, hi.version)
        if start < end:
            edges[start] += 1
            edges[end] -= 1
    safe, depth = [], 0
    for version, edge in zip(candidates, edges[:-1], strict=True):
        depth += edge
        if not depth:
            safe.append(version)
    return tuple(safe)


def clean_text(text: str, limit: int = 240) -> str:
    text = _CONTROL.sub(" ", text).strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def dumps(index: dict) -> bytes:
    body = json.dumps(index, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return gzip.compress(body.encode(), compresslevel=9, mtime=0)


def loads(data: bytes) -> AdvisoryIndex:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            body = stream.read(MAX_INDEX_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise InvalidIndex(f"not a gzip file ({exc})") from None
    if len(body) > MAX_INDEX_BYTES:
        raise InvalidIndex("larger than 64 MiB once decompressed")
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InvalidIndex(f"not valid JSON ({exc})") from None
    return _validated(raw)


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise InvalidIndex(what)


def _str(value, what: str) -> str:
    _check(isinstance(value, str), f"{what}: not a string")
    return value


def _validated(raw) -> AdvisoryIndex:
    _check(isinstance(raw, dict), "not an object")
    _check(raw.get("format") == FORMAT, f"not a Bastion advisory index (format {raw.get('format')!r})")
    _check(raw.get("schema") == SCHEMA, f"index schema {raw.get('schema')!r}, expected {SCHEMA}")
    source = clean_text(_str(raw.get("source"), "source"))
    attribution = clean_text(_str(raw.get("attribution", ""), "attribution"), 2000)
    try:
        created = datetime.fromisoformat(_str(raw.get("created"), "created").replace("Z", "+00:00"))
    except ValueError:
        raise InvalidIndex("created: not an ISO date") from None
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    rows = raw.get("advisories")
    _check(isinstance(rows, list), "advisories: not a list")
    advisories = [_advisory(row, n) for n, row in enumerate(rows)]
    packages_raw = raw.get("packages")
    _check(isinstance(packages_raw, dict), "packages: not an object")
    packages: dict[str, tuple[Affected, ...]] = {}
    for name, entries in packages_raw.items():
        _check(isinstance(name, str) and canonicalize_name(name) == name,
               f"package {name!r}: not a normalised name")
        _check(isinstance(entries, list), f"package {name}: not a list")
        packages[name] = tuple(_affected(entry, advisories, name) for entry in entries)
    return AdvisoryIndex(source, created, attribution, len(advisories), packages)


def _advisory(row, n: int) -> Advisory:
    _check(isinstance(row, list) and len(row) == 5, f"advisory {n}: not a 5-item list")
    ident, aliases, summary, severity, score = row
    _check(isinstance(ident, str) and bool(ID_PATTERN.match(ident)), f"advisory {n}: bad id")
    _check(isinstance(aliases, list) and all(isinstance(a, str) and ID_PATTERN.match(a) for a in aliases),
           f"advisory {ident}: bad aliases")
    _check(severity in (None, "low", "medium", "high"), f"advisory {ident}: bad severity")
    _check(score is None or (isinstance(score, (int, float)) and 0 <= score <= 10),
           f"advisory {ident}: bad score")
    return Advisory(ident, tuple(aliases), clean_text(_str(summary, f"advisory {ident} summary")),
                    severity, score)


# The index's 7,933 versions are 1,177 texts: each is parsed once (15 of a load's 91 ms of CPU,
# on the path of a session's first manifest to its first diagnostics). Versions are immutable.
_parsed_version = functools.lru_cache(maxsize=8192)(Version)


def _version(text, what: str) -> Version:
    try:
        return _parsed_version(_str(text, what))
    except InvalidVersion:
        raise InvalidIndex(f"{what}: {text!r} is not a PEP 440 version") from None


def _affected(entry, advisories: list[Advisory], name: str) -> Affected:
    what = f"package {name}"
    _check(isinstance(entry, list) and len(entry) == 3, f"{what}: entry not a 3-item list")
    number, ranges, versions = entry
    _check(isinstance(number, int) and 0 <= number < len(advisories), f"{what}: bad advisory")
    _check(isinstance(ranges, list) and isinstance(versions, list), f"{what}: bad ranges")
    intervals: list[osv.Interval] = []
    fixed: list[Version] = []
    for events in ranges:
        _check(isinstance(events, list), f"{what}: range not a list")
        parsed = []
        for event in events:
            _check(isinstance(event, list) and len(event) == 2 and event[0] in osv.EVENT_KINDS,
                   f"{what}: bad event {event!r}")
            kind, text = event
            open_end = (kind, text) in (("introduced", "0"), ("limit", "*"))
            version = None if open_end else _version(text, what)
            parsed.append((kind, version))
            if kind == "fixed":
                fixed.append(version)
        intervals.extend(osv.range_intervals(parsed))
    intervals.extend(osv.point(_version(v, what)) for v in versions)
    return Affected(advisories[number], tuple(intervals), tuple(sorted(set(fixed))))
