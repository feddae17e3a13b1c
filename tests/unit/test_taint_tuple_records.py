"""Records a call makes (issue 12, detect63's leftover): `collections.namedtuple("Point", ["cmd",
"mode"])` (or its fields in one string) and `typing.NamedTuple("Point", [("cmd", str), ...])`
bound once at module level build records as a class statement's do: each argument in its field,
by position or keyword, and a tuple of them (`p[0]`, `cmd, mode = p`); the field holding a
constant stays silent. A line that must report ends with its rule."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

TUPLE_RECORDS = '''\
import collections
import os
import typing

from flask import Flask, request

app = Flask(__name__)
Point = collections.namedtuple("Point", ["cmd", "mode"])
Pair = collections.namedtuple("Pair", "cmd mode")
Typed = typing.NamedTuple("Typed", [("cmd", str), ("mode", str)])


@app.route("/a")
def a():
    p = Point(request.args["q"], "ls")
    os.system(p.mode)
    os.system(p.cmd)  # BST202
    os.system(p[0])  # BST202
    cmd, mode = p
    os.system(cmd)  # BST202


@app.route("/b")
def b():
    p = Pair(mode="ls", cmd=request.args["q"])
    os.system(p.mode)
    os.system(p.cmd)  # BST202
    t = Typed("ls", request.args["q"])
    os.system(t.cmd)
    os.system(t.mode)  # BST202
    os.system(t[1])  # BST202
'''


def test_records_a_call_makes_hold_each_argument_in_its_field(tmp_path):
    """The analyser reports the marked lines alone, and `bastion check` does too, with the CWE."""
    assert_marked(TUPLE_RECORDS)
    assert_checked_apps({"tuple_records.py": TUPLE_RECORDS}, tmp_path)
