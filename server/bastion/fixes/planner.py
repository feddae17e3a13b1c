"""From a finding to verified fixes: locate the statement, run the rule's recipes on it, add the
imports they need, verify each candidate. Also fix-all: apply every verified fix of the chosen
safety, round after round, until none applies.
"""

from __future__ import annotations

import logging

import attrs
import libcst as cst

from bastion.config import Config
from bastion.fixes.base import SAFE, Rewrite, full_title, recipes_for
from bastion.fixes.edits import Change, apply_changes
from bastion.fixes.model import DocModel
from bastion.fixes.statement import Statement, find_statement
from bastion.fixes.target import Target
from bastion.fixes.verify import Proposal, verify
from bastion.model import Finding

log = logging.getLogger(__name__)


@attrs.frozen
class Fix:
    rule_id: str
    key: str
    title: str  # "Fix B113: add timeout=10 (review: check slow servers)"
    safety: str
    finding: Finding = attrs.field(eq=False)
    statement: Change
    imports: Change | None = None
    import_facts: tuple = ()
    successors: frozenset[str] = frozenset()
    note: str = ""  # what to check before accepting a review fix

    @property
    def changes(self) -> list[Change]:
        return [self.statement] + ([self.imports] if self.imports is not None else [])

    @property
    def preferred(self) -> bool:
        return self.safety == SAFE

    def proposal(self) -> Proposal:
        return Proposal(self.finding, self.statement, self.imports, self.import_facts,
                        self.successors)


def statement_for(model: DocModel, finding: Finding) -> tuple[int, Statement] | None:
    index = model.unit_index(finding.span.start_line)
    if index is None or not model.facts[index].parsed:
        return None
    try:
        tree = model.tree(index)
    except (SyntaxError, ValueError, RecursionError):
        return None
    statement = find_statement(tree, model.lines, finding, model.units[index].indented)
    if statement is None or statement.end > model.units[index].end:
        return None
    return index, statement


def candidates(model: DocModel, finding: Finding, path: str | None = None) -> list[Fix]:
    """Every fix a recipe proposes for the finding, not yet verified (`path`: the file's, for
    recipes that look at the project around it)."""
    recipes = recipes_for(finding.rule_id)
    if not recipes:
        return []
    located = statement_for(model, finding)
    if located is None:
        return []
    index, statement = located
    try:
        tree = model.tree(index)
        target = Target(finding, statement, model.lines, model.names_in_scope(index),
                        model.bound(index), tree, _module_names(model, statement),
                        _imports_seen(model, index), path)
    except (cst.ParserSyntaxError, RecursionError, Exception) as exc:  # noqa: BLE001
        log.debug("libcst could not parse lines %d-%d: %s", statement.start, statement.end, exc)
        return []
    fixes: list[Fix] = []
    seen: set[str] = set()
    for recipe in recipes:
        try:
            result = recipe(target)
        except Exception:  # a recipe bug must not cost the other fixes
            log.exception("fix recipe %s failed for %s", recipe.__name__, finding.rule_id)
            continue
        for rewrite in _as_list(result):
            if rewrite.key in seen or rewrite.text == target.text:
                continue
            fix = _to_fix(model, index, statement, target, rewrite)
            if fix is not None:
                seen.add(rewrite.key)
                fixes.append(fix)
    return fixes


def _imports_seen(model: DocModel, index: int) -> frozenset[str]:
    seen = set(model.context(index).imports)
    for fact in model.facts[index].imports:
        seen.add(fact[1] if fact[0] == "import" else f"{fact[1]}.{fact[2]}")
    return frozenset(seen)


def _module_names(model: DocModel, statement: Statement) -> dict[str, str]:
    """Modules imported at top level (before the statement unless it runs later): name used."""
    names: dict[str, str] = {}
    for end, facts in model.top_imports():
        if not statement.in_function and end >= statement.start:
            break
        for fact in facts:
            if fact[0] == "import" and (fact[2] or "." not in fact[1]):
                names.setdefault(fact[1], fact[2] or fact[1])
    return names


def _as_list(result) -> list[Rewrite]:
    if result is None:
        return []
    if isinstance(result, Rewrite):
        return [result]
    return [r for r in result if r is not None]


def _to_fix(model: DocModel, index: int, statement: Statement, target: Target,
            rewrite: Rewrite) -> Fix | None:
    change = Change(statement.start, statement.end, rewrite.text)
    needed = []
    before = None if statement.in_function else statement.start
    for spec in sorted(set(rewrite.imports)):
        fact = import_fact(spec)
        if model.has_import(fact, before) or \
                _imported_locally(model.tree(index), fact, statement.start):
            continue
        name, qualified = _binding(fact)
        if not target.can_bind(name, qualified):
            return None  # the name is taken by something else here
        needed.append(fact)
    imports = None
    facts: tuple = ()
    if needed:
        line = model.import_line(statement.start if before is not None else len(model.lines),
                                 needed[0])
        text = "".join(f"{import_text(f)}{target.newline}" for f in needed)
        blank_before, blank_after = model.section_breaks(line, needed[0])
        if blank_before:
            text = target.newline + text
        if blank_after or (not model.top_imports() and _needs_blank_after(model.lines, line)):
            text += target.newline
        imports = Change(line, line - 1, text)
        facts = tuple(needed)
    return Fix(target.finding.rule_id, rewrite.key, full_title(target.finding.rule_id, rewrite),
               rewrite.safety, target.finding, change, imports, facts, rewrite.successors,
               rewrite.note)


def import_fact(spec: str) -> tuple:
    """A recipe's import: `"shlex"` or `"from django.utils.html import format_html"`."""
    if spec.startswith("from "):
        _from, module, _import, name = spec.split()
        return ("from", module, name, None)
    return ("import", spec, None)


def import_text(fact: tuple) -> str:
    return f"import {fact[1]}" if fact[0] == "import" else f"from {fact[1]} import {fact[2]}"


def _binding(fact: tuple) -> tuple[str, str]:
    """(the name an import binds, what it refers to)."""
    if fact[0] == "import":
        return fact[1].split(".")[0], fact[1]
    return fact[2], f"{fact[1]}.{fact[2]}"


def _imported_locally(tree, fact: tuple, before_line: int) -> bool:
    """The same import earlier in the same unit (a function importing what it uses)."""
    import ast
    for node in ast.walk(tree):
        if getattr(node, "lineno", before_line + 1) - 1 >= before_line:
            continue
        if fact[0] == "import" and isinstance(node, ast.Import) and any(
                a.name == fact[1] and a.asname is None for a in node.names):
            return True
        if fact[0] == "from" and isinstance(node, ast.ImportFrom) and node.module == fact[1] \
                and not node.level and any(a.name == fact[2] and a.asname is None
                                           for a in node.names):
            return True
    return False


def _needs_blank_after(lines: list[str], line: int) -> bool:
    return line < len(lines) and lines[line].strip() != ""


def verified(engine, model: DocModel, config: Config, path: str, finding: Finding,
             full: bool = False) -> tuple[list[Fix], list[tuple[Fix, str]]]:
    """(fixes that pass verification, [(fix, reason) rejected])."""
    good, bad = [], []
    for fix in candidates(model, finding, path):
        reason = verify(engine, model, config, path, fix.proposal(), full=full)
        if reason is None:
            good.append(fix)
        else:
            log.debug("%s rejected: %s", fix.title, reason)
            bad.append((fix, reason))
    return good, bad


# -- fix all --------------------------------------------------------------------------------
@attrs.define
class FixAllResult:
    text: str
    applied: list[Fix] = attrs.Factory(list)
    rejected: list[tuple[Fix, str]] = attrs.Factory(list)
    rounds: int = 0


def fix_all(engine, text: str, path: str, config: Config, safeties=frozenset({SAFE}),
            max_rounds: int = 8, model: DocModel | None = None, analysis=None,
            full: bool = True) -> FixAllResult:
    """Apply verified fixes of the given safeties until none applies (at most `max_rounds`).

    Each round verifies every candidate against the current text and applies the ones whose
    statements do not overlap, one per statement; imports are merged and added once.
    """
    result = FixAllResult(text)
    model = model if model is not None and model.text == text else DocModel.build(text, engine)
    tried: set[tuple] = set()
    if analysis is None:
        analysis = model.analyse(engine, path, config)
    for _round in range(max_rounds):
        chosen: list[Fix] = []
        taken: list[tuple[int, int]] = []
        for finding in analysis.findings:
            if any(a <= finding.span.start_line <= b for a, b in taken):
                continue
            for fix in candidates(model, finding, path):
                if fix.safety not in safeties:
                    continue
                key = (fix.rule_id, fix.key, fix.statement.text, _context_key(model, fix))
                if key in tried or any(not (fix.statement.end < a or fix.statement.start > b)
                                       for a, b in taken):
                    continue
                reason = verify(engine, model, config, path, fix.proposal(), full=full)
                if reason is not None:
                    tried.add(key)
                    result.rejected.append((fix, reason))
                    continue
                chosen.append(fix)
                taken.append((fix.statement.start, fix.statement.end))
                break
        if not chosen:
            break
        result.rounds += 1
        new_model = model.update("\n".join(_apply_all(model, chosen)), engine)
        after = new_model.analyse(engine, path, config)
        if len(chosen) > 1 and not _round_ok(analysis, after, chosen):
            chosen = chosen[:1]  # verified alone against this very text
            new_model = model.update("\n".join(_apply_all(model, chosen)), engine)
            after = new_model.analyse(engine, path, config)
        result.applied.extend(chosen)
        model, analysis = new_model, after
    result.text = model.text
    return result


def describe(fixes: list[Fix]) -> str:
    """Comment lines for a unified diff (`bastion check --diff`): each fix's title, which says
    safe or review and what to check, and the note of a review fix. `patch` and `git apply`
    skip text before a file's `---` header."""
    out = []
    for fix in fixes:
        out.append(f"# {fix.title}\n")
        if fix.note:
            out.append(f"#     {fix.note}\n")
    return "".join(out)


def _import_order(line: str) -> tuple:
    return (line.startswith("from "), line)


def _round_ok(before, after, chosen: list[Fix]) -> bool:
    """The fixes of one round, applied together, did what each did alone: no new rule, the
    targets' counts went down, nothing stopped parsing."""
    from collections import Counter
    if len(after.broken) > len(before.broken) or after.errors:
        return False
    old = Counter(f.rule_id for f in before.findings)
    new = Counter(f.rule_id for f in after.findings)
    targeted = Counter(f.rule_id for f in chosen)
    allowed = set().union(*(f.successors for f in chosen))
    return all(count <= old[rule] - targeted[rule] for rule, count in new.items()
               if rule not in allowed)


def _context_key(model: DocModel, fix: Fix) -> tuple:
    lines = model.lines
    return tuple(lines[max(0, fix.statement.start - 1):fix.statement.end + 2])


def _apply_all(model: DocModel, fixes: list[Fix]) -> list[str]:
    changes = [f.statement for f in fixes]
    lines: list[str] = []
    newline = "\r\n" if model.lines and model.lines[0].endswith("\r") else "\n"
    import_line = None
    for fix in fixes:
        if fix.imports is None:
            continue
        for fact in fix.import_facts:
            if import_text(fact) not in lines:
                lines.append(import_text(fact))
        line = fix.imports.start
        import_line = line if import_line is None else min(import_line, line)
    if lines:
        text = "".join(f"{line}{newline}" for line in sorted(lines, key=_import_order))
        first = next(f.imports for f in fixes if f.imports is not None)
        if first.text.endswith(newline + newline):
            text += newline
        if first.text.startswith(newline):
            text = newline + text
        changes.append(Change(import_line, import_line - 1, text))
    return apply_changes(model.lines, changes)
