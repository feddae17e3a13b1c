"""Taint analysis: what a shell command prints, returned by a Flask view. The command is the
sink (command injection when request data reaches it); its output is no request data sent
back as a page, whichever of `subprocess.getoutput` or `subprocess.getstatusoutput` (an
`(exit status, output)` pair) ran it."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

VIEW = '''\
import shlex
import subprocess
from subprocess import getstatusoutput
from flask import Flask, request

app = Flask(__name__)


@app.route("/ls")
def listing():
    name = request.args["name"]
    BODY
'''


def rule_ids(body: str) -> list[str]:
    return sorted(f.rule_id for f in ANALYZER.analyse_file(VIEW.replace("BODY", body), "case.py"))


# (command and response, findings): the command's output is no page of request data; request
# data in the command is command injection
CASES = [
    ('status, out = subprocess.getstatusoutput("ls")\n    return out', []),
    ('status, out = subprocess.getstatusoutput("ls " + shlex.quote(name))\n    return out', []),
    ('status, out = getstatusoutput(f"ls {shlex.quote(name)}")\n    return out', []),
    ('result = subprocess.getstatusoutput("ls " + shlex.quote(name))\n    return result[1]', []),
    ('return subprocess.getoutput("ls " + shlex.quote(name))', []),
    ('status, out = subprocess.getstatusoutput("ls " + name)\n    return out', ["BST202"]),
    ('status, out = getstatusoutput(f"ls {name}")\n    return out', ["BST202"]),
    ('return subprocess.getoutput("ls " + name)', ["BST202"]),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_the_command_is_the_sink_not_its_output(body, expected):
    assert rule_ids(body) == expected


def test_the_exit_status_is_no_request_data():
    body = 'status, out = subprocess.getstatusoutput("ls " + shlex.quote(name))\n' \
           '    return f"<p>{status}</p>"'
    assert rule_ids(body) == []
