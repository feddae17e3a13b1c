"""Verify a fix before it is offered: apply it in memory, re-parse and re-analyse with the same
engine and configuration, and accept it only when

- the module still parses;
- the targeted finding is gone;
- no new finding appears (except the recipe's declared successors, never more severe);
- nothing outside the edited statement changed except an added import.

Two modes, which agree (tests/unit/test_fixes_verify.py):

- unit (code actions): re-analyse only the unit that holds the statement, in the import context
  the engine would give it; this costs one unit's analysis even when the engine's per-unit
  caches are cold (a document served from the disk cache). Import lines a fix adds are analysed
  on their own: they bind plain module names (`shlex`, `secrets`, ...) that no check reads from
  the import context, which the tests check for every lesson. A fix that changes the imports of
  its own statement, or a document that does not parse, falls back to:
- document (fix-all, `bastion check --fix`, `full=True`): re-analyse the whole fixed document
  through the engine's per-unit caches and compare every finding.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence

import attrs

from bastion.config import Config
from bastion.engine.engine import RawAnalysis, apply_config
from bastion.engine.units import Unit
from bastion.fixes.edits import Change, apply_changes
from bastion.fixes.model import DocModel
from bastion.model import Finding
from bastion.parsing import parse_code

log = logging.getLogger(__name__)


@attrs.frozen
class Proposal:
    """What verification needs to know about a fix."""

    finding: Finding
    statement: Change  # the rewritten statement lines
    imports: Change | None  # the inserted import lines, if any
    import_facts: tuple = ()  # facts of the inserted imports
    successors: frozenset[str] = frozenset()


class Rejected(Exception):
    pass


def verify(engine, model: DocModel, config: Config, path: str, proposal: Proposal,
           full: bool = False) -> str | None:
    """None when the fix passes every check, else the reason it is rejected."""
    try:
        _check_shape(proposal)
        if full or model.broken:
            _verify_full(engine, model, config, path, proposal)
        else:
            _verify_scoped(engine, model, config, path, proposal)
    except Rejected as exc:
        return str(exc)
    except Exception as exc:  # a verifier that cannot run offers nothing, but never crashes
        log.exception("verifying %s failed", proposal.finding.rule_id)
        return f"verification could not run ({type(exc).__name__})"
    return None


# Imports whose effect unit-scoped verification may take for granted: bound names no check reads
# from the import context (tests/unit/test_fixes_verify.py checks each against every lesson).
# A fix adding any other import is verified against the whole document.
SCOPED_IMPORTS = frozenset({f"import {m}" for m in (
    "shlex", "secrets", "ast", "os", "tempfile", "logging", "subprocess", "hmac",
    "defusedxml.ElementTree", "defusedxml.sax", "defusedxml.minidom", "defusedxml.pulldom",
    "defusedxml.expatbuilder", "defusedxml.expatreader")} | {
    "from django.utils.html import format_html"})
_IMPORT_LINE = re.compile(r"^(import [\w.]+|from [\w.]+ import \w+)?\r?$")


def _check_shape(p: Proposal) -> None:
    """Only the statement's lines change, plus inserted `import x` lines outside it."""
    stmt, imports = p.statement, p.imports
    if stmt.end < stmt.start or not stmt.text.endswith("\n"):
        raise Rejected("the fix does not replace whole lines of one statement")
    if imports is None:
        return
    if imports.end != imports.start - 1 or stmt.start < imports.start <= stmt.end:
        raise Rejected("the import edit is not an insertion outside the statement")
    if not all(_IMPORT_LINE.match(line) for line in imports.new_lines()):
        raise Rejected("the import edit adds something other than imports")


# -- scoped ---------------------------------------------------------------------------------
def _verify_scoped(engine, model: DocModel, config: Config, path: str, p: Proposal) -> None:
    change = p.statement
    index = model.unit_index(change.start)
    if index is None or model.units[index].end < change.end:
        raise Rejected("the statement is not inside one unit")
    unit = model.units[index]
    first, last = change.start - unit.start, change.end - unit.start
    unit_lines = unit.text.split("\n")[:-1]
    new_unit_lines = unit_lines[:first] + change.new_lines() + unit_lines[last + 1:]
    new_unit = Unit(unit.start, unit.end + change.delta,
                    "".join(line + "\n" for line in new_unit_lines), unit.indented, unit.suffix,
                    unit.in_function)
    try:
        parse_code(("if 1:\n" if unit.indented else "") + new_unit.text + new_unit.suffix)
    except (SyntaxError, ValueError, RecursionError):
        raise Rejected("the fixed statement does not parse") from None
    old_facts, new_facts = model.facts[index], engine.unit_facts(new_unit)
    added = {line.rstrip("\r") for line in p.imports.new_lines() if line.strip()} \
        if p.imports is not None else set()
    if old_facts.imports != new_facts.imports or not added <= SCOPED_IMPORTS:
        _verify_full(engine, model, config, path, p)
        return
    context = model.context(index)
    if p.imports is not None and p.imports.start <= unit.start:
        context = context.plus(p.import_facts)
    new_lines = apply_changes(model.lines, [change])
    before = _unit_reported(engine, unit, model.lines, path, model.context(index), old_facts,
                            config)
    if not any(f.rule_id == p.finding.rule_id and f.span == p.finding.span for f in before):
        # a whole-file check's finding (a taint flow): only the whole document shows it
        _verify_full(engine, model, config, path, p)
        return
    after = _unit_reported(engine, new_unit, new_lines, path, context, new_facts, config)
    added = _import_findings(engine, model, config, path, p)
    _compare(before, list(after) + added, p, [change], import_change=None)


def _unit_reported(engine, unit: Unit, lines: list[str], path: str, context, facts,
                   config: Config) -> tuple[Finding, ...]:
    raw, errors = engine.unit_findings(unit, lines, path, context)
    if errors:
        raise Rejected("an analyzer failed on the fixed code")
    directives = {}
    for directive in facts.directives:
        shifted = attrs.evolve(directive, line=directive.line + unit.start)
        directives[shifted.line] = shifted
    return apply_config(RawAnalysis(raw, directives, ()), path, config).findings


def _import_findings(engine, model: DocModel, config: Config, path: str,
                     p: Proposal) -> list[Finding]:
    if p.imports is None:
        return []
    analysis = engine.analyse(p.imports.text, path, config)
    if analysis.errors or analysis.broken:
        raise Rejected("the added import does not analyse cleanly")
    # Place them on the first line of the statement: they count as new findings of the fix.
    return [attrs.evolve(f, span=attrs.evolve(f.span, start_line=p.statement.start,
                                              end_line=p.statement.start))
            for f in analysis.findings]


# -- full -----------------------------------------------------------------------------------
def _verify_full(engine, model: DocModel, config: Config, path: str, p: Proposal) -> None:
    changes = [p.statement] + ([p.imports] if p.imports is not None else [])
    new_lines = apply_changes(model.lines, changes)
    before = model.analyse(engine, path, config)
    after = model.update("\n".join(new_lines), engine).analyse(engine, path, config)
    if after.errors:
        raise Rejected("an analyzer failed on the fixed code")
    if len(after.broken) > len(before.broken) or (not before.broken and after.broken):
        raise Rejected("the fixed module does not parse")
    _compare(before.findings, after.findings, p, changes, p.imports)


# -- comparison -----------------------------------------------------------------------------
def _compare(before: Sequence[Finding], after: Sequence[Finding], p: Proposal,
             changes: list[Change], import_change: Change | None) -> None:
    """Findings outside the statement must be the same (moved by the line shifts); inside it,
    the target's rule must lose a finding and no other rule may gain one (bar successors)."""
    stmt = p.statement
    stmt_shift = import_change.delta if import_change and import_change.start <= stmt.start else 0
    region = (stmt.start + stmt_shift, stmt.end + stmt.delta + stmt_shift)
    imports = None
    if import_change is not None:
        first = import_change.start + (stmt.delta if import_change.start > stmt.end else 0)
        imports = (first, first + import_change.text.count("\n") - 1)

    def moved(line: int) -> int:
        out = line
        if line > stmt.end:
            out += stmt.delta
        if import_change is not None and line >= import_change.start:
            out += import_change.delta
        return out

    outside_before: Counter = Counter()
    inside_before: Counter = Counter()
    for f in before:
        if stmt.start <= f.span.start_line <= stmt.end:
            inside_before[f.rule_id] += 1
        else:
            outside_before[(f.rule_id, moved(f.span.start_line), f.span.start_col)] += 1
    outside_after: Counter = Counter()
    inside_after: Counter = Counter()
    introduced: list[Finding] = []
    for f in after:
        line = f.span.start_line
        if region[0] <= line <= region[1] or (imports and imports[0] <= line <= imports[1]):
            inside_after[f.rule_id] += 1
            introduced.append(f)
        else:
            outside_after[(f.rule_id, line, f.span.start_col)] += 1
    extra = outside_after - outside_before
    if extra:
        rule_id, line, _col = sorted(extra)[0]
        raise Rejected(f"a new {rule_id} finding appears on line {line + 1}")
    target = p.finding.rule_id
    if inside_after[target] >= inside_before[target]:
        raise Rejected(f"{target} is still reported")
    for rule_id, count in inside_after.items():
        if rule_id == target or count <= inside_before[rule_id]:
            continue
        if rule_id not in p.successors:
            raise Rejected(f"the fix introduces {rule_id}")
        if any(f.rule_id == rule_id and f.severity > p.finding.severity for f in introduced):
            raise Rejected(f"the fix introduces {rule_id}, more severe than {target}")
