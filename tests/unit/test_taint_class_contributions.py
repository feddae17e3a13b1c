"""A keystroke reads again only the classes the block parser made anew: the module context's
passes keep each class's contribution by its node (parameter calls, self-registrations,
declared fields: typing115). A warm analyzer after edits of what those passes read (a field
declared, a parameter's annotation, a store from it and the parameter bound again, a class's base,
a name bound twice, a registering call, a default calling a dependency) gives a fresh one's
result."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from tests.hypothesis_budget import examples
from tests.unit.slot_edits import assert_warm_is_fresh, edit_runs, filled

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.model_files import load_models

MODELS, RULES = load_models(), load_taint_rules()
TEMPLATE = '''import asyncio
import os
from fastapi import Depends, FastAPI
from flask import Flask, request
from pyramid.view import view_config, view_defaults

app = Flask(__name__)
api = FastAPI()


class Repo{base}:
    def find(self, name):
        return os.system("grep " + name)


class Quiet:
    def find(self, name):
        return name


class Service:
    {field}

    def __init__(self, repo{annotation}):
        {store}

    def run(self, name):
        return self.repo.find(name)


class Server:
    def serve(self):
        {registration}

    async def on_client(self, reader, writer):
        line = await reader.readline()
        os.system(line.decode())


{page}
class Page:
    def __init__(self, request):
        self.request = request

    {config}
    def show(self):
        return os.system("cat " + self.request.params["f"])


def current(q: str):
    return q


@api.get("/d")
def d(value{default}):
    return os.system("echo " + value)


def helper(svc: {declared}, q):
    return svc.run(q)


{twice}


@app.route("/a")
def a():
    svc = Service(Repo())
    {body}
'''
SLOTS = {
    "base": ("", "(Quiet)", "(object)"),
    "field": ("pass", "repo: Repo", "repo: Quiet"),
    "annotation": (": Repo", "", ": Quiet"),
    "store": ("self.repo = repo", "self.repo = repo\n        repo = Quiet()", "self.other = repo"),
    "registration": ("return asyncio.start_server(self.on_client, 'h', 1)", "return None",
                     "return asyncio.start_server(self.other, 'h', 1)"),
    "default": (": str = Depends(current)", ": str = 'x'", ""),
    "declared": ("Service", "Quiet", "object"),
    "page": ("@view_defaults(route_name='page')", "", "@view_defaults(route_name='page', renderer='json')"),
    "config": ("@view_config(renderer='json')", "", "@view_config(route_name='other')"),
    "twice": ("", "Quiet = Repo", "class Service:\n    pass"),
    "body": ('return helper(svc, request.args["q"])', 'q = request.args["q"]\n    return svc.run(q)',
             'return helper(svc, "x")', 'return helper(svc, request.args["q'),
}
TEXT = filled(TEMPLATE, SLOTS, {})


def _analyzer() -> TaintAnalyzer:
    return TaintAnalyzer(MODELS, RULES)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=edit_runs(TEMPLATE, SLOTS))
def test_a_warm_analyzer_after_edits_of_class_contributions_is_a_fresh_one(texts):
    assert_warm_is_fresh(_analyzer, TEXT, texts)


def test_the_template_reports_the_flows_its_passes_find():
    found = sorted((f.rule_id, f.span.start_line) for f in _analyzer().analyse_file(TEXT, "app.py"))
    assert found, found
