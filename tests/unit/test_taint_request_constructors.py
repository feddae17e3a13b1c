"""Taint analysis: the request object handed to a constructor of a class of the module
(`Params(request)`) fills the fields its `__init__` keeps of it (`self.args = req.args`,
`self.body = req.get_json()`) with the request's sources of those names, as a function handed
the request reads them (handed_requests.py); a field it keeps a number or a constant in stays
safe."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

APP = '''\
import os
import sqlite3

from flask import Flask, request

app = Flask(__name__)


class Params:
    def __init__(self, req):
        self.args = req.args
        self.body = req.get_json(silent=True) or {}
        self.page = int(req.args.get("page", "1"))
        self.table = "items"

    def name(self):
        return self.args.get("name", "")


@app.get("/list")
def listing():
    p = Params(request)
    os.system("ls /srv/" + p.name())  # BST202
    db = sqlite3.connect("app.db")
    db.execute("SELECT * FROM items WHERE tag = '%s'" % p.body.get("tag"))  # BST204
    db.execute("SELECT * FROM %s LIMIT 10 OFFSET %d" % (p.table, p.page))
    return ""
'''


def test_a_constructor_handed_the_request_keeps_its_sources():
    assert_marked(APP)
