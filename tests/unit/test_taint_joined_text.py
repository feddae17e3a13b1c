"""Module-level text joined with `+` folds into a constant for an allow-list of characters
(`set(string.ascii_letters + "-_")`), but a generated chain of thousands of terms is not followed
term by term: a recursive fold of `"a" + "a" + ...` went as deep as the chain was long, and past
the stack's limit the whole file's taint analysis failed ("not analysed", every flow of the file
lost; called here under Python's default limit, at 2,000 terms). Bandit's own SQL check recurses
through such a chain and fails on each of its strings, logging a deep traceback each time: 5,000
terms took more than five minutes; now the statement is "not analysed" after the first failure,
in seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from tests.unit.taint_marked import ROOT, assert_checked_apps, assert_marked

VIEWS = '''\
import string
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
SAFE = set(string.ascii_letters + (string.digits + ("-" + "_")))
JUNK = JOINED


@app.post("/mailbox")
def mailbox():
    box = request.form.get("box", "")
    if not set(box) <= SAFE:
        abort(400)
    subprocess.run("mkdir -p /srv/mail/" + box, shell=True, check=True)
    return "created"


@app.post("/alias")
def alias():
    box = request.form.get("box", "")
    subprocess.run("newaliases --add " + box, shell=True, check=True)  # BST202
    return "added"
'''


@pytest.mark.parametrize("terms", [1, 30, 2_000])
def test_a_long_chain_of_joined_terms_leaves_the_other_constants_and_flows(terms, tmp_path):
    source = VIEWS.replace("JOINED", " + ".join(['"a"'] * terms))
    assert_marked(source)
    assert_checked_apps({"views.py": source}, tmp_path)


def test_a_bandit_check_failing_on_every_term_fails_the_statement_once(tmp_path):
    (tmp_path / "views.py").write_text(VIEWS.replace("JOINED", " + ".join(['"a"'] * 5_000)),
                                       encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "server")}
    done = subprocess.run([sys.executable, "-m", "bastion", "check", "--no-cache", "--jobs", "1",
                           "--format", "json", "."], capture_output=True, text=True,
                          encoding="utf-8", cwd=tmp_path, env=env, timeout=90)
    assert done.returncode == 3, done.stderr[-2000:]
    doc = json.loads(done.stdout)
    (error,) = doc["errors"]
    # Python 3.12's parser nests the chain deeper than the engine lets any check walk: cut there
    assert error["line"] == 8 and ("hardcoded_sql_expressions raised RecursionError" in error["message"]
                                   or "nesting deeper than" in error["message"])
    marked = next(i for i, line in enumerate(VIEWS.splitlines(), 1) if line.endswith("# BST202"))
    assert {(r["line"], r["rule_id"]) for r in doc["results"]} == {(2, "B404"), (marked, "BST202")}
    assert done.stderr.count("Bandit internal error") <= 2  # not once per string: 1,805 before
