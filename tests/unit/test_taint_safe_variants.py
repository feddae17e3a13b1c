"""Safe idioms from the libraries' documentation that the detect62 probe sweep found reported
(issue 12: an over-report costs as much as a miss), each beside its unsafe twin: the rows an ORM
selects by field (Django's `filter` / `exclude` / `get_object_or_404`, Flask-SQLAlchemy's
`filter_by` / `get_or_404` / `first_or_404`, `query.get(pk)`, PyMongo's `find_one`) are the
database's, not the values they were selected by; Django's `get_valid_filename` is one name
inside the folder it is joined to; a URL with no host (`if not urlparse(u).netloc`) does not stay
on the site in Flask (`////evil.com` is sent as `//evil.com`); a host tested to be a public address (`ipaddress.ip_address(host).is_private` false) names
no internal service; a name equal to its own `os.path.basename` has no directory; an allow-list
of constants joined to a constant collection (`("", *HOSTS)`, `HOSTS | {""}`) holds constants;
`quoteattr` quotes an attribute; and a name none of whose characters is outside a module's
constant set of safe characters (or whose rest, once `-` and `_` are removed, is alphanumeric)
breaks nothing; a process's exit status is a number; and Django's `build_absolute_uri` of a
constant location is on the site's own host."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps, assert_marked

# A query's rows hold what the database holds; the request's values only select them. Text of
# the request written into the query, or echoed, still reports; so does a default it supplies.
DJANGO_ROWS = '''\
from django.http import HttpResponse
from django.shortcuts import get_list_or_404, get_object_or_404

from shop.models import Product


def search(request):
    items = Product.objects.filter(name__icontains=request.GET["q"]).order_by("name")
    return HttpResponse("".join(f"<li>{p.title}</li>" for p in items))


def others(request):
    items = Product.objects.exclude(name=request.GET["q"]).values_list("title", flat=True)
    return HttpResponse(", ".join(items))


def detail(request):
    item = get_object_or_404(Product, slug=request.GET["slug"])
    return HttpResponse(f"<h1>{item.title}</h1>")


def listed(request):
    items = get_list_or_404(Product, name=request.GET["name"])
    return HttpResponse(items[0].title)


def raw(request):
    items = Product.objects.raw("SELECT * FROM shop_product WHERE name = '%s'" % request.GET["q"])  # BST204
    return HttpResponse(str(len(list(items))))


def echo(request):
    items = Product.objects.filter(name=request.GET["q"])
    return HttpResponse(f"<p>{len(items)} for {request.GET['q']}</p>")  # BST203
'''

FLASK_ROWS = '''\
from flask import Flask, request

from app.models import User, db

app = Flask(__name__)
CACHE = {}


@app.route("/user")
def user():
    found = User.query.filter_by(name=request.args["name"]).first_or_404()
    return f"<p>{found.bio}</p>"


@app.route("/by-id")
def by_id():
    found = db.get_or_404(User, request.args["id"])
    return f"<p>{found.bio}</p>"


@app.route("/legacy")
def legacy():
    found = User.query.get(request.args["id"])
    return f"<p>{found.bio}</p>"


@app.route("/select")
def select():
    row = db.session.execute(db.select(User).filter_by(name=request.args["name"])).scalar_one()
    return f"<p>{row.bio}</p>"


@app.route("/cached")
def cached():
    return f"<p>{CACHE.get(request.args['key'], request.args['key'])}</p>"  # BST203


@app.route("/text")
def text_query():
    return str(db.session.execute(db.text("SELECT * FROM users WHERE name = '" + request.args["name"] + "'")).all())  # BST204
'''

# Django's get_valid_filename keeps letters, digits, `_`, `-` and `.` and refuses `..`.
FILENAMES = '''\
import os

from django.http import FileResponse
from django.utils.text import get_valid_filename

BASE = "/srv/files"


def download(request):
    name = get_valid_filename(request.GET["name"])
    return FileResponse(open(os.path.join(BASE, name), "rb"))


def download_raw(request):
    return FileResponse(open(os.path.join(BASE, request.GET["name"]), "rb"))  # BST201
'''

# A name equal to its own basename has no directory; a test of another name, or the branch
# where they differ, proves nothing of it.
OWN_NAMES = '''\
import os

from django.http import FileResponse, HttpResponseBadRequest

UPLOADS = "/srv/uploads"


def fetch(request):
    name = request.GET["name"]
    if os.path.basename(name) != name:
        return HttpResponseBadRequest()
    return FileResponse(open(os.path.join(UPLOADS, name), "rb"))


def fetch_when_plain(request):
    name = request.GET["name"]
    if name == os.path.basename(name):
        return FileResponse(open(os.path.join(UPLOADS, name), "rb"))
    return HttpResponseBadRequest()


def fetch_other_tested(request):
    name, other = request.GET["name"], request.GET["other"]
    if os.path.basename(other) != other:
        return HttpResponseBadRequest()
    return FileResponse(open(os.path.join(UPLOADS, name), "rb"))  # BST201


def fetch_wrong_branch(request):
    name = request.GET["name"]
    if os.path.basename(name) == name:
        return HttpResponseBadRequest()
    return FileResponse(open(os.path.join(UPLOADS, name), "rb"))  # BST201
'''

# A URL without a host is not a path of this site in Flask: Werkzeug sends `////evil.com`, which
# has none, as `//evil.com` (redirect_encodings.py); a test of the scheme alone does not say so either. A host tested to be a public address literal names no
# internal service; a test of loopback alone, or the private branch, proves nothing.
HOSTS = '''\
import ipaddress
from urllib.parse import urlparse

import requests
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/next")
def next_page():
    target = request.args["next"]
    if urlparse(target).netloc:
        return redirect("/")
    return redirect(target)  # BST210


@app.route("/next2")
def next_page2():
    target = request.args["next"]
    if not urlparse(target).netloc:
        return redirect(target)  # BST210
    return redirect("/")


@app.route("/next3")
def next_page3():
    target = request.args["next"]
    host = urlparse(target).netloc
    if host:
        return redirect("/")
    return redirect(target)  # BST210


@app.route("/next4")
def next_page4():
    target = request.args["next"]
    if urlparse(target).scheme:
        return redirect("/")
    return redirect(target)  # BST210


@app.route("/next5")
def next_page5():
    target = request.args["next"]
    if urlparse(target).netloc:
        return redirect(target)  # BST210
    return redirect("/")


@app.route("/status")
def status():
    host = request.args["host"]
    if ipaddress.ip_address(host).is_private:
        return "no", 403
    return requests.get(f"http://{host}/status").text


@app.route("/status2")
def status2():
    host = request.args["host"]
    if not ipaddress.ip_address(host).is_global:
        return "no", 403
    return requests.get(f"http://{host}/status").text


@app.route("/status3")
def status3():
    host = request.args["host"]
    if ipaddress.ip_address(host).is_loopback:
        return "no", 403
    return requests.get(f"http://{host}/status").text  # BST213


@app.route("/status4")
def status4():
    host = request.args["host"]
    if ipaddress.ip_address(host).is_private:
        return requests.get(f"http://{host}/status").text  # BST213
    return "no", 403
'''

# PyMongo's find_one returns the collection's document, selected by the request's value; a
# filter the request writes server-side JavaScript into still reports, as does an echo.
MONGO_ROWS = '''\
from flask import Flask, request
from pymongo import MongoClient

app = Flask(__name__)
users = MongoClient().app.users


@app.route("/profile")
def profile():
    doc = users.find_one({"name": str(request.args["name"])})
    return "<p>" + doc["bio"] + "</p>"


@app.route("/count")
def count():
    n = users.count_documents({"team": str(request.args["team"])})
    return f"<p>{n}</p>"


@app.route("/where")
def where():
    doc = users.find_one({"$where": "this.name == '" + request.args["name"] + "'"})  # BST216
    return "<p>" + doc["bio"] + "</p>"


@app.route("/echo")
def echo():
    doc = users.find_one({"name": str(request.args["name"])})
    return "<p>" + doc["bio"] + request.args["name"] + "</p>"  # BST203
'''

# An allow-list written as constants joined to a module's constant collection
# (`("accounts.example.com", *HOSTS)`, `HOSTS | {...}`) holds constants (an empty host among
# them would let `////evil.com` through, which Werkzeug sends as `//evil.com`); hosts the request lists, or a collection a view adds to,
# do not.
JOINED_ALLOW_LISTS = '''\
from urllib.parse import urlparse

from flask import Flask, abort, redirect, request

app = Flask(__name__)
HOSTS = {"example.com", "www.example.com"}
MIRRORS = ["cdn.example.com"]
OPEN = {"example.com"}


@app.get("/login")
def login():
    nxt = request.args["next"]
    if urlparse(nxt).netloc not in ("accounts.example.com", *HOSTS):
        abort(400)
    return redirect(nxt)


@app.get("/login2")
def login2():
    nxt = request.args["next"]
    if urlparse(nxt).netloc not in HOSTS | {"accounts.example.com"}:
        abort(400)
    return redirect(nxt)


@app.get("/mirror")
def mirror():
    nxt = request.args["next"]
    if urlparse(nxt).netloc in ["accounts.example.com", *MIRRORS, *HOSTS]:
        return redirect(nxt)
    abort(400)


@app.get("/listed")
def listed():
    nxt = request.args["next"]
    if urlparse(nxt).netloc not in ("", *request.args.getlist("host")):
        abort(400)
    return redirect(nxt)  # BST210


@app.get("/open")
def opened():
    OPEN.add(request.args["host"])
    nxt = request.args["next"]
    if urlparse(nxt).netloc not in OPEN | {""}:
        abort(400)
    return redirect(nxt)  # BST210
'''

# xml.sax.saxutils.quoteattr quotes an attribute's value, escaping what would end it.
QUOTED_ATTRIBUTES = '''\
from xml.sax.saxutils import escape, quoteattr

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/link")
def link(title: str):
    return HTMLResponse(f"<a title={quoteattr(title)}>x</a>")


@app.get("/link2")
def link2(title: str):
    return HTMLResponse(f"<a title={title}>{escape(title)}</a>")  # BST203
'''

# A name whose characters all belong to a module's constant set of characters (built with
# set() / frozenset() of the `string` module's constants joined with `+`) breaks nothing
# those characters cannot; `any(c not in SAFE for c in name)` false says so as `all(c in SAFE
# ...)` does. A deny-list of a few characters, or all printable ones, proves nothing.
CHARACTER_SETS = '''\
import string
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
SAFE = set(string.ascii_letters + string.digits + "-_")
WORD = frozenset("abcdefghijklmnopqrstuvwxyz")
PRINTABLE = set(string.printable)
SEPARATORS = ";&|"


@app.route("/user")
def user():
    name = request.args["name"]
    if any(c not in SAFE for c in name):
        abort(400)
    return subprocess.check_output(f"id {name}", shell=True)


@app.route("/group")
def group():
    name = request.args["name"]
    if not set(name) <= WORD:
        abort(400)
    return subprocess.check_output(f"getent group {name}", shell=True)


@app.route("/host")
def host():
    name = request.args["name"]
    if any(not c.isalnum() for c in name):
        abort(400)
    return subprocess.check_output(f"host {name}", shell=True)


@app.route("/printable")
def printable():
    name = request.args["name"]
    if any(c not in PRINTABLE for c in name):
        abort(400)
    return subprocess.check_output(f"id {name}", shell=True)  # BST202


@app.route("/denied")
def denied():
    name = request.args["name"]
    if any(c in SEPARATORS for c in name):
        abort(400)
    return subprocess.check_output(f"id {name}", shell=True)  # BST202


@app.route("/wrong-branch")
def wrong_branch():
    name = request.args["name"]
    if any(c not in SAFE for c in name):
        return subprocess.check_output(f"id {name}", shell=True)  # BST202
    abort(400)


@app.route("/slug")
def slug():
    name = request.args["name"]
    if not name.replace("-", "").replace("_", "").isalnum():
        abort(400)
    return subprocess.check_output(f"id {name}", shell=True)


@app.route("/spaced")
def spaced():
    name = request.args["name"]
    if not name.replace(" ", "").isalnum():
        abort(400)
    return subprocess.check_output(f"id {name}", shell=True)  # BST202
'''

# A process's exit status (`Popen(...).wait()`, `poll()`, asyncio's `await proc.wait()`) is a
# number; what the process printed is not.
EXIT_STATUSES = '''\
import asyncio
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/listing")
def listing():
    proc = subprocess.Popen(["ls", "--", request.args["dir"]])
    status = proc.wait()
    return f"<p>exit {status} {proc.poll()}</p>"


@app.route("/async-listing")
async def async_listing():
    proc = await asyncio.create_subprocess_exec("ls", "--", request.args["dir"])
    return f"<p>exit {await proc.wait()}</p>"


@app.route("/echo")
def echo():
    proc = subprocess.Popen(["echo", "--", request.args["text"]], stdout=subprocess.PIPE, text=True)
    out, _ = proc.communicate()
    return f"<p>{out}</p>"  # BST203
'''

# Django's build_absolute_uri() is the request's own URL, and a constant location made absolute
# is on the host the browser asked for (checked against ALLOWED_HOSTS): a redirect there stays
# on the site, as after Flask's `request.url`. A location the request gives is returned as it is
# when absolute; the URL printed in a page is still the request's text.
ABSOLUTE_URIS = '''\
from django.http import HttpResponse, HttpResponseRedirect


def done(request):
    return HttpResponseRedirect(request.build_absolute_uri("/done/"))


def again(request):
    return HttpResponseRedirect(request.build_absolute_uri())


def search(request):
    return HttpResponseRedirect(request.build_absolute_uri("/search/?q=" + request.GET["q"]))


def onward(request):
    return HttpResponseRedirect(request.build_absolute_uri(request.GET["next"]))  # BST210


def shown(request):
    return HttpResponse(f"<a href='{request.build_absolute_uri()}'>again</a>")  # BST203
'''

APPS = {"django_rows.py": DJANGO_ROWS, "flask_rows.py": FLASK_ROWS, "filenames.py": FILENAMES,
        "own_names.py": OWN_NAMES, "hosts.py": HOSTS,
        "mongo_rows.py": MONGO_ROWS, "joined_allow_lists.py": JOINED_ALLOW_LISTS,
        "quoted_attributes.py": QUOTED_ATTRIBUTES, "character_sets.py": CHARACTER_SETS,
        "exit_statuses.py": EXIT_STATUSES, "absolute_uris.py": ABSOLUTE_URIS}


@pytest.mark.parametrize(("name", "source"), sorted(APPS.items()))
def test_safe_variants_are_silent_and_unsafe_twins_report(name, source, tmp_path):
    """The analyser and `bastion check` (with the rule's CWE) report the marked lines alone."""
    assert_marked(source)
    assert_checked_apps({name: source}, tmp_path)
