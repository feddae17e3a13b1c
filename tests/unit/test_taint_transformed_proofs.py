"""A proof kept on a value (a guard's `clean` classes) holds of the value's text; a string method
that removes or moves characters can break it (issue: `if not x.startswith("-")` then
`x.strip()` of `" -rf"` is the option `-rf`). Proofs of the first characters or of the whole
shape (no option, not absolute, contained, a local redirect) fall with a strip, a split, a
prefix removed or a replace; a proof of every character (all digits) survives them, and a case
change breaks none. Cases from the subprocess, os.path and Flask documentation's idioms, each
vulnerable case with its safe twin."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()
FLASK = ("import os, subprocess\nfrom flask import Flask, abort, redirect, request, send_file\n"
         "app = Flask(__name__)\nBASE = '/srv/files'\n@app.route('/x')\ndef view():\n")


def rules(body: str) -> set[str]:
    source = FLASK + "".join(f"    {line}\n" for line in body.splitlines())
    return {f.rule_id for f in ENGINE.analyse(source, "case.py", Config()).findings
            if f.rule_id.startswith("BST")}


NO_OPTION = "name = request.args['name']\nif name.startswith('-'):\n    abort(400)\n"
DIGITS = "name = request.args['name']\nif not name.isdigit():\n    abort(400)\n"
RELATIVE = ("name = request.args['name']\nif '..' in name or name.startswith('/'):\n    abort(400)\n")
# `/account//evil.example` passes; without `/account` it is the host `evil.example`
LOCAL = "url = request.args['next']\nif not url.startswith('/account/'):\n    abort(400)\n"
RUN = "return subprocess.run(['git', 'log', {}]).stdout"

# (guard and use whose proof a transformation breaks, the rule then reported, the safe twin)
TWINS = [
    (NO_OPTION + RUN.format("name.strip()"), "BST217", NO_OPTION + RUN.format("name.rstrip()")),
    (NO_OPTION + RUN.format("name.lstrip('x')"), "BST217", NO_OPTION + RUN.format("name.lower()")),
    (NO_OPTION + RUN.format("name.split(',')[1]"), "BST217", DIGITS + RUN.format("name.strip()")),
    (NO_OPTION + RUN.format("name.replace(' ', '')"), "BST217", DIGITS + RUN.format("name.split(',')[0]")),
    (NO_OPTION + RUN.format("name.removeprefix('v')"), "BST217", NO_OPTION + RUN.format("name.upper()")),
    (RELATIVE + "return send_file(os.path.join(BASE, name.strip()))", "BST201",
     RELATIVE + "return send_file(os.path.join(BASE, name.lower()))"),
    (RELATIVE + "return send_file(os.path.join(BASE, name.replace('x', '')))", "BST201",
     DIGITS + "return send_file(os.path.join(BASE, name.replace('1', '')))"),
    (LOCAL + "return redirect(url.removeprefix('/account'))", "BST210",
     LOCAL + "return redirect(url.lower())"),
]


@pytest.mark.parametrize(("vulnerable", "rule", "safe"), TWINS, ids=[str(i) for i in range(len(TWINS))])
def test_a_transformation_that_can_break_a_proof_drops_it(vulnerable, rule, safe):
    found = rules(vulnerable)
    assert rule in found, found
    assert rule not in rules(safe)


# Decodings and normalisations that make characters appear (the codecs, unicodedata, os.path and
# str.translate documentation): `"\\x2d".encode().decode("unicode_escape")` is `-`, NFKC makes
# `／` of `/` and `．．` of `..`, `expandvars` puts the environment's text in; a plain decoding,
# NFC and a case change make none of `-`, `/`, `.`.
HEADER = "import codecs, unicodedata\n"
MADE = [
    (NO_OPTION + RUN.format("name.encode().decode('unicode_escape')"), "BST217",
     NO_OPTION + RUN.format("name.encode().decode('utf-8')")),
    (NO_OPTION + RUN.format("codecs.decode(name, 'unicode_escape')"), "BST217",
     NO_OPTION + RUN.format("name.encode('utf-8').decode()")),
    (NO_OPTION + RUN.format("name.encode().decode('utf-7')"), "BST217",
     NO_OPTION + RUN.format("name.casefold()")),
    (NO_OPTION + RUN.format("codecs.decode(name.encode(), 'utf_7')"), "BST217",
     NO_OPTION + RUN.format("codecs.decode(name.encode())")),  # UTF-8 by default
    (NO_OPTION + RUN.format("unicodedata.normalize('NFKC', name)"), "BST217",
     NO_OPTION + RUN.format("unicodedata.normalize('NFC', name)")),
    (NO_OPTION + RUN.format("name.translate({0xFF0D: '-'})"), "BST217",
     DIGITS + RUN.format("name.translate({0x31: '2'})")),
    (RELATIVE + "return send_file(os.path.join(BASE, unicodedata.normalize('NFKC', name)))", "BST201",
     RELATIVE + "return send_file(os.path.join(BASE, unicodedata.normalize('NFD', name)))"),
    (RELATIVE + "return send_file(os.path.join(BASE, os.path.expanduser(name)))", "BST201",
     RELATIVE + "return send_file(os.path.join(BASE, name.encode().decode('ascii')))"),
    (RELATIVE + "return send_file(os.path.join(BASE, os.path.expandvars(name)))", "BST201",
     NO_OPTION + RUN.format("os.path.expanduser(name)")),
]


@pytest.mark.parametrize(("vulnerable", "rule", "safe"), MADE, ids=[str(i) for i in range(len(MADE))])
def test_a_decoding_or_normalisation_that_can_make_characters_drops_the_proofs(vulnerable, rule, safe):
    found = rules(HEADER + vulnerable)
    assert rule in found, found
    assert rule not in rules(HEADER + safe)
