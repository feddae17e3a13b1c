"""A steady keystroke takes the last text's outcomes of the functions whose cache key reads
nothing it changed (outcome_reuse.py), without making their keys again; and whatever the edits
(a module constant an unedited function reads, a helper's summary its unedited callers see, an
import added, a class's `__init__`, a Content-Type set in another method, a key typed in a
method, a view's decorators), a warm analyzer's results are a fresh one's."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from tests.hypothesis_budget import examples
from tests.unit.slot_edits import assert_warm_is_fresh, edit_runs, filled, result
from tests.unit.taint_analysed import analysed

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.model_files import load_models

MODELS, RULES = load_models(), load_taint_rules()

# Each slot's first text is the template's; the others are what an edit makes of its line.
SLOTS = {
    "import": ("import os", "import os\nimport shlex", "import os\nfrom shlex import quote as clean"),
    "prefix": ('PREFIX = "ls "', "PREFIX = 4", 'PREFIX = os.environ["P"]'),
    "clean": ("    return value", "    return shlex.quote(value)", '    return "fixed"',
              "    return value + "),
    "init": ("        self.base = base", '        self.base = "ls "', "        self.base = base.strip()"),
    "other": ("        return 1", "        return subprocess",
              "        self.set_header('Content-Type', 'text/plain')",
              "        self.base = self.get_argument('b')"),
    "typed": ("    text = build(name)", "    text = build(name)\n    x = subprocess.call(te",
              "    text = build(name)\n    x = subprocess.call(text, shell=True)"),
    # what a decorator of the module injects as a keyword into the view it wraps (an unedited
    # view's outcome reads its decorators' texts)
    "injected": ('        kwargs["name"] = request.args["n"]', '        kwargs["name"] = "ls"',
                 '        kwargs["other"] = request.args["n"]'),
}

TEMPLATE = """import subprocess
{import}
import tornado.web
from flask import Flask, request

app = Flask(__name__)
{prefix}


def build(name):
    return PREFIX + name


def clean(value):
{clean}


def shell(name):
{typed}
    return subprocess.call(text, shell=True)


class Runner:
    def __init__(self, base):
{init}

    def run(self, arg):
        return subprocess.call(self.base + clean(arg), shell=True)


class Page(tornado.web.RequestHandler):
    def prepare(self):
{other}

    def get(self):
        self.write(self.get_argument("q"))

    def later(self):
        return self.base
""" + "".join(f"""
    def part{i}(self):
        return {i}
""" for i in range(30)) + """

@app.route("/a")
def a():
    return shell(request.args["q"])


@app.route("/b")
def b():
    return Runner("ls ").run(request.args["q"])


@app.route("/c")
def c():
    return os.system(build(clean(request.args["q"])))


def keep(f):
    return f


from functools import wraps  # here: the lines above are the other tests'


def with_name(f):
    @wraps(f)
    def inner(*args, **kwargs):
{injected}
        return f(*args, **kwargs)
    return inner


@app.route("/d")
@keep
@with_name
def d(name="ls"):
    return os.system(name)
"""


def _text(choices: dict[str, int]) -> str:
    return filled(TEMPLATE, SLOTS, choices)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(texts=[_text({"injected": 1}), _text({"injected": 0}), _text({"injected": 2})])
@given(texts=edit_runs(TEMPLATE, SLOTS))
def test_a_warm_analyzer_after_edits_is_a_fresh_one(texts):
    assert_warm_is_fresh(lambda: TaintAnalyzer(MODELS, RULES), _text({}), texts)


def _keys_made(analyzer: TaintAnalyzer, text: str, monkeypatch) -> list[str]:
    return analysed(analyzer, text, "app.py", monkeypatch, step="function_key")


def test_a_steady_key_makes_the_keys_of_what_it_changed(monkeypatch):
    """A key typed in `shell` makes its cache key and its callers' whose callee's outcome is
    another (`a`); on main, every settled function's key was made again (each key of `a`'s
    line of typing)."""
    warm = TaintAnalyzer(MODELS, RULES)
    warm.analyse_file(_text({}), "app.py")
    warm.analyse_file(_text({"typed": 1}), "app.py")
    made = _keys_made(warm, _text({"typed": 2}), monkeypatch)
    assert made == ["shell", "a"]
    assert result(warm, _text({"typed": 2})) == result(TaintAnalyzer(MODELS, RULES), _text({"typed": 2}))


def test_a_summary_change_reaches_the_unchanged_callers(monkeypatch):
    """`clean` quoting its argument: `Runner.run` and `c`, unedited, are settled again with
    its new summary (their findings go), the others are taken as they were."""
    warm = TaintAnalyzer(MODELS, RULES)
    before = warm.analyse_file(_text({"import": 1}), "app.py")
    assert {f.span.start_line for f in before if f.rule_id == "BST202"} >= {28}
    quoted = _text({"import": 1, "clean": 1})
    made = _keys_made(warm, quoted, monkeypatch)
    assert set(made) >= {"clean", "Runner.run", "c"} and "Page.get" not in made
    assert result(warm, quoted) == result(TaintAnalyzer(MODELS, RULES), quoted)
    assert 28 not in {f.span.start_line for f in warm.analyse_file(quoted, "app.py")
                      if f.rule_id == "BST202"}
