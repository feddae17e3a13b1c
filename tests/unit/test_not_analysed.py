"""A finding is never hidden without an error: issue 11's reproducers.

`x = subprocess.call(cmd, shell=True) + 0 + 0 + ...` is a valid file: with 1,000 terms bandit
failed inside Bastion and B602 disappeared with an empty `errors`; with 3,000 terms a
RecursionError killed the whole run. Now such files are analysed (a deep-stack worker), and
whatever still cannot be analysed is a per-file "not analysed" result, loud in every format,
with exit status 3 and the other files' results kept.
"""

from __future__ import annotations

import json
import sys

import pytest

from bastion import scan
from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.cli.main import main
from bastion.config import Config
from bastion.engine.deep import run_deep
from bastion.engine.engine import Engine
from bastion.engine.registry import default_analyzers
from bastion.limits import MAX_NESTING
from bastion.model import Level, NotAnalysed
from bastion.parsing import parse_code

SHELL = "import subprocess\nx = subprocess.call(cmd, shell=True)"
CONFIG = Config()


def sum_of(terms: int) -> str:
    return SHELL + " + 0" * terms + "\n"


# Deeper than any limit: CPython itself cannot compile it, and neither can Bastion analyse it.
TOO_DEEP = SHELL + "\ny = 0" + " + 0" * 30_000 + "\nz = eval(w)\n"


@pytest.fixture(scope="module")
def engine():
    return Engine([BanditAdapter()])


@pytest.mark.parametrize("terms", [1_000, 3_000])
def test_a_long_sum_that_python_runs_is_analysed(engine, terms):
    analysis = engine.analyse(sum_of(terms), "x.py", CONFIG)
    if sys.version_info >= (3, 12) and terms > 1_000 and analysis.errors:
        # Python 3.12's compiler refuses a 3,000-term sum on its own (a C-level limit that no
        # stack or recursion limit raises): then the line must be said not analysed, loudly.
        assert [f.rule_id for f in analysis.findings] == ["B404"]
        (failure,) = analysis.errors
        assert (failure.start_line, "nesting deeper than") == (1, failure.reason[:19])
        return
    assert [f.rule_id for f in analysis.findings] == ["B404", "B602"]
    assert analysis.errors == ()


@pytest.mark.parametrize("body", ["0" + " + 0" * 30_000, "a" + ".b" * 30_000,
                                  "not " * 10_000 + "a", "f(" * 300 + ")" * 300])
def test_nesting_beyond_the_limit_is_not_analysed_and_says_so(engine, body):
    text = SHELL + "\ny = " + body + "\nz = eval(w)\n"
    analysis = engine.analyse(text, "x.py", CONFIG)
    assert [f.rule_id for f in analysis.findings] == ["B404", "B602", "B307"]  # the rest is kept
    (failure,) = analysis.errors
    assert (failure.start_line, failure.end_line) == (2, 2)
    assert "nesting deeper than" in failure.reason
    assert analysis.broken == ()  # not "does not parse"


def test_the_limit_is_the_documented_one(engine):
    assert f"nesting deeper than {MAX_NESTING} levels" in str(
        engine.analyse(TOO_DEEP, "x.py", CONFIG).errors[0])


class Failing:
    """An analyzer that fails on units containing `boom` with the given exception."""

    id, version = "failing", "1"

    def __init__(self, exc: BaseException, whole_file: bool = False) -> None:
        self.exc, self.whole_file = exc, whole_file

    def rule_ids(self):
        return {}

    def nosec_ids(self):
        return {}

    def dependency_key(self, text, path):
        return ""

    def reads_whole(self, function, lines):
        return False

    def forget(self):
        pass

    def analyse_unit(self, unit):
        import ast
        if any(isinstance(n, ast.Name) and n.id == "boom" for n in ast.walk(unit.tree)):
            raise self.exc
        return []

    def analyse_file(self, text, path, tree=None):
        if self.whole_file:
            raise self.exc
        return []

    def left_out(self, text, path):
        return ()

    def retract(self, text, path, findings):
        return {}


@pytest.mark.parametrize("exc", [RuntimeError("check crashed"), RecursionError(), MemoryError()])
def test_an_analyzer_failure_makes_its_unit_not_analysed_every_time(exc):
    engine = Engine([BanditAdapter(), Failing(exc)])
    text = "eval(a)\nboom = 1\n\n\ndef f():\n    eval(b)\n    boom()\n"
    for _ in range(2):  # the second analysis must not serve the unit clean from a cache
        analysis = engine.analyse(text, "x.py", CONFIG)
        assert [f.line for f in analysis.findings] == [0, 5]
        assert sorted((e.start_line, e.analyzer) for e in analysis.errors) == [
            (1, "failing"), (6, "failing")]
    split_edit = engine.analyse_raw(text, "x.py", use_disk=False)
    assert len(split_edit.errors) == 2


@pytest.mark.parametrize(("exc", "said"), [
    (ValueError("bad"), "ValueError: bad"),
    # the statements' nesting was checked before: the depth is that of what it follows
    (RecursionError(), "what it follows (calls, imports) went deeper than it can"),
    (MemoryError(), "out of memory"),
])
def test_a_failing_whole_file_check_makes_the_file_not_analysed(exc, said):
    engine = Engine([BanditAdapter(), Failing(exc, whole_file=True)])
    analysis = engine.analyse("eval(a)\n", "x.py", CONFIG)
    assert [f.rule_id for f in analysis.findings] == ["B307"]
    (failure,) = analysis.errors
    assert failure.start_line is None and "failing" in failure.reason and said in failure.reason
    assert "nesting" not in failure.reason


# A statement nested deeper than the taint walk's stack (CPython compiles it) inside a view
DEEP_VIEW = '''import os
from flask import request


def view(a=1):
    cmd = request.args["c"]
    x = SUM
    os.system(cmd)


def helper(value, a=1):
    x = SUM
    return value


def other_view():
    eval(request.args["e"])
    os.system(helper(request.args["c"]))
'''.replace("SUM", " + ".join(["a"] * 30_000))


def _parses(text: str) -> bool:
    try:
        run_deep(parse_code, text)
    except (RecursionError, SyntaxError, MemoryError):
        return False
    return True


def test_a_function_too_deep_for_the_taint_walk_is_left_out_and_the_rest_analysed():
    """The taint analysis failed on the whole file: `other_view`'s flows were lost (bandit's
    B307 stood, with a whole-file "not analysed"). Now only the two deep functions are not
    followed, each said so over its lines; a call of the helper returns what it was given.
    Python 3.12 and 3.13 do not parse the statement (their parser's own limit): the functions
    holding it are then no part of the taint analysis, and the engine's note on the statement
    says so; the other view's flows are found on every version."""
    analysis = Engine(default_analyzers(), unit_caches=False).analyse(DEEP_VIEW, "v.py", CONFIG)
    taint_gaps = [(e.start_line, e.end_line) for e in analysis.errors if e.analyzer == "taint"]
    assert taint_gaps == ([(4, 7), (10, 12)] if _parses(DEEP_VIEW) else [])
    assert all(e.start_line is not None for e in analysis.errors)
    assert {e.start_line for e in analysis.errors} >= {6, 11}  # each deep statement
    found = {(f.rule_id, f.line + 1): f for f in analysis.findings}
    assert found.keys() == {("B605", 8), ("BST206", 17), ("BST202", 18)}
    # the pattern finding in the view that was not followed stays; through the helper, a
    # flow is medium confidence, as through code not modelled
    assert found["BST202", 18].confidence is Level.MEDIUM


# ---- every output, and the exit status ---------------------------------------------------------


@pytest.fixture
def tree(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    (tmp_path / "deep.py").write_text(TOO_DEEP, encoding="utf-8")
    (tmp_path / "ok.py").write_text("import pickle\npickle.loads(data)\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def check(capsys, *args: str) -> tuple[int, str]:
    code = main(["check", "--no-cache", "--jobs", "1", *args, "."])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fail_on", ["medium", "never"])
def test_exit_status_3_whatever_fail_on_says(tree, capsys, fail_on):
    code, out = check(capsys, "--fail-on", fail_on)
    assert code == 3
    (line,) = [x for x in out.splitlines() if x.startswith("deep.py:3: error: not analysed (line 3): ")]
    assert f"nesting deeper than {MAX_NESTING} levels" in line
    assert "ok.py:2:1: B301" in out  # the other file's results are kept
    assert "1 file(s) NOT fully analysed" in out.splitlines()[-1]


def test_json_lists_the_failure_and_each_file_status(tree, capsys):
    code, out = check(capsys, "--format", "json")
    doc = json.loads(out)
    (error,) = doc["errors"]
    assert error["path"] == "deep.py" and error["kind"] == "not-analysed" and error["line"] == 3
    status = {f["path"]: f["status"] for f in doc["files"]}
    # pyproject.toml is read too (secrets)
    assert status == {"deep.py": "not-analysed", "ok.py": "analysed", "pyproject.toml": "analysed"}
    assert doc["summary"]["not_analysed"] == 1
    assert {r["rule_id"] for r in doc["results"]} >= {"B602", "B307", "B301"}


def test_sarif_says_execution_failed_with_the_location(tree, capsys):
    code, out = check(capsys, "--format", "sarif")
    invocation = json.loads(out)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    location = note["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "deep.py"
    assert location["region"] == {"startLine": 3, "endLine": 3}
    assert note["level"] == "error" and "not analysed" in note["message"]["text"]


def test_github_format_has_an_error_annotation(tree, capsys):
    code, out = check(capsys, "--format", "github")
    assert any(line.startswith("::error file=deep.py,line=3,endLine=3,title=bastion%3A not analysed::")
               for line in out.splitlines())
    assert code == 3


def test_an_analyzer_crash_in_a_scan_fails_the_run_and_keeps_the_other_files(tree, capsys,
                                                                              monkeypatch):
    (tree / "deep.py").write_text("boom = 1\n", encoding="utf-8")
    monkeypatch.setattr(scan, "_ENGINE", Engine([BanditAdapter(), Failing(RuntimeError("x"))],
                                                unit_caches=False))
    code, out = check(capsys, "--fail-on", "never")
    assert code == 3
    assert "deep.py:1: error: not analysed (line 1): failing failed: RuntimeError: x" in out
    assert "ok.py:2:1: B301" in out


def test_not_analysed_reads_as_a_sentence():
    assert str(NotAnalysed("why", 2, 4)) == "not analysed (lines 3-5): why"
    assert str(NotAnalysed("why")) == "not analysed: why"


def test_a_bandit_check_that_raises_makes_its_unit_not_analysed():
    """Bandit logs a check that raises and goes on: the finding it would have made is missing
    without a word. Here the statement is "not analysed", naming the check; the others' findings
    stand."""
    adapter = BanditAdapter()

    def crashing(context):
        if context.call_function_name == "boom":
            raise KeyError("lineno")

    crashing._test_id = "B999"
    adapter._testset.tests["Call"].append(crashing)
    try:
        analysis = Engine([adapter]).analyse("eval(a)\nboom(1)\n", "x.py", CONFIG)
    finally:
        adapter._testset.tests["Call"].remove(crashing)
    assert [f.rule_id for f in analysis.findings] == ["B307"]
    (failure,) = analysis.errors
    assert failure.start_line == 1
    assert "bandit's check crashing raised KeyError at line 2" in failure.reason
