"""A module container handed to a call written over several lines (bindings.py): read as the same
call on one line is (`json.dumps(\n    ALLOWED,\n)` reads it, `fill(\n    ALLOWED)` may change it),
so that a guard testing the container (`netloc not in ALLOWED`) proves what it proves on one line."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.test_taint_bindings import CHANGES, READS, _module

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.container_changes import changed_in_text, changed_in_tree

ROOT = Path(__file__).resolve().parents[2]
ANALYZER = TaintAnalyzer()
LINE_CHANGES = ["fill(\n        NAME)", "fill(\n        k,\n        NAME,\n    )",
                "x = dict(\n        k,\n        a=NAME,\n    )", "x = [\n        NAME,\n    ]",
                "fill(  # len(\n        NAME)", "x = fill(NAME, k)", "x = print(k, [k, NAME, v])",
                "x = len(\n        'a',\n        fill(NAME))", "for a in NAME, k:\n        pass"]
LINE_READS = ["x = url_has_allowed_host_and_scheme(\n        k,\n        allowed_hosts=NAME,\n    )",
              "x = json.dumps(\n        NAME)", "x = json.dumps(\n        NAME,\n        indent=2,\n    )",
              "x = json.dumps(NAME, indent=2)", "x = print(k, NAME, v)",
              "x = url_has_allowed_host_and_scheme(\n        k,  # the (next) url\n"
              "        allowed_hosts=NAME,\n    )"]


@pytest.mark.parametrize("use", LINE_CHANGES)
def test_a_call_over_lines_may_change_the_container(use):
    assert changed_in_text("NAME", _module([use])), use


@pytest.mark.parametrize("use", LINE_READS)
def test_a_reader_over_lines_reads_the_container(use):
    text = _module([use])
    assert not changed_in_text("NAME", text), use
    assert not any("NAME" in changed_in_tree(node) for node in ast.parse(text).body)


def _over_lines(use: str) -> str:
    """`use` with a line break after each opening bracket and comma (black's layout)."""
    return re.sub(r"([(\[{,])\s*", "\\1\n        ", use)


@pytest.mark.parametrize("use", [u for u in CHANGES + READS if "'" not in u and ":" not in u])
def test_one_line_and_many_lines_agree(use):
    spread = _over_lines(use)
    assert spread != use or "(" not in use
    ast.parse(_module([spread]))
    assert changed_in_text("NAME", _module([spread])) == changed_in_text("NAME", _module([use])), spread


VIEW = '''import json
from urllib.parse import urlparse

from flask import Flask, redirect, request

from policy import register

app = Flask(__name__)
ALLOWED = {{"example.com"}}


def describe():
    return {call}


@app.route("/go")
def go():
    nxt = request.args.get("next", "")
    if urlparse(nxt).netloc not in ALLOWED:
        return redirect("/")
    return redirect(nxt)
'''


@pytest.mark.parametrize(("call", "reported"), [
    ("json.dumps(\n        ALLOWED,\n        default=sorted,\n    )", False),
    ("json.dumps(ALLOWED, default=sorted)", False),
    ("url_has_allowed_host_and_scheme(\n        request.url,\n        allowed_hosts=ALLOWED,\n    )", False),
    ("register(\n        ALLOWED)", True),  # may add any host: the guard proves nothing
    ("register(\n        ALLOWED,\n    )", True),
    ("register(ALLOWED, default=sorted)", True),
])
def test_a_guarded_redirect_and_a_reader_over_lines(call, reported):
    found = ANALYZER.analyse_file(VIEW.format(call=call), "views.py")
    assert ("BST210" in [f.rule_id for f in found]) is reported


def test_a_long_hostile_text_is_answered_fast():
    """Every occurrence looks back 200 characters at most: after thousands of blank lines or
    open brackets, and on a long line (each occurrence a read: all of them are looked at)."""
    code = ("import time\nfrom bastion.analyzers.taint.container_changes import changed_in_text\n"
            "text = 'NAME = {}\\n' + ('\\n' * 5000 + 'NAME.get(k)\\n' + 'len(\\n' * 3000 + 'NAME)\\n'"
            " + 'a' * 5000 + '.get(NAME)\\n' + 'print(\\n' + ' ' * 150 + 'NAME,\\n)\\n') * 250\n"
            "started = time.perf_counter()\nassert not changed_in_text('NAME', text)\n"
            "print(time.perf_counter() - started)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20,
                          env={"PYTHONPATH": str(ROOT / "server")}, check=True)
    assert float(done.stdout) < 0.5
