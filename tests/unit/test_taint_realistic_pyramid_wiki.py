"""Taint analysis on a realistic app written from Pyramid's documentation, round seven: a wiki of
view_config views and one added with config.add_view (matchdict, GET.getall, a POST upload's
FieldStorage, HTTPSeeOther / HTTPFound locations, render() of a template file, a lazily formatted
log line of an uploaded file's name, which may hold a line break).
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'wiki.py': r'''"""A Pyramid wiki: pages, uploads, search, a config registered by hand."""
import logging
import os
import shutil
import sqlite3
import subprocess

from markupsafe import escape
from pyramid.config import Configurator
from pyramid.httpexceptions import HTTPFound, HTTPSeeOther
from pyramid.renderers import render
from pyramid.response import FileResponse, Response
from pyramid.view import view_config

log = logging.getLogger("wiki")
PAGES = "/srv/wiki/pages"
db = sqlite3.connect("wiki.db")


@view_config(route_name="page", renderer="string")
def page(request):
    name = request.matchdict["name"]
    with open(os.path.join(PAGES, name + ".md")) as fh:  # BST201
        text = fh.read()
    return Response("<h1>%s</h1>%s" % (name, text))  # BST203


@view_config(route_name="page_safe")
def page_safe(request):
    name = os.path.basename(request.matchdict["name"])
    with open(os.path.join(PAGES, name + ".md")) as fh:
        text = fh.read()
    return Response("<h1>%s</h1>%s" % (escape(name), escape(text)))


@view_config(route_name="tags", renderer="json")
def tags(request):
    wanted = request.GET.getall("tag")
    listed = ",".join("'%s'" % t for t in wanted)
    rows = db.execute("SELECT page FROM tags WHERE tag IN (%s)" % listed)  # BST204
    rows2 = db.execute("SELECT page FROM tags WHERE tag IN (%s)" % ",".join("?" * len(wanted)), wanted)
    return {"a": rows.fetchall(), "b": rows2.fetchall()}


@view_config(route_name="upload", request_method="POST")
def upload(request):
    field = request.POST["file"]
    dest = os.path.join(PAGES, field.filename)
    with open(dest, "wb") as out:  # BST201
        shutil.copyfileobj(field.file, out)
    log.info("uploaded %s by %s", field.filename, request.authenticated_userid)  # BST207
    raise HTTPSeeOther(location=request.POST.get("back", "/"))  # BST210


@view_config(route_name="render")
def render_view(request):
    html = render("templates/page.jinja2", {"body": request.params.get("body", "")}, request=request)
    return Response(html)


@view_config(route_name="export")
def export(request):
    fmt = request.params.get("fmt", "pdf")
    name = request.params["name"]
    subprocess.run("pandoc %s/%s.md -o /tmp/out.%s" % (PAGES, name, fmt), shell=True)  # BST202
    if fmt not in ("pdf", "html", "docx"):
        return Response(status=400)
    return FileResponse("/tmp/out." + fmt, request=request)


@view_config(route_name="go")
def go(request):
    target = request.params.get("to", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        # `/\t/evil.com` passes: sent as given, a browser drops the tab and goes to evil.com
        return HTTPFound(location=target)  # BST210
    if request.params.get("raw"):
        return HTTPFound(location=target)  # BST210
    return HTTPFound(location=request.route_url("page", name=target))


def hello(request):
    who = request.params.get("who", "")
    return Response(f"<p>Hi {who}</p>")  # BST203


def main():
    with Configurator() as config:
        config.add_route("hello", "/hello")
        config.add_view(hello, route_name="hello")
        config.scan()
        return config.make_wsgi_app()
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
