"""Taint analysis: same-file helpers taking `*rest` / `**options` (summaries.py's
`bind_arguments`): the arguments no named parameter takes reach those, also from a `**` dict of
request data (`build_query(**request.args)`); a positional argument past the named ones is not
a keyword-only parameter's."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

HELPERS = '''\
import os
import sqlite3
from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("x.db")


def where(**filters):
    return " AND ".join(f"{k} = '{v}'" for k, v in filters.items())


def run(*parts):
    os.system(" ".join(parts))


def select(table, **conditions):
    return db.execute(f"SELECT * FROM {table} WHERE {conditions}")


def tagged(label, *values, command="true"):
    os.system(command)
    return label


@app.route("/v")
def view():
    CALL
    return "ok"
'''


def rule_ids(call: str) -> list[str]:
    source = HELPERS.replace("CALL", call)
    return sorted(f.rule_id for f in ANALYZER.analyse_file(source, "case.py"))


@pytest.mark.parametrize("call, expected", [
    ("db.execute('SELECT * FROM t WHERE ' + where(**request.args))", ["BST204"]),
    ("db.execute('SELECT * FROM t WHERE ' + where(status='open')) or request.args", []),
    ("run('ls', request.args['d'])", ["BST202"]),
    ("run('ls', '/srv', str(len(request.args['d'])))", []),
    ("select('users', name=request.args['n'])", ["BST204"]),
    ("select('users', name='x', page=len(request.args['n']))", []),
    # past `label`, the request's text is one of `values`, never `command`
    ("tagged('x', request.args['v'])", []),
    ("tagged('x', command=request.args['v'])", ["BST202"]),
])
def test_arguments_no_named_parameter_takes_reach_star_parameters(call, expected):
    assert rule_ids(call) == expected
