"""Taint analysis: a propagator of some arguments only (`[[propagator]]` with `args` /
`keywords`): `urllib.request.Request` carries its URL to `urlopen`, not its body or headers
(they name no host). The URL is reported where the request is built (the line that names the
host), once: the open that follows is the same flaw (upstream.py)."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
REQUEST = ("import urllib.request\nfrom flask import Flask, request\napp = Flask(__name__)\n"
           "@app.route('/u', methods=['POST'])\ndef u():\n    req = urllib.request.Request({args})\n"
           "    return urllib.request.urlopen(req, timeout=5).read()\n")


@pytest.mark.parametrize(("args", "reported"), [
    ("request.args['src'], headers={'User-Agent': 'x'}", True),
    ("url=request.args['src']", True),
    ("'https://api.example.com/hook', data=request.get_data(), method='POST'", False),
    ("'https://api.example.com/x', headers={'X-Trace': request.args['t']}", False),
])
def test_a_built_request_carries_its_url_to_urlopen(args, reported):
    found = [(f.rule_id, f.span.start_line) for f in ANALYZER.analyse_file(REQUEST.format(args=args), "case.py")
             if f.rule_id == "BST213"]
    assert found == ([("BST213", 5)] if reported else [])  # at `Request`, once


SESSION = ("import requests\nfrom flask import Flask, request\napp = Flask(__name__)\n"
           "@app.route('/u', methods=['POST'])\ndef u():\n    s = requests.Session()\n"
           "    req = requests.Request({args})\n    prep = {prepare}\n    return s.send(prep, timeout=5).text\n")


@pytest.mark.parametrize("prepare", ["s.prepare_request(req)", "req.prepare()"])
@pytest.mark.parametrize(("args", "reported"), [
    ("'GET', request.args['src']", True),
    ("method='GET', url='https://' + request.args['host'] + '/status'", True),
    ("'POST', 'https://api.example.com/hook', data=request.get_data(), json=request.json", False),
    ("'GET', 'https://api.example.com/x', headers={'X-Trace': request.args['t']}", False),
    ("'GET', 'https://api.example.com/items/' + request.args['id']", False),
])
def test_a_prepared_requests_request_sent_by_a_session(args, prepare, reported):
    """The requests documentation's "prepared requests" idiom: the URL is reported where the
    request is built (the line that names the host), once; the prepare and the send are the same
    flaw, and a body or headers name no host."""
    source = SESSION.format(args=args, prepare=prepare)
    found = [(f.rule_id, f.span.start_line) for f in ANALYZER.analyse_file(source, "case.py")
             if f.rule_id == "BST213"]
    assert found == ([("BST213", 6)] if reported else [])  # 0-based: the `Request` line


def test_requests_request_imported_by_name_and_from_its_module():
    source = ("from requests import Request, Session\nimport requests.models\nfrom flask import Flask, request\n"
              "app = Flask(__name__)\n@app.route('/u')\ndef u():\n    with Session() as s:\n"
              "        a = s.send(Request('GET', request.args['a']).prepare()).text\n"
              "        b = s.send(requests.models.Request(url=request.args['b']).prepare()).text\n"
              "    return a + b\n")
    found = [(f.rule_id, f.span.start_line) for f in ANALYZER.analyse_file(source, "case.py")
             if f.rule_id == "BST213"]
    assert found == [("BST213", 7), ("BST213", 8)]


@pytest.mark.parametrize(("args", "redirects"), [
    ("'GET', request.args['next']", True),
    ("'POST', 'https://api.example.com/x', data=request.get_data(), headers={'X': request.args['t']}", False),
])
def test_a_requests_request_carries_only_its_url(args, redirects):
    source = ("import requests\nfrom flask import Flask, redirect, request\napp = Flask(__name__)\n"
              f"@app.route('/u')\ndef u():\n    prep = requests.Request({args}).prepare()\n"
              "    return redirect(prep.url)\n")
    found = {f.rule_id for f in ANALYZER.analyse_file(source, "case.py")}
    assert ("BST210" in found) == redirects
