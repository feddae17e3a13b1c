"""A `str.format` field's accessors read the part they name (taint/folding.py's `_accessed`):
`"{0.host}"` puts the argument's `host` field in the text, `"{0[1]}"` its second item, as
`string.Formatter` reads them; a part the value is not known to hold is the whole value."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

VIEW = '''\
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Target:
    def __init__(self, host, label):
        self.host = host
        self.label = label


@app.post("/ping")
def ping():
    target = Target("db.internal", request.form["label"])
    pair = [request.form["label"], "db.internal"]
    subprocess.run("ping -c 1 {0.host}".format(target), shell=True)
    subprocess.run("ping -c 1 {hosts[1]}".format(hosts=pair), shell=True)
    return "ok"
'''


@pytest.mark.parametrize(("edit", "reported"), [
    (("", ""), []),
    (("{0.host}", "{0.label}"), [17]),
    (("{hosts[1]}", "{hosts[0]}"), [18]),
    (("{0.host}", "{0.unknown}"), [17]),  # no such field held: the whole object
])
def test_a_field_reads_the_part_its_accessors_name(edit, reported):
    found = TaintAnalyzer().analyse_file(VIEW.replace(*edit), "views.py")
    assert sorted(f.line for f in found if f.rule_id == "BST202") == reported
