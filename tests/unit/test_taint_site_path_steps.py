"""Taint analysis through `bastion check`: a redirect target proven a path of this site by tests in
separate conditions (`if not url.startswith("/"): return ...`, `if url.startswith("//"): return
...`, `if "\\\\" in url: return ...`) is as safe as by the three in one condition, for a redirect
that refuses the tab `/\\t/evil.com` also passes them with (Tornado's: redirect_encodings.py); with
one test missing (a browser reads `/\\evil.example` as `//evil.example`), or one that holds on some
paths only, it stays an open redirect. So do the tests proving a file name one component
(`if "/" in name: abort(400)` then `if name.startswith("."): abort(400)`), a test missing
leaving path traversal (marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

VIEWS = '''\
import tornado.web


class R1(tornado.web.RequestHandler):
    def get(self):
        url = self.get_argument("next", "/")
        if not url.startswith("/"):
            return self.redirect("/")
        if url.startswith("//"):
            return self.redirect("/")
        if "\\\\" in url:
            return self.redirect("/")
        return self.redirect(url)


class R2(tornado.web.RequestHandler):
    def get(self):
        url = self.get_argument("next", "/")
        if not url.startswith("/") or url.startswith("//"):
            return self.redirect("/")
        if "\\\\" in url:
            return self.redirect("/")
        return self.redirect(url)


class R3(tornado.web.RequestHandler):
    def post(self):
        target = self.get_body_argument("next")
        if "\\\\" in target:
            raise tornado.web.HTTPError(400)
        if target.startswith("/"):
            return self.redirect(target)  # BST210
        raise tornado.web.HTTPError(400)


class R4(tornado.web.RequestHandler):
    def get(self):
        url = self.get_argument("next", "/")
        if self.get_argument("x", ""):
            if not url.startswith("/"):
                return self.redirect("/")
        if url.startswith("//") or "\\\\" in url:
            return self.redirect("/")
        return self.redirect(url)  # BST210


app = tornado.web.Application([(r"/r1", R1), (r"/r2", R2), (r"/r3", R3), (r"/r4", R4)])
'''


def test_site_path_tests_in_separate_conditions_combine(tmp_path):
    assert_checked_apps({"views.py": VIEWS}, tmp_path)


FILES = '''\
import os

from flask import Flask, abort, request

app = Flask(__name__)
BASE = "/srv/files"


@app.route("/one")
def one():
    name = request.args.get("name", "")
    if "/" in name:
        abort(400)
    if name.startswith("."):
        abort(400)
    return open(os.path.join(BASE, name)).read()


@app.route("/slash_only")
def slash_only():
    name = request.args.get("name", "")
    if "/" in name:
        abort(400)
    return open(os.path.join(BASE, name)).read()  # BST201


@app.route("/dot_only", methods=["POST"])
def dot_only():
    target = request.form["name"]
    if not target.startswith("."):
        return open(BASE + "/" + target).read()  # BST201
    abort(400)
'''


def test_component_tests_in_separate_conditions_combine(tmp_path):
    assert_checked_apps({"files.py": FILES}, tmp_path)
