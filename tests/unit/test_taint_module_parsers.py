"""A SAX parser built and configured once at module level (`parser = xml.sax.make_parser()`,
`parser.setFeature(feature_external_ges, True)`, as the xml.sax documentation's handlers are set
up) serves every view parsing with it: request data it parses is XXE (BST211), as with a parser
configured in the view. Its safe twins: the feature left off or switched off again, a
`defusedxml.sax` parser (module_level._configured_parser)."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.taint_marked import assert_checked_apps, assert_marked, editor_found, marked_and_found

from bastion.analyzers.taint.analyzer import TaintAnalyzer

FLASK = '''\
import xml.sax
from xml.dom import pulldom
from xml.sax.handler import ContentHandler, feature_external_ges

from flask import Flask, request

app = Flask(__name__)
parser = xml.sax.make_parser()
parser.setFeature(feature_external_ges, True)


@app.route("/upload", methods=["POST"])
def upload():
    parser.setContentHandler(ContentHandler())
    parser.parse(request.stream)  # BST211
    return "ok"


@app.route("/feed", methods=["POST"])
def feed():
    parser.feed(request.get_data())  # BST211
    return "ok"


@app.route("/events", methods=["POST"])
def events():
    for event, node in pulldom.parse(request.stream, parser=parser):  # BST211
        pass
    return "ok"
'''

DJANGO = '''\
import xml.sax
from xml.sax.handler import feature_external_ges

from django.http import HttpResponse

PARSER = xml.sax.make_parser()
PARSER.setFeature("http://xml.org/sax/features/external-general-entities", 1)


def upload(request):
    PARSER.parse(request)  # BST211
    return HttpResponse("ok")
'''

# the twins' changes, each making the module safe
TWINS = [
    ("parser.setFeature(feature_external_ges, True)", "parser.setFeature(feature_external_ges, False)"),
    ("parser.setFeature(feature_external_ges, True)\n",
     "parser.setFeature(feature_external_ges, True)\nparser.setFeature(feature_external_ges, False)\n"),
    ("parser.setFeature(feature_external_ges, True)\n", ""),
    ("import xml.sax\n", "import defusedxml.sax\n"),
]


@pytest.mark.parametrize("module", [FLASK, DJANGO], ids=["flask", "django"])
def test_a_module_level_parser_fetching_entities_parses_request_data(module):
    assert_marked(module)


@pytest.mark.parametrize("twin", TWINS, ids=["off", "switched_back", "default", "defusedxml"])
def test_a_module_level_parser_left_safe_is_no_sink(twin):
    safe = FLASK.replace(*twin)
    if twin[1].startswith("import defusedxml"):
        safe = safe.replace("xml.sax.make_parser()", "defusedxml.sax.make_parser()")
    assert not {f for f in marked_and_found(safe)[1] if f[1] == "BST211"}


def test_an_edit_of_the_module_level_feature_changes_the_views():
    analyzer = TaintAnalyzer()
    safe = DJANGO.replace(", 1)", ", 0)")
    for _ in range(2):
        assert [f.rule_id for f in analyzer.analyse_file(DJANGO, "views.py")] == ["BST211"]
        assert analyzer.analyse_file(safe, "views.py") == []


def test_the_editor_and_bastion_check_agree(tmp_path: Path):
    assert editor_found(FLASK, "app.py") == marked_and_found(FLASK)[0]
    assert_checked_apps({"app.py": FLASK, "views.py": DJANGO}, tmp_path)
