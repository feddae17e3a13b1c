"""Names a `:=` binds inside a comprehension or a generator belong to the function (PEP 572):
`[y for x in xs if (y := x.strip())]` and `any((m := ...) for ...)` leave `y` / `m` bound after
them, holding what the last element gave (or what they held before, the comprehension having
run or not); an object's `__dict__`, as `vars(obj)`, maps its attribute names to their values:
`job.__dict__["target"]` is what `target` holds and `job.__dict__["cmd"]` what `cmd` does. A
line that must report ends with its rule."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

WALRUS = '''\
import os
import re

from flask import Flask, request

app = Flask(__name__)
HOST = re.compile(r"[a-z0-9.-]+")


@app.route("/stripped")
def stripped():
    names = [name for raw in request.args.getlist("host") if (name := raw.strip())]
    os.system("ping -c 1 " + name)  # BST202
    os.system("ping -c 1 " + str(len(names)))
    return "ok"


@app.route("/first")
def first():
    if any((found := raw) for raw in request.args.getlist("host")):
        os.system("ping -c 1 " + found)  # BST202
    return "ok"


@app.route("/matched")
def matched():
    if all((m := HOST.fullmatch(raw)) for raw in request.args.getlist("host")):
        os.system("ping -c 1 " + m.group(0))
    return "ok"


@app.route("/counted")
def counted():
    total = 0
    sizes = [total := total + len(raw) for raw in request.args.getlist("host")]
    os.system("du -s " + str(total) + str(sizes))
    return "ok"
'''

OBJECT_MAPS = '''\
import os

from flask import Flask, request

app = Flask(__name__)


class Job:
    def __init__(self, target, cmd):
        self.target = target
        self.cmd = cmd


@app.route("/ping")
def ping():
    job = Job(request.args["host"], "uptime")
    os.system(job.__dict__["cmd"])
    os.system("ping -c 1 " + job.__dict__["target"])  # BST202
    for value in job.__dict__.values():
        os.system(value)  # BST202
    return "ok"
'''

APPS = {"walrus_scopes.py": WALRUS, "object_maps.py": OBJECT_MAPS}


def test_walrus_targets_outlive_their_comprehension_and_dict_maps_attributes(tmp_path):
    """The analyser reports the marked lines alone, and `bastion check` does too."""
    for source in APPS.values():
        assert_marked(source)
    assert_checked_apps(APPS, tmp_path)
