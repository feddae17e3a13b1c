"""Taint analysis through `bastion check`: an instance of a class of the module read by
attribute gives the constant it surely holds, so a pattern finding (bandit's B605 / B608 on a
command or query built from it) is retracted: a class attribute nothing in the text stores
(class_constants.py), a field `__init__` stores from a constant or straight from a parameter
given a constant (constant_instances.py), until a method of it stores another value. A field
built from request data, transformed on the way in, or left to a default, stays what it was
(bandit's finding, or the taint's)."""

from __future__ import annotations

import re

from tests.unit.taint_marked import check_results

APP = '''\
import os
from flask import Flask, request

app = Flask(__name__)


class Box:
    name = "ls"
    label = "ls"


class Holder:
    def __init__(self, text, mode="r"):
        self.text = text
        self.upper = text.upper()
        self.cmd = "pwd"
        self.mode = mode


class Job:
    def __init__(self):
        self.cmd = "ls"

    def reset(self, cmd):
        self.cmd = cmd


@app.route("/a")
def view():
    data = request.args["q"]
    box = Box()
    box.other = data
    os.system(box.name)
    os.system(Holder("ls").text)
    os.system(Holder("ls").cmd)
    holder = Holder("ls")
    os.system(holder.text)
    other = Holder(data)
    os.system(other.text)  # BST202
    os.system(Holder("ls").upper)  # B605
    os.system(Holder("ls", "w").mode)
    os.system(Holder("ls").mode)  # B605
    job = Job()
    os.system(job.cmd)  # "ls" until reset
    job.reset(data)
    os.system(job.cmd)  # BST202
    stored = Box()
    stored.label = data
    os.system(stored.label)  # BST202
    return "ok"
'''


def _marks(source: str) -> set[tuple[int, str]]:
    return {(i + 1, line.rsplit("# ", 1)[1]) for i, line in enumerate(source.splitlines())
            if re.search(r"  # B[A-Z0-9]+$", line)}


def test_constant_instances(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    found = {(r["line"], r["rule_id"]) for r in check_results(tmp_path)
             if r["rule_id"] in ("B605", "BST202")}
    assert found == _marks(APP)  # a line the taint reports has its finding instead of bandit's
