"""Taint analysis on a Flask app whose services are module-level instances made in the
package's `__init__` of classes it imports (`from .reports import ReportService`, then
`report_service = ReportService()`), as blueprints and services are laid out in everyday
projects: a view calling `report_service.render(name)` or `services.report_service.render(name)`
runs the class's method of `reports.py`, as on an instance made in the class's own module; so
does one a factory of another module returns (`get_report_service().render(name)`).
Each line that must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent, in `bastion check` and in the editor's store."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

SERVICES = r'''from .reports import ReportService

report_service = ReportService()
'''

REPORTS = r'''import shlex
import subprocess


class ReportService:
    def render(self, name):
        subprocess.run("render-report " + name, shell=True, check=True)

    def render_quoted(self, name):
        subprocess.run("render-report " + shlex.quote(name), shell=True, check=True)
'''

VIEWS = r'''from flask import Blueprint, request

from . import services
from .services import report_service

bp = Blueprint("reports", __name__)


@bp.route("/render", methods=["POST"])
def render():
    report_service.render(request.form["name"])  # BST202
    report_service.render_quoted(request.form["name"])
    return "queued"


@bp.route("/render-again", methods=["POST"])
def render_again():
    services.report_service.render(request.form["name"])  # BST202
    services.report_service.render("weekly")
    return "queued"
'''


def test_an_instance_of_an_imported_class_runs_that_classes_methods(tmp_path):
    (tmp_path / "shop" / "services").mkdir(parents=True)
    apps = {"shop/__init__.py": "", "shop/services/__init__.py": SERVICES,
            "shop/services/reports.py": REPORTS, "shop/views.py": VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)


FACTORY = r'''from .reports import ReportService


def get_report_service():
    return ReportService()
'''

FACTORY_VIEWS = r'''from flask import Blueprint, request

from .services.factory import get_report_service

bp = Blueprint("exports", __name__)


@bp.route("/export", methods=["POST"])
def export():
    get_report_service().render(request.form["name"])  # BST202
    service = get_report_service()
    service.render_quoted(request.form["name"])
    service.render(request.form["name"])  # BST202
    return "queued"
'''


def test_a_factory_returning_an_imported_classes_instance_runs_that_classes_methods(tmp_path):
    (tmp_path / "shop" / "services").mkdir(parents=True)
    apps = {"shop/__init__.py": "", "shop/services/__init__.py": "",
            "shop/services/reports.py": REPORTS, "shop/services/factory.py": FACTORY,
            "shop/exports.py": FACTORY_VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
