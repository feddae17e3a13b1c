"""Which suppression comment silences a finding, and, for a configuration, which stay silenced.

`matching_clauses` applies the comments `suppress.py` reads: bastion's on the finding's line or
the first of its statement, bandit's union of the nosec ids on the line and the statement's
first, ruff's noqa on the finding's line only.

`govern` decides, for a configuration, which findings stay silenced and which governance hints
(unused, blanket, expired, missing-reason, unsuppressible, unknown-id, malformed) to report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

import attrs

from bastion import attrs_classes
from bastion.model import Finding, Suppression

if TYPE_CHECKING:
    # annotations only: a check served from the cache reads no suppression comment
    from bastion.engine.suppress import Clause, Directive

HINT_KINDS = ("unused", "blanket", "expired", "missing-reason", "unsuppressible", "unknown-id",
              "malformed")


@attrs_classes.frozen
class SuppressionHint:
    """Something to say about a suppression comment (reported as a hint, never as a finding)."""

    line: int  # 0-based line of the comment
    start_col: int | None  # code points; None when the comment's column is not known
    end_col: int | None
    kind: str  # one of HINT_KINDS
    message: str
    comment: str = attrs.field(default="", eq=False)  # the comment, to place a hint without columns
    offsets: tuple[int, int] = attrs.field(default=(0, 0), eq=False)  # the clause in `comment`

    def columns(self, line_text: str | None = None) -> tuple[int, int]:
        """Start and end columns; without known columns, found from the line's text."""
        if self.start_col is not None and self.end_col is not None:
            return self.start_col, self.end_col
        if line_text is not None and self.comment:
            at = line_text.rfind(self.comment)
            if at >= 0:
                return at + self.offsets[0], at + self.offsets[1]
        if line_text is not None:
            body = line_text.rstrip()
            return len(body) - len(body.lstrip()), len(body)
        return 0, 0


def format_hint(hint: SuppressionHint, path: str | None = None) -> str:
    """One line for text output: `path:line:col: hint[kind] message` (1-based, as compilers do)."""
    where = str(hint.line + 1) + ("" if hint.start_col is None else f":{hint.start_col + 1}")
    return f"{path + ':' if path else ''}{where}: hint[{hint.kind}] {hint.message}"
# ---- which comment silences a finding -------------------------------------------------------


def _first_in_statement(finding: Finding, directives: Mapping[int, Directive], kind: str):
    for n in finding.lines:
        directive = directives.get(n)
        if directive is not None:
            clause = directive.clause(kind)
            if clause is not None:
                return directive, clause
    return None


def _on_line(finding: Finding, directives: Mapping[int, Directive], kind: str):
    directive = directives.get(finding.span.start_line)
    clause = directive.clause(kind) if directive is not None else None
    return (directive, clause) if clause is not None else None


def matching_clauses(finding: Finding,
                     directives: Mapping[int, Directive]) -> list[tuple[Directive, Clause]]:
    """Every clause that would silence `finding`, governance aside; bastion, nosec, noqa order."""
    found: list[tuple[Directive, Clause]] = []
    if finding.span.start_line not in directives and not any(
            n in directives for n in finding.lines):
        return found
    # bastion: the finding's line, else the first bastion comment of the statement.
    for candidate in (_on_line(finding, directives, "bastion"),
                      _first_in_statement(finding, directives, "bastion")):
        if candidate is not None and candidate[1].names(finding.rule_id):
            if all(candidate[0] is not d for d, _ in found):
                found.append(candidate)
            break
    # nosec: bandit unions the ids of the comment on the line and of the statement's first.
    on_line = _on_line(finding, directives, "nosec")
    in_statement = _first_in_statement(finding, directives, "nosec")
    if on_line is not None or in_statement is not None:
        parts = [p for p in (on_line, in_statement) if p is not None]
        ids = frozenset().union(*(c.ids for _, c in parts))
        if not ids or finding.rule_id in ids:
            for directive, clause in parts:
                named = not ids or finding.rule_id in clause.ids
                if named and all(directive is not d or c is not clause for d, c in found):
                    found.append((directive, clause))
    # ruff's noqa: the finding's own line only.
    noqa = _on_line(finding, directives, "noqa")
    if noqa is not None and noqa[1].names(finding.rule_id):
        found.append(noqa)
    return found


def _suppression(directive: Directive, clause: Clause) -> Suppression:
    return Suppression(clause.kind, directive.line, directive.text, clause.reason, clause.until)


def suppression_for(finding: Finding, directives: Mapping[int, Directive]) -> Suppression | None:
    """The comment that silences `finding`, if any, without governance (bandit's exact rule
    for nosec). When several do, bastion's comment wins, then nosec (the finding's line first)."""
    found = matching_clauses(finding, directives)
    return _suppression(*found[0]) if found else None


# ---- governance -----------------------------------------------------------------------------


@attrs_classes.frozen
class Governed:
    reported: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    hints: tuple[SuppressionHint, ...]


def _blocked(clause: Clause, require_reason: Iterable[str], today: date) -> tuple[str, str] | None:
    """Why a clause silences nothing: (hint kind, note for the finding's message)."""
    if clause.problem is not None:
        return "malformed", "suppression ignored: malformed comment"
    if clause.until is not None and clause.until < today:
        return "expired", f"suppression expired {clause.until.isoformat()}"
    if clause.kind in require_reason and not clause.reason:
        return "missing-reason", "suppression ignored: no reason given"
    return None


def _label(clause: Clause) -> str:
    return {"nosec": "`# nosec`", "noqa": "`# noqa`", "bastion": "`# bastion: ignore`"}[clause.kind]


def _rules(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids))


def _unsuppressible(rule_id: str, prefixes: Iterable[str]) -> bool:
    return any(rule_id.startswith(p) for p in prefixes)


def govern(findings: Iterable[Finding], directives: Mapping[int, Directive],
           reports: Callable[[Finding], bool], *, require_reason: Iterable[str] = (),
           unsuppressible: Iterable[str] = (), today: date | None = None,
           broken: Iterable[tuple[int, int]] = ()) -> Governed:
    """Split `findings` (those `reports` accepts) into reported and silenced, with the hints.

    A comment is "used" when it would silence any finding the analyzers produced, even one the
    configuration does not report (its thresholds may differ in CI), or one it may not silence.
    Comments in `broken` line ranges (code being typed, not analysed) are never called unused.
    """
    broken = tuple(broken)
    today = today or date.today()
    require_reason = frozenset(require_reason)
    unsuppressible = tuple(unsuppressible)
    reported: list[Finding] = []
    suppressed: list[Finding] = []
    matched: dict[tuple[int, str], set[str]] = {}  # (line, kind) -> rule ids it would silence
    silenced: dict[tuple[int, str], set[str]] = {}
    blocked: dict[tuple[int, str], tuple[str, str]] = {}
    refused: dict[tuple[int, str], set[str]] = {}  # unsuppressible rules it tried to silence

    def key(directive: Directive, clause: Clause) -> tuple[int, str]:
        return directive.line, clause.kind  # one clause of a kind per comment

    for finding in findings:
        found = matching_clauses(finding, directives) if directives else []
        for directive, clause in found:
            matched.setdefault(key(directive, clause), set()).add(finding.rule_id)
        if not reports(finding):
            continue
        if not found:
            reported.append(finding)
            continue
        if _unsuppressible(finding.rule_id, unsuppressible):
            for directive, clause in found:
                refused.setdefault(key(directive, clause), set()).add(finding.rule_id)
            reported.append(attrs.evolve(finding, message=(
                f"{finding.message} ({finding.rule_id} cannot be suppressed: "
                "it is unsuppressible in the configuration)")))
            continue
        effective = []
        notes = []
        for directive, clause in found:
            why = _blocked(clause, require_reason, today)
            if why is None:
                effective.append((directive, clause))
            else:
                blocked[key(directive, clause)] = why
                notes.append(why[1])
        if effective:
            for directive, clause in effective:
                silenced.setdefault(key(directive, clause), set()).add(finding.rule_id)
            suppressed.append(attrs.evolve(finding, suppressed_by=_suppression(*effective[0])))
        else:
            reported.append(attrs.evolve(finding, message=f"{finding.message} ({notes[0]})"))

    hints: list[SuppressionHint] = []
    for line in sorted(directives):
        directive = directives[line]
        for clause in directive.clauses:
            k = (line, clause.kind)
            for kind, message in _clause_hints(clause, matched.get(k), silenced.get(k),
                                               blocked.get(k), refused.get(k), line, broken):
                col = directive.col
                hints.append(SuppressionHint(
                    line, None if col is None else col + clause.start,
                    None if col is None else col + clause.end, kind, message, directive.text,
                    (clause.start, clause.end)))
    return Governed(tuple(reported), tuple(suppressed), tuple(hints))


def _clause_hints(clause: Clause, matched: set[str] | None, silenced: set[str] | None,
                  blocked: tuple[str, str] | None, refused: set[str] | None, line: int,
                  broken: tuple[tuple[int, int], ...]) -> list[tuple[str, str]]:
    """(kind, message) of each hint about one clause."""
    label = _label(clause)
    out: list[tuple[str, str]] = []
    if clause.unknown:
        what = "flake8-bandit codes or Bastion rule ids" if clause.kind == "noqa" \
            else "rule ids or names"
        out.append(("unknown-id", f"{label}: unknown {what}: {', '.join(clause.unknown)}"))
    if matched is None:
        if any(first <= line <= last for first, last in broken):
            return out
        if clause.ids:
            out.append(("unused", f"unused suppression: {label} silences nothing here "
                                  f"({_rules(clause.ids)} not reported)"))
        elif clause.blanket and clause.kind != "noqa":
            # A bare noqa may well serve other linters: only Bastion's own are judged.
            out.append(("unused", f"unused suppression: {label} silences nothing here"))
        return out
    idle = clause.ids - matched
    if idle:
        out.append(("unused", f"unused in {label}: {_rules(idle)} "
                              f"{'is' if len(idle) == 1 else 'are'} not reported here"))
    if refused:
        out.append(("unsuppressible", f"{label} cannot silence {_rules(refused)}: "
                                      "unsuppressible in the configuration"))
    if blocked is not None:
        kind = blocked[0]
        if kind == "malformed":
            out.append((kind, f"{label} silences nothing: {clause.problem}"))
        elif kind == "expired":
            out.append((kind, f"expired suppression: {label} ran out on "
                              f"{clause.until.isoformat()}; its findings are reported again"))
        else:
            how = 'add reason="..."' if clause.kind == "bastion" else "add `# <why>` after it"
            out.append((kind, f"{label} silences nothing without a reason (require_reason is "
                              f"on): {how}"))
    if clause.blanket and silenced:
        out.append(("blanket", f"blanket {label} silences every rule; name the rules it is "
                               f"for: {_rules(silenced)}"))
    return out
