from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

# What a helper returns keeps the kind its callee's value had (summaries.instantiated): the
# output of a command it ran on request data is no text of the request's, as it is not when
# the view runs the command itself: the flaw is the command line (BST202), not a page (main
# also reported BST203 at the view's return, through the helper alone).
COMMAND_OUTPUT = '''import subprocess

from flask import Flask, request

app = Flask(__name__)


def run_report(name):
    return subprocess.check_output("report " + name, shell=True).decode()  # BST202


def echo(name):
    return "<pre>" + name + "</pre>"


@app.route("/report")
def report():
    return run_report(request.args["name"])


@app.route("/echo")
def echo_view():
    return echo(request.args["name"])  # BST203
'''


def test_a_helper_returning_a_command_s_output_returns_no_request_text():
    assert_marked(COMMAND_OUTPUT)


# A class-based view whose base, in another module, runs the command and returns its output.
JSON_VIEW = '''import subprocess

from flask.views import MethodView


class JsonView(MethodView):
    def run_report(self, name):
        return subprocess.check_output("report " + name, shell=True).decode()

    def framed(self, name):
        return "<pre>" + name + "</pre>"
'''

REPORT_VIEWS = '''from flask import Blueprint, request

from .base import JsonView

bp = Blueprint("reports", __name__)


class ReportView(JsonView):
    def get(self):
        return self.run_report(request.args["name"])  # BST202


class FramedView(JsonView):
    def get(self):
        return self.framed(request.args["name"])  # BST203


bp.add_url_rule("/report", view_func=ReportView.as_view("report"))
bp.add_url_rule("/framed", view_func=FramedView.as_view("framed"))
'''


def test_a_base_of_another_module_running_a_command_for_a_view_is_command_injection(tmp_path):
    apps = {"reports/__init__.py": "", "reports/base.py": JSON_VIEW, "reports/views.py": REPORT_VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
