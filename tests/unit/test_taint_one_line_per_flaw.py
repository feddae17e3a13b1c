"""One flaw is reported on one line (issue 12): when the value a sink call builds goes on into a
second sink of the same class, the flow is reported once, at the first sink, where the untrusted
data becomes markup, code or a query (`mark_safe`, `compile`, `text`), which is the line to fix;
the second call only uses what was built there. Cases follow the Django, Python and SQLAlchemy
documentation. Guards: data from another source into the second sink, or data that reaches it
by another way, is still reported there; bandit's pattern finding on the second call is replaced
by the finding at the first (named, so it comes back when that rule is not reported), never
retracted as if safe."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()
DEFAULT = Config()
EXACT = Config(bandit_exact=True)
FLASK = "from flask import Flask, request\napp = Flask(__name__)\n"
DJANGO = "from django.http import HttpResponse\nfrom django.utils.safestring import mark_safe\n"


def reported(source: str, config: Config = DEFAULT) -> list[tuple[str, int]]:
    return sorted((f.rule_id, f.line + 1) for f in ENGINE.analyse(source, "case.py", config).findings
                  if f.rule_id not in ("B403", "B404"))


def retracted(source: str) -> dict[tuple[str, int], str | None]:
    return {(f.rule_id, f.line + 1): f.retracted
            for f in ENGINE.analyse(source, "case.py", EXACT).findings if f.rule_id.startswith("B")}


DUPLICATES = [
    ("markup", DJANGO + "def v(request):\n    msg = mark_safe('<b>%s</b>' % request.GET['msg'])\n    return HttpResponse(msg)\n",
     [("BST203", 4)]),
    ("code", DJANGO + "def v(request):\n    code = compile(request.GET['c'], '<s>', 'exec')\n    exec(code)\n    return HttpResponse('ok')\n",
     [("BST206", 4)]),
    ("eval", DJANGO + "def v(request):\n    code = compile(request.GET['c'], '<s>', 'eval')\n    return HttpResponse(str(eval(code)))\n",
     [("BST203", 5), ("BST206", 4)]),
    ("query", FLASK + "from sqlalchemy import text\n@app.route('/q')\ndef q():\n    stmt = text(f\"SELECT * FROM t WHERE n = {request.args['q']}\")\n    return str(conn.execute(stmt).all())\n",
     [("BST204", 6)]),
    ("view response", FLASK + "from markupsafe import Markup\n@app.route('/m')\ndef m():\n    out = Markup('<b>%s</b>' % request.args['m'])\n    return str(out)\n",
     [("BST203", 6)]),
]


@pytest.mark.parametrize(("source", "expected"), [(s, e) for _, s, e in DUPLICATES],
                         ids=[name for name, _, _ in DUPLICATES])
def test_a_value_built_by_a_sink_and_used_by_another_of_its_class_is_one_finding(source, expected):
    assert reported(source) == expected


def test_a_helper_that_builds_the_code_is_reported_once_where_it_builds_it():
    source = DJANGO + "def helper(x):\n    return compile(x, '<s>', 'exec')\ndef v(request):\n    exec(helper(request.GET['m']))\n    return HttpResponse('ok')\n"
    assert reported(source) == [("BST206", 4)]
    assert retracted(source)[("B102", 6)] == "replaced by BST206 (line 4), which has the path"


def test_a_second_source_into_the_second_sink_is_still_reported_there():
    source = DJANGO + "def v(request):\n    msg = mark_safe('<b>%s</b>' % request.GET['a'])\n    return HttpResponse(msg + request.GET['b'])\n"
    assert reported(source) == [("BST203", 4), ("BST203", 5)]


def test_data_reaching_the_second_sink_another_way_is_still_reported_there():
    source = DJANGO + "def v(request):\n    msg = mark_safe('<b>%s</b>' % request.GET['a'])\n    if request.GET.get('x'):\n        msg = request.GET['b']\n    return HttpResponse(msg)\n"
    assert reported(source) == [("BST203", 4), ("BST203", 7)]
    other = DJANGO + "def v(request):\n    code = compile(request.GET['c'], '<s>', 'exec')\n    exec(request.GET['d'])\n    return HttpResponse('ok')\n"
    assert reported(other) == [("BST206", 4), ("BST206", 5)]


def test_bandits_finding_on_the_second_call_is_replaced_by_the_first_findings_line():
    source = DJANGO + "def v(request):\n    code = compile(request.GET['c'], '<s>', 'exec')\n    exec(code)\n    return HttpResponse('ok')\n"
    assert retracted(source)[("B102", 5)] == "replaced by BST206 (line 4), which has the path"
    # that finding not reported, bandit's comes back
    assert ("B102", 5) in reported(source, Config(select=("B102",)))


def test_bandit_verdicts_of_unreported_or_safe_flows_are_unchanged():
    helper = "def f(src):\n    code = compile(src, '<s>', 'exec')\n    exec(code)\n"
    assert retracted(helper) == {("B102", 3): None}
    # doctest.py's form, whose finding marking compile's result clean retracted
    doctest = "def run(example, globs):\n    exec(compile(example.source, '<s>', 'single'), globs)\n"
    assert retracted(doctest) == {("B102", 2): None}
    constant = "def f():\n    exec('x = 1')\n"
    assert retracted(constant) == {("B102", 2): "its argument is constant"}


# urllib's documentation: a `Request` built from a URL, then opened. The flaw is reported at the
# `Request` (the value carrying only its URL): a helper that opens it is the same flaw, whether
# it is in this file (its summary's sink) or in another module.
FETCH = "import urllib.request\ndef fetch(req):\n    return urllib.request.urlopen(req).read()\n"
FETCHING = "{imports}import urllib.request\nfrom flask import request\ndef v():\n    req = urllib.request.Request(request.args['u'])\n    return fetch(req)\n"


def test_a_helper_sink_reached_after_the_flow_was_reported_is_not_reported_again():
    source = FETCH + FETCHING.format(imports="")
    assert reported(source) == [("BST213", 7)]
    assert retracted(source)[("B310", 3)] == "replaced by BST213 (line 7), which has the path"
    # the helper after its caller: the caller's verdict on the helper's sink still holds
    after = FETCHING.format(imports="") + FETCH
    assert reported(after) == [("BST213", 4)]
    assert retracted(after)[("B310", 8)] == "replaced by BST213 (line 4), which has the path"


def test_a_helper_sink_reached_by_another_flow_is_still_reported_there():
    url = FETCH + "from flask import request\ndef v():\n    return fetch(request.args['u'])\n"
    assert reported(url) == [("BST213", 3)]
    other = FETCH + FETCHING.format(imports="").replace("fetch(req)", "fetch(req), fetch(request.args['v'])")
    assert reported(other) == [("BST213", 3), ("BST213", 7)]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_another_modules_helper_sink_after_the_flow_was_reported_is_not_reported_again(tmp_path, compute):
    from tests.unit.test_taint_workspace_records import workspace_findings

    from bastion.analyzers.taint.analyzer import TaintAnalyzer

    views = FETCHING.format(imports="from app.net import fetch\n")
    found = workspace_findings(TaintAnalyzer(), tmp_path, {"net.py": FETCH, "views.py": views}, compute)
    assert [(f.rule_id, f.line + 1) for f in found] == [("BST213", 5)]
