"""A helper of another module handed the request that reads one of its sources by a name it is
handed too (`def arg(handler, name): return handler.get_argument(name)`, Falcon's
`req.get_param(name)`): the result is keyed by the method although the method is handed the
helper's own parameter (calls.py), so at the call the request (a Tornado handler's `self`)
reads its source of that name, at high confidence (issue 12); before, the helper returned its
parameters whole and the request object, data only by kind, gave nothing. A method of another
object handed request data (`conn.lookup(q)`) still gives that data, at medium confidence as
any unknown call. The twin does not report: the value converted to a number. Through
`bastion check` and the editor's store; a line that must report ends with its rule."""

from pathlib import Path

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, checked

UTIL = '''def arg(handler, name):
    return handler.get_argument(name)


def param(req, name, default=None):
    return req.get_param(name, default=default)


def lookup(conn, query):
    return conn.lookup(query)
'''

TORNADO = '''import os

import tornado.web

from util import arg


class Run(tornado.web.RequestHandler):
    def get(self):
        os.system(arg(self, "cmd"))  # BST202
        os.system("seq %d" % int(arg(self, "count")))
'''

FALCON = '''import os

import falcon

from util import lookup, param


class Run:
    def on_get(self, req, resp):
        os.system(param(req, "cmd"))  # BST202
        os.system("seq %d" % int(param(req, "count", default="1")))


class Find:
    def on_get(self, req, resp):
        os.system(lookup(object(), req.get_param("q")))  # BST202


app = falcon.App()
app.add_route("/run", Run())
app.add_route("/find", Find())
'''


def test_a_request_source_read_by_name_in_a_helper(tmp_path):
    apps = {"handlers.py": TORNADO, "resources.py": FALCON, "util.py": UTIL}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
    found = {(Path(r["path"]).name, r["line"], r["confidence"]) for r in checked(apps, tmp_path)}
    assert found == {("handlers.py", 10, "high"), ("resources.py", 10, "high"),
                     ("resources.py", 16, "medium")}
