"""A callee's summary fingerprint holds every part of the summary its callers read (issue 12: a
stale finding in the editor): what an argparse helper declares (`Summary.adds`, read by a
module of the workspace handing it a parser), its origins' columns and ends, the findings its
values carry (`Value.reported`), and whether they are modelled, known, prefixed. An edit of the
callee changing only those reaches its callers: a long-lived analyzer's findings (spans,
columns, steps, messages) are a fresh one's, after edits of a helper module in the editor's
store, and after random edits of a file, columns moved on a line among them."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.domain import Origin, Value
from bastion.analyzers.taint.fingerprints import summary_fingerprint
from bastion.analyzers.taint.model_files import load_models
from bastion.analyzers.taint.results import Summary
from bastion.analyzers.taint.workspace import SummaryStore

MODELS, RULES = load_models(), load_taint_rules()

CLI = '''import argparse


def add_options(parser):
    parser.add_argument("--delay", type=int)
    return None
'''
TOOL = '''import argparse
import os

from cli import add_options


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int)
    add_options(parser)
    args = parser.parse_args()
    os.system("sleep %s" % args.delay)
'''


def _attached(analyzer: TaintAnalyzer, root: Path) -> TaintAnalyzer:
    analyzer.workspace = SummaryStore([str(root)], analyzer.models, analyzer.version, False)
    return analyzer


def _found(analyzer: TaintAnalyzer, root: Path) -> list[tuple[str, int]]:
    """What the editor reports in tool.py once its store prepared the file."""
    path = str(root / "tool.py")
    analyzer.workspace.prepare(TOOL, path)
    return [(f.rule_id, f.line) for f in analyzer.analyse_file(TOOL, path)]


@pytest.mark.parametrize(("before", "after", "found"), [
    (", type=int", "", [("BST202", 11)]),  # the helper stops validating --delay
    ("", ", type=int", []),  # its safe twin: it starts to
])
def test_an_argparse_helper_declaring_otherwise_reaches_the_module_handing_it_a_parser(
        tmp_path, before, after, found):
    """Only the destinations `add_options` declares change (`Summary.adds`): before, its
    fingerprint and the module's did not, and tool.py kept its result of the old helper."""
    cli = CLI.replace(", type=int", before)
    (tmp_path / "cli.py").write_text(cli, encoding="utf-8")
    (tmp_path / "tool.py").write_text(TOOL, encoding="utf-8")
    warm = _attached(TaintAnalyzer(MODELS, RULES), tmp_path)
    assert _found(warm, tmp_path) == ([] if before else [("BST202", 11)])
    (tmp_path / "cli.py").write_text(cli.replace(f'"--delay"{before}', f'"--delay"{after}'),
                                     encoding="utf-8")
    warm.workspace.changed(str(tmp_path / "cli.py"))
    assert _found(warm, tmp_path) == found == _found(_attached(TaintAnalyzer(MODELS, RULES), tmp_path),
                                                   tmp_path)


def _summary(value: Value, adds=None) -> Summary:
    return Summary(("q",), value, (), adds=adds)


def test_the_fingerprint_tells_every_part_callers_read():
    """Each part apart: an origin's column, its end, a finding carried, whether the value is
    modelled, known, prefixed by untrusted data, a helper's declarations;
    an origin's line and a carried finding's are told by `place` (moves keep the fingerprint)."""
    origin = Origin("remote", "Request data (`request.args`)", 6, 11, 6, 32)
    value = Value(frozenset({origin}))
    base = summary_fingerprint(_summary(value))
    others = [Value(frozenset({origin.evolve(col=12)})),
              Value(frozenset({origin.evolve(end_col=40)})),
              Value(frozenset({origin.evolve(end_line=7)})),
              value.evolve(reported=frozenset({("shell", 9)})),
              value.evolve(modelled=False), value.evolve(known=True), value.evolve(prefix=False)]
    prints = {summary_fingerprint(_summary(v)) for v in others}
    prints |= {summary_fingerprint(_summary(value, adds)) for adds in [
        (frozenset({"delay"}), frozenset()), (frozenset(), frozenset({"delay"}))]}
    assert len(prints | {base}) == len(others) + 3
    moved = Value(frozenset({origin.evolve(line=8, end_line=8)}),
                  reported=frozenset({("shell", 11)}))
    assert summary_fingerprint(_summary(moved), lambda line: ("read", line - 8)) == summary_fingerprint(
        _summary(value.evolve(reported=frozenset({("shell", 9)}))), lambda line: ("read", line - 6))


# helpers whose origins share a line, a join keeping one side's steps, findings carried out of
# a callee (`compile` then `exec`), and a recursive pair
APP = '''import os
import subprocess
from flask import Flask, request
from markupsafe import Markup

app = Flask(__name__)


def read():
    return request.args.get("a") + request.headers.get("b")


def either(c):
    if c:
        return request.args.get("a").strip().lower()
    return request.cookies.get("k")


def table():
    return {"x": request.args.get("x"), "y": request.form.get("y")}


def code(q):
    return compile(q, "x", "exec")


def outer(q):
    return code(q)


def walk(q, n):
    return q if n <= 0 else back(q + "/", n - 1)


def back(q, n):
    return walk(q, n)


def page(q):
    return Markup("<b>%s</b>" % q)


@app.route("/a")
def a():
    os.system(read())
    os.system(either(1))
    subprocess.call(table()["y"], shell=True)
    os.system(walk(request.args["w"], 3))


@app.route("/b")
def b():
    exec(code(request.args["c"]))
    exec(outer(request.args["d"]))
    return page(request.args["e"])
'''
POINTS = ("request", "(", "+", "return ", '"', "[")


@st.composite
def edits(draw, text: str):
    """Texts after a few edits: a space before or after a point of a line (an origin's column
    or end moved), parentheses around its expression, an Enter, a deleted line."""
    lines = text.split("\n")
    texts = []
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        action = draw(st.sampled_from(["space", "space", "space", "wrap", "enter", "delete"]))
        found = [i for i in range(len(line)) if line.startswith(POINTS, i)]
        if action == "space" and found:
            i = draw(st.sampled_from(found)) + draw(st.integers(0, 1))
            lines[at] = line[:i] + " " + line[i:]
        elif action == "wrap" and "return " in line:
            lines[at] = line.replace("return ", "return (", 1) + ")"
        elif action == "enter":
            lines.insert(at + 1, line[:len(line) - len(line.lstrip())])
        elif action == "delete" and len(lines) > 1:
            del lines[at]
        texts.append("\n".join(lines))
    return texts


def _shown(findings) -> list:
    return [(f.rule_id, f.message, attrs.astuple(f.span), [attrs.astuple(s.span) for s in f.steps])
            for f in findings]


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=edits(APP))
def test_an_app_after_column_edits_is_analysed_as_from_scratch(texts):
    warm = TaintAnalyzer(MODELS, RULES)
    warm.analyse_file(APP, "app.py")
    for edited in texts:
        found = warm.analyse_file(edited, "app.py")
        assert found == TaintAnalyzer(MODELS, RULES).analyse_file(edited, "app.py"), edited
        assert _shown(found) == _shown(TaintAnalyzer(MODELS, RULES).analyse_file(edited, "app.py"))
