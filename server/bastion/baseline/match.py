"""Matching one file's findings against a baseline's entries by path, rule and fingerprint."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from bastion.baseline.fingerprint import fingerprints, legacy_fingerprints
from bastion.baseline.store import Baseline, Entry
from bastion.model import Finding
from bastion.model.redact import SECRET_RULES


def entries_for(rel: str, findings: Iterable[Finding],
                prints: Mapping[Finding, str]) -> list[Entry]:
    return [Entry(rel, f.rule_id, prints[f], f.span.start_line + 1, f.message) for f in findings]


def apply_baseline(findings: Sequence[Finding], path: str | os.PathLike,
                   baseline: Baseline | None, text: str | Sequence[str] | None = None,
                   suppressed: Sequence[Finding] = (),
                   ) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """Split one file's reported `findings` into (new, baselined). Pure apart from reading
    nothing: `text` is the file's current text (or lines), needed for the fingerprints;
    `suppressed` are the file's suppressed findings, which take part in occurrence numbering.
    """
    findings = tuple(findings)
    if baseline is None or not findings or text is None:
        return findings, ()
    rel = baseline.relative(path)
    if rel is None or not baseline.has_path(rel):
        return findings, ()
    prints = fingerprints((*findings, *suppressed), text)
    return split_known(findings, rel, baseline, prints, legacy_prints(findings, suppressed, text))


def legacy_prints(findings: Sequence[Finding], suppressed: Sequence[Finding],
                  text: str | Sequence[str] | None) -> dict[Finding, str]:
    """Old-form fingerprints of the secret findings, for baselines written before they were
    redacted (computed, never written)."""
    if text is None or not any(f.rule_id in SECRET_RULES for f in findings):
        return {}
    return legacy_fingerprints((*findings, *suppressed), text)


def split_known(findings: Sequence[Finding], rel: str, baseline: Baseline,
                prints: Mapping[Finding, str], legacy: Mapping[Finding, str] | None = None,
                ) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    budget = Counter()
    new: list[Finding] = []
    known: list[Finding] = []
    for finding in findings:
        for print_ in (prints[finding], (legacy or {}).get(finding)):
            key = (rel, finding.rule_id, print_)
            if print_ and budget[key] < baseline.count(*key):
                budget[key] += 1
                known.append(finding)
                break
        else:
            new.append(finding)
    return tuple(new), tuple(known)
