"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, Azure DevOps, SonarQube...).

- Columns are code points and the run says so (`columnKind: unicodeCodePoints`); bandit's own
  SARIF writes UTF-8 byte offsets under the default `utf16CodeUnits`, which is wrong on
  non-ASCII lines.
- `tool.driver.rules` carry the lessons (help text and markdown), `helpUri`, tags (CWE as
  `external/cwe/cwe-N`, OWASP), GitHub's `security-severity` and `precision`, and a
  `relationships` entry to their CWE taxon in `runs[0].taxonomies` (and a `subset` one to each
  broader CWE the rule's is a kind of, tagged too: eval injection, 95, is code injection, 94).
- Every result has `partialFingerprints["bastion/v1"]` (see bastion.baseline): no line numbers,
  so code scanning keeps tracking an alert when lines are added above it or the code is
  reformatted.
- Findings silenced by a comment are results with `suppressions` (kind `inSource`, the
  comment's reason or text as justification); with a baseline, known findings are results with
  an `external` suppression and `baselineState: unchanged`, new ones `baselineState: new`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from bastion import __version__
from bastion.baseline import FINGERPRINT_KEY, fingerprints
from bastion.model import Finding, Level, NotAnalysed
from bastion.report.results import CheckResults, FileResult, write_report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Level.HIGH: "error", Level.MEDIUM: "warning", Level.LOW: "note"}
# GitHub's security-severity scale (0–10) for bandit's three levels.
_SECURITY_SEVERITY = {Level.HIGH: "8.0", Level.MEDIUM: "5.5", Level.LOW: "3.0"}
_PRECISION = {Level.HIGH: "high", Level.MEDIUM: "medium"}
CWE_TAXONOMY = "CWE"

Fingerprints = Mapping[tuple[str, Finding], str]  # (FileResult.path, finding) -> fingerprint


def cwe_url(cwe: int | None) -> str | None:
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html" if cwe else None


def _taxon_id(cwe: int) -> str:
    return f"CWE-{cwe}"


def _help_text(spec) -> str:
    from bastion.catalog.render import after_fix_sections  # the catalog is loaded only with --format sarif

    lesson = spec.lesson
    return "\n\n".join(part.strip() for part in (
        f"{spec.id}: {spec.title}", lesson.summary, "Why it matters:", lesson.why,
        "How to fix:", lesson.how_to_fix,
        *(part for title, text in after_fix_sections(lesson) for part in (f"{title}:", text)),
        "References:\n" + "\n".join(lesson.references) if lesson.references else "") if part)


def _rule(rule_id: str, name: str, sample: Finding, catalog, cwe_names: dict[int, str]) -> dict:
    spec = catalog.get(rule_id) if catalog is not None else None
    cwe = sample.cwe
    rule: dict = {"id": rule_id, "name": name}
    severity = sample.severity
    tags: list[str] = []
    if spec is not None:
        rule["name"] = spec.name or name  # bandit's blacklist checks all share the name "blacklist"
        rule["shortDescription"] = {"text": spec.title}
        rule["fullDescription"] = {"text": spec.lesson.summary}
        rule["help"] = {"text": _help_text(spec), "markdown": catalog.markdown(rule_id)}
        cwe = cwe or spec.cwe.id
        if spec.cwe.id == cwe:  # a rule met earlier may have left this CWE without a name
            cwe_names[cwe] = cwe_names.get(cwe) or spec.cwe.name
        severity = Level.parse(spec.severity)
        tags = list(spec.tags)
        if getattr(spec, "owasp", None):
            number, _, year = str(spec.owasp).partition(":")
            tags.append(f"owasp-{number.lower()}-{year}" if year else f"owasp-{number.lower()}")
    else:
        rule["shortDescription"] = {"text": sample.message}
        rule["help"] = {"text": f"{sample.message}\n\nRun `bastion explain {rule_id}`."}
    if cwe:
        tags.append(f"external/cwe/cwe-{cwe}")
        rule["helpUri"] = cwe_url(cwe)
        cwe_names.setdefault(cwe, "")
        for broader in spec.cwe.broader if spec is not None and spec.cwe.id == cwe else ():
            tags.append(f"external/cwe/cwe-{broader}")
            cwe_names.setdefault(broader, "")
    rule["properties"] = {"tags": ["security", *dict.fromkeys(tags)],
                          "security-severity": _SECURITY_SEVERITY.get(severity, "5.5"),
                          "precision": _PRECISION.get(sample.confidence, "low"),
                          "problem.severity": {Level.HIGH: "error", Level.MEDIUM: "warning"}.get(
                              severity, "recommendation")}
    rule["defaultConfiguration"] = {"level": _LEVELS.get(severity, "warning")}
    return rule


def artifact_uri(path: Path | str) -> str:
    """A path as a URI: percent-encoded (spaces, line breaks, `%`, `#`, `?`, `:`, non-ASCII as
    UTF-8), so that no file name can change what the URI points at; `file:` when absolute."""
    path = Path(path)
    return path.as_uri() if path.is_absolute() else quote(path.as_posix(), safe="/")


# Every result of a file and every step of a taint path in it has the same location: resolving
# and encoding it once per file saves syscalls and Path objects (60,000 steps: 0.75 s).
@functools.lru_cache(maxsize=1024)
def _location(path: str, root: Path | None) -> tuple[str, bool]:
    """The artifact URI of `path`, and whether it is relative to %SRCROOT% (`root`)."""
    uri = Path(path)
    if root is not None:
        try:
            uri = uri.resolve().relative_to(root.resolve())
        except (ValueError, OSError):
            pass
    return artifact_uri(uri), root is not None and not uri.is_absolute()


def _artifact(path: str, root: Path | None) -> dict:
    uri, relative = _location(path, root)
    return {"uri": uri, "uriBaseId": "%SRCROOT%"} if relative else {"uri": uri}


def _suppression(finding: Finding, path: str, root: Path | None) -> dict:
    by = finding.suppressed_by
    reason = getattr(by, "reason", None)
    suppression = {"kind": "inSource", "status": "accepted",
                   "justification": reason or by.text,
                   "location": {"physicalLocation": {
                       "artifactLocation": _artifact(path, root),
                       "region": {"startLine": by.line + 1}}},
                   "properties": {"comment": by.text, "dialect": by.kind}}
    until = getattr(by, "until", None)
    if until is not None:
        suppression["properties"]["until"] = until.isoformat()
    return suppression


def _result(path: str, finding: Finding, rule_index: dict[str, int], root: Path | None,
            fingerprint: str | None, baseline_state: str | None, baseline_note: str | None) -> dict:
    span = finding.span
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index[finding.rule_id],
        "level": _LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": _artifact(path, root),
            "region": {"startLine": span.start_line + 1, "startColumn": span.start_col + 1,
                       "endLine": span.end_line + 1, "endColumn": span.end_col + 1},
        }}],
        "properties": {"severity": finding.severity.label, "confidence": finding.confidence.label},
    }
    if fingerprint is not None:
        result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    if finding.steps:
        result["codeFlows"] = [_code_flow(path, finding, root)]
    suppressions = []
    if finding.suppressed_by is not None:
        suppressions.append(_suppression(finding, path, root))
    if baseline_note is not None:
        suppressions.append({"kind": "external", "status": "accepted",
                             "justification": baseline_note})
    if suppressions:
        result["suppressions"] = suppressions
    if baseline_state is not None:
        result["baselineState"] = baseline_state
    return result


def _not_analysed(path: str, failure: NotAnalysed, root: Path | None) -> dict:
    location: dict = {"artifactLocation": _artifact(path, root)}
    if failure.start_line is not None:
        location["region"] = {"startLine": failure.start_line + 1,
                              "endLine": (failure.end_line or failure.start_line) + 1}
    return {"level": "error", "message": {"text": f"{failure}; findings there may be missing"},
            "descriptor": {"id": "not-analysed"}, "locations": [{"physicalLocation": location}]}


def _code_flow(path: str, finding: Finding, root: Path | None) -> dict:
    """A taint finding's path, source first, as one thread flow."""
    return {"threadFlows": [{"locations": [
        {"location": {"physicalLocation": {
            "artifactLocation": _artifact(s.path or path, root),
            "region": {"startLine": s.span.start_line + 1, "startColumn": s.span.start_col + 1,
                       "endLine": s.span.end_line + 1, "endColumn": s.span.end_col + 1}},
            "message": {"text": s.message}},
         "nestingLevel": 0, "executionOrder": index}
        for index, s in enumerate(finding.steps, 1)]}]}


def file_fingerprints(files: Sequence[FileResult]) -> dict[tuple[str, Finding], str]:
    """Fingerprints of every reported and suppressed finding, file by file (the text is read
    again, only for files with findings; an unreadable file gets none)."""
    from bastion.files import UnreadableSource, read_source

    out: dict[tuple[str, Finding], str] = {}
    for file in files:
        every = (*file.analysis.findings, *file.analysis.suppressed)
        if not every:
            continue
        try:
            text = read_source(file.path).text
        except UnreadableSource:
            continue
        for finding, value in fingerprints(every, text).items():
            out[(file.path, finding)] = value
    return out


def _taxonomy(cwe_names: dict[int, str]) -> tuple[dict, dict[int, int]]:
    ids = sorted(cwe_names)
    taxa = []
    for cwe in ids:
        taxon: dict = {"id": _taxon_id(cwe), "helpUri": cwe_url(cwe)}
        if cwe_names[cwe]:
            taxon["name"] = cwe_names[cwe]
            taxon["shortDescription"] = {"text": cwe_names[cwe]}
        taxa.append(taxon)
    component = {
        "name": CWE_TAXONOMY, "organization": "MITRE",
        "informationUri": "https://cwe.mitre.org/",
        "shortDescription": {"text": "The MITRE Common Weakness Enumeration"},
        "isComprehensive": False, "taxa": taxa,
    }
    return component, {cwe: i for i, cwe in enumerate(ids)}


def sarif_document(results: CheckResults, catalog, root: Path | None = None, **extra) -> dict:
    doc, made = _document(results, catalog, root, **extra)
    doc["runs"][0]["results"] = list(made)
    return doc


def _document(results: CheckResults, catalog, root: Path | None = None, *,
              fingerprints: Fingerprints | None = None,
              baselined: Sequence[tuple[FileResult, Finding]] | None = None,
              baseline_file: str | None = None) -> tuple[dict, Iterator[dict]]:
    """The document without its results (a placeholder), and the results as they are made.
    `fingerprints` default to those of `results` (pass them when results were narrowed after
    analysis, so occurrence numbers still count every finding); `baselined` (known findings,
    not in `results`) turns on `baselineState`."""
    if fingerprints is None:
        fingerprints = file_fingerprints(results.files)
    reported = [(f, x, None) for f, x in results.findings() + results.suppressed()]
    note = f"listed in the baseline {baseline_file}" if baseline_file else "listed in the baseline"
    known = [(f, x, note) for f, x in (baselined or ())]
    everything = reported + known
    samples: dict[str, Finding] = {}
    for _, finding, _ in everything:
        samples.setdefault(finding.rule_id, finding)
    rule_ids = sorted(samples)
    rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    cwe_names: dict[int, str] = {}
    rules = [_rule(r, samples[r].name, samples[r], catalog, cwe_names) for r in rule_ids]
    driver: dict = {"name": "Bastion", "version": __version__, "semanticVersion": __version__,
                    "informationUri": "https://github.com/bastion-lsp/bastion", "rules": rules}
    run: dict = {"tool": {"driver": driver}}
    if cwe_names:
        taxonomy, taxon_index = _taxonomy(cwe_names)
        driver["supportedTaxonomies"] = [{"name": CWE_TAXONOMY, "index": 0}]
        for rule in rules:
            # the rule's CWE, then the broader ones it is a kind of
            cwes = [int(t.rsplit("-", 1)[1]) for t in rule["properties"]["tags"]
                    if t.startswith("external/cwe/cwe-")]
            if cwes:
                rule["relationships"] = [{
                    "target": {"id": _taxon_id(cwe), "index": taxon_index[cwe],
                               "toolComponent": {"name": CWE_TAXONOMY, "index": 0}},
                    "kinds": ["subset" if n else "relevant"]} for n, cwe in enumerate(cwes)]
        run["taxonomies"] = [taxonomy]
    with_state = baselined is not None
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = None  # its place among the keys
    made = (_result(f.path, x, rule_index, root, fingerprints.get((f.path, x)),
                    ("unchanged" if note_ else "new") if with_state else None, note_)
            for f, x, note_ in everything)
    failures = results.not_analysed()
    run["invocations"] = [{"executionSuccessful": not results.errors and not failures,
                           "toolExecutionNotifications": [
                               {"level": "error", "message": {"text": m},
                                "locations": [{"physicalLocation": {
                                    "artifactLocation": {"uri": artifact_uri(p)}}}]}
                               for p, m in results.errors]
                           + [_not_analysed(f.path, e, root) for f, e in failures]}]
    if root is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, made


def write_sarif(results: CheckResults, out: TextIO, catalog, root: Path | None = None,
                **extra) -> None:
    """The text `dump_report` writes for `sarif_document`, each result encoded as it is made
    (`write_report`)."""
    doc, made = _document(results, catalog, root, **extra)
    write_report(doc, out, [(doc["runs"][0], "results", made)])
