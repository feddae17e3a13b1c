"""Taint analysis on a realistic Tornado shop: handlers on a base handler whose
`get_current_user` reads the signed cookie (`get_secure_cookie`, the server's own value),
pymongo queries (a `$where` made of request data), the login's `next`, a partner's stock fetched
by `AsyncHTTPClient`, a label printed by a shell; uploads from `self.request.files`, a pickled
state, and templates made with `tornado.template.Template`: one made of request data is template
injection (and the page it makes is the attacker's markup), a constant one escapes what `{{ }}`
prints (its default `xhtml_escape`) unless `{% raw %}` prints it as it is. Each line `bastion
check` must report ends with its rule (taint_marked.py); every other line is a safe twin (an
equality query, an allow-listed landing page or partner, `shlex.quote`, `basename`,
`xhtml_escape`, `json.loads`, `reverse_url`) and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps, assert_marked

APPS = {
    'handlers.py': r'''import json
import logging
import shlex
import subprocess

import pymongo
import tornado.escape
import tornado.web
from tornado.httpclient import AsyncHTTPClient

client = pymongo.MongoClient("mongodb://localhost:27017")
db = client.shop
log = logging.getLogger("shop")
LANDING_PAGES = ("/", "/cart", "/search")
PARTNERS = {"acme": "https://api.acme.example/stock", "globex": "https://globex.example/v2/stock"}


class BaseHandler(tornado.web.RequestHandler):
    def get_current_user(self):
        return self.get_secure_cookie("user")


class CartHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self):
        user = tornado.escape.to_unicode(self.current_user)
        items = list(db.carts.find({"user": user}))
        self.write(self.render_string("cart.html", user=user, items=items))

    @tornado.web.authenticated
    def post(self):
        note = self.get_body_argument("note", "")
        self.write("<p>Saved note: " + note + "</p>")  # BST203


class SearchHandler(BaseHandler):
    def get(self):
        where = self.get_argument("where", "true")
        found = db.products.find({"$where": where})  # BST216
        self.write({"products": [p["name"] for p in found]})

    def post(self):
        name = self.get_argument("name", "")
        found = db.products.find({"name": name})
        self.write({"products": [p["name"] for p in found]})


class LoginHandler(BaseHandler):
    def post(self):
        user = self.get_argument("user")
        self.set_secure_cookie("user", user)
        nxt = self.get_argument("next", "/")
        self.redirect(nxt)  # BST210

    def get(self):
        nxt = self.get_argument("next", "/")
        if nxt not in LANDING_PAGES:
            nxt = "/"
        self.redirect(nxt)


class StockHandler(BaseHandler):
    async def get(self):
        partner = self.get_argument("partner")
        url = self.get_argument("url", PARTNERS.get(partner, ""))
        response = await AsyncHTTPClient().fetch(url)  # BST213
        self.write({"stock": json.loads(response.body)})

    async def post(self):
        partner = self.get_argument("partner")
        if partner not in PARTNERS:
            raise tornado.web.HTTPError(404)
        response = await AsyncHTTPClient().fetch(PARTNERS[partner])
        self.write({"stock": json.loads(response.body)})


class PrintHandler(BaseHandler):
    def post(self):
        label = self.get_argument("label")
        log.info("printing label for %s", self.current_user)
        subprocess.run("lpr -T " + label + " /tmp/label.pdf", shell=True)  # BST202

    def put(self):
        label = self.get_argument("label")
        subprocess.run("lpr -T " + shlex.quote(label) + " /tmp/label.pdf", shell=True)


def make_app():
    return tornado.web.Application([
        (r"/cart", CartHandler), (r"/search", SearchHandler), (r"/login", LoginHandler),
        (r"/stock", StockHandler), (r"/print", PrintHandler),
    ], cookie_secret="from-settings", login_url="/login")
''',
    'uploads.py': r'''import logging
import os
import pickle
import json

import tornado.template
import tornado.web
from tornado.escape import xhtml_escape

UPLOAD_DIR = "/srv/uploads"
log = logging.getLogger("uploads")


class UploadHandler(tornado.web.RequestHandler):
    def post(self):
        upload = self.request.files["file"][0]
        target = os.path.join(UPLOAD_DIR, upload["filename"])
        with open(target, "wb") as fh:  # BST201
            fh.write(upload["body"])
        self.finish("<p>Stored " + upload["filename"] + "</p>")  # BST203

    def put(self):
        upload = self.request.files["file"][0]
        name = os.path.basename(upload["filename"])
        with open(os.path.join(UPLOAD_DIR, name), "wb") as fh:
            fh.write(upload["body"])
        self.finish("<p>Stored " + xhtml_escape(name) + "</p>")


class StateHandler(tornado.web.RequestHandler):
    def post(self):
        state = pickle.loads(self.request.body)  # BST209
        self.write({"keys": sorted(state)})

    def put(self):
        state = json.loads(self.request.body)
        self.write({"keys": sorted(state)})


class CardHandler(tornado.web.RequestHandler):
    def get(self):
        layout = self.get_query_argument("layout", "{{ name }}")
        page = tornado.template.Template(layout).generate(name="card")  # BST214
        self.write(page)  # BST203

    def post(self):
        name = self.get_query_argument("name", "")
        page = tornado.template.Template("<b>{{ name }}</b>").generate(name=name)
        self.write(page)

    def put(self):
        name = self.get_query_argument("name", "")
        page = tornado.template.Template("<b>{% raw name %}</b>").generate(name=name)
        self.write(page)  # BST203


class MoveHandler(tornado.web.RequestHandler):
    def get(self):
        dest = self.request.headers.get("X-Return-To", "/")
        log.warning("moving to " + dest)  # BST207
        self.set_status(302)
        self.set_header("Location", dest)  # BST210

    def post(self):
        self.set_status(302)
        self.set_header("Location", self.reverse_url("cart"))
''',
}


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_marked_lines_report_and_no_other(name):
    assert_marked(APPS[name])


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
