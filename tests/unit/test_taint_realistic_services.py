"""Taint analysis on realistic apps written from the frameworks' documentation, round eight: a
CherryPy site (exposed handlers returning pages, a typed plain-text one, `tools.json_out` and
`tools.json_in`, `HTTPRedirect`, an exposed class under the MethodDispatcher, ElementTree
queries, Jinja templates) and a gRPC servicer (unary and streaming requests, YAML, paths,
logs, shell lines).

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe twin or
plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'svc/__init__.py': r'''''',
    'svc/server.py': r'''import logging
import os
import shutil
import sqlite3
import subprocess
from concurrent import futures

import grpc
import yaml

from . import inventory_pb2, inventory_pb2_grpc

ROOT = "/srv/inventory"
log = logging.getLogger("svc.grpc")


class InventoryService(inventory_pb2_grpc.InventoryServicer):
    def GetItem(self, request, context):
        conn = sqlite3.connect("inventory.db")
        row = conn.execute(f"SELECT name FROM items WHERE sku = '{request.sku}'").fetchone()  # BST204
        conn.execute("SELECT name FROM items WHERE sku = ?", (request.sku,))
        return inventory_pb2.Item(name=row[0])

    def ImportItems(self, request_iterator, context):
        count = 0
        for chunk in request_iterator:
            data = yaml.load(chunk.payload, Loader=yaml.UnsafeLoader)  # BST209
            count += len(yaml.safe_load(chunk.payload))
        return inventory_pb2.Summary(count=count + len(data))

    def Export(self, request, context):
        dest = os.path.join(ROOT, request.filename)
        shutil.copy("/srv/inventory/latest.csv", dest)  # BST201
        shutil.copy("/srv/inventory/latest.csv", os.path.join(ROOT, os.path.basename(request.filename)))
        log.info("exported to " + request.filename)  # BST207
        return inventory_pb2.Empty()

    def Reindex(self, request, context):
        subprocess.run(f"reindex --shard {request.shard}", shell=True)  # BST202
        subprocess.run(["reindex", "--shard", str(int(request.shard))])
        return inventory_pb2.Empty()


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    inventory_pb2_grpc.add_InventoryServicer_to_server(InventoryService(), server)
    server.add_insecure_port("[::]:50051")
    server.start()
    server.wait_for_termination()
''',
    'svc/web.py': r'''import json
import logging
import os
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

import cherrypy
import requests
from jinja2 import Environment, FileSystemLoader, select_autoescape

log = logging.getLogger("svc.web")
env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())
STATIC = "/srv/svc/static"
CONFIG = ET.parse("config.xml")


class Root:
    @cherrypy.expose
    def index(self, name="guest"):
        return "<h1>Hello " + name + "</h1>"  # BST203

    @cherrypy.expose
    def plain(self, name="guest"):
        cherrypy.response.headers["Content-Type"] = "text/plain"
        return "Hello " + name

    @cherrypy.expose
    @cherrypy.tools.json_out()
    def greet(self, name="guest"):
        return "Hello " + name

    @cherrypy.expose
    def page(self, title="home"):
        return env.get_template("page.html").render(title=title)

    @cherrypy.expose
    def static(self, path):
        return open(os.path.join(STATIC, path)).read()  # BST201

    @cherrypy.expose
    @cherrypy.tools.json_out()
    def lookup(self, key=""):
        found = CONFIG.findall(f".//setting[@name='{key}']")  # BST212
        return {"count": len(found)}

    @cherrypy.expose
    def go(self, to="/"):
        if to in ("/", "/jobs", "/help"):
            raise cherrypy.HTTPRedirect(to)
        raise cherrypy.HTTPRedirect(to)  # BST210

    @cherrypy.expose
    @cherrypy.tools.json_in()
    def notify(self):
        body = cherrypy.request.json
        requests.post(body["callback"], json={"ok": True}, timeout=5)  # BST213
        log.info("notified %s", cherrypy.request.headers.get("X-Client"))  # BST207
        return "ok"


@cherrypy.expose
class Jobs:
    def GET(self, job_id=None):
        conn = sqlite3.connect("jobs.db")
        return json.dumps(conn.execute("SELECT * FROM jobs WHERE id = " + job_id).fetchall())  # BST204

    def POST(self, command="", count="1"):
        subprocess.run(["runner", "--count", str(int(count)), "--", command])
        subprocess.run("runner " + command, shell=True)  # BST202
        return "queued"

    def DELETE(self, job_id):
        if not job_id.isdigit():
            raise cherrypy.HTTPError(400)
        subprocess.run("cancel " + job_id, shell=True)
        return "cancelled"


if __name__ == "__main__":
    conf = {"/jobs": {"request.dispatch": cherrypy.dispatch.MethodDispatcher()}}
    cherrypy.tree.mount(Jobs(), "/jobs", conf)
    cherrypy.quickstart(Root())
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
