"""A view module reaching a workspace helper through the helper's module name
(`from app.utils import http`, `from .utils import http`, `import app.utils.http as http`,
`import app.utils.http`) and calling `http.query_arg("q")`, which returns request data, reads a
source as one from-importing `query_arg` does: the text gate lets the module in and its function
is analysed for itself (relevance.py). Before, only from-imported functions were followed and
these modules were reported nowhere (one naming no
sink nor SQL text was not even analysed). The twins do not report: a helper returning a constant or
an `int()`, a value checked against an allow-list. Through `bastion check` and the editor's
store; a line that must report ends with its rule."""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

HTTP = '''from flask import request


def query_arg(name):
    return request.args.get(name, "")


def number_arg(name):
    return int(request.args.get(name, "0"))


def home():
    return "/home"
'''

DB = '''import sqlite3


def run(sql, *params):
    with sqlite3.connect("app.db") as connection:
        return connection.execute(sql, params).fetchall()


def by_name(name):
    return run(f"SELECT id FROM items WHERE name = '{name}'")


def by_id(item_id):
    return run("SELECT id FROM items WHERE id = " + str(item_id))
'''

# Modules naming no source and no judged call (no SQL text, no sink): before, the text gate
# left them unanalysed.
LOOKUPS = '''from .utils import db, http


def search():
    return db.by_name(http.query_arg("q"))  # BST204


def item():
    return db.by_id(http.number_arg("id"))


def named_home():
    return db.by_name(http.home())
'''

DOTTED_LOOKUPS = '''import os

import app.utils.db
import app.utils.http as web


def search():
    return app.utils.db.by_name(web.query_arg("q"))  # BST204


def here():
    return app.utils.db.by_name(os.path.basename(web.home()))
'''

FROM_PACKAGE = '''import requests
from flask import redirect

from app.utils import http


def go():
    return redirect(http.query_arg("next"))  # BST210


def go_home():
    return redirect(http.home())


def go_listed():
    target = http.query_arg("next")
    if target not in ("/orders", "/account"):
        target = "/"
    return redirect(target)


def preview():
    return requests.get(http.query_arg("url"), timeout=5).text  # BST213
'''

RELATIVE = '''from .utils import db, http


def search():
    return db.run("SELECT id FROM items WHERE name = '%s'" % http.query_arg("q"))  # BST204


def item():
    return db.run("SELECT id FROM items WHERE id = %d" % http.number_arg("id"))


def listing():
    return db.run("SELECT id FROM items ORDER BY " + http.home())
'''

ALIASED = '''from flask import redirect

import app.utils.http as web


def go():
    return redirect(web.query_arg("next"))  # BST210


def go_home():
    return redirect(web.home())
'''

DOTTED = '''import os

import app.utils.db
import app.utils.http


def search():
    name = app.utils.http.query_arg("q")
    return app.utils.db.run("SELECT id FROM items WHERE name = '" + name + "'")  # BST204


def count():
    return app.utils.db.run("SELECT id FROM items LIMIT %d" % app.utils.http.number_arg("n"))


def here():
    return os.path.join(os.getcwd(), app.utils.http.home())
'''


def test_helpers_called_through_their_module_name_read_a_source(tmp_path):
    assert_checked_and_stored({"app/__init__.py": "", "app/utils/__init__.py": "",
                               "app/utils/http.py": HTTP, "app/utils/db.py": DB,
                               "app/views.py": FROM_PACKAGE, "app/search.py": RELATIVE,
                               "app/aliased.py": ALIASED, "app/dotted.py": DOTTED,
                               "app/lookups.py": LOOKUPS, "app/dotted_lookups.py": DOTTED_LOOKUPS},
                              tmp_path, RULE_CWE)
