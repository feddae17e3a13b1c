"""The request object a plain class's `__init__` keeps (`self.request = request`), read in its
methods later (`self.request.args["q"]`): `Params(request).term()`, `Handler(request).handle()`,
through `bastion check`; a converted, allow-listed or overwritten read is clean."""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

FLASK = r'''import subprocess

from flask import Flask, request

app = Flask(__name__)
MODES = {"fast", "slow"}


class Params:
    def __init__(self, request):
        self.request = request

    def term(self):
        return self.request.args["q"]

    def page(self):
        return int(self.request.args.get("page", "1"))

    def mode(self):
        mode = self.request.args.get("mode", "fast")
        return mode if mode in MODES else "fast"


class Handler:
    def __init__(self, req, verbose=False):
        self.req = req
        self.verbose = verbose

    def handle(self):
        name = self.req.form["name"]
        return subprocess.run("echo " + name, shell=True)  # BST202

    def handle_quietly(self):
        self.req = None
        return subprocess.run("echo quiet", shell=True)


@app.route("/search")
def search():
    p = Params(request)
    subprocess.run("grep " + p.term() + " index.txt", shell=True)  # BST202
    subprocess.run("grep -m " + str(p.page()) + " x index.txt", shell=True)
    subprocess.run("sort --" + p.mode() + " index.txt", shell=True)
    return "ok"


@app.route("/run", methods=["POST"])
def run():
    Handler(request).handle()
    Handler(request, verbose=True).handle_quietly()
    return "ok"
'''

DJANGO = r'''from django.db import connection
from django.http import HttpResponse


class Filters:
    def __init__(self, request):
        self.request = request
        self.order = "name"

    def where(self):
        return "owner = '%s'" % self.request.GET["owner"]

    def ordering(self):
        return "ORDER BY " + self.order


def listing(request):
    filters = Filters(request)
    with connection.cursor() as c:
        c.execute("SELECT id FROM t WHERE " + filters.where())  # BST204
        c.execute("SELECT id FROM t " + filters.ordering())
    return HttpResponse("ok")
'''


def test_a_request_kept_by_init_is_read_by_its_methods(tmp_path):
    assert_checked_and_stored({"app.py": FLASK, "views.py": DJANGO}, tmp_path, RULE_CWE)
