"""An Enter above a callee moves its lines, not what its callers find of it: a callee's summary
fingerprint tells its lines from the first line of the function holding them (places.py), so a
caller keeps its cache key, and its kept outcome is shifted function by function (moves.py). A
warm analyzer's results after edits (Enters, deleted lines, pasted blocks) are a fresh one's:
findings with their paths' steps inside moved callees, verdicts, function ranges."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples
from tests.unit.taint_analysed import analysed

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.model_files import load_models

MODELS, RULES = load_models(), load_taint_rules()
# a web app whose findings' paths go through methods and helpers above and below their callers
SHOP = '''import sqlite3
import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/e")
def e():
    return archive(request.args["f"])


class Store:
    def __init__(self, path):
        self.path = path

    def run(self, command):
        return subprocess.run(command, shell=True)

    def query(self, name):
        conn = sqlite3.connect(self.path)
        return conn.execute("SELECT * FROM t WHERE name = '%s'" % name)

    def lookup(self, name):
        cleaned = name.strip()
        return self.query(cleaned)

    def ping(self, host):
        target = host.lower()
        return self.run("ping -c 1 " + target)


STORE = Store("db.sqlite")


def fetch(name):
    value = name.lower()
    return STORE.lookup(value)


@app.route("/a")
def a():
    return fetch(request.args["name"])


@app.route("/b")
def b():
    return STORE.ping(request.args["host"])


@app.route("/c")
def c():
    store = Store("x")
    return store.lookup(request.args.get("q"))


def archive(name):
    target = name + ".tgz"
    return subprocess.call("tar czf " + target + " data", shell=True)
'''
ARGPARSE = "import subprocess\n" + (Path(sysconfig.get_paths()["stdlib"]) / "argparse.py").read_text(
    encoding="utf-8")


TYPED = ("x = subprocess.run(cmd, shell=True)", "return os.system('ls ' + name)",
         "if name:", "data = request.args['q'")


def _analyzer() -> TaintAnalyzer:
    return TaintAnalyzer(MODELS, RULES)


def _result(analyzer: TaintAnalyzer, text: str, name: str):
    return attrs.astuple(analyzer._result(text, name), recurse=False)


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip())]


@st.composite
def edits(draw, text: str):
    """Texts after a few edits: an Enter after a line (its indentation), a deleted line, a
    block of lines pasted elsewhere (a definition again, or a broken state), a line half typed
    after a line (at its indentation: the block parser reads its block without it)."""
    lines = text.split("\n")
    texts = []
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["enter", "enter", "enter", "delete", "paste", "type"]))
        if action == "type":
            typed = draw(st.sampled_from(TYPED))
            lines.insert(at + 1, _indent(lines[at]) + typed[:draw(st.integers(1, len(typed)))])
        elif action == "enter":
            lines.insert(at + 1, _indent(lines[at]))
        elif action == "delete" and len(lines) > 1:
            del lines[at]
        elif action == "paste":
            start = draw(st.integers(0, len(lines) - 1))
            lines[at:at] = lines[start:start + draw(st.integers(1, 12))]
        texts.append("\n".join(lines))
    return texts


def _same_as_fresh(text: str, texts: list[str], name: str) -> None:
    warm = _analyzer()
    warm.analyse_file(text, name)
    for edited in texts:
        assert _result(warm, edited, name) == _result(_analyzer(), edited, name), edited


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=edits(SHOP))
def test_a_web_app_after_edits_is_analysed_as_from_scratch(texts):
    _same_as_fresh(SHOP, texts, "shop.py")


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=edits(ARGPARSE))
def test_argparse_after_edits_is_analysed_as_from_scratch(texts):
    _same_as_fresh(ARGPARSE, texts, "argparse.py")


def _chain(quoted: bool) -> str:
    """A handler class whose methods each call the one above; the first one's sink is reached
    from `get` through all of them (a safe twin quotes the argument there). Above them,
    `header`, which reads request data and is called by none."""
    argument = "shlex.quote(value)" if quoted else "value"
    methods = ["    def header(self):\n        name = self.get_argument('n')\n        return name.strip()\n",
               f"    def step0(self, value):\n        return os.system('ping ' + {argument})\n"]
    methods += [f"    def step{i}(self, value):\n        part = value.strip()\n"
                f"        return self.step{i - 1}(part)\n" for i in range(1, 12)]
    return ("import os\nimport shlex\nimport tornado.web\n\n\nclass Ping(tornado.web.RequestHandler):\n"
            + "\n".join(methods)
            + "\n    def get(self):\n        return self.step11(self.get_argument('h'))\n")


ENTER = ("        name = self.get_argument('n')\n", "        name = self.get_argument('n')\n\n")


def test_an_enter_above_methods_analyses_only_the_edited_one(monkeypatch):
    """An Enter in the first method moves the twelve below it, the callees of `get`: only the
    edited method is analysed again (on main: every one of them, their summaries' lines had
    moved), and the finding's path through all of them is a fresh analysis's, at their new
    lines."""
    text = _chain(quoted=False)
    warm = _analyzer()
    first = warm.analyse_file(text, "ping.py")
    assert [f.rule_id for f in first] == ["BST202"]
    edited = text.replace(*ENTER)
    assert analysed(warm, edited, "ping.py", monkeypatch) == ["Ping.header"]
    found = warm.analyse_file(edited, "ping.py")
    assert found == _analyzer().analyse_file(edited, "ping.py")
    assert found[0].span.start_line == first[0].span.start_line + 1
    assert [s.span.start_line for s in found[0].steps] == [s.span.start_line + 1 for s in first[0].steps]


def test_an_enter_above_a_quoted_twin_reports_nothing(monkeypatch):
    text = _chain(quoted=True)
    warm = _analyzer()
    assert warm.analyse_file(text, "ping.py") == []
    edited = text.replace(*ENTER)
    assert analysed(warm, edited, "ping.py", monkeypatch) == ["Ping.header"]
    assert warm.analyse_file(edited, "ping.py") == []


def test_an_enter_in_argparse_s_first_container_method_analyses_it_alone(monkeypatch):
    """argparse.py: an Enter in `_ActionsContainer.register` analysed 37 functions again, the
    callers of the methods below it that only moved."""
    warm = _analyzer()
    warm.analyse_file(ARGPARSE, "argparse.py")
    lines = ARGPARSE.split("\n")
    at = lines.index("    def register(self, registry_name, value, object):") + 1
    edited = "\n".join(lines[:at + 1] + [_indent(lines[at])] + lines[at + 1:])
    assert analysed(warm, edited, "argparse.py", monkeypatch) == ["_ActionsContainer.register"]
    assert _result(warm, edited, "argparse.py") == _result(_analyzer(), edited, "argparse.py")


# a class longer than the block parser parses whole (blocks.SPLIT_CLASS_LINES): an edit in
# one of its methods hands back the others' nodes, and a new node of the class
ECHO = """import tornado.web


class Base(tornado.web.RequestHandler):
    pass


class Echo(Base):
    def prepare(self):
        self.started = True

""" + "".join(f"    def part{i}(self):\n        return {i}\n\n" for i in range(30)) + """\
    def get(self):
        self.write(self.get_argument("q"))
"""


def test_a_method_s_kept_key_follows_its_class(monkeypatch):
    """A method's cache key is kept with its node between texts (`CalleeMemo.key`), with what it
    reads of its class that its text does not hold: an unedited `get` whose class comes to set a
    plain-text Content-Type in another method writes no HTML (a safe twin), and one whose class
    stops deriving from a handler is no entry."""
    plain = ECHO.replace("        self.started = True\n",
                         "        self.set_header('Content-Type', 'text/plain')\n")
    other = ECHO.replace("class Echo(Base):", "class Echo(object):")
    for edited in (plain, other):
        warm = _analyzer()
        assert [f.rule_id for f in warm.analyse_file(ECHO, "echo.py")] == ["BST203"]
        assert warm.analyse_file(edited, "echo.py") == _analyzer().analyse_file(edited, "echo.py") == []
    warm = _analyzer()
    warm.analyse_file(ECHO, "echo.py")
    moved = ECHO.replace("        self.started = True\n", "        self.started = True\n\n")
    assert analysed(warm, moved, "echo.py", monkeypatch) == []  # an Enter: nothing read again
    assert [f.span.start_line for f in warm.analyse_file(moved, "echo.py")] == [103]
