"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

    ::error file=app/web.py,line=15,col=11,endLine=15,endColumn=83,title=B602::subprocess call...

high severity is an `error`, medium a `warning`, low a `notice`. Values are escaped as the
Actions toolkit does (`%`, CR, LF everywhere; `:` and `,` in properties too), so a message can
never end the command early or inject another one; scanned text (paths, messages, errors) has
its other control characters escaped too (bastion.report.escape), so that none reaches the log
viewer as an ESC sequence. Only the summary line, which holds no scanned text, is not a command.
"""

from __future__ import annotations

import os
from typing import TextIO

from bastion.model import Level
from bastion.report.escape import escape_control
from bastion.report.results import CheckResults

_COMMANDS = {Level.HIGH: "error", Level.MEDIUM: "warning", Level.LOW: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(command: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


def _path(path: str) -> str:
    return escape_control(path.replace(os.sep, "/"))


def write_github(results: CheckResults, out: TextIO, hints: dict[str, str] | None = None) -> None:
    hints = hints or {}
    for file, finding in results.findings():
        span = finding.span
        message = (f"{escape_control(finding.message)} [severity {finding.severity.label}, "
                   f"confidence {finding.confidence.label}]")
        hint = hints.get(finding.rule_id)
        if hint:
            message += f"\nFix: {escape_control(hint)}\nLearn more: bastion explain {finding.rule_id}"
        out.write(annotation(_COMMANDS.get(finding.severity, "warning"), message,
                             file=_path(file.path), line=span.start_line + 1,
                             col=span.start_col + 1, endLine=span.end_line + 1,
                             endColumn=span.end_col + 1, title=finding.rule_id) + "\n")
    for path, message in results.errors:
        out.write(annotation("warning", escape_control(message), file=_path(path),
                             title="bastion") + "\n")
    for file, failure in results.not_analysed():
        lines = {} if failure.start_line is None else {
            "line": failure.start_line + 1, "endLine": (failure.end_line or failure.start_line) + 1}
        out.write(annotation("error", escape_control(f"{failure}; findings there may be missing"),
                             file=_path(file.path), **lines, title="bastion: not analysed") + "\n")
    counts = results.by_severity()
    total = sum(counts.values())
    suppressed = len(results.suppressed())
    incomplete = results.incomplete_files()
    out.write(f"Bastion: {total} issue{'s' if total != 1 else ''} "
              f"({counts['high']} high, {counts['medium']} medium, {counts['low']} low) "
              f"in {len(results.files)} files; {suppressed} suppressed"
              + (f"; {incomplete} file(s) NOT fully analysed" if incomplete else "") + ".\n")
