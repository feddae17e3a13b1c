"""A call's `**mapping` of known keys passes each item as its keyword argument
(taint/keyword_splats.py): the everyday way of handing a helper its options from a dict. The
finding is at the helper's sink, reached through the call."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

FLASK = '''\
import subprocess

from flask import Flask, request

app = Flask(__name__)


def archive(source, command="tar czf", label=""):
    subprocess.run(command + " /srv/out.tgz " + source, shell=True)


@app.post("/archive")
def make_archive():
    label = request.form["label"]
    options = {"command": "tar czf", "label": label}
    archive("/srv/data", **options)
    return "started"
'''

DJANGO = '''\
import os

from django.http import HttpResponse


def ping(host="localhost", count="1", note=""):
    os.system("ping -c " + count + " " + host)


def check(request):
    settings = {"host": "db.internal", "count": "3"}
    settings["note"] = request.GET.get("note", "")
    ping(**settings)
    return HttpResponse("ok")
'''


@pytest.mark.parametrize(("source", "edit", "reported"), [
    (FLASK, ("", ""), []),
    (FLASK, ('"command": "tar czf"', '"command": request.form["tool"]'), [8]),
    (FLASK, ("**options", '**{"label": label, "command": label}'), [8]),
    (DJANGO, ("", ""), []),
    (DJANGO, ('settings["note"]', 'settings["host"]'), [6]),
    # a mapping whose keys are the request's: any keyword
    (DJANGO, ("ping(**settings)", "ping(**dict(request.GET.items()))"), [6]),
])
def test_a_mapping_of_known_keys_passes_each_keyword_apart(source, edit, reported):
    found = TaintAnalyzer().analyse_file(source.replace(*edit), "views.py")
    assert sorted(f.line for f in found if f.rule_id == "BST202") == reported


SPREADS = '''\
import os

from django.http import HttpResponse


def ping(host="localhost", count="1", note=""):
    os.system("ping -c " + count + " " + host)


def check(request):
    defaults = {"count": "3"}
    target = {"host": request.GET.get("host", "db.internal")}
    ping(**target, **defaults)
    return HttpResponse("ok")
'''


@pytest.mark.parametrize(("edit", "reported"), [
    (("", ""), [6]),  # the request's host is in the first of two mappings (on main, only the last was kept)
    (("**target, **defaults", "**defaults, **target"), [6]),
    # the request's value is the note, which reaches no sink
    (('{"host": request.GET.get("host", "db.internal")}', '{"note": request.GET.get("note", "")}'), []),
    # the first mapping's keys are the request's: any keyword
    (("ping(**target,", "ping(**dict(request.GET.items()),"), [6]),
    (('{"host": request.GET.get("host", "db.internal")}', '{"host": "db.internal"}'), []),
])
def test_each_of_several_mappings_passes_its_keywords(edit, reported):
    """`f(**a, **b)`: every mapping's items are the call's keywords (a key in two of them makes
    Python refuse the call: a `TypeError`, not the later one's value as in `{**a, **b}`)."""
    found = TaintAnalyzer().analyse_file(SPREADS.replace(*edit), "views.py")
    assert sorted(f.line for f in found if f.rule_id == "BST202") == reported
