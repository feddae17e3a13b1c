"""Taint analysis: evaluator gaps the sources inventory found (issue 12), each a whole module whose
marked lines are the only ones reported, also through `bastion check`: a call handed a constant
tuple (`socket.create_connection(("h", 79))`) keeps the kind its models are named by; a
module-level view registered inside a function's body (Flask's and aiohttp's application
factories) is a view, as registered at module level; a `signature` entry matches a method after
its `self` (a WSGI application's method)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.unit.taint_marked import assert_marked, editor_found

from bastion.cli.main import main

SOCKETS = '''import os
import shlex
import socket


def ask():
    sock = socket.create_connection(("h", 79))
    os.system(sock.recv(1024).decode())  # BST202


def ask_with():
    with socket.create_connection(("h", 79), timeout=5) as sock:
        line = sock.makefile("rb").readline()
    os.system(line.decode())  # BST202


def serve():
    server = socket.create_server(("", 8000))
    conn, addr = server.accept()
    os.system(conn.makefile().readline())  # BST202


def ask_safely():
    sock = socket.create_connection(("h", 79))
    os.system("finger " + shlex.quote(sock.recv(1024).decode()))


def serve_safely():
    server = socket.create_server(("", 8000))
    conn, addr = server.accept()
    os.system("echo " + str(len(conn.recv(1024))))
'''

FACTORIES = '''import os
import shlex
from aiohttp import web
from flask import Flask


def user(name):
    os.system("id " + name)  # BST202
    return "ok"


def user_safely(name):
    os.system("id " + shlex.quote(name))
    return "ok"


async def lookup(req):
    os.system("host " + req.query["name"])  # BST202
    return web.Response(text="ok")


async def listed(req):
    os.system("host " + req.match_info["name"])  # BST202
    return web.Response(text="ok")


async def lookup_safely(req):
    os.system("host " + shlex.quote(req.query["name"]))
    return web.Response(text="ok")


def create_app():
    app = Flask(__name__)
    app.add_url_rule("/u/<name>", view_func=user)
    app.add_url_rule("/s/<name>", view_func=user_safely)
    return app


def create_web_app():
    app = web.Application()
    app.router.add_get("/lookup", lookup)
    app.router.add_get("/safe", lookup_safely)
    app.add_routes([web.get("/{name}", listed)])
    return app
'''

METHODS = '''import os
import shlex


class Middleware:
    def __init__(self, app):
        self.app = app

    def wsgi_app(self, env, start_response):
        os.system("echo " + env["PATH_INFO"])  # BST202
        return self.app(env, start_response)


class Quiet:
    def wsgi_app(self, environ, start_response):
        os.system("echo " + shlex.quote(environ["PATH_INFO"]))
        return []

    @staticmethod
    def app(environ, start_response):
        os.system("echo " + environ["QUERY_STRING"])  # BST202
        return []

    def run(self, environ):
        os.system("echo " + environ["QUERY_STRING"])
'''


def test_a_signature_entry_matches_a_method_after_its_self():
    assert_marked(METHODS)


def test_a_socket_made_from_a_constant_address_receives_network_data():
    assert_marked(SOCKETS)


def test_a_view_registered_in_an_application_factory_is_a_view():
    assert_marked(FACTORIES)


def test_bastion_check_reports_the_cases(tmp_path, monkeypatch, capsys):
    (tmp_path / "sockets.py").write_text(SOCKETS, encoding="utf-8")
    (tmp_path / "factories.py").write_text(FACTORIES, encoding="utf-8")
    (tmp_path / "methods.py").write_text(METHODS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["check", "--no-cache", "--jobs", "1", "--format", "json", "."])
    results = json.loads(capsys.readouterr().out)["results"]
    found = sorted((Path(r["path"]).name, r["line"]) for r in results if r["rule_id"] == "BST202")
    marked = sorted((name, i) for name, text in (("factories.py", FACTORIES), ("methods.py", METHODS),
                                                       ("sockets.py", SOCKETS))
                    for i, line in enumerate(text.splitlines(), 1) if line.endswith("# BST202"))
    assert len(marked) == 8 and found == marked


def test_the_editors_engine_reports_the_same_lines():
    for text in (SOCKETS, FACTORIES, METHODS):
        marked = {(i, "BST202") for i, line in enumerate(text.splitlines()) if line.endswith("# BST202")}
        assert editor_found(text, "case.py") == marked
