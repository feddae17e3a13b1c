"""Machine output: one JSON document with every finding, 1-based lines and code-point columns."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TextIO

from bastion import __version__
from bastion.model import Finding, NotAnalysed
from bastion.report.results import CheckResults, write_report


def finding_dict(path: str, finding: Finding) -> dict:
    span = finding.span
    data = {
        "path": path, "rule_id": finding.rule_id, "name": finding.name,
        "severity": finding.severity.label, "confidence": finding.confidence.label,
        "cwe": finding.cwe, "message": finding.message, "source": finding.source,
        "line": span.start_line + 1, "column": span.start_col + 1,
        "end_line": span.end_line + 1, "end_column": span.end_col + 1,
    }
    if finding.steps:
        data["steps"] = [{"line": s.span.start_line + 1, "column": s.span.start_col + 1,
                          "message": s.message, **({"path": s.path} if s.path else {})}
                         for s in finding.steps]
    by = finding.suppressed_by
    if by is not None:
        data["suppressed_by"] = {"kind": by.kind, "line": by.line + 1, "comment": by.text,
                                 "reason": by.reason,
                                 "until": by.until.isoformat() if by.until else None}
    return data


def _lines(failure: NotAnalysed) -> dict:
    """1-based lines of what was not analysed (null: the whole file)."""
    start, end = failure.start_line, failure.end_line
    return {"line": None if start is None else start + 1,
            "end_line": None if start is None else (start if end is None else end) + 1}


def json_document(results: CheckResults) -> dict:
    doc, lists = _document(results)
    for container, key, items in lists:
        container[key] = list(items)
    return doc


def write_json(results: CheckResults, out: TextIO) -> None:
    """The text `dump_report` writes for `json_document`, each list's items encoded as they
    are made (`write_report`)."""
    doc, lists = _document(results)
    write_report(doc, out, lists)


def _document(results: CheckResults) -> tuple[dict, list[tuple[dict, str, Iterator[dict]]]]:
    """The document with a placeholder for each list, and the lists' items as they are made."""
    lists = {
        "results": (finding_dict(f.path, x) for f, x in results.findings()),
        "suppressed": (finding_dict(f.path, x) for f, x in results.suppressed()),
        "hints": ({"path": f.path, "line": h.line + 1, "kind": h.kind, "message": h.message}
                  for f in results.files for h in f.analysis.hints),
        "errors": itertools.chain(
            ({"path": p, "message": m} for p, m in results.errors),
            ({"path": f.path, "message": str(e), "kind": "not-analysed", **_lines(e)}
             for f, e in results.not_analysed())),
        # "analysed", or "not-analysed": part of the file (or all of it) was not, so findings
        # there may be missing.
        "files": ({"path": f.path, "status": "not-analysed" if f.analysis.errors else "analysed",
                   "not_analysed": [{"reason": e.reason, "analyzer": e.analyzer, **_lines(e)}
                                    for e in f.analysis.errors]}
                  for f in results.files),
    }
    doc = {"tool": "bastion", "version": __version__, **dict.fromkeys(lists), "summary": {
        "files": len(results.files), "lines": results.scanned_lines,
        "seconds": round(results.seconds, 3), **results.by_severity(),
        "not_analysed": results.incomplete_files()}}
    return doc, [(doc, key, items) for key, items in lists.items()]
