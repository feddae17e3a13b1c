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
