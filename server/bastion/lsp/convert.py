"""The one place where engine results become LSP types."""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from bastion.config import Config
from bastion.engine.engine import Analysis
from bastion.engine.suppress_govern import SuppressionHint
from bastion.limits import MAX_FINDINGS_PER_FILE
from bastion.lsp.documents import Document
from bastion.model import Finding, FlowStep, NotAnalysed, Span
from bastion.model.text import visible

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
SOURCE = "bastion"
NOT_ANALYSED = "not-analysed"
FINDINGS_NOT_SHOWN = "findings-not-shown"


def cwe_url(cwe: int | None) -> str | None:
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html" if cwe else None


def to_range(span: Span, doc: Document, codec: PositionCodec) -> types.Range:
    return types.Range(start=doc.to_client(span.start_line, span.start_col, codec),
                       end=doc.to_client(span.end_line, span.end_col, codec))


# Code of a path step is cut here: a minified line must not fill the hover or the panel.
PATH_CODE_CHARS = 120
# What could start inline markup in a note, or a GFM autolink (its `://`).
_PUNCTUATION = re.compile(r"([\\`*_\[\]<>!&~|#]|:(?=//))")


def flow_path(finding: Finding, doc: Document) -> list[dict]:
    """A data-flow finding's path on the user's own code, source first: one row per run of steps
    on the same line, with its 1-based line, the line's code and what happens there. A step in
    another file (a workspace module's summary) names that file and shows no code: the open
    document's lines are not its lines."""
    rows: list[dict] = []
    for step in finding.steps:
        line = step.span.start_line
        where = Path(step.path).name if step.path else None
        if rows and rows[-1]["line"] == line + 1 and rows[-1].get("file") == where:
            rows[-1]["notes"].append(step.message)
            continue
        code = doc.line(line).strip() if where is None and 0 <= line < len(doc.lines) else ""
        if len(code) > PATH_CODE_CHARS:
            code = code[:PATH_CODE_CHARS - 1] + "\u2026"
        row = {"line": line + 1, "code": _visible(code), "notes": [step.message]}
        rows.append({**row, "file": _visible(where)} if where else row)
    return rows


def flow_path_markdown(rows: list[dict]) -> str:
    """`flow_path` rows as inert Markdown: user text is escaped or in code spans, never markup."""
    if not rows:
        return ""
    items = [f"- {_where(row)}: " + (f"{code_span(row['code'])} \u2014 " if row["code"] else "")
             + "; ".join(_inline(note) for note in row["notes"]) for row in rows]
    return "**Path in your code**, source to sink:\n\n" + "\n".join(items)


def _where(row: dict) -> str:
    return f"{code_span(row['file'])} line {row['line']}" if "file" in row else f"line {row['line']}"


def code_span(text: str) -> str:
    """`text` as a Markdown code span whatever backticks it holds (CommonMark's fence rule)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _inline(note: str) -> str:
    # Engine notes quote names in backticks; everything else in them is shown as plain text.
    parts = note.replace("\n", " ").split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code span at all
        return _PUNCTUATION.sub(r"\\\1", note)
    return "".join(code_span(part) if i % 2 else _PUNCTUATION.sub(r"\\\1", part)
                   for i, part in enumerate(parts))


def _visible(code: str) -> str:
    # Control and format characters (bidi overrides among them) could make the shown code read
    # differently from the file: show them as escapes.
    return visible(code.replace("\t", " "))


def to_diagnostic(finding: Finding, doc: Document, codec: PositionCodec, config: Config,
                  version: int) -> types.Diagnostic:
    href = cwe_url(finding.cwe)
    data = {"rule": finding.rule_id, "name": finding.name, "cwe": finding.cwe,
            "severity": finding.severity.label, "confidence": finding.confidence.label}
    if finding.steps:
        data["steps"] = [{"line": s.span.start_line, "message": s.message,
                          **({"uri": _file_uri(s.path)} if s.path else {})} for s in finding.steps]
    data["version"] = version  # last in every diagnostic's data: see lsp/encoded.py
    return types.Diagnostic(
        range=to_range(finding.span, doc, codec),
        message=finding.message,
        severity=_SEVERITY[config.lsp_severity(finding)],
        code=finding.rule_id,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        related_information=_related_steps(finding, doc, codec) or None,
        data=data,
    )


# The entries of a path in `relatedInformation`. VS Code lists them in the hover, 27 px a row (one
# row each when the message is short), under a 250 px cap; the title and the fix take 124-143 px
# (e2e, 1500 px window): three rows fit, four are at the cap for a command injection, a path over
# seven lines took 313 px and scrolled. So a longer path is its source step, one entry for the
# steps between and its sink step, each short enough for one row (the source line's own notes
# wrapped in an editor beside the lesson panel).
RELATED_ENTRIES = 3
MERGED_CHARS = 48


def _related_steps(finding: Finding, doc: Document,
                   codec: PositionCodec) -> list[types.DiagnosticRelatedInformation]:
    """The finding's steps, source first, one entry per run of steps on the same line (numbered
    as the steps are). A path over more than `RELATED_ENTRIES` lines is three entries: the source
    step, one entry that says which steps on which lines lie between, and the sink step. The
    lesson panel and the other editors' hover (`flow_path`) show every step."""
    steps = finding.steps
    runs: list[list[FlowStep]] = []
    for step in steps:
        if runs and runs[-1][-1].path == step.path \
                and runs[-1][-1].span.start_line == step.span.start_line:
            runs[-1].append(step)
        else:
            runs.append([step])
    if len(runs) > RELATED_ENTRIES:
        return [_entry([steps[0]], 1, doc, codec),
                types.DiagnosticRelatedInformation(location=_step_location(steps[1], doc, codec),
                                                   message=_merged_message(steps[1:-1], 2)),
                _entry([steps[-1]], len(steps), doc, codec)]
    related, number = [], 1
    for run in runs:
        related.append(_entry(run, number, doc, codec))
        number += len(run)
    return related


def _entry(run: list[FlowStep], number: int, doc: Document,
           codec: PositionCodec) -> types.DiagnosticRelatedInformation:
    """Steps of one line as one entry, numbered from `number`, spanning them all."""
    first = _step_location(min(run, key=lambda s: s.span.start_col), doc, codec)
    last = _step_location(max(run, key=lambda s: (s.span.end_line, s.span.end_col)), doc, codec)
    return types.DiagnosticRelatedInformation(
        location=types.Location(uri=first.uri, range=types.Range(start=first.range.start,
                                                                 end=last.range.end)),
        message="; ".join(f"{number + i}. {step.message}" for i, step in enumerate(run)))


def _merged_message(steps: tuple[FlowStep, ...], first: int) -> str:
    """`steps 2–7 on lines 12–30: <first note, cut> …`, lines 1-based as the editor's."""
    files: dict[str | None, list[int]] = {}
    for step in steps:
        files.setdefault(step.path, []).append(step.span.start_line + 1)
    where = ", ".join((f"{Path(path).name} " if path else "")
                      + (f"line {min(lines)}" if min(lines) == max(lines)
                         else f"lines {min(lines)}\u2013{max(lines)}")
                      for path, lines in files.items())
    head = f"steps {first}\u2013{first + len(steps) - 1} on {where}"
    room = MERGED_CHARS - len(head) - len(":  \u2026")
    if room < 10:  # a note cut shorter says nothing
        return f"{head} \u2026"
    note = steps[0].message if len(steps[0].message) <= room else steps[0].message[:room - 1] + "\u2026"
    return f"{head}: {note} \u2026"


def _step_location(step, doc: Document, codec: PositionCodec) -> types.Location:
    if step.path is None:
        return types.Location(uri=doc.uri, range=to_range(step.span, doc, codec))
    # Another file's step: its columns count code points; UTF-16 needs that file's lines,
    # which the editor's client rarely needs for a related location (ASCII in practice).
    span = step.span
    return types.Location(uri=_file_uri(step.path), range=types.Range(
        start=types.Position(line=span.start_line, character=span.start_col),
        end=types.Position(line=span.end_line, character=span.end_col)))


def _file_uri(path: str) -> str:
    return Path(path).as_uri()


def skipped_diagnostic(message: str, version: int) -> types.Diagnostic:
    """The one diagnostic of a document that was skipped or whose analysis failed as a whole
    (the message says which, as `bastion check` does): at its start, never a clean result."""
    # An error when it was not analysed (findings may be missing), a warning when skipped.
    failed = message.startswith("not analysed")
    return types.Diagnostic(
        range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)), message=message,
        severity=types.DiagnosticSeverity.Error if failed else types.DiagnosticSeverity.Warning,
        code="not-analysed",
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


def shown_findings(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings a document shows as diagnostics: the first `MAX_FINDINGS_PER_FILE`."""
    return findings[:MAX_FINDINGS_PER_FILE]


def trailing_diagnostics(analysis: Analysis, doc: Document, codec: PositionCodec,
                         version: int) -> list[types.Diagnostic]:
    """The diagnostics of an analysis after those of its shown findings: what was not analysed
    or not shown, then its suppression hints."""
    notes = [not_analysed_diagnostic(e, doc, codec, version) for e in analysis.errors]
    hidden = len(analysis.findings) - len(shown_findings(analysis.findings))
    if hidden:
        notes.append(_more_findings(hidden, doc, codec, version))
    return [*notes, *(hint_to_diagnostic(h, doc, codec, version) for h in analysis.hints)]


def not_analysed_diagnostic(failure: NotAnalysed, doc: Document, codec: PositionCodec,
                            version: int) -> types.Diagnostic:
    """An error on what was not analysed (the first line when the whole file was not): a
    finding there may be missing, which must never look like a clean result."""
    start = failure.start_line or 0
    end = start if failure.end_line is None else failure.end_line
    whole = "this file" if failure.start_line is None else failure.where().strip(" ()")
    return types.Diagnostic(
        range=types.Range(start=doc.to_client(start, 0, codec),
                          end=doc.to_client(end, len(doc.line(end)), codec)),
        message=f"Bastion did not analyse {whole}: {failure.reason}. Findings there are not shown.",
        severity=types.DiagnosticSeverity.Error, code=NOT_ANALYSED, source=SOURCE,
        data={"not_analysed": failure.reason, "version": version})


def newer_syntax_diagnostic(start: int, end: int, message: str, doc: Document,
                            codec: PositionCodec, version: int) -> types.Diagnostic:
    """An error on lines that were not analysed because they use a newer Python's syntax than
    the server runs on: `message` names the interpreter to use, as `bastion check` does."""
    return types.Diagnostic(
        range=types.Range(start=doc.to_client(start, 0, codec),
                          end=doc.to_client(end, len(doc.line(end)), codec)),
        message=f"Bastion did not analyse {_lines(start, end)}: {message}.",
        severity=types.DiagnosticSeverity.Error, code=NOT_ANALYSED, source=SOURCE,
        data={"not_analysed": message, "version": version})


def _lines(start: int, end: int) -> str:
    return f"line {start + 1}" if start == end else f"lines {start + 1}-{end + 1}"


def _more_findings(count: int, doc: Document, codec: PositionCodec, version: int) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(start=doc.to_client(0, 0, codec), end=doc.to_client(0, 0, codec)),
        message=f"{count} more finding{'s' if count != 1 else ''} not shown: the editor shows the "
                f"first {MAX_FINDINGS_PER_FILE} of a file (`bastion check` lists them all).",
        severity=types.DiagnosticSeverity.Information, code=FINDINGS_NOT_SHOWN, source=SOURCE,
        data={"not_shown": count, "version": version})


def baselined_diagnostic(finding: Finding, doc: Document, codec: PositionCodec, config: Config,
                         version: int) -> types.Diagnostic:
    """A finding listed in the project's baseline (`baseline_mode = "hint"`): a Hint, marked."""
    diagnostic = to_diagnostic(finding, doc, codec, config, version)
    diagnostic.severity = types.DiagnosticSeverity.Hint
    diagnostic.message = f"{finding.message} (known: in the baseline)"
    data = dict(diagnostic.data)
    data["baselined"] = True
    data["version"] = data.pop("version")  # last, as in every diagnostic's data
    diagnostic.data = data
    return diagnostic


def client_columns(finding: Finding, doc: Document, codec: PositionCodec) -> tuple[int, ...]:
    """The client's columns of the ends of the finding's span and of its steps in this
    document: with the finding and its severity, all that its diagnostic depends on."""
    column, span = doc.client_column, finding.span
    columns = (column(span.start_line, span.start_col, codec), column(span.end_line, span.end_col, codec))
    for step in finding.steps:  # a loop: asked for every finding at every result
        if step.path is None:
            span = step.span
            columns += (column(span.start_line, span.start_col, codec),
                        column(span.end_line, span.end_col, codec))
    return columns
