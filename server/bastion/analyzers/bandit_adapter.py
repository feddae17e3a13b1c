"""The only module that uses bandit (bandit_import.py imports it first, once).

Bandit has no programmatic API (PyCQA/bandit#483): this adapter drives its node visitor and
tester directly, which is why bandit is pinned to one minor version and `tests/unit/
test_bandit_contract.py` fails loudly when these internals change.

Bandit keeps global state: building a test set rewrites the blacklist and plugin options of
every test set built before it. So one process-wide test set runs every check, rule selection
happens after, and runs are serialised by the caller (the engine holds one lock).
State of this module's own: the fields the walk reads per node class (`_NODE_FIELDS`), filled
as classes are met; each test set carries its checks' plan (`_plan`), made on first use.
"""

from __future__ import annotations

import ast
import io
import logging
from collections.abc import Collection

from bastion.analyzers.bandit_import import import_bandit

import_bandit()

# The imports below come after `import_bandit`, which must run first.
import bandit  # noqa: E402
from bandit.core import config as b_config  # noqa: E402
from bandit.core import context as b_context  # noqa: E402
from bandit.core import extension_loader, meta_ast, metrics, node_visitor, test_set, tester  # noqa: E402
from bandit.core import utils as b_utils  # noqa: E402
from bandit.core.blacklisting import blacklist as b_blacklist  # noqa: E402

from bastion.analyzers.bandit_blacklist import skips_call  # noqa: E402
from bastion.analyzers.bandit_cwe import catalog_cwes, cwe_digest  # noqa: E402
from bastion.analyzers.bandit_findings import finding_of  # noqa: E402
from bastion.analyzers.bandit_scopes import reads_whole_function  # noqa: E402
from bastion.analyzers.base import UnitSource  # noqa: E402
from bastion.model import Finding, NotAnalysed  # noqa: E402

logging.getLogger("bandit").setLevel(logging.ERROR)

BANDIT_VERSION = bandit.__version__

# Characters B613 (trojansource) looks for; when none is present its whole-file tokenize is
# skipped. `char in text` is a C-speed scan, about 100x faster than a regex character class.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


class _QuietLog:
    """Bandit logs every visited node at debug level; with logging off, the calls alone cost
    about a tenth of a scan. Everything but `debug` goes to the real logger."""

    def __init__(self, real: logging.Logger) -> None:
        self._real = real

    def debug(self, *args, **kwargs) -> None:
        pass

    def __getattr__(self, name):
        return getattr(self._real, name)


for _module in (node_visitor, tester):
    if not isinstance(_module.LOG, _QuietLog):
        _module.LOG = _QuietLog(_module.LOG)

_MISSING = object()  # a field a node lacks (`getattr` default)
# Fields that hold a name, a number or a flag, never a node: the walk does not read them (a
# tree's every Name, Attribute and Constant has one or two).
_VALUE_FIELDS = frozenset({"id", "attr", "arg", "name", "module", "level", "kind", "type_comment",
                           "conversion", "is_async", "simple"})
_NODE_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}  # its value is no node
if hasattr(ast, "TypeAlias"):  # Python 3.12: `type X = ...` names X with a Name node
    _NODE_FIELDS[ast.TypeAlias] = ast.TypeAlias._fields
_NO_SCORES = {"SEVERITY": [0, 0, 0, 0], "CONFIDENCE": [0, 0, 0, 0]}


class BanditCheckFailed(RuntimeError):
    """A bandit check raised while analysing: what it would have found is unknown."""


def _raise_failures(checks: _RecordingTester) -> None:
    if checks.failures:
        raise BanditCheckFailed("; ".join(dict.fromkeys(checks.failures)))


class _RecordingTester(tester.BanditTester):
    """Bandit's `run_tests` (1.9), minus what is never read here, and remembering the AST node
    each result came from, so the adapter can compute its end line. Left out: the scores (the
    visitor's `update_scores` ignores them), the nosec lookups (suppressions are applied by the
    engine, bastion.engine.suppress, so bandit gets no nosec lines and would find none after
    walking the node's line range for every test of every node), the debug logging, and a copy
    of the context per test: the tests of a node share one copy (no check of bandit's changes
    the context it is given, which the contract test holds; a copy and a Context per test and
    node were a seventh of bandit's time). A test that raises is logged as bandit does and
    remembered (`failures`): the adapter then makes the unit "not analysed", so no test runs
    after it.
    A tenth of bandit's time; tests/unit/test_bandit_contract.py pins the code copied."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The checks that raised, described: bandit only logs them, so a finding they would have
        # made is missing without a word; the adapter makes the unit "not analysed" instead.
        self.failures: list[str] = []
        self.plan = _plan(self.testset)

    def report_error(self, test, context, error) -> None:
        tester.BanditTester.report_error(test, context, error)
        self.failures.append(f"bandit's check {test} raised {type(error).__name__} at line "
                             f"{context._context.get('lineno')}")

    def run_tests(self, raw_context, checktype):
        tests = self.plan.get(checktype)
        if not tests or self.failures:
            # most node types (Name, Load, ...) have no check at all; after a check raised, the
            # unit is "not analysed" and its results are dropped: a check failing on every node
            # of a generated chain (each logging a deep traceback) took minutes
            return _NO_SCORES
        context = b_context.Context(raw_context.copy())  # copy.copy of a dict
        for test, configured, blacklist in tests:
            if blacklist and skips_call(context, test._config):
                continue  # it would find nothing (bandit_blacklist.py)
            try:  # as in bandit, around the result's bookkeeping too
                result = test(context, test._config) if configured else test(context)
                if result is not None:
                    self._record(result, test, context._context, raw_context)
            except Exception as exc:  # bandit's own handling: logged, the other tests run
                self.report_error(test.__name__, context, exc)
        return _NO_SCORES

    def _record(self, result, test, temp_context, raw_context) -> None:
        filename = temp_context["filename"]
        result.fname = filename.decode("utf-8") if isinstance(filename, bytes) else filename
        result.fdata = temp_context["file_data"]
        if result.lineno is None:
            result.lineno = temp_context["lineno"]
        if result.linerange == []:
            result.linerange = temp_context["linerange"]
        if result.col_offset == -1:
            result.col_offset = temp_context["col_offset"]
        result.end_col_offset = temp_context.get("end_col_offset", 0)
        result.test = test.__name__
        if result.test_id == "":
            result.test_id = test._test_id
        result._bastion_node = raw_context.get("node")
        result._bastion_context_lines = list(raw_context.get("linerange", []))
        self.results.append(result)


def _plan(testset) -> dict[str, tuple[tuple[object, bool, bool], ...]]:
    """The test set's checks by node type, each with whether it takes its options (`_config`,
    read at each call: bandit sets it when it builds a test set) and whether it is the
    blacklist: asked once, not for every check of every node (86k calls in a check of the
    email package)."""
    plan = getattr(testset, "_bastion_plan", None)
    if plan is None:
        plan = testset._bastion_plan = {
            kind: tuple((test, hasattr(test, "_config"), test is b_blacklist) for test in tests)
            for kind, tests in testset.tests.items()}
    return plan


class _LeanVisitor(node_visitor.BanditNodeVisitor):
    """Bandit's visitor, minus the work no check reads: nodes of a type that has neither a
    check nor a `visit_` method (Name, Load, BinOp, ...: most of a tree) are linked to their
    parent and sibling as bandit links them (checks read `_bandit_parent`) and walked into, but
    get no context, no visit and no test run (in bandit: an empty run); neither do constants
    other than strings and bytes (bandit's `visit_Constant` ignores them: a long literal of
    numbers is mostly such nodes). Nothing is logged. The contexts of the other nodes are built
    exactly as bandit builds them, in bandit's order (its `generic_visit`, pinned by
    tests/unit/test_bandit_contract.py).
    The links are undone once the walk ends (`unlink`): they make the tree a web of cycles
    that only the garbage collector frees (a scan's collections traversed every analysed
    tree, and held them till then); no check reads them after its walk.
    """

    interesting: frozenset[str] = frozenset()

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.linked: list[ast.AST] = []  # the nodes given links, in walk order

    def generic_visit(self, node):
        """Links each child and enters it (`_enter`), except a context or an operator of no
        interest (Load, Add: no field, no check). Each level of a nested expression keeps its
        two frames (this method's and `_enter`'s): a check that recurses from the bottom of a
        deep chain runs out of stack exactly where it did (test_taint_joined_text)."""
        linked, interesting = self.linked, self.interesting
        try:
            fields = _NODE_FIELDS[node.__class__]
        except KeyError:
            fields = _NODE_FIELDS[node.__class__] = tuple(
                field for field in node._fields if field not in _VALUE_FIELDS)
        for field in fields:
            value = getattr(node, field, _MISSING)  # ast.iter_fields skips a missing field
            if type(value) is list:  # a tree's lists are lists (no call, unlike isinstance)
                last = len(value) - 1
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        item._bandit_sibling = value[index + 1] if index < last else None
                        item._bandit_parent = node
                        linked.append(item)
                        if item._fields or item.__class__.__name__ in interesting:
                            self._enter(item)
            elif isinstance(value, ast.AST):
                value._bandit_sibling = None
                value._bandit_parent = node
                linked.append(value)
                if value._fields or value.__class__.__name__ in interesting:
                    self._enter(value)

    def unlink(self) -> None:
        """Removes the parent and sibling links the walk set (a node met twice, such as the
        shared `ast.Load()`, once), without a call per node."""
        for node in self.linked:
            links = node.__dict__
            if "_bandit_parent" in links:
                del links["_bandit_parent"], links["_bandit_sibling"]
        self.linked = []

    def _enter(self, node):
        kind = node.__class__
        if kind.__name__ not in self.interesting or (
                kind is ast.Constant and not isinstance(node.value, (str, bytes))):
            self.depth += 1
            self.generic_visit(node)
            self.depth -= 1
        elif self.pre_visit(node):
            self.visit(node)
            self.generic_visit(node)
            self.post_visit(node)

    def pre_visit(self, node):
        self.depth += 1
        context = {"imports": self.imports, "import_aliases": self.import_aliases}
        if hasattr(node, "lineno"):
            context["lineno"] = node.lineno
        if hasattr(node, "col_offset"):
            context["col_offset"] = node.col_offset
        if hasattr(node, "end_col_offset"):
            context["end_col_offset"] = node.end_col_offset
        context["node"] = node
        context["linerange"] = b_utils.linerange(node)
        context["filename"] = self.fname
        context["file_data"] = self.fdata
        self.context = context
        return True

    def post_visit(self, node):
        self.depth -= 1
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            self.namespace = b_utils.namespace_path_split(self.namespace)[0]


class BanditAdapter:
    id = "bandit"

    def __init__(self) -> None:
        self.version = f"{BANDIT_VERSION}+cwe{cwe_digest()}"
        self._cwes = catalog_cwes()
        # Default plugin options only: bandit stores them on module-level functions, so a
        # second configuration would silently change every test set in the process.
        self._testset = test_set.BanditTestSet(b_config.BanditConfig(), {"include": set(), "exclude": set()})
        self._names = self._load_names()
        self._interesting = frozenset(self._testset.tests) | frozenset(
            name[len("visit_"):] for name in dir(node_visitor.BanditNodeVisitor)
            if name.startswith("visit_"))

    @staticmethod
    def _load_names() -> dict[str, str]:
        manager = extension_loader.MANAGER
        names = {pid: p.name for pid, p in manager.plugins_by_id.items()}
        names.update({bid: b["name"] for bid, b in manager.blacklist_by_id.items()})
        return dict(sorted(names.items()))

    def rule_ids(self) -> dict[str, str]:
        return dict(self._names)

    def reads_whole(self, function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
        return reads_whole_function(function, lines)

    def dependency_key(self, text: str, path: str) -> str | None:
        return ""  # the text alone decides

    def nosec_ids(self) -> dict[str, str]:
        """Ids a nosec comment may name besides the rules: bandit's built-in B001 silences nothing."""
        return {name: name for name in extension_loader.MANAGER.builtin}

    def _visitor(self, path: str, data: bytes) -> node_visitor.BanditNodeVisitor:
        counts = metrics.Metrics()
        counts.begin(path)
        visitor = _LeanVisitor(
            path, io.BytesIO(data), meta_ast.BanditMetaAst(), self._testset, False, {}, counts
        )
        visitor.interesting = self._interesting
        visitor.tester = _RecordingTester(self._testset, False, {}, counts)
        visitor.update_scores = _ignore_scores  # bandit's score totals are never read here
        return visitor

    def analyse_unit(self, unit: UnitSource) -> list[Finding]:
        visitor = self._visitor(unit.path, b"")
        visitor.imports = set(unit.context.imports)
        visitor.import_aliases = unit.context.alias_map()
        try:
            visitor.generic_visit(unit.tree)
        finally:
            visitor.unlink()
        _raise_failures(visitor.tester)
        return [finding_of(r, unit.lines, self._cwes) for r in visitor.tester.results]

    def left_out(self, text: str, path: str) -> tuple[NotAnalysed, ...]:
        return ()

    def read_open_texts(self, texts) -> None:
        pass  # it reads no other file

    def retract(self, text: str, path: str, findings: list[Finding]) -> dict[int, str]:
        return {}

    def forget(self) -> None:
        pass  # it keeps nothing per document

    def document_closed(self, path: str) -> None:
        pass  # it keeps no text

    def disk_changed(self, paths: Collection[str]) -> None:
        pass  # it reads no file but the analysed one

    def watched_files(self) -> tuple:
        return ()  # it reads no file but the analysed one

    def summaries(self, roots, texts, previous=None) -> None:
        return None  # it reads no other module

    def analyse_file(self, text: str, path: str, tree: ast.Module | None = None) -> list[Finding]:
        """Checks that read the whole file (B613 trojansource); skipped when they cannot match."""
        if not any(char in text for char in _BIDI):
            return []
        data = text.encode("utf-8", errors="surrogatepass")
        visitor = self._visitor(path, data)
        context = {"file_data": visitor.fdata, "filename": path, "lineno": 0,
                   "linerange": [0, 1], "col_offset": 0}
        visitor.tester.run_tests(context, "File")
        _raise_failures(visitor.tester)
        return [finding_of(r, text.split("\n"), self._cwes) for r in visitor.tester.results]


def _ignore_scores(scores) -> None:
    return None
