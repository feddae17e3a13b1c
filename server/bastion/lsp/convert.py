"""The one place where engine results become LSP types."""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from bastion.config import Config
from bastion.engine.engine import Analysis
from bastion.engine.suppress import SuppressionHint
from bastion.lsp.documents import Document
from bastion.model import Finding, Span

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
SOURCE = "bastion"


def cwe_url(cwe: int | None) -> str | None:
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html" if cwe else None


def to_range(span: Span, doc: Document, codec: PositionCodec) -> types.Range:
    return types.Range(start=doc.to_client(span.start_line, span.start_col, codec),
                       end=doc.to_client(span.end_line, span.end_col, codec))


def to_diagnostic(finding: Finding, doc: Document, codec: PositionCodec, config: Config,
                  version: int) -> types.Diagnostic:
    href = cwe_url(finding.cwe)
    return types.Diagnostic(
        range=to_range(finding.span, doc, codec),
        message=finding.message,
        severity=_SEVERITY[config.lsp_severity(finding)],
        code=finding.rule_id,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        data={"rule": finding.rule_id, "name": finding.name, "cwe": finding.cwe,
              "severity": finding.severity.label, "confidence": finding.confidence.label,
              "version": version},
    )


def not_analysed_diagnostic(message: str, version: int) -> types.Diagnostic:
    """The one diagnostic of a document that was not analysed: at its start, never a clean
    result."""
    return types.Diagnostic(
        range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
        message=message, severity=types.DiagnosticSeverity.Warning, code="not-analysed",
        source=SOURCE, data={"notAnalysed": True, "version": version})


# ---- suppression hints ------------------------------------------------------------------------

# Diagnostic codes of suppression hints, by hint kind.
HINT_CODES = {
    "unused": "unused-suppression",
    "blanket": "blanket-suppression",
    "expired": "expired-suppression",
    "missing-reason": "suppression-without-reason",
    "unsuppressible": "unsuppressible-rule",
    "unknown-id": "unknown-rule-id",
    "malformed": "malformed-suppression",
}


def hint_to_diagnostic(hint: SuppressionHint, doc: Document, codec: PositionCodec,
                       version: int) -> types.Diagnostic:
    """A suppression hint as a Hint-severity diagnostic on the comment (Unnecessary if unused)."""
    start, end = hint.columns(doc.line(hint.line))
    return types.Diagnostic(
        range=types.Range(start=doc.to_client(hint.line, start, codec),
                          end=doc.to_client(hint.line, end, codec)),
        message=hint.message,
        severity=types.DiagnosticSeverity.Hint,
        code=HINT_CODES.get(hint.kind, "suppression"),
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if hint.kind == "unused" else None,
        data={"suppression": hint.kind, "version": version},
    )


def to_diagnostics(analysis: Analysis, doc: Document, codec: PositionCodec, config: Config,
                   version: int) -> tuple[types.Diagnostic, ...]:
    """Every diagnostic of an analysis: its findings first, in order (code actions pair
    `analysis.findings` with the leading diagnostics), then its suppression hints."""
    return (*(to_diagnostic(f, doc, codec, config, version) for f in analysis.findings),
            *(hint_to_diagnostic(h, doc, codec, version) for h in analysis.hints))


def baselined_diagnostic(finding: Finding, doc: Document, codec: PositionCodec, config: Config,
                         version: int) -> types.Diagnostic:
    """A finding listed in the project's baseline (`baseline_mode = "hint"`): a Hint, marked."""
    diagnostic = to_diagnostic(finding, doc, codec, config, version)
    diagnostic.severity = types.DiagnosticSeverity.Hint
    diagnostic.message = f"{finding.message} (known: in the baseline)"
    diagnostic.data = {**diagnostic.data, "baselined": True}
    return diagnostic
