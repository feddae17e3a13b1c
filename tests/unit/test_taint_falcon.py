"""Taint analysis: Falcon resources (rules/taint/falcon.toml), plain classes whose `on_*`
responders take the request, the response and the URL's fields. One application written from
Falcon's documented idioms: each vulnerable line is marked with the rule it must report, and its
safe twin follows it."""

from __future__ import annotations

from tests.unit.taint_marked import ANALYZER, marked_and_found

APP = '''\
import os
import subprocess

import falcon


class Ping:
    def on_get(self, req, resp):
        subprocess.run("ping -c1 " + req.get_param("host"), shell=True)  # BST202
        subprocess.run(["ping", "-c1", req.get_param("host")])  # BST217


class Base:
    pass


class Echo(Base):  # a base of its own
    def on_post(self, req, resp):
        os.system("echo " + req.get_media()["msg"])  # BST202
        resp.media = {"msg": req.get_media()["msg"]}
        os.system("echo hello")


class Files:  # added with suffix="item": the URL's fields follow the response
    def on_get_item(self, req, resp, name):
        resp.stream = open(os.path.join("/srv", name), "rb")  # BST201
        resp.stream = open(os.path.join("/srv", os.path.basename(name)), "rb")


class Go:
    def on_get(self, req, resp):
        if req.params.get("home"):
            raise falcon.HTTPFound("/home/" + req.params["next"])
        raise falcon.HTTPFound(req.params["next"])  # BST210


class Items:  # ASGI: the body is awaited
    async def on_post(self, req, resp):
        data = await req.get_media()
        self.db.execute("SELECT * FROM t WHERE a = '%s'" % data["a"])  # BST204
        self.db.execute("SELECT * FROM t WHERE a = ?", (data["a"],))


app = falcon.App()
app.add_route("/ping", Ping())
app.add_route("/files/{name}", Files(), suffix="item")
'''


def test_each_marked_line_reports_its_rule_and_no_other_line_reports():
    expected, found = marked_and_found(APP)
    assert len(expected) == 6
    assert found == expected


def test_a_responder_of_a_module_without_falcon_is_not_a_view():
    source = "import os\nclass Ping:\n    def on_get(self, req, resp):\n        os.system(req)\n"
    assert ANALYZER.analyse_file(source, "case.py") == []
