"""A helper's parameter read at an attribute (`job.cmd`) is that part of the argument, as a
subscript is (domain.keyed, summaries.passed): an object whose `cmd` holds request data reaches
a sink through `job.cmd` and not through `job.name`. The object is one whose attributes the
caller set (`job.cmd = ...`), or a record built by its generated constructor: a dataclass, an
attrs class, a named tuple, a pydantic model (classes.record_fields, instances.construct)."""

from __future__ import annotations

import textwrap

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

HELPERS = '''
import os
from dataclasses import dataclass
from typing import NamedTuple

import attrs
from flask import Flask, request
from pydantic import BaseModel

app = Flask(__name__)


def run(job):
    os.system("echo " + job.READ)


@dataclass
class Job:
    name: str
    cmd: str


@dataclass(frozen=True)
class Timed(Job):
    seconds: int = 0


@attrs.define
class Task:
    name: str
    cmd: str


class Pair(NamedTuple):
    name: str
    cmd: str


class Body(BaseModel):
    name: str
    cmd: str


class Plain:
    pass
'''

VIEWS = {
    "attributes set": '''
        job = Plain()
        job.name = "backup"
        job.cmd = request.args["c"]
        run(job)''',
    "dataclass, keywords": '''
        run(Job(name="backup", cmd=request.args["c"]))''',
    "dataclass, positional": '''
        job = Job("backup", request.args["c"])
        run(job)''',
    "dataclass derived from one": '''
        run(Timed("backup", request.args["c"], 3))''',
    "attrs class": '''
        run(Task(name="backup", cmd=request.args["c"]))''',
    "named tuple": '''
        run(Pair("backup", request.args["c"]))''',
    "pydantic model": '''
        run(Body(name="backup", cmd=request.args["c"]))''',
}


def findings(view: str, read: str) -> list[tuple[str, int]]:
    text = HELPERS.replace("READ", read) + "\n\n@app.route('/v')\ndef v():" + \
        textwrap.indent(textwrap.dedent(view), "    ") + "\n    return 'ok'\n"
    sink = text.splitlines().index(f'    os.system("echo " + job.{read})') + 1
    return [(f.rule_id, f.line + 1 - sink) for f in ANALYZER.analyse_file(text, "v.py")]


@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS.keys())
def test_the_attribute_that_holds_request_data_reaches_the_sink(view):
    assert ("BST202", 0) in findings(view, "cmd")


@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS.keys())
def test_another_attribute_of_the_same_object_does_not(view):
    assert findings(view, "name") == []


def test_an_argument_tainted_whole_still_reaches_the_sink_through_any_attribute():
    """A namespace of command-line arguments, request data passed whole: no slots, every
    attribute is the argument's data."""
    text = textwrap.dedent('''
        import argparse
        import os

        def run(options):
            os.system("echo " + options.name)

        def main():
            run(argparse.ArgumentParser().parse_args())
    ''')
    assert [f.rule_id for f in ANALYZER.analyse_file(text, "cli.py")] == ["BST202"]


def test_a_record_built_from_a_mapping_is_the_mapping_whole():
    text = HELPERS.replace("READ", "name") + textwrap.dedent('''
        @app.route("/v")
        def v():
            run(Job(**request.args))
            return "ok"
    ''')
    assert [f.rule_id for f in ANALYZER.analyse_file(text, "v.py")] == ["BST202"]


def test_a_validated_field_of_a_record_built_field_by_field_is_safe():
    """A pydantic model converts an `int` field: built from keywords, that field holds no
    request text, and the model's other fields are what was passed to each (forms.py)."""
    text = textwrap.dedent('''
        import os
        from flask import Flask, request
        from pydantic import BaseModel

        app = Flask(__name__)

        class Job(BaseModel):
            name: str
            retries: int

        @app.route("/v")
        def v():
            job = Job(name="backup", retries=request.args["n"])
            os.system("retry " + str(job.retries))
            os.system("echo " + job.name)
            return "ok"
    ''')
    assert ANALYZER.analyse_file(text, "v.py") == []


@pytest.mark.parametrize("use", ["run(job)", 'os.system("echo " + job.cmd)'])
def test_an_attribute_of_an_object_the_name_no_longer_holds_is_gone(use):
    """`job = Plain()` again: the attributes stored on the old object (kept by path) are not
    the new object's, passed to a helper or read in place."""
    text = HELPERS.replace("READ", "cmd") + textwrap.dedent(f'''
        @app.route("/v")
        def v():
            job = Plain()
            job.cmd = request.args["c"]
            job = Plain()
            {use}
            return "ok"
    ''')
    assert ANALYZER.analyse_file(text, "v.py") == []
