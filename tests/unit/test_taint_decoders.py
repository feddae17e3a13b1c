"""Taint analysis: decoders (`[[propagator]]` with `decodes = true`: base64, hex, percent-encoding,
HTML entities) give the argument's text back, so what an encoding of it made safe is unsafe
again: `b64decode(b64encode(name))` is `name`. Each vulnerable case has a safe twin: the encoded
text used as it is."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.model_files import validate_models

ANALYZER = TaintAnalyzer()
FLASK = ("import base64, binascii, html, os, sqlite3, urllib.parse\nfrom flask import Flask, request\n"
         "app = Flask(__name__)\nconn = sqlite3.connect('x.db')\n@app.route('/a')\ndef a():\n"
         "    name = request.args['n']\n")
PAIRS = [
    ("BST204", "    bar = base64.b64decode(base64.b64encode(name.encode())).decode()\n    conn.execute(\"SELECT * FROM t WHERE a = '\" + bar + \"'\")\n    return 'ok'\n",
               "    bar = base64.b64encode(name.encode()).decode()\n    conn.execute(\"SELECT * FROM t WHERE a = '\" + bar + \"'\")\n    return 'ok'\n"),
    ("BST202", "    bar = binascii.unhexlify(binascii.hexlify(name.encode())).decode()\n    os.system('echo ' + bar)\n    return 'ok'\n",
               "    bar = binascii.hexlify(name.encode()).decode()\n    os.system('echo ' + bar)\n    return 'ok'\n"),
    ("BST203", "    return '<p>' + html.unescape(html.escape(name)) + '</p>'\n",
               "    return '<p>' + html.escape(name) + '</p>'\n"),
    ("BST201", "    bar = urllib.parse.unquote(urllib.parse.quote(name, safe=''))\n    return open(os.path.join('/srv', bar)).read()\n",
               "    bar = base64.urlsafe_b64encode(name.encode()).decode()\n    return open(os.path.join('/srv', bar)).read()\n"),
]


def ids(source: str) -> list[str]:
    return [f.rule_id for f in ANALYZER.analyse_file(source, "case.py") if f.rule_id.startswith("BST2")]


@pytest.mark.parametrize(("rule_id", "vulnerable", "safe"), PAIRS)
def test_a_decoded_text_is_the_request_data_again(rule_id, vulnerable, safe):
    assert rule_id in ids(FLASK + vulnerable)
    assert rule_id not in ids(FLASK + safe)


def test_decodes_takes_true_or_false(tmp_path):
    (tmp_path / "x.toml").write_text('[[propagator]]\ncalls = ["a.b"]\ndecodes = "yes"\n')
    problems = [str(p) for p in validate_models(tmp_path)]
    assert any("decodes" in p and "true or false" in p for p in problems), problems
