"""Tornado's dependency injection (its documentation's `RequestHandler.initialize`): a route
`(r"/items", ItemHandler, dict(db=database))` makes Tornado call `initialize(db=database)` on each
handler it builds, and `self.db = db` keeps it; the field is read as an instance of the class the
route gives (constructed_fields.py, as Falcon's `Resource(store)`), so a method called on it is
the store's. Before, `self.db` was unknown and the store's sink was reached by nothing. Twins: the
parameterized method; a handler routed with two classes, or once without the keyword, or
subclassed, whose field may hold anything. A line that must report ends with its rule (a sink of
the module reports where it is)."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked, marked_and_found

SHOP = '''import sqlite3

import tornado.web


class ItemStore:
    def __init__(self, path):
        self.conn = sqlite3.connect(path)

    def search(self, term):
        return self.conn.execute("SELECT * FROM items WHERE name LIKE '%" + term + "%'").fetchall()  # BST204

    def search_safe(self, term):
        return self.conn.execute("SELECT * FROM items WHERE name LIKE ?", ("%" + term + "%",)).fetchall()


class ItemHandler(tornado.web.RequestHandler):
    def initialize(self, db):
        self.db = db

    def get(self):
        self.write({"items": self.db.search(self.get_argument("q"))})

    def post(self):
        self.write({"items": self.db.search_safe(self.get_argument("q"))})


{routing}
'''

ROUTED = {
    "a dict() in make_app": 'database = ItemStore("items.db")\n\n\ndef make_app():\n'
                            '    return tornado.web.Application([\n'
                            '        (r"/items", ItemHandler, dict(db=database))])',
    "url() with a dict display": 'application = tornado.web.Application([\n'
                                 '    tornado.web.url(r"/items", ItemHandler, {"db": ItemStore("items.db")}, '
                                 'name="items"),\n])',
    # the Application subclass of Tornado's demos: the routes its `__init__` hands `super()`
    "an Application subclass": 'database = ItemStore("items.db")\n\n\n'
                               'class Application(tornado.web.Application):\n'
                               '    def __init__(self):\n'
                               '        handlers = [(r"/items", ItemHandler, dict(db=database))]\n'
                               '        settings = dict(xsrf_cookies=True)\n'
                               '        super().__init__(handlers, **settings)',
}

OPEN = {
    "two classes": 'application = tornado.web.Application([\n'
                   '    (r"/items", ItemHandler, dict(db=ItemStore("items.db"))),\n'
                   '    (r"/other", ItemHandler, dict(db=dict())),\n])',
    "a route without the keyword": 'application = tornado.web.Application([\n'
                                   '    (r"/items", ItemHandler, dict(db=ItemStore("items.db"))),\n'
                                   '    (r"/bare", ItemHandler),\n])',
    "a local of make_app": 'def make_app(path):\n    database = open_store(path)\n'
                           '    return tornado.web.Application([\n'
                           '        (r"/items", ItemHandler, dict(db=database))])',
    "a local of an Application subclass": 'class Application(tornado.web.Application):\n'
                                          '    def __init__(self, path):\n'
                                          '        database = open_store(path)\n'
                                          '        handlers = [(r"/items", ItemHandler, dict(db=database))]\n'
                                          '        super().__init__(handlers)',
    "subclassed": 'class AdminHandler(ItemHandler):\n    pass\n\n\n'
                  'application = tornado.web.Application([\n'
                  '    (r"/items", ItemHandler, dict(db=ItemStore("items.db"))),\n])',
}


CASES = [*((routing, True) for routing in ROUTED.values()), *((routing, False) for routing in OPEN.values())]


@pytest.mark.parametrize(("routing", "reported"), CASES, ids=[*ROUTED, *OPEN])
def test_the_routes_decide_what_the_handler_field_holds(routing, reported):
    source = SHOP.replace("{routing}", routing)
    if reported:
        assert_marked(source)
    else:
        assert marked_and_found(source.replace("  # BST204", ""))[1] == set()
