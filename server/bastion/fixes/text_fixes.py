"""Fix-all for documents that are not Python (`bastion check --fix/--diff` on requirements files
and pyproject.toml): the quick fixes the text analyzers offer in the editor (the dependency
bumps), applied as code fixes are: only those of the chosen safeties (a bump is *review*: a newer
release can change behaviour), one per line per round, each round checked by analysing the new
text again. Lock files get advice, not edits, so nothing is applied to them. Holds no state.
"""

from __future__ import annotations

import attrs

from bastion.analyzers.text_base import TextFix
from bastion.config import Config
from bastion.fixes.base import REVIEW
from bastion.fixes.planner import FixAllResult
from bastion.model import Finding

# What to check before accepting a review text fix, by rule (said as code fixes say it).
_CHECKS = {
    "BST401": "that the project works with the new version: run its tests, re-lock if a lock "
              "file pins the package",
    "BST402": "that the project works with the raised lower bound: run its tests, re-lock if a "
              "lock file pins the package",
}


@attrs.frozen
class AppliedTextFix:
    """A text fix as fix-all reports it (`planner.describe` reads `title` and `note`)."""

    rule_id: str
    title: str  # "Fix BST401: Upgrade requests to 2.31.0, ... (review: check ...)"
    safety: str
    finding: Finding = attrs.field(eq=False)
    note: str = ""


def fix_all_text(engine, text: str, path: str, config: Config, safeties: frozenset[str],
                 max_rounds: int = 10) -> FixAllResult:
    result = FixAllResult(text)
    analysis = engine.analyse(text, path, config)
    for _round in range(max_rounds):
        chosen: list[tuple[Finding, TextFix]] = []
        taken: set[int] = set()
        for finding in analysis.findings:
            for fix in engine.text_fixes(text, path, finding):
                lines = {line for edit in fix.edits
                         for line in range(edit.span.start_line, edit.span.end_line + 1)}
                if fix.safety in safeties and fix.edits and not lines & taken:
                    chosen.append((finding, fix))
                    taken |= lines
                    break
        if not chosen:
            break
        new_text = _apply(text, [edit for _finding, fix in chosen for edit in fix.edits])
        after = engine.analyse(new_text, path, config)
        applied = [_applied(finding, fix) for finding, fix in chosen]
        problem = _problem(analysis.findings, after.findings, [f for f, _fix in chosen])
        if problem is not None:
            result.rejected.extend((fix, problem) for fix in applied)
            break
        result.rounds += 1
        result.applied.extend(applied)
        text, analysis = new_text, after
    result.text = text
    return result


def _applied(finding: Finding, fix: TextFix) -> AppliedTextFix:
    if fix.safety == REVIEW:
        check = _CHECKS.get(finding.rule_id, "what the change does")
        return AppliedTextFix(finding.rule_id, f"Fix {finding.rule_id}: {fix.title} (review: "
                              f"check {check})", fix.safety, finding)
    return AppliedTextFix(finding.rule_id, f"Fix {finding.rule_id}: {fix.title} ({fix.safety})",
                          fix.safety, finding)


def _problem(before: tuple[Finding, ...], after: tuple[Finding, ...],
             fixed: list[Finding]) -> str | None:
    """Why the round's new text is refused: a fixed finding is still there, or a finding
    appeared that the old text did not have (the fixes move no line: spans compare as they are)."""
    remaining = {(f.rule_id, f.span.start_line) for f in after}
    still = [f for f in fixed if (f.rule_id, f.span.start_line) in remaining]
    if still:
        return f"{still[0].rule_id} is still reported on line {still[0].span.start_line + 1}"
    known = {(f.rule_id, f.span.start_line) for f in before}
    new = [f for f in after if (f.rule_id, f.span.start_line) not in known]
    if new:
        return f"the fixed text has a new {new[0].rule_id} on line {new[0].span.start_line + 1}"
    return None


def _apply(text: str, edits) -> str:
    """`text` with non-overlapping single-line edits applied (right to left on each line)."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.span.start_line, e.span.start_col), reverse=True):
        span = edit.span
        lines[span.start_line:span.end_line + 1] = [
            lines[span.start_line][:span.start_col] + edit.new_text
            + lines[span.end_line][span.end_col:]]
    return "\n".join(lines)
