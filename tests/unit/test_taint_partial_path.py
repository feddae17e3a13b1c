"""B607 (a program started by a bare name, CWE-426) is not judged by the taint analysis: its
weakness is the PATH lookup of a constant program word, which no argument's verdict changes.
A constant vector retracts B603 but keeps B607; request data among the arguments replaces B603
by BST217, and a request-chosen program or code by BST202, with B607 kept beside them; an
absolute program path has no B607 at all. Cases written from the subprocess documentation."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()
HEADER = "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.route('/x')\ndef view():\n"


def rules(line: str, config: Config | None = None) -> set[str]:
    source = f"{HEADER}    {line}\n    return 'ok'\n"
    return {f.rule_id for f in ENGINE.analyse(source, "case.py", config or Config()).findings
            if f.line == 5} - {"B404"}


# (the call, what it reports by default; its twin names the program by its absolute path)
CASES = [
    ("subprocess.run(['git', 'rev-parse', 'HEAD'])", {"B607"}),
    ("subprocess.run(['git', 'clone', request.args['url']])", {"B607", "BST217"}),
    ("subprocess.run(['python3', '-c', request.args['code']])", {"B607", "BST202"}),
]


@pytest.mark.parametrize(("call", "expected"), CASES, ids=["constant", "argument", "code"])
def test_a_partial_path_stays_whatever_the_arguments_verdict(call, expected):
    assert rules(call) == expected
    assert rules(call, Config(bandit_exact=True)) == {"B603"} | expected
    absolute = call.replace("['git'", "['/usr/bin/git'").replace("['python3'", "['/usr/bin/python3'")
    assert rules(absolute) == expected - {"B607"}
