"""First analysis of a whole document that parses: one parse, every analyzer over the module.

This is what bandit itself does, so it is the fastest way to analyse a file cold (a scan, a
newly opened document) — no unit is parsed a second time. The per-unit caches are filled from
the result, so the next edit re-analyses only the unit it touched.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from bastion.analyzers.base import ImportContext, UnitSource
from bastion.engine.analyzer_calls import file_findings, judged
from bastion.engine.context import EMPTY, Context, import_facts
from bastion.engine.records import UnitFacts, UnitRecord
from bastion.engine.suppress import comment_directives
from bastion.engine.units import Split, units_of_module
from bastion.model import Finding, NotAnalysed
from bastion.parsing import parse_code, parse_shared

if TYPE_CHECKING:
    from bastion.engine.engine import Engine, RawAnalysis
    from bastion.engine.units import Unit


def analyse_whole(engine: Engine, text: str, path: str, lines: list[str]) -> RawAnalysis | None:
    """None when the document does not parse (the unit-by-unit path handles that)."""
    from bastion.engine.engine import RawAnalysis

    try:
        # a one-off scan reads the tree the summary store parsed of the module (parsing.py);
        # units cut from a tree for the next edits are not shared
        tree = parse_code(text) if engine.unit_caches else parse_shared(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    source = UnitSource(tree, lines, path, ImportContext())
    findings: list[Finding] = []
    for analyzer in engine.analyzers:
        try:
            findings.extend(analyzer.analyse_unit(source))
        except Exception:  # the unit-by-unit path isolates a crashing check to one unit
            return None
    if not engine.unit_caches:
        # A one-off scan: nothing will be edited, so no unit is worth splitting out or caching.
        directives = comment_directives(text, 0, engine.nosec_names)
        errors: list[NotAnalysed] = []
        findings.extend(file_findings(engine.analyzers, text, path, errors, tree))
        findings = judged(engine.analyzers, text, path, findings, errors)
        findings.sort(key=Finding.sort_key)
        return RawAnalysis(tuple(findings), directives, (), tuple(errors))
    return _by_unit(engine, text, path, tree, lines, findings)


def split_whole(engine: Engine, text: str, path: str, lines: list[str],
                raw: RawAnalysis) -> RawAnalysis | None:
    """`raw`, a whole-file result read from the disk cache, split into units whose caches are
    filled as if the file had just been analysed, without running a check again. None when
    the document does not parse."""
    try:
        tree = parse_code(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    # they did not fail: the entry was stored; the tree spares the taint analysis its block parses
    whole_file = file_findings(engine.analyzers, text, path, [], tree)
    # The units hold their findings as analysed; `assemble` judges them again.
    return _by_unit(engine, text, path, tree, lines,
                    [attrs.evolve(f, retracted=None) if f.retracted else f
                     for f in raw.findings if f not in whole_file])


def _by_unit(engine: Engine, text: str, path: str, tree: ast.Module, lines: list[str],
             findings: list[Finding]) -> RawAnalysis:
    """The analysis assembled from `findings` (the units' findings in the whole tree)."""
    units, unit_nodes = units_of_module(tree, lines)
    records = unit_records(engine, units, unit_nodes, findings, EMPTY)
    return engine.assemble(text, path, Split(units, ()), records)


def unit_records(engine: Engine, units: Sequence[Unit], unit_nodes: list[list[ast.stmt]],
                 findings: list[Finding], context: Context) -> list[UnitRecord]:
    """The records of consecutive units analysed together after `context`: `findings` (theirs,
    from one tree) are given to the units they fall in, whose caches they fill."""
    starts = [u.start for u in units]
    per_unit: list[list[Finding]] = [[] for _ in units]
    for finding in findings:
        index = bisect_right(starts, finding.span.start_line) - 1
        if index >= 0:
            per_unit[index].append(finding)
    records: list[UnitRecord] = []
    for unit, nodes, found in zip(units, unit_nodes, per_unit, strict=True):
        facts = facts_from_nodes(engine, unit, nodes)
        shifted = tuple(attrs.evolve(d, line=d.line + unit.start) for d in facts.directives)
        engine.store_findings(unit, context.digest, tuple(f.shifted(-unit.start) for f in found))
        context = context.plus(facts.imports)
        records.append(UnitRecord(context, tuple(found), shifted))
    return records


def facts_from_nodes(engine: Engine, unit: Unit, nodes: list[ast.stmt]) -> UnitFacts:
    """A unit's facts from the statements of a whole-file tree (no parse of its own)."""
    facts = engine.cached_facts(unit)
    if facts is None:
        imports = tuple(fact for node in nodes for fact in _facts_of(node, unit.text))
        relative = comment_directives(unit.text, 0, engine.nosec_names, wrapped=unit.indented)
        facts = UnitFacts(True, imports, tuple(relative.values()))
        engine.store_facts(unit, facts)
    return facts


def _facts_of(node: ast.stmt, text: str) -> tuple:
    if "import" not in text:
        return ()
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        wrapper = ast.Module(body=[node], type_ignores=[])
        return import_facts(wrapper)
    return import_facts(node)
