"""BST130 (an lxml parser resolving entities) is retracted for a parser confined to its function
whose every parse reads constant or sanitized text (confined_parsers.py: the program's own
text, folded or not, or request data no markup fits in), through `bastion check`; a parser that
leaves the function, parses a file, a parameter, request data or a download (`requests.get`,
`httpx.get`: a module's function, not a mapping's `get`) keeps it, and the bandit-exact setting
restores the retracted ones."""

from __future__ import annotations

import re

import pytest
from tests.unit.taint_marked import check_results

from bastion.config import Config
from bastion.engine.registry import create_engine

APP = '''
import hashlib

import httpx
import requests
from flask import Flask, abort, request
from lxml import etree

app = Flask(__name__)
MODULE_PARSER = etree.XMLParser(resolve_entities=True)  # kept


@app.route("/inline")
def inline():
    doc = etree.fromstring("<a/>", etree.XMLParser(resolve_entities=True))  # retracted
    return doc.tag


def local_name():
    parser = etree.XMLParser(resolve_entities=True)  # retracted
    one = etree.fromstring("<a/>", parser)
    two = etree.XML(b"<b/>", parser=parser)
    return one, two


def module_level():
    return etree.fromstring("<a/>", MODULE_PARSER)


def returned():
    parser = etree.XMLParser(resolve_entities=True)  # kept
    etree.fromstring("<a/>", parser)
    return parser


def a_file():
    parser = etree.XMLParser(resolve_entities=True)  # kept
    return etree.parse("users.xml", parser)


def a_parameter(text):
    parser = etree.XMLParser(resolve_entities=True)  # kept
    return etree.fromstring(text, parser)


def downloaded():
    parser = etree.XMLParser(resolve_entities=True)  # kept
    return etree.fromstring(requests.get("https://feeds.example.com/a.xml").content, parser)


def fetched_by_name():
    parser = etree.XMLParser(resolve_entities=True)  # kept
    page = httpx.get("https://feeds.example.com/b.xml")
    return etree.fromstring(page.text, parser)


@app.route("/digest", methods=["POST"])
def digest():
    parser = etree.XMLParser(resolve_entities=True)  # retracted
    sha = hashlib.sha256(request.data).hexdigest()
    return etree.fromstring(f"<digest>{sha}</digest>", parser).text


@app.route("/count")
def count():
    number = str(int(request.args["n"]))
    return etree.fromstring("<n>" + number + "</n>", etree.XMLParser(resolve_entities=True)).text  # retracted


@app.route("/pick")
def pick():
    kind = request.args.get("kind", "")
    if kind not in ("alpha", "beta"):
        abort(400)
    document = " ".join(["<kind>", kind.upper(), "</kind>"])
    return etree.fromstring(document, etree.XMLParser(resolve_entities=True)).text  # retracted


@app.route("/raw")
def raw():
    document = "<q>" + request.args.get("q", "") + "</q>"
    return etree.fromstring(document, etree.XMLParser(resolve_entities=True)).text  # BST211


def fed():
    parser = etree.XMLParser(resolve_entities=True)  # kept
    parser.feed("<a/>")
    return etree.fromstring("<a/>", parser)


def stored(holder):
    parser = etree.XMLParser(resolve_entities=True)  # kept
    holder.parser = parser
    return etree.fromstring("<a/>", parser)


def in_a_lambda():
    parser = etree.XMLParser(resolve_entities=True)  # kept
    etree.fromstring("<a/>", parser)
    return lambda text: etree.fromstring(text, parser)


def rebound(flag):
    parser = etree.XMLParser(resolve_entities=True)  # kept
    if flag:
        parser = etree.XMLParser(resolve_entities=True)  # kept
    return etree.fromstring("<a/>", parser)


@app.route("/mixed", methods=["POST"])
def mixed():
    parser = etree.XMLParser(resolve_entities=True)
    etree.fromstring("<a/>", parser)
    return etree.fromstring(request.data, parser).tag  # BST211
'''


def _marked(mark: str) -> set[int]:
    return {i for i, line in enumerate(APP.splitlines()) if re.search(rf"# {mark}$", line)}


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("confined_parsers")
    (folder / "app.py").write_text(APP, encoding="utf-8")
    return {(r["rule_id"], r["line"] - 1) for r in check_results(folder)}


def test_a_confined_parser_of_constant_text_is_retracted(reported):
    flagged = {line for rule, line in reported if rule == "BST130"}
    assert not flagged & _marked("retracted")
    assert _marked("kept") <= flagged


def test_a_request_document_is_replaced_by_its_flow(reported):
    flows = {line for rule, line in reported if rule == "BST211"}
    assert _marked("BST211") <= flows
    assert not {line for rule, line in reported if rule == "BST130"} - _marked("kept")


def test_bandit_exact_restores_the_retracted_ones():
    findings = create_engine().analyse(APP, "app.py", Config(bandit_exact=True)).findings
    assert _marked("retracted") <= {f.line for f in findings if f.rule_id == "BST130"}
