"""SARIF 2.1.0 for code-scanning tools.

Columns are code points and the run says so (`columnKind: unicodeCodePoints`); bandit's own SARIF
writes UTF-8 byte offsets under the default `utf16CodeUnits`, which is wrong on non-ASCII lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from bastion import __version__
from bastion.model import Finding, Level
from bastion.report.results import CheckResults

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Level.HIGH: "error", Level.MEDIUM: "warning", Level.LOW: "note"}
# GitHub's security-severity scale (0–10) for bandit's three levels.
_SECURITY_SEVERITY = {Level.HIGH: "8.0", Level.MEDIUM: "5.5", Level.LOW: "3.0"}


def cwe_url(cwe: int | None) -> str | None:
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html" if cwe else None


def _rule(rule_id: str, name: str, sample: Finding, catalog) -> dict:
    spec = catalog.get(rule_id) if catalog is not None else None
    cwe = sample.cwe
    rule: dict = {"id": rule_id, "name": name}
    severity = sample.severity
    if spec is not None:
        rule["shortDescription"] = {"text": spec.title}
        rule["fullDescription"] = {"text": spec.lesson.summary}
        rule["help"] = {"text": f"{spec.lesson.summary}\n\n{spec.lesson.how_to_fix}",
                        "markdown": catalog.markdown(rule_id)}
        cwe = cwe or spec.cwe.id
        severity = Level.parse(spec.severity)
        tags = list(spec.tags)
    else:
        rule["shortDescription"] = {"text": sample.message}
        tags = []
    if cwe:
        tags.append(f"external/cwe/cwe-{cwe}")
        rule["helpUri"] = cwe_url(cwe)
    rule["properties"] = {"tags": ["security", *tags], "security-severity": _SECURITY_SEVERITY[severity],
                          "precision": {Level.HIGH: "high", Level.MEDIUM: "medium"}.get(
                              sample.confidence, "low")}
    rule["defaultConfiguration"] = {"level": _LEVELS.get(severity, "warning")}
    return rule


def _result(path: str, finding: Finding, rule_index: dict[str, int], root: Path | None) -> dict:
    span = finding.span
    uri = Path(path)
    if root is not None:
        try:
            uri = uri.resolve().relative_to(root.resolve())
        except (ValueError, OSError):
            pass
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index[finding.rule_id],
        "level": _LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri.as_posix(), **({"uriBaseId": "%SRCROOT%"} if not uri.is_absolute() else {})},
            "region": {"startLine": span.start_line + 1, "startColumn": span.start_col + 1,
                       "endLine": span.end_line + 1, "endColumn": span.end_col + 1},
        }}],
        "properties": {"severity": finding.severity.label, "confidence": finding.confidence.label},
    }
    if finding.suppressed_by is not None:
        result["suppressions"] = [{"kind": "inSource",
                                   "justification": finding.suppressed_by.text}]
    return result


def sarif_document(results: CheckResults, catalog, root: Path | None = None) -> dict:
    everything = results.findings() + results.suppressed()
    samples: dict[str, Finding] = {}
    for _, finding in everything:
        samples.setdefault(finding.rule_id, finding)
    rule_ids = sorted(samples)
    rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    rules = [_rule(r, samples[r].name, samples[r], catalog) for r in rule_ids]
    run = {
        "tool": {"driver": {"name": "Bastion", "version": __version__, "semanticVersion": __version__,
                            "informationUri": "https://github.com/bastion-lsp/bastion", "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f.path, x, rule_index, root) for f, x in everything],
        "invocations": [{"executionSuccessful": not results.errors,
                         "toolExecutionNotifications": [
                             {"level": "error", "message": {"text": m},
                              "locations": [{"physicalLocation": {"artifactLocation": {"uri": Path(p).as_posix()}}}]}
                             for p, m in results.errors]}],
    }
    if root is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def write_sarif(results: CheckResults, out: TextIO, catalog, root: Path | None = None) -> None:
    json.dump(sarif_document(results, catalog, root), out, indent=2)
    out.write("\n")
