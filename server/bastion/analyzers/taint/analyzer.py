"""The taint analyzer behind the engine's analyzer protocol.

Taint needs whole functions and their module, not the statement units the engine splits a
document into for typing latency, so it reports through `analyse_file` (whole-file findings,
added by the engine to every analysis) and nothing per unit. What keeps a keystroke cheap is
its caches, both owned here: per function (its text, the module context, its callees'
summaries and the models; see analysis.py) and per document text (the last results).
Rule metadata (id, severity, CWE, wording) comes from the rule files in rules/bastion/ that
carry a `[taint]` table; the sources, sinks and sanitizers from rules/taint/*.toml.
`retract` judges bandit's injection findings with the same per-text result (verdicts.py).
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from bastion import attrs_classes
from bastion.analyzers.base import UnitSource, WatchedFiles
from bastion.analyzers.rule_tables import folder_tables
from bastion.analyzers.taint.analysis import analyse_module
from bastion.analyzers.taint.blocks import BlockParser, WholeParser
from bastion.analyzers.taint.callee_records import forget_records
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.context_reuse import forget_document
from bastion.analyzers.taint.declared_versions import SHARED as SHARED_DECLARED
from bastion.analyzers.taint.domain import Step
from bastion.analyzers.taint.foreign_changes import foreign_key
from bastion.analyzers.taint.gate import JudgedGate, registrar_gate, source_gate, words_gate
from bastion.analyzers.taint.hit_findings import KeptFindings, step_span
from bastion.analyzers.taint.model_files import load_models
from bastion.analyzers.taint.nodes import walks_kept
from bastion.analyzers.taint.outcome_reuse import forget_outcomes
from bastion.analyzers.taint.plans import forget_plan
from bastion.analyzers.taint.rebound import SEPARATOR
from bastion.analyzers.taint.specs import Models
from bastion.analyzers.taint.template_files import NONE as NO_TEMPLATES
from bastion.analyzers.taint.template_files import RENDER_WORDS, TemplateFiles
from bastion.analyzers.taint.user_models import ProjectUsers
from bastion.analyzers.taint.verdicts import NEEDLES, SQL_NEEDLES, SQL_TEXT, find_sql_text, retractions
from bastion.analyzers.taint.watched import KINDS as WATCHED
from bastion.analyzers.taint.workspace_attach import editor_summaries
from bastion.analyzers.taint.workspace_entries import Imports, imports_of
from bastion.analyzers.taint.wrappers import MODULE_BODY
from bastion.analyzers.versions import taint_version
from bastion.digests import blake2b
from bastion.engine.cache import LRU
from bastion.model import Finding, Level, NotAnalysed, Span
from bastion.model.text import split_lines

if TYPE_CHECKING:
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.workspace import SummaryStore
    from bastion.analyzers.taint.workspace_entries import External

log = logging.getLogger(__name__)

# A sink class that is a part of another rule's: a DN's own escaping (domain.SINK_CLASSES), reported
# as LDAP injection as a filter is.
_REPORTED_AS = {"ldap_dn": "ldap"}
# A class with a base named by a plain or dotted name: with a workspace, its base may be another
# module's handler or view (the file need not name the framework to be one).
_DERIVED_CLASS = re.compile(r"^[ \t]*class[ \t]+\w+[ \t]*\([ \t]*[A-Za-z_][\w.]*[ \t]*[,)]",
                            re.MULTILINE)


@attrs_classes.frozen
class TaintRule:
    id: str
    name: str
    severity: Level
    confidence: Level
    cwe: int | None
    sink_class: str
    short: str  # "path traversal": the end of the message


def load_taint_rules(directory: Path | None = None, tables: list | None = None) -> list[TaintRule]:
    """The rule files with a `[taint]` table; the catalog validates them (catalog/validate.py);
    `tables`: the folder's `folder_tables`, when the caller has them (registry.py)."""
    if directory is None:
        from bastion.catalog.paths import rules_dir
        directory = rules_dir() / "bastion"
    rules = []
    for path, table, error in folder_tables(Path(directory)) if tables is None else tables:
        if not path.name.startswith("BST"):
            continue
        try:
            if table is None:
                raise error or OSError("unreadable")
            taint = table.get("taint")
            if not isinstance(taint, dict):
                continue
            rules.append(TaintRule(table["id"], table["name"], Level.parse(table["severity"]),
                                   Level.parse(table["confidence"]), table["cwe"]["id"],
                                   taint["sink_class"], taint["short"]))
        except (OSError, KeyError, TypeError, ValueError) as exc:  # TOMLDecodeError is a ValueError
            log.warning("skipping taint rule %s: %s", path, exc)
    return rules


class TaintAnalyzer:
    id = "taint"

    def __init__(self, models: Models | None = None, rules: list[TaintRule] | None = None,
                 cache_size: int = 4096, incremental: bool = True) -> None:
        """`incremental`: documents are analysed again after each edit (the editor), so block
        trees and functions' outcomes are kept to reuse; not in one-off scans (80 of 300 MB)."""
        self.models = models if models is not None else load_models()
        for problem in self.models.problems:
            log.warning("taint model skipped: %s", problem)
        self.rules = {r.sink_class: r for r in (rules if rules is not None else load_taint_rules())}
        # The rule files' own digest is the TOML rules analyzer's version (same folder).
        self.version = taint_version(self.models.digest)
        self._functions: LRU[bytes, object] | None = LRU(cache_size) if incremental else None
        self._calls: LRU[bytes, tuple] = LRU(cache_size)
        # text digest -> (findings, verdicts, function ranges): the last results (see _result)
        self._texts: LRU[bytes, FileResult] = LRU(64)
        # text digest -> (names no source nor judged sink, has a derived class, its tree)
        self._prepared: LRU[bytes, tuple] = LRU(4)
        self._imports: LRU[bytes, Imports] = LRU(64)  # text digest -> its tree's, with a workspace
        self._findings = KeptFindings()  # the last analysed text's findings, by hit
        # (text, its digest): a keystroke asks twice with the same text (see _result), which
        # is hashed once (0.2 ms for _pydecimal.py's 230 kB)
        self._last_digest: tuple[str, blake2b] | None = None
        # the last text's answers, kept per edit (a scan's texts are whole files: checked whole)
        self._gate = source_gate(self.models, incremental)
        self._judged = JudgedGate(NEEDLES, SQL_NEEDLES, SQL_TEXT, find_sql_text, incremental)
        self._registrars = registrar_gate(self.models, incremental)
        self._renders = words_gate(RENDER_WORDS, incremental)  # a search of a 230 kB text: 0.3 ms
        self._parser = BlockParser(memo=self._calls) if incremental else WholeParser()
        self._incremental = incremental
        self._templates = TemplateFiles()
        self._users = ProjectUsers(self._templates.django_settings)
        self._declared = SHARED_DECLARED
        # Other workspace modules' summaries (workspace.py), set by the front end that knows
        # the workspace roots: `bastion check`, the scan, the language server.
        self.workspace: SummaryStore | None = None
        self.skipped: list[tuple[str, str, int]] = []  # (path, function, statements) over budget

    def rule_ids(self) -> dict[str, str]:
        return {r.id: r.name for r in self.rules.values()}

    def nosec_ids(self) -> dict[str, str]:
        return {}

    def reads_whole(self, function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
        return False  # it reads functions through analyse_file: units stay statement-sized

    def dependency_key(self, text: str, path: str) -> str | None:
        """The identity of the workspace modules whose summaries `text` may use (see
        `Engine.dependency_key`)."""
        workspace = self.workspace
        key = "" if workspace is None else workspace.dependency_key(text, path)
        if key is None:
            return None
        roots, versioned = _roots(workspace), self.models.versioned
        imported = workspace.declarations(text, path, versioned) if key else b""
        key += foreign_key(workspace.foreign.changed(path)) if workspace is not None else ""
        return key + self._templates.of_module(text, path, roots).digest.hex() \
            + self._users.of_module(text, path, roots).digest.hex() \
            + self._declared.of_module(text, path, roots, versioned).digest.hex() + imported.hex() \
            + (workspace.urls_key(text, path) if workspace is not None else "")

    def analyse_unit(self, unit: UnitSource) -> list[Finding]:
        return []  # taint reads whole functions: see analyse_file

    def analyse_file(self, text: str, path: str, tree: ast.Module | None = None) -> list[Finding]:
        return list(self._result(text, path, tree).findings)

    def left_out(self, text: str, path: str) -> tuple[NotAnalysed, ...]:
        return self._result(text, path).left_out

    def forget(self) -> None:
        for cache in (self._functions, self._calls, self._texts, self._prepared, self._imports):
            if cache is not None:
                cache.clear()
        self.document_closed("")
        self._parser.forget()
        self._templates.forget()
        self._declared.forget()

    def document_closed(self, path: str) -> None:
        """The memos of the last text go, shared by every document (whatever `path` is): the
        next text is checked whole, as another document's is."""
        self._last_digest = None
        for memo in (self._gate, self._judged, self._registrars, self._renders, self._parser,
                     self._templates, self._declared, self._users):
            memo.forget_text()
        forget_document(self._calls)
        forget_outcomes(self._calls)
        forget_plan(self._calls)
        forget_records(self._calls)
        self._findings.forget()

    def disk_changed(self, paths: Collection[str]) -> None:
        self._templates.disk_changed()
        self._users.forget_text()

    def watched_files(self) -> tuple[WatchedFiles, ...]:
        return WATCHED  # templates, and manifests declaring versions (watched.py)

    summaries = editor_summaries  # the editor's workspace summaries (`Analyzer.summaries`)

    def read_open_texts(self, texts: Callable[[str], str | None] | None) -> None:
        """Template files are read from `texts` (a normalised absolute path -> the editor's
        text, None when not open) before the disk: the language server holds the documents;
        it calls `disk_changed` with a template's path when its text changes."""
        self._templates.open_texts = self._users.open_texts = texts

    def retract(self, text: str, path: str, findings: list[Finding]) -> dict[int, str]:
        """Index -> why, for the pattern findings the taint verdicts retract (verdicts.py)."""
        result = self._result(text, path)
        if not result.seen and not result.findings:
            return {}
        classes = {r.id: r.sink_class for r in self.rules.values()}
        return retractions(findings, result.seen, result.findings, classes, result.functions)

    def _result(self, text: str, path: str, parsed: ast.Module | None = None) -> FileResult:
        """`parsed`: `text`'s tree when the engine has parsed it whole (one parse per file)."""
        if self._incremental:  # the editor's block trees are made anew as it types
            return self._analysed(text, path, parsed)
        with walks_kept():  # a scan's trees, shared with the summary store (nodes.py)
            return self._analysed(text, path, parsed)

    def _analysed(self, text: str, path: str, parsed: ast.Module | None) -> FileResult:
        if not self.rules:
            return NOTHING
        digest = self._digest(text)
        # Read once: the language server replaces the store when its workspace folders change.
        workspace = self.workspace
        templates = self._templates.of_module(text, path, _roots(workspace)) \
            if self._renders.match(text) else NO_TEMPLATES
        if templates.found:  # a changed template file changes the result
            digest.update(b"\0templates\0" + templates.digest)
        declared = self._declared.of_module(text, path, _roots(workspace), self.models.versioned)
        user = self._users.of_module(text, path, _roots(workspace))
        if user.digest:  # an edited user model or settings module changes the result
            digest.update(b"\0users\0" + user.digest)
        if declared.digest:  # a changed manifest changes the result
            digest.update(b"\0declared\0" + declared.digest)
        key = digest.digest()
        cached = self._texts.get(key) if workspace is None else None
        if cached is not None:
            return cached
        # A keystroke asks twice (the engine's findings, then its verdicts): with a workspace the
        # results are looked up only once parsed, so the text checks and the tree are kept.
        prepared = self._prepared.get(key)
        if prepared is None:
            derived_only = not self._gate.match(text) and not self._judged.match(text)
            prepared = (derived_only, None, None)
        text_only, derived, tree = prepared
        # a module calling another's helper that returns untrusted data (`from .web import arg`)
        # reads a source through it (relevance.py): asked of each text, as the summaries change
        derived_only = text_only and not (workspace is not None and workspace.imports_source(text, path))
        if derived_only and workspace is not None and derived is None:
            derived = _DERIVED_CLASS.search(text) is not None
            prepared = (text_only, derived, tree)
        if derived_only and (workspace is None or not derived):
            self._prepared.put(key, prepared)
            return NOTHING
        # names other modules of a scan change in place are no constants (foreign_changes.py)
        foreign = workspace.foreign.changed(path) if workspace is not None else frozenset()
        if foreign:
            digest.update(b"\0foreign\0" + repr(sorted(foreign)).encode())
        # With a workspace, its summaries that the file may use are part of the key: a text met
        # before (typed back over) is found by its imports, not parsed again.
        imports = self._imports.get(key) if workspace is not None and not derived_only else None
        external = workspace.external(imports, path) if imports is not None else None
        if imports is not None:
            cached = self._texts.get(_with_external(digest, external))
            if cached is not None:
                return cached
        if tree is None:
            tree = self._parser.parse(text, parsed)
            self._prepared.put(key, (text_only, derived, tree))
        text = self._parser.read_text(tree, text)  # a line being typed as the tree reads it
        if workspace is not None and imports is None:
            imports = imports_of(tree, text)
            self._imports.put(key, imports)
            external = workspace.external(imports, path)
        if workspace is not None:  # a text found only now by its imports (and no handler below)
            key = _with_external(digest, external)
            cached = self._texts.get(key)
            if cached is not None:
                return cached
        names_registrar = self._registrars.match(text)
        # split_lines(text) is text.split("\n") without "\r": the block parser's, when it parsed it
        lines = (self._parser.lines_of(text) if "\r" not in text else None) or split_lines(text)
        module = None
        if not derived_only or external is not None:  # else nothing to analyse (below)
            # in a scan, the context the summary store built of this module, or built here for it
            table = external.table if external is not None else {}
            module = workspace.context(path, tree, table, foreign, names_registrar) \
                if workspace is not None else None
            scan = workspace is not None and workspace.compute
            if module is None and (scan or derived_only):
                module = module_context(tree, self.models, self._calls,
                                        external.bases if external is not None else None, text,
                                        names_registrar, foreign, lines,
                                        external.aliases if external is not None else None)
                if scan:
                    module = workspace.keep_context(path, tree, table, foreign, names_registrar, module)
        if derived_only and (module is None or not any(f.entry for f in module.functions)):
            if module is not None:  # the engine asks again (left_out, retract): not built again
                self._texts.put(key, NOTHING)
            return NOTHING  # no handler or view of another module's framework class
        result = analyse_module(tree, self.models, self._functions, text, self._calls,
                                external.lookup if external else None,
                                external.digest if external else b"",
                                external_bases=external.bases if external else None,
                                module=module, names_registrar=names_registrar, split=lines,
                                templates=templates,
                                external_scoped=external.scoped if external else None,
                                external_forms=external.forms if external else None,
                                external_routes=external.routes if external else None,
                                external_aliases=external.aliases if external else None,
                                declared=declared, foreign=foreign, user=user)
        for name, size in result.skipped:
            log.warning("taint analysis skipped %s in %s: %d statements (limit 1500)", name, path, size)
        found: dict[tuple, Finding] = {}
        kept = self._findings
        for _function, hit in result.hits:
            rule = self.rules.get(_REPORTED_AS.get(hit.sink_class, hit.sink_class))
            finding = kept.finding(hit, rule, self.models, lines) if rule is not None else None
            if finding is not None:
                found.setdefault((finding.rule_id, finding.span), finding)
        kept.done()
        findings = tuple(sorted(found.values(), key=Finding.sort_key))
        seen: dict[tuple[Span, str], tuple] = {}
        for outcome in result.outcomes:
            if outcome.seen_spans is None:
                outcome.seen_spans = {
                    (step_span(Step(line, col, end_line, end_col, ""), lines), sink_class): verdicts
                    for (line, col, end_line, end_col, sink_class), verdicts
                    in outcome.result.seen.items()}
            seen.update(outcome.seen_spans)
        # a list display, not a generator (a step a function: _pydecimal.py's ~100 calls a key)
        functions = tuple([(f.node.lineno - 1, (f.node.end_lineno or f.node.lineno) - 1)
                           for f in result.functions if f.name != MODULE_BODY])
        left_out = tuple(_too_deep(f) for f in result.too_deep)
        for gap in left_out:
            log.warning("%s in %s", gap, path)
        file_result = FileResult(findings, seen, functions, left_out)
        self._texts.put(key, file_result)
        return file_result

    def _digest(self, text: str) -> blake2b:
        last = self._last_digest
        if last is None or last[0] is not text:
            last = self._last_digest = (text, blake2b(text.encode("utf-8", "surrogatepass"),
                                                               digest_size=20))
        return last[1].copy()  # the caller may add to it

@attrs_classes.frozen
class FileResult:
    findings: tuple[Finding, ...]
    seen: dict  # verdicts by (span, sink class): see verdicts.py
    functions: tuple[tuple[int, int], ...]  # the functions' 0-based line ranges
    left_out: tuple[NotAnalysed, ...] = ()  # the functions it could not follow


NOTHING = FileResult((), {}, ())


def _too_deep(function: Function) -> NotAnalysed:
    node = function.node
    what = "the module's top-level code" if function.name == MODULE_BODY \
        else f"`{function.name.partition(SEPARATOR)[0]}`"  # an earlier definition by its written name
    return NotAnalysed(f"taint analysis did not follow {what}: a statement in it is nested too "
                       "deeply to walk (RecursionError); the other checks ran on it",
                       node.lineno - 1, (node.end_lineno or node.lineno) - 1, analyzer="taint")


def _with_external(digest: blake2b, external: External | None) -> bytes:
    """A text's key (`digest`, left as it is) with the workspace summaries it may use."""
    digest = digest.copy()
    digest.update(b"\0" + (external.digest if external is not None else b""))
    return digest.digest()


def _roots(workspace: SummaryStore | None) -> tuple[str, ...]:
    return workspace.roots if workspace is not None else ()
