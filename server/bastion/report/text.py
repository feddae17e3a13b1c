"""Human output: `path:line:col: RULE severity/confidence message`, a hint, and a summary.

A rule's hint follows its first finding only: repeated under each of 25 findings it buries them.

Everything that comes from the scanned files (paths, messages, comments in hints, errors) is
printed with its control characters escaped (bastion.report.escape): a terminal or a CI log must
not read a string literal as an ESC sequence or a `::error` workflow command.
"""

from __future__ import annotations

from typing import TextIO

from bastion.engine.suppress_govern import format_hint
from bastion.report.escape import escape_control
from bastion.report.results import CheckResults

_COLOURS = {"high": "\033[1;31m", "medium": "\033[33m", "low": "\033[36m"}
_DIM, _BOLD, _RESET = "\033[2m", "\033[1m", "\033[0m"


def write_text(results: CheckResults, out: TextIO, hints: dict[str, str], colour: bool,
               summary: bool = True) -> None:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    hinted: set[str] = set()
    for file, finding in results.findings():
        span = finding.span
        where = f"{escape_control(file.path)}:{span.start_line + 1}:{span.start_col + 1}:"
        level = f"{finding.severity.label}/{finding.confidence.label}"
        rule = escape_control(finding.rule_id)
        out.write(f"{paint(_BOLD, where)} {paint(_COLOURS[finding.severity.label], rule)} "
                  f"{level} {escape_control(finding.message)}\n")
        hint = hints.get(finding.rule_id)
        if hint and finding.rule_id not in hinted:
            hinted.add(finding.rule_id)
            out.write(paint(_DIM, f"    hint: {escape_control(hint)}  (bastion explain {rule})")
                      + "\n")
    for file in results.files:
        for hint in file.analysis.hints:
            out.write(paint(_DIM, escape_control(format_hint(hint, file.path))) + "\n")
    _write_errors(results, out, paint)
    if summary:
        _write_summary(results, out, paint)


def _write_errors(results: CheckResults, out: TextIO, paint) -> None:
    for path, message in results.errors:
        out.write(f"{escape_control(path)}: error: {escape_control(message)}\n")
    for file, failure in results.not_analysed():
        line = "" if failure.start_line is None else f"{failure.start_line + 1}:"
        where = f"{escape_control(file.path)}:{line}"
        out.write(f"{paint(_BOLD, where)} error: {escape_control(str(failure))}\n")


def _write_summary(results: CheckResults, out: TextIO, paint) -> None:
    counts = results.by_severity()
    total = sum(counts.values())
    suppressed = len(results.suppressed())
    files_with = len({f.path for f, _ in results.findings()})
    summary = (f"Found {total} issue{'s' if total != 1 else ''} "
               f"({counts['high']} high, {counts['medium']} medium, {counts['low']} low) "
               f"in {files_with} of {len(results.files)} files; {suppressed} suppressed; "
               f"{results.scanned_lines} lines in {results.seconds:.2f}s.")
    if results.errors:  # one file may have several (each region that does not parse)
        summary += f" {len({path for path, _ in results.errors})} file(s) could not be analysed."
    incomplete = results.incomplete_files()
    if incomplete:
        summary += (f" {incomplete} file(s) NOT fully analysed: findings there may be missing"
                    " (see the errors above).")
    out.write(("\n" if total or results.errors or incomplete else "") + paint(_BOLD, summary) + "\n")


def write_statistics(results: CheckResults, out: TextIO) -> None:
    """`--statistics`, as ruff prints it: count, rule id, name, most frequent first; then the files
    that could not be analysed (a partial count is never presented as complete)."""
    counts: dict[tuple[str, str], int] = {}
    for _, finding in results.findings():
        key = (finding.rule_id, finding.name)
        counts[key] = counts.get(key, 0) + 1
    rows = sorted(counts.items(), key=lambda row: (-row[1], row[0]))
    count_width = max((len(str(n)) for _, n in rows), default=1)
    id_width = max((len(rule) for (rule, _), _ in rows), default=1)
    for (rule, name), n in rows:
        out.write(f"{n:>{count_width}}\t{escape_control(rule):<{id_width}}\t"
                  f"{escape_control(name)}\n")
    _write_errors(results, out, lambda _code, text: text)
