"""OSV records from an archive or a folder, turned into the index's compact form.

Sources are untrusted: members are size-capped before they are read (a zip bomb is refused),
YAML is read with the safe loader, and a record that does not fit the OSV schema is counted as
skipped rather than trusted. Only PyPI packages are kept; withdrawn advisories are dropped.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import zipfile
from collections.abc import Iterator
from datetime import datetime, timezone

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from bastion.deps import cvss, osv
from bastion.deps.index import FORMAT, ID_PATTERN, SCHEMA, clean_text
from bastion.files import UnreadableSource, read_limited

MAX_RECORD_BYTES = 4 * 1024 * 1024
MAX_RECORDS = 200_000
_SUFFIXES = (".json", ".yaml", ".yml")
_LABELS = {"low": "low", "moderate": "medium", "medium": "medium", "high": "high",
           "critical": "high"}
ATTRIBUTION = ("Advisory data: Python Packaging Advisory Database (https://github.com/pypa/"
               "advisory-database), licensed CC-BY-4.0, and OSV.dev exports")


class SourceError(Exception):
    """The source cannot be read at all; the message says why."""


def _decode(name: str, data: bytes):
    if name.endswith(".json"):
        return json.loads(data)
    return yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def iter_records(path: str) -> Iterator[tuple[str, bytes]]:
    """(member name, bytes) of every OSV file in a .zip, a .tar.gz or a folder."""
    if os.path.isdir(path):
        for folder, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(_SUFFIXES):
                    full = os.path.join(folder, name)
                    try:
                        yield full, read_limited(full, MAX_RECORD_BYTES, "advisory")[0]
                    except UnreadableSource as exc:
                        raise SourceError(f"{full}: {exc}") from None
        return
    data = _read_archive(path)
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.filename.endswith(_SUFFIXES) and not info.is_dir():
                    if info.file_size > MAX_RECORD_BYTES:
                        raise SourceError(f"{info.filename}: larger than 4 MiB")
                    with archive.open(info) as member:
                        yield info.filename, member.read(MAX_RECORD_BYTES + 1)[:MAX_RECORD_BYTES]
        return
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            for member in archive:
                if member.isfile() and member.name.endswith(_SUFFIXES):
                    if member.size > MAX_RECORD_BYTES:
                        raise SourceError(f"{member.name}: larger than 4 MiB")
                    yield member.name, archive.extractfile(member).read()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise SourceError(f"not a zip, a tar archive or a folder ({exc})") from None


def _read_archive(path: str) -> bytes:
    try:
        return read_limited(path, 512 * 1024 * 1024, "advisory archive")[0]
    except UnreadableSource as exc:
        raise SourceError(f"{path}: {exc}") from None


def build_index(path: str, source: str) -> tuple[dict, dict[str, int]]:
    """The index (as the dict `index.dumps` writes) and counts of what was kept and skipped."""
    advisories: list[list] = []
    packages: dict[str, list] = {}
    counts = {"records": 0, "withdrawn": 0, "skipped": 0, "not_pypi": 0}
    newest = datetime(1970, 1, 1, tzinfo=timezone.utc)
    for number, (name, data) in enumerate(iter_records(path)):
        if number >= MAX_RECORDS:
            raise SourceError(f"more than {MAX_RECORDS} records")
        counts["records"] += 1
        try:
            record = _decode(name, data)
        except (ValueError, yaml.YAMLError, RecursionError):
            counts["skipped"] += 1
            continue
        kept = _add(record, advisories, packages, counts)
        if kept is not None:
            newest = max(newest, kept)
    for entries in packages.values():
        entries.sort(key=lambda e: advisories[e[0]][0])
    order = sorted(range(len(advisories)), key=lambda i: advisories[i][0])
    renumber = {old: new for new, old in enumerate(order)}
    for entries in packages.values():
        for entry in entries:
            entry[0] = renumber[entry[0]]
    index = {"format": FORMAT, "schema": SCHEMA, "source": source, "attribution": ATTRIBUTION,
             "created": newest.strftime("%Y-%m-%dT%H:%M:%SZ"),
             "advisories": [advisories[i] for i in order],
             "packages": dict(sorted(packages.items()))}
    counts["advisories"] = len(advisories)
    counts["packages"] = len(packages)
    return index, counts


def _date(value) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return None


def _add(record, advisories: list, packages: dict, counts: dict) -> datetime | None:
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        counts["skipped"] += 1
        return None
    if record.get("withdrawn"):
        counts["withdrawn"] += 1
        return None
    entries = []
    for affected in record.get("affected") or ():
        package = affected.get("package") if isinstance(affected, dict) else None
        if not isinstance(package, dict) or package.get("ecosystem") != "PyPI" \
                or not isinstance(package.get("name"), str):
            continue
        entry = _entry(affected)
        if entry is not None:
            entries.append((canonicalize_name(package["name"]), entry))
    if not entries:
        counts["not_pypi"] += 1
        return None
    aliases = [a.strip(" ,") for a in record.get("aliases") or () if isinstance(a, str)]
    aliases = [a for a in aliases if ID_PATTERN.match(a)]
    summary = record.get("summary") or (record.get("details") or "").split("\n\n")[0]
    severity, score = _severity(record)
    number = len(advisories)
    advisories.append([record["id"], sorted(set(aliases) - {record["id"]}),
                       clean_text(summary if isinstance(summary, str) else ""), severity, score])
    for name, (ranges, versions) in entries:
        packages.setdefault(name, []).append([number, ranges, versions])
    return _date(record.get("modified"))


def _valid(text) -> bool:
    try:
        Version(str(text))
    except InvalidVersion:
        return False
    return True


def _entry(affected: dict) -> tuple[list, list] | None:
    ranges = []
    for item in affected.get("ranges") or ():
        if not isinstance(item, dict) or item.get("type") != "ECOSYSTEM":
            continue  # GIT ranges name commits, not releases
        events = []
        for event in item.get("events") or ():
            if not isinstance(event, dict) or len(event) != 1:
                continue
            (kind, value), = event.items()
            value = str(value)
            if (kind, value) in (("introduced", "0"), ("limit", "*")) or _valid(value):
                events.append([kind, value])
        if events:
            ranges.append(events)
    versions = sorted({str(v) for v in affected.get("versions") or () if _valid(v)}, key=Version)
    # Listed versions inside the ranges add nothing (the PyPA database lists them all).
    covered = [i for events in ranges for i in osv.range_intervals(_parsed(events))]
    versions = [v for v in versions if not any(i.contains(Version(v)) for i in covered)]
    return (ranges, versions) if ranges or versions else None


def _parsed(events: list) -> list[osv.Event]:
    return [(kind, None if (kind, value) in (("introduced", "0"), ("limit", "*")) else Version(value))
            for kind, value in events]


def _severity(record: dict) -> tuple[str | None, float | None]:
    for item in record.get("severity") or ():
        if isinstance(item, dict) and isinstance(item.get("score"), str):
            score = cvss.base_score(item["score"])
            if score is not None:
                return cvss.qualitative(score), score
    specific = record.get("database_specific")
    label = specific.get("severity") if isinstance(specific, dict) else None
    if isinstance(label, str) and label.lower() in _LABELS:
        return _LABELS[label.lower()], None
    return None, None
