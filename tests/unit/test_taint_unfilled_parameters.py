"""Taint analysis: the parameters of a decorated entry its framework does not fill (a Flask view's
`template="..."` not in its route, a FastAPI dependency's `db=Depends(deps.get_db)`) are its
callers', as a helper's are: another view calling it with request data reports through it (as
the same function undecorated does), a constant argument does not, and the parameters the
framework fills (route parameters, query parameters) stay sources."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import marked_and_found
from tests.unit.test_taint_workspace_records import workspace_findings

from bastion.analyzers.taint.analyzer import TaintAnalyzer

PAGE = '''\
from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.route("/page")
def page(template="<p>Hello</p>"):
    return render_template_string(template){mark}


@app.route("/custom")
def custom():
    return page({argument}){call_mark}
'''

DOWNLOAD = '''\
import os

from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/files/<name>")
def download(name, folder="/srv/files"):
    return send_file(os.path.join(folder, name))  # BST201


@app.route("/other")
def other():
    return download("a.txt", {argument})
'''

DEPENDENCY = '''\
import os

from fastapi import Depends, FastAPI

from app import deps

app = FastAPI()


def current_name(name: str, db=Depends(deps.get_db)):
    return db.lookup(name)


def only_db(db=Depends(deps.get_db)):
    return db.lookup("x")


@app.get("/x")
def view(n: str = Depends(current_name), m: str = Depends(only_db)):
    os.system(n)  # BST202
    os.system(m)
'''


# what another view hands `page`: request data (reported), a constant or nothing (the safe twins)
CALLS = [('request.args["t"]', True), ('request.form.get("t", "")', True), ('"<p>Hi</p>"', False),
         ("", False)]


@pytest.mark.parametrize(("argument", "reported"), CALLS)
def test_a_view_called_with_request_data_reports_through_its_unrouted_parameter(argument, reported):
    # the view's response is the rendered template (BST203), as through the same undecorated helper
    marks = ("  # BST214", "  # BST203") if reported else ("", "")
    source = PAGE.format(argument=argument, mark=marks[0], call_mark=marks[1])
    expected, found = marked_and_found(source)
    assert found == expected
    undecorated = marked_and_found(source.replace('@app.route("/page")\n', ""))
    assert {r for _, r in found} == {r for _, r in undecorated[1]}


@pytest.mark.parametrize("argument", ['request.args["dir"]', '"/srv/other"'])
def test_the_routed_parameter_stays_a_source(argument):
    expected, found = marked_and_found(DOWNLOAD.format(argument=argument))
    assert expected <= found


def test_a_dependency_keeps_the_request_part_of_what_it_returns():
    expected, found = marked_and_found(DEPENDENCY)
    assert found == expected


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_a_view_of_another_module_called_with_request_data(tmp_path, compute):
    views = PAGE.format(argument='"<p>Hi</p>"', mark="", call_mark="")
    caller = ("from flask import Flask, request\n\nfrom app.views import page\n\napp = Flask(__name__)\n\n\n"
              '@app.route("/proxy")\ndef proxy():\n    return page({argument})\n')
    for argument, reported in (('request.args["t"]', True), ('"<b>x</b>"', False)):
        modules = {"views.py": views, "proxy.py": caller.format(argument=argument)}
        found = workspace_findings(TaintAnalyzer(), tmp_path, modules, compute)
        assert ("BST214" in {f.rule_id for f in found}) is reported, argument
