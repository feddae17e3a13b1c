"""A function that is no entry and names no source, calling a helper of another workspace
module that returns request data (`from helpers import user_path`), reads a source as surely as
one naming it: it is analysed for itself (relevance.py), not only when a relevant function of
its module calls it. Before, `bounce()` below was analysed by nobody and `redirect(user_path())`
reported nowhere (an `open()` there was, through bandit's trigger). The twins do not report: a
helper returning a constant, the value checked against an allow-list of the site's paths. Through `bastion
check` and the editor's store; a line that must report ends with its rule."""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

HELPERS = '''from flask import request


def user_path():
    return request.args["next"]


def home():
    return "/home"
'''

JOBS = '''import requests
from flask import redirect

from helpers import home, user_path


def bounce():
    return redirect(user_path())  # BST210


def bounce_home():
    return redirect(home())


def bounce_inside():
    target = user_path()
    if target not in ("/orders", "/account"):
        target = "/"
    return redirect(target)


def fetch():
    return requests.get(user_path(), timeout=5).text  # BST213
'''


def test_a_function_calling_an_imported_source_helper_is_analysed(tmp_path):
    assert_checked_and_stored({"helpers.py": HELPERS, "jobs.py": JOBS}, tmp_path, RULE_CWE)


# A module whose text names no source and no judged call (no SQL text, no subprocess): it hands
# what one helper returns to another that sinks it. Before, the text gate left it unanalysed.
WEB = '''from flask import request


def arg(name):
    return request.args.get(name, "")


def default_sort():
    return "name"
'''

DB = '''import sqlite3


def run(sql):
    cursor = sqlite3.connect("shop.db").cursor()
    cursor.execute(sql)
    return cursor.fetchall()


def by_name(name):
    return run("SELECT id, name FROM items WHERE name = '%s'" % name)


def by_id(item_id):
    return run("SELECT id, name FROM items WHERE id = %d" % item_id)


def sorted_by(column):
    return run("SELECT id, name FROM items ORDER BY " + column)
'''

SERVICES = '''from .db import by_id, by_name, sorted_by
from .web import arg, default_sort


def search():
    return by_name(arg("q"))  # BST204


def item():
    return by_id(int(arg("id")))


def listing():
    return sorted_by(default_sort())


def listing_for():
    column = arg("sort")
    if column not in ("name", "price"):
        column = "name"
    return sorted_by(column)
'''

REPORTS = '''from .db import sorted_by


def names():
    return sorted_by("name")
'''


def test_a_module_naming_no_source_calling_imported_helpers_is_analysed(tmp_path):
    assert_checked_and_stored({"shop/__init__.py": "", "shop/web.py": WEB, "shop/db.py": DB,
                               "shop/services.py": SERVICES, "shop/reports.py": REPORTS},
                              tmp_path, RULE_CWE)
