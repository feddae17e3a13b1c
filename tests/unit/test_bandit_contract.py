"""The bandit internals the adapter drives, pinned: this file fails loudly on a bandit upgrade.

Bandit has no programmatic API (PyCQA/bandit#483). `analyzers/bandit_adapter.py` drives
`BanditNodeVisitor`, `BanditTester.run_tests`, `BanditTestSet` and `extension_loader.MANAGER`
directly, so their signatures and behaviour are asserted here, and the engine (unit by unit,
cached, seeded with the import context) is compared with bandit's own whole-file processing.

This is the only test module that imports bandit; others use `bandit_whole_file` from here.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import inspect
import io
import json
import os
import re
import subprocess
import sys
import sysconfig
import tokenize
from pathlib import Path

import bandit
import pytest
from bandit.core import config as b_config
from bandit.core import (
    extension_loader,
    issue,
    manager,
    meta_ast,
    metrics,
    node_visitor,
    test_set,
    tester,
)
from bandit.core import utils as b_utils

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.analyzers.bandit_cwe import catalog_cwes, cwe_digest
from bastion.config import Config
from bastion.engine import suppress
from bastion.engine.engine import Engine
from bastion.model import Level
from bastion.model.redact import redact_message

REPO = Path(__file__).resolve().parents[2]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
ENGINE = Engine([BanditAdapter()])
CONFIG = Config(bandit_exact=True)  # bandit parity: nothing retracted
CWES = catalog_cwes()
_TESTSET = test_set.BanditTestSet(b_config.BanditConfig(), {"include": set(), "exclude": set()})


# ---- bandit, whole file, the way `bandit FILE` runs it -------------------------------------


def _code_points(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[: max(byte_col, 0)].decode("utf-8", errors="ignore"))


def nosec_map(data: bytes) -> dict[int, set | None]:
    """What BanditManager._parse_file builds: 1-based line -> None | set() | {ids}.

    The pure-Python tokenizer refuses some texts the parser accepts (a backslash alone on the
    blank line before an indented one: IndentationError). bandit then skips the whole file as a
    syntax error; Bastion analyses it with the comments the tokenizer reached
    (engine/suppress.py), and so does this reference."""
    lines: dict[int, set | None] = {}
    try:
        for tok in tokenize.tokenize(io.BytesIO(data).readline):
            if tok.type == tokenize.COMMENT:
                lines[tok.start[0]] = manager._parse_nosec_comment(tok.string)
    except (tokenize.TokenError, SyntaxError):
        pass
    return lines


def bandit_issues(text: str, path: str = "x.py", nosec: bool = True) -> list:
    data = text.encode("utf-8")
    counts = metrics.Metrics()
    counts.begin(path)
    visitor = node_visitor.BanditNodeVisitor(
        path,
        io.BytesIO(data),
        meta_ast.BanditMetaAst(),
        _TESTSET,
        False,
        nosec_map(data) if nosec else {},
        counts,
    )
    visitor.process(data)
    return visitor.tester.results


def bandit_whole_file(text: str, path: str = "x.py", nosec: bool = True) -> list[tuple]:
    """Sorted (test_id, 0-based line, code-point col, severity, confidence) of bandit's results."""
    lines = text.split("\n")
    out = []
    for result in bandit_issues(text, path, nosec):
        line = lines[result.lineno - 1].rstrip("\r") if result.lineno - 1 < len(lines) else ""
        out.append(
            (
                result.test_id,
                result.lineno - 1,
                _code_points(line, result.col_offset),
                result.severity,
                result.confidence,
            )
        )
    return sorted(out)


def engine_findings(text: str, path: str = "x.py", engine: Engine = ENGINE) -> list[tuple]:
    analysis = engine.analyse(text, path, CONFIG)
    return sorted(
        (f.rule_id, f.span.start_line, f.span.start_col, f.severity.name, f.confidence.name)
        for f in analysis.findings
    )


# ---- version and signatures -------------------------------------------------------------------


def test_bandit_version_matches_the_pin():
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    pyproject = (REPO / "pyproject.toml").read_text()
    pin = re.search(r'"bandit([^"]+)"', pyproject).group(1)
    assert pin == ">=1.9,<1.10"
    assert Version(bandit.__version__) in SpecifierSet(pin)
    # The CWE table is part of the version: a corrected CWE invalidates cached findings.
    assert BanditAdapter().version == f"{bandit.__version__}+cwe{cwe_digest()}"
    assert ENGINE.version_key == f"bandit={bandit.__version__}+cwe{cwe_digest()}"


def _params(func) -> list[str]:
    return list(inspect.signature(func).parameters)


def test_node_visitor_signature():
    assert _params(node_visitor.BanditNodeVisitor.__init__) == [
        "self",
        "fname",
        "fdata",
        "metaast",
        "testset",
        "debug",
        "nosec_lines",
        "metrics",
    ]
    for name in (
        "generic_visit",
        "pre_visit",
        "visit",
        "post_visit",
        "process",
        "visit_Import",
        "visit_ImportFrom",
        "visit_Call",
        "visit_Str",
        "visit_Constant",
        "visit_FunctionDef",
        "visit_ClassDef",
    ):
        assert callable(getattr(node_visitor.BanditNodeVisitor, name)), name


def test_node_visitor_state_the_adapter_seeds():
    counts = metrics.Metrics()
    counts.begin("x.py")
    visitor = node_visitor.BanditNodeVisitor(
        "x.py", io.BytesIO(b""), meta_ast.BanditMetaAst(), _TESTSET, False, {}, counts
    )
    assert visitor.imports == set()
    assert visitor.import_aliases == {}
    assert isinstance(visitor.tester, tester.BanditTester)
    assert visitor.fdata.read() == b""
    # the visitor folds imports exactly as bastion.engine.context does
    visitor.generic_visit(
        ast.parse("import a.b as x\nfrom m import n as k, j\nfrom . import rel\n")
    )
    assert visitor.imports == {"a.b", "m.n", "m.j", "rel"}
    assert visitor.import_aliases == {"x": "a.b", "k": "m.n", "j": "m.j"}


def test_tester_signature():
    assert _params(tester.BanditTester.__init__) == [
        "self",
        "testset",
        "debug",
        "nosec_lines",
        "metrics",
    ]
    assert _params(tester.BanditTester.run_tests) == ["self", "raw_context", "checktype"]
    counts = metrics.Metrics()
    counts.begin("x.py")
    assert tester.BanditTester(_TESTSET, False, {}, counts).results == []


def test_the_code_the_adapter_reimplements_is_unchanged():
    """The adapter's visitor and tester re-implement these, minus what is never read (see
    `_LeanVisitor`, `_RecordingTester`), and know when the blacklist check finds nothing
    (`bandit_blacklist.py`): a bandit release that changes one must be read first."""
    from bandit.core import blacklisting

    digests = {f.__qualname__: hashlib.sha256(inspect.getsource(f).encode()).hexdigest()[:16]
               for f in (node_visitor.BanditNodeVisitor.generic_visit,
                         node_visitor.BanditNodeVisitor.pre_visit,
                         node_visitor.BanditNodeVisitor.visit, tester.BanditTester.run_tests,
                         blacklisting.blacklist)}
    assert digests == {"BanditNodeVisitor.generic_visit": "b6c64ce5f0ac6c30",
                       "BanditNodeVisitor.pre_visit": "f9142633cc6364f8",
                       "BanditNodeVisitor.visit": "988544ad8d36775f",
                       "BanditTester.run_tests": "5046e0c7f4669ce6",
                       "blacklist": "0fa8274aa13330dc"}


_MUTATORS = {"update", "pop", "popitem", "setdefault", "clear", "append", "extend", "add",
             "remove", "discard", "insert", "__setitem__", "__delitem__"}


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _context_writes(path: Path) -> list[str]:
    """Where a function of a module writes to, deletes from, aliases or calls a mutating method
    on anything reached from a name `context` (the name of every check's parameter), or, in
    bandit's Context, from `self` outside `__init__`."""
    watched = {"context", "self"} if path.name == "context.py" else {"context"}
    found = set()
    functions = [f for f in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name != "__init__"]
    for node in (node for function in functions for node in ast.walk(function)):
        targets = (node.targets if isinstance(node, (ast.Assign, ast.Delete)) else
                   [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
        roots = {_root(t) for t in targets if isinstance(t, (ast.Attribute, ast.Subscript))}
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                node.func.attr in _MUTATORS):
            roots.add(_root(node.func.value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
                "setattr", "delattr") and node.args:
            roots.add(_root(node.args[0]))
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and (
                node.value.id in watched):
            roots.add(node.value.id)  # an alias would escape the check
        if roots & watched:
            found.add(f"{path.name}:{node.lineno}")
    return sorted(found)


def test_no_check_changes_the_context_it_is_given(tmp_path):
    """The adapter runs a node's tests on one copy of its context (bandit gives each its own):
    equivalent only while no check changes it. Every check is in a module read here."""
    folder = Path(bandit.__file__).parent
    modules = [*sorted((folder / "plugins").glob("*.py")), *sorted((folder / "blacklists").glob("*.py")),
               folder / "core" / "blacklisting.py", folder / "core" / "context.py"]
    checks = {test.__module__ for tests in _TESTSET.tests.values() for test in tests}
    assert checks <= {"bandit." + ".".join(m.relative_to(folder).with_suffix("").parts)
                      for m in modules}
    assert [w for module in modules for w in _context_writes(module)] == []
    sample = tmp_path / "check.py"  # what the scan finds
    sample.write_text("def a(context):\n    context._context['name'] = 'x'\n"
                      "def b(context):\n    context._context.update(x=1)\n"
                      "def c(context):\n    setattr(context, 'y', 1)\n"
                      "def d(context):\n    ctx = context\n"
                      "def e(context):\n    return context._context.get('name')\n")
    assert _context_writes(sample) == ["check.py:2", "check.py:4", "check.py:6", "check.py:8"]


def test_a_check_whose_result_cannot_be_completed_is_reported_as_bandit_does(caplog):
    """Bandit catches what fails around a check, its result's bookkeeping included (here: a
    result without a column, for a context without one): logged, the other checks still run."""
    from types import SimpleNamespace

    from bastion.analyzers.bandit_adapter import _RecordingTester

    def columnless(context):
        return issue.Issue("LOW", text="no column")

    def found(context):
        return issue.Issue("LOW", text="found", lineno=1, col_offset=0)

    columnless._test_id, found._test_id = "B901", "B902"
    counts = metrics.Metrics()
    counts.begin("x.py")
    checks = _RecordingTester(SimpleNamespace(tests={"Call": [columnless, found]}), False, {}, counts)
    checks.run_tests({"filename": "x.py", "file_data": None, "lineno": 1, "linerange": [1]}, "Call")
    assert [r.test_id for r in checks.results] == ["B902"]
    assert "Bandit internal error running: columnless" in caplog.text
    # and remembered: the adapter makes the unit "not analysed" (test_not_analysed.py)
    assert checks.failures == ["bandit's check columnless raised KeyError at line 1"]


def test_test_set_signature_and_check_types():
    assert _params(test_set.BanditTestSet.__init__) == ["self", "config", "profile"]
    counts = {check: len(tests) for check, tests in _TESTSET.tests.items()}
    assert counts == {
        "Call": 33,
        "Str": 4,
        "FunctionDef": 2,
        "ExceptHandler": 2,
        "Assert": 1,
        "Import": 1,
        "ImportFrom": 1,
        "File": 1,
    }
    assert _TESTSET.get_tests("Bytes") == []
    assert [t._test_id for t in _TESTSET.get_tests("File")] == ["B613"]


def test_every_check_type_is_dispatched_by_the_visitor():
    """Each check type the test set uses is one the visitor reaches while walking units."""
    visited = set()

    class Spy(tester.BanditTester):
        def run_tests(self, raw_context, checktype):
            visited.add(checktype)
            return super().run_tests(raw_context, checktype)

    counts = metrics.Metrics()
    counts.begin("x.py")
    source = (
        b"import os\nfrom os import path\nassert x\nprint('s')\n"
        b"def f(a='b'):\n    try:\n        pass\n    except Exception:\n        pass\n"
    )
    visitor = node_visitor.BanditNodeVisitor(
        "x.py", io.BytesIO(source), meta_ast.BanditMetaAst(), _TESTSET, False, {}, counts
    )
    visitor.tester = Spy(_TESTSET, False, {}, counts)
    visitor.process(source)
    assert set(_TESTSET.tests) <= visited


def test_extension_manager():
    mgr = extension_loader.MANAGER
    assert "B602" in mgr.plugins_by_id and mgr.plugins_by_id["B602"].name == (
        "subprocess_popen_with_shell_equals_true"
    )
    assert mgr.blacklist_by_id["B404"]["name"] == "import_subprocess"
    assert mgr.builtin == ["B001"]
    assert mgr.check_id("B602") and mgr.check_id("B404") and mgr.check_id("B001")
    assert not mgr.check_id("B999")
    assert mgr.get_test_id("subprocess_popen_with_shell_equals_true") == "B602"
    assert mgr.get_test_id("import_pickle") == "B403"
    ids = set(mgr.plugins_by_id) | set(mgr.blacklist_by_id)
    assert ids == set(BanditAdapter().rule_ids())
    assert len(mgr.plugins_by_id) == 42 and len(mgr.blacklist_by_id) == 33


# The adapter imported first (as `bastion check` imports it): bandit's plugins loaded from its
# own entry points, not through stevedore and importlib.metadata; the package's names set from
# its core. Then what bandit's ordinary import and stevedore give, in the same process.
_LOADED_DIRECTLY = """
import json, sys
from bastion.analyzers import bandit_adapter
skipped = sorted(m for m in ("importlib.metadata", "stevedore", "email.parser", "rich")
                 if m in sys.modules)
import bandit
from bandit.core import extension_loader
mine = extension_loader.MANAGER
names = {k: v for k, v in vars(bandit).items() if not k.startswith("_")}
version = bandit.__version__
bandit.__author__  # runs bandit's own __init__
kept = all(getattr(bandit, k) is v for k, v in names.items())
added = sorted(k for k in vars(bandit) if not k.startswith("_") and k not in names)
from stevedore import extension
def loaded(namespace):
    return [(e.name, e.plugin) for e in extension.ExtensionManager(namespace=namespace)]
print(json.dumps({
    "skipped": skipped,
    "plugins": [(e.name, e.plugin) for e in mine.plugins] == loaded("bandit.plugins"),
    "blacklists": [(e.name, e.plugin) for e in mine.blacklists_mgr] == loaded("bandit.blacklists"),
    "by_id": mine.plugins_by_id.keys() == extension_loader.Manager().plugins_by_id.keys(),
    "formatters": [name for name, _ in loaded("bandit.formatters")],
    "mine_formatters": mine.formatter_names,
    "names_kept": kept,
    "names_added": added,
    "version": [version, bandit.__version__, bandit_adapter.BANDIT_VERSION],
}))
"""


def test_the_adapter_loads_bandits_own_plugins_without_stevedore():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(REPO / "server"), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", _LOADED_DIRECTLY], capture_output=True,
                          text=True, env=env, timeout=120, check=True)
    seen = json.loads(done.stdout)
    assert seen["skipped"] == []
    assert seen["plugins"] and seen["blacklists"] and seen["by_id"]
    # Formatters load when read: one whose import fails (sarif, without sarif_om) stays listed.
    assert set(seen["formatters"]) <= set(seen["mine_formatters"])
    assert seen["names_kept"] and seen["names_added"] == ["metadata"]
    assert seen["version"] == [importlib.metadata.version("bandit")] * 3


def test_issue_fields():
    assert _params(issue.Issue.__init__) == [
        "self",
        "severity",
        "cwe",
        "confidence",
        "text",
        "ident",
        "lineno",
        "test_id",
        "col_offset",
        "end_col_offset",
    ]
    (result,) = [
        r
        for r in bandit_issues("import subprocess\nsubprocess.call(cmd, shell=True)\n")
        if r.test_id == "B602"
    ]
    assert result.test == "subprocess_popen_with_shell_equals_true"
    assert result.severity == "HIGH" and result.confidence == "HIGH"
    assert result.cwe.id == 78
    assert result.text == "subprocess call with shell=True identified, security issue."
    assert (result.lineno, result.col_offset, result.end_col_offset) == (2, 0, 32)
    assert result.linerange == [2]
    assert not hasattr(result, "end_lineno")


def test_nosec_regexes_are_bandits():
    assert suppress._NOSEC().pattern == manager.NOSEC_COMMENT.pattern
    assert suppress._NOSEC_TESTS().pattern == manager.NOSEC_COMMENT_TESTS.pattern
    assert manager._parse_nosec_comment("# nosec B602, B607") == {"B602", "B607"}
    assert manager._parse_nosec_comment("# nosec B602,B607") == {"B607"}
    assert manager._parse_nosec_comment("# just a comment") is None
    assert _params(b_utils.get_nosec) == ["nosec_lines", "context"]


def test_nosec_regex_flags_are_bandits():
    assert suppress._NOSEC_TESTS().flags == manager.NOSEC_COMMENT_TESTS.flags


def test_blacklist_state_is_global():
    """Why the adapter builds one test set: a second one rewrites the first's blacklist."""
    from bandit.core import blacklisting

    before = {b["id"] for bl in blacklisting.blacklist._config.values() for b in bl}
    assert "B404" in before
    try:
        test_set.BanditTestSet(b_config.BanditConfig(), {"include": set(), "exclude": {"B404"}})
        after = {b["id"] for bl in blacklisting.blacklist._config.values() for b in bl}
        assert "B404" not in after
    finally:
        BanditAdapter()  # restores the unfiltered blacklist every test set shares
    assert "import_subprocess" in {
        b["name"] for bl in blacklisting.blacklist._config.values() for b in bl
    }


# ---- the DESIGN sample: import context is required ---------------------------------------------

SAMPLE = """\
import subprocess as sp
from subprocess import Popen as P
import yaml
import requests

PASSWORD = "hunter2"


def run(cmd):
    sp.call(cmd, shell=True)
    P(cmd, shell=True)  # nosec B602


def load(path):
    with open(path) as fh:
        return yaml.load(fh)


def fetch(url):
    return requests.get(
        url,
        verify=False,
    )
"""


def test_design_sample_whole_file():
    found = [(t, line) for t, line, *_ in bandit_whole_file(SAMPLE)]
    assert sorted(found) == sorted(
        [
            ("B404", 0),
            ("B404", 1),
            ("B105", 5),
            ("B602", 9),
            ("B506", 15),
            ("B113", 19),
            ("B501", 21),
        ]
    )
    b602 = next(r for r in bandit_whole_file(SAMPLE) if r[0] == "B602")
    assert b602[3:] == ("HIGH", "HIGH")


def test_design_sample_engine_equals_bandit():
    assert engine_findings(SAMPLE) == bandit_whole_file(SAMPLE)
    analysis = ENGINE.analyse(SAMPLE, "x.py", CONFIG)
    assert [(f.rule_id, f.span.start_line) for f in analysis.suppressed] == [("B602", 10)]
    assert bandit_whole_file(SAMPLE, nosec=False) == sorted(
        engine_findings(SAMPLE) + [("B602", 10, 4, "HIGH", "HIGH")]
    )


def test_design_sample_needs_the_import_context():
    """Without `import subprocess as sp` before it, bandit itself reads `sp.call` as B604."""
    alone = SAMPLE.split("\n\n\n")[1] + "\n"  # just `def run(cmd): ...`
    assert [r[0] for r in bandit_whole_file(alone, nosec=False)] == ["B604", "B604"]
    in_context = {
        (f.rule_id, f.span.start_line) for f in ENGINE.analyse(SAMPLE, "x.py", CONFIG).findings
    }
    assert ("B602", 9) in in_context and not any(r == "B604" for r, _ in in_context)


# ---- the engine equals bandit on real files -------------------------------------------------

CORPUS = [
    "subprocess.py",
    "pydoc.py",
    "tarfile.py",
    "urllib/request.py",
    "zipfile.py",
    "pickle.py",
    "tempfile.py",
    "ftplib.py",
    "xmlrpc/client.py",
    "http/server.py",
    "multiprocessing/connection.py",
    "logging/config.py",
    "os.py",
    "shutil.py",
    "smtplib.py",
]


def full_results(text: str, path: str = "x.py") -> list[tuple]:
    lines = text.split("\n")
    out = []
    for r in bandit_issues(text, path):
        line = lines[r.lineno - 1]
        out.append(
            (
                r.test_id,
                r.lineno - 1,
                _code_points(line, r.col_offset),
                r.severity,
                r.confidence,
                CWES.get(r.test_id) or r.cwe.id or None,  # the weakness's CWE: bandit_cwe.py
                redact_message(r.text),  # Bastion never shows a possible secret
                tuple(n - 1 for n in r.linerange),
            )
        )
    return sorted(out)


def full_findings(text: str, path: str = "x.py") -> list[tuple]:
    return sorted(
        (
            f.rule_id,
            f.span.start_line,
            f.span.start_col,
            f.severity.name,
            f.confidence.name,
            f.cwe,
            f.message,
            f.lines,
        )
        for f in ENGINE.analyse(text, path, CONFIG).findings
    )


@functools.cache
def corpus(name: str) -> tuple[str, list[tuple]] | None:
    path = STDLIB / name
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    return text, full_results(text, str(path))


@pytest.mark.parametrize("name", CORPUS)
def test_engine_equals_bandit_on_stdlib(name):
    if corpus(name) is None:
        pytest.skip(f"{name} not in this Python")
    text, expected = corpus(name)
    path = str(STDLIB / name)
    assert full_findings(text, path) == expected
    # and again from the cache
    assert full_findings(text, path) == expected


def test_corpus_has_findings():
    present = [corpus(n) for n in CORPUS if corpus(n) is not None]
    assert len(present) >= 10
    assert sum(len(expected) for _, expected in present) >= 50
    assert {r[0] for _, expected in present for r in expected} >= {
        "B404",
        "B602",
        "B603",
        "B108",
        "B110",
        "B321",
        "B411",
    }


def test_engine_end_columns_equal_bandit_on_stdlib():
    text = (STDLIB / "pydoc.py").read_text(encoding="utf-8")
    lines = text.split("\n")
    findings = ENGINE.analyse(text, "pydoc.py", CONFIG).findings
    by_start = {(f.rule_id, f.span.start_line, f.span.start_col): f for f in findings}
    results = bandit_issues(text, "pydoc.py")
    assert len(results) == len(findings)
    for r in results:
        f = by_start[(r.test_id, r.lineno - 1, _code_points(lines[r.lineno - 1], r.col_offset))]
        assert f.span.end_col == _code_points(lines[f.span.end_line], r.end_col_offset)


def test_engine_equals_bandit_on_the_check_table():
    from test_bandit_checks import CHECKS

    for rule_id, snippets in CHECKS.items():
        for text in snippets:
            assert engine_findings(text) == bandit_whole_file(text), (rule_id, text)


@pytest.mark.parametrize(
    "text",
    [
        "x = 'ascii\u202e'\n",
        "def f():\n    return 'a\u2066b'  # comment\n",
        "import subprocess\nsubprocess.call('ls\u202e', shell=True)\n",
    ],
)
def test_trojansource_file_check_equals_bandit(text):
    assert engine_findings(text) == bandit_whole_file(text)


def test_unicode_columns_equal_bandit():
    text = (
        "import subprocess, yaml\n"
        "s = 'café ☕ 漢字 😀'; subprocess.call(s, shell=True); yaml.load(s)\n"
        "class K:\n    def m(self):\n        t = 'ü'; return eval(t)\n"
    )
    assert engine_findings(text) == bandit_whole_file(text)


def test_mark_safe_with_module_level_variable_equals_bandit():
    text = "from django.utils import safestring\ns = 'safe'\nsafestring.mark_safe(s)\n"
    assert engine_findings(text) == bandit_whole_file(text)


def test_mark_safe_inside_function_equals_bandit():
    text = (
        "from django.utils import safestring\n\ndef render():\n    s = 'safe'\n"
        "    return safestring.mark_safe(s)\n\ndef other(x):\n    return safestring.mark_safe(x)\n"
    )
    assert engine_findings(text) == bandit_whole_file(text)


# ---- the adapter's own contract ------------------------------------------------------------


def test_adapter_reports_levels_as_enum():
    (finding,) = [f for f in ENGINE.analyse("eval(x)\n", "x.py", CONFIG).findings]
    assert finding.severity is Level.MEDIUM and finding.confidence is Level.HIGH


def test_checks_of_a_function_itself_match_what_keeps_a_function_whole():
    """A function is split into statements unless B107/B503 may report the function itself
    (their span and nosec lines reach the end of its body): bandit_scopes.py holds supersets of the
    names and values these checks match."""
    from bandit.plugins import general_hardcoded_password, insecure_ssl_tls

    from bastion.analyzers.bandit_scopes import BAD_SSL_DEFAULTS, PASSWORD_NAME

    assert sorted(t._test_id for t in _TESTSET.get_tests("FunctionDef")) == ["B107", "B503"]
    # Every word this matches contains "pas", "pwd", "token" or "secret".
    assert general_hardcoded_password.RE_WORDS == "(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)"
    for name in ("paswd", "password", "db_passwd", "pass", "passphrase", "pwd", "token", "secrete"):
        assert general_hardcoded_password.RE_CANDIDATES.search(name) and PASSWORD_NAME.search(name)
    defaults = insecure_ssl_tls.gen_config("ssl_with_bad_version")["bad_protocol_versions"]
    assert set(defaults) == BAD_SSL_DEFAULTS
