"""Class attributes holding a constant (taint/class_constants.py): which are, read from the
module's text (the editor, `bastion check`) and from its tree alone (workspace summaries) alike."""

from __future__ import annotations

import ast

import pytest

from bastion.analyzers.taint.bindings import Bindings
from bastion.analyzers.taint.class_constants import MAX_OCCURRENCES, class_constants
from bastion.analyzers.taint.module_level import fold_constant

HEAD = ("class Config:\n    SHELL = 'uptime'\n    ITEMS = ['a']\n    PAIR = ('a', 1)\n"
        "    def run(self):\n        return self.SHELL\n"
        "    def more(self):\n        self.ITEMS.append('b')\n")
CASES = [
    (HEAD, {"Config.SHELL", "Config.PAIR"}),
    (HEAD + "def f():\n    g(Config.SHELL, shell=True)\n", {"Config.SHELL", "Config.PAIR"}),
    (HEAD + "Config.SHELL = load()\n", {"Config.PAIR"}),
    (HEAD + "def f(c):\n    c.SHELL += 'x'\n", {"Config.PAIR"}),
    (HEAD + "def f(c):\n    (c.SHELL, y) = 1, 2\n", {"Config.PAIR"}),
    (HEAD + "def f(c):\n    del c.PAIR\n", {"Config.SHELL"}),
    (HEAD + "def f(c):\n    for c.SHELL in x:\n        pass\n", {"Config.PAIR"}),
    (HEAD + "def f(c, n):\n    setattr(c, n, 1)\n", set()),
    (HEAD + "def f(c):\n    c.__dict__.update(x)\n", set()),
    (HEAD + "class Config:\n    pass\n", set()),  # bound twice: either may be the one read
    ("class C:\n    if x:\n        A = 'a'\n    A = 'b'\n", set()),  # not plain assignments only
    ("class C:\n    A = 'a'\n    A = 'b'\n", set()),
]


# A container display is a constant while every `.NAME` of the text reads it (the items of a
# host allow-list: `urlparse(u).netloc in self.ALLOWED`), never once something may change it.
POLICY = ("class Policy:\n    ALLOWED = {'example.com'}\n    HOSTS = ['a.example']\n    KEYS = {'a': 1}\n"
          "    def allows(self, host):\n        return host in self.ALLOWED or host in Policy.HOSTS\n")
CONTAINERS = [
    (POLICY, {"Policy.ALLOWED", "Policy.HOSTS", "Policy.KEYS"}),
    (POLICY + "def f(h):\n    print(len(Policy.ALLOWED), Policy.KEYS.get(h), h in Policy.HOSTS)\n",
     {"Policy.ALLOWED", "Policy.HOSTS", "Policy.KEYS"}),
    (POLICY + "Policy.ALLOWED.add(load())\n", {"Policy.HOSTS", "Policy.KEYS"}),
    (POLICY + "def f(p):\n    p.HOSTS.append(x)\n", {"Policy.ALLOWED", "Policy.KEYS"}),
    (POLICY + "def f(p):\n    p.KEYS['b'] = 2\n", {"Policy.ALLOWED", "Policy.HOSTS"}),
    (POLICY + "def f(p):\n    hosts = p.ALLOWED\n    hosts.add(x)\n", {"Policy.HOSTS", "Policy.KEYS"}),
    (POLICY + "def f(p):\n    register(p.ALLOWED)\n", {"Policy.HOSTS", "Policy.KEYS"}),
    (POLICY + "def f(p):\n    return p.HOSTS\n", {"Policy.ALLOWED", "Policy.KEYS"}),
    (POLICY + "def f(p):\n    p.ALLOWED |= {x}\n", {"Policy.HOSTS", "Policy.KEYS"}),
    (POLICY + "def f(p):\n    getattr(p, 'HOSTS').append(x)\n", set()),
    (POLICY + "def f(p):\n    p.HOSTS.extend(more)\n    p.KEYS.update(x)\n", {"Policy.ALLOWED"}),
    ("class C:\n    A = frozenset({'a'})\n    B = tuple(['b'])\n    C = set(['c'])\n"
     "def f(c):\n    c.C.discard('c')\n", {"C.A", "C.B"}),
]


def _found(source: str, text: str | None) -> tuple[set[str], dict]:
    tree = ast.parse(source)
    bindings = Bindings(tree.body, None, text)
    definitions = [n for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))]
    explicit, through_self = class_constants(definitions, bindings.once, fold_constant, text, tree)
    return set(explicit), {c: set(t) for c, t in through_self.items()}


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_constants_from_the_text_and_from_the_tree(source, expected):
    from_text = _found(source, source)
    assert from_text[0] == expected
    assert from_text == _found(source, None)
    assert from_text[1] == ({"Config": {n.split(".")[1] for n in expected}} if expected else {})


@pytest.mark.parametrize(("source", "expected"), CONTAINERS)
def test_a_container_is_constant_while_the_text_only_reads_it(source, expected):
    from_text = _found(source, source)
    assert from_text[0] == expected
    assert from_text == _found(source, None)


def test_self_reads_no_constant_another_class_binds_however_its_body_is_written():
    source = HEAD + "class Sub(Config):\n    if flag:\n        SHELL = 'other'\n"
    assert _found(source, source) == ({"Config.SHELL", "Config.PAIR"}, {"Config": {"PAIR"}})
    assert _found(source, None) == _found(source, source)


@pytest.mark.parametrize("header", ["class Color(Enum):", "class Color(Base):", "class Color(metaclass=M):",
                                    "@dataclass\nclass Color:"])
def test_a_class_a_base_or_metaclass_may_change_has_no_constants(header):
    source = f"{header}\n    RED = 'r'\n"
    assert _found(source, source) == (set(), {})


def test_a_class_derived_from_a_plain_class_of_the_module_has_its_constants():
    source = "class Base:\n    pass\nclass Repo(Base):\n    table = 'items'\n"
    assert _found(source, source) == ({"Repo.table"}, {"Repo": {"table"}})


def test_past_the_bound_of_attributes_looked_at_none_is_a_constant():
    """Each attribute of a candidate name is looked at in Python at every keystroke: a module
    where they are many (`p.x` everywhere) takes none as constant instead of spending the time."""
    reads = "".join(f"def f{i}(p):\n    return p.x\n" for i in range(MAX_OCCURRENCES + 1))
    assert _found("class P:\n    x = 0\n" + reads, None)[0] == {"P.x"}  # from the tree: no bound
    assert _found("class P:\n    x = 0\n" + reads, "class P:\n    x = 0\n" + reads) == (set(), {})
    fewer = "class P:\n    x = 0\n" + reads[:reads.index(f"def f{MAX_OCCURRENCES - 2}(")]
    assert _found(fewer, fewer)[0] == {"P.x"}


GUARDED = '''from urllib.parse import urlparse
from flask import Flask, abort, redirect, request
app = Flask(__name__)
class UrlPolicy:
    ALLOWED = {"example.com", "www.example.com"}
    def allows(self, url):
        return urlparse(url).netloc in self.ALLOWED
policy = UrlPolicy()
@app.route("/go")
def go():
    nxt = request.args["next"]
    if not policy.allows(nxt):
        abort(400)
    return redirect(nxt)
'''


@pytest.mark.parametrize(("extra", "reported"), [
    ("", []),
    ("@app.route('/trust')\ndef trust():\n    policy.ALLOWED.add(request.args['host'])\n    return 'ok'\n",
     ["BST210"]),
])
def test_a_set_allow_list_of_a_guard_method_guards_while_nothing_changes_it(extra, reported):
    """Flask's documentation idiom of a host allow-list, kept as a class's set: a redirect it
    checked is safe, unless the module adds to the set (here, a request's host)."""
    from bastion.analyzers.taint.analyzer import TaintAnalyzer

    found = TaintAnalyzer().analyse_file(GUARDED + extra, "views.py")
    assert [f.rule_id for f in found] == reported



# Django's class-based views keep their configuration in class attributes (`http_method_names`,
# `template_name`); an allow-list kept there guards as a plain class's does, read as
# `self.FORMATS` or as `Report.FORMATS`.
REPORTS = '''import subprocess
from django.http import HttpResponse
from django.views import View
class Report(View):
    FORMATS = {"pdf", "csv"}
    def get(self, request):
        fmt = request.GET["fmt"]
        if fmt not in self.FORMATS:
            return HttpResponse(status=400)
        subprocess.run("make-report --format " + fmt, shell=True)
        return HttpResponse("ok")
class Export(View):
    def get(self, request):
        fmt = request.GET["fmt"]
        if fmt in Report.FORMATS:
            subprocess.run("make-export --format " + fmt, shell=True)
        return HttpResponse("ok")
'''


def _rules(source: str) -> list[tuple[str, int]]:
    from bastion.analyzers.taint.analyzer import TaintAnalyzer

    return sorted((f.rule_id, f.line) for f in TaintAnalyzer().analyse_file(source, "views.py"))


@pytest.mark.parametrize(("source", "reported"), [
    (REPORTS, []),
    (REPORTS.replace("fmt not in self.FORMATS", "not fmt"), [("BST202", 9)]),
    (REPORTS.replace("fmt in Report.FORMATS", "fmt"), [("BST202", 15)]),
    # a function of the module may rebind the class's attribute: no constant
    (REPORTS + "def widen(view, request):\n    view.FORMATS = request.GET.getlist('f')\n",
     [("BST202", 9), ("BST202", 15)]),
])
def test_a_request_handler_class_keeps_its_constants(source, reported):
    assert _rules(source) == reported
