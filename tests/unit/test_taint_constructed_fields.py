"""A resource built at the module's top level with a service (Falcon's tutorial:
`app.add_route("/images", Resource(image_store))`, `image_store = ImageStore(...)`), which its
`__init__` keeps unannotated (`self.store = store`): a method called on the field is the
service's class's (constructed_fields.py), as for an annotated parameter. Before, the field was
the caller's unknown argument and the service's sink was reached by nothing. Twins: the
parameterized method; a class also built inside a function, or given instances of two classes,
whose field may hold anything. A line that must report ends with its rule (a sink of the module
reports where it is)."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked

RESOURCE = '''import sqlite3

import falcon


class ReportStore:
    def __init__(self, path):
        self.conn = sqlite3.connect(path)

    def by_owner(self, owner):
        return self.conn.execute(f"SELECT * FROM reports WHERE owner = '{owner}'").fetchall()  # BST204

    def by_owner_safe(self, owner):
        return self.conn.execute("SELECT * FROM reports WHERE owner = ?", (owner,)).fetchall()


class Reports:
    def __init__(self, store, limit=50):
        self.store = store
        self.limit = limit

    def on_get(self, req, resp):
        resp.media = self.store.by_owner(req.get_param("owner"))

    def on_get_safe(self, req, resp):
        resp.media = self.store.by_owner_safe(req.get_param("owner"))


{building}
'''

BUILT = {
    "a global bound once": 'store = ReportStore("reports.db")\napp = falcon.App()\n'
                           'app.add_route("/reports", Reports(store))',
    "the constructor given": 'app = falcon.App()\n'
                             'app.add_route("/reports", Reports(store=ReportStore("r.db")))',
}

ELSEWHERE = {
    "also built in a function": 'app = falcon.App()\n'
                                'app.add_route("/reports", Reports(ReportStore("r.db")))\n\n\n'
                                'def make(other):\n    return Reports(other)',
    "given two classes": 'app = falcon.App()\napp.add_route("/a", Reports(ReportStore("r.db")))\n'
                         'app.add_route("/b", Reports(dict()))',
}


@pytest.mark.parametrize("building", BUILT.values(), ids=list(BUILT))
def test_a_field_given_a_service_at_the_top_level_is_the_services(building):
    assert_marked(RESOURCE.replace("{building}", building))


@pytest.mark.parametrize("building", ELSEWHERE.values(), ids=list(ELSEWHERE))
def test_a_field_given_other_values_stays_the_callers(building):
    source = RESOURCE.replace("{building}", building).replace("  # BST204", "")
    from bastion.analyzers.taint.analyzer import TaintAnalyzer

    assert TaintAnalyzer().analyse_file(source, "case.py") == []
