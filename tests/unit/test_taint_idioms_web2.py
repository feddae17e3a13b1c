"""Taint analysis, a second sweep of the web categories (path traversal, XSS, open redirect, SSRF,
trust boundary) as Flask's, Django's, FastAPI's and aiohttp's documentation and real views write
them, each vulnerable line marked (taint_marked.py) beside its safe twin: the cases that found a
gap, kept so that it stays closed."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked

# A resolved path's text tested against the base (`str(target).startswith(ROOT)`) is the same
# containment check as the path's own when the base ends with a separator (ROOT alone also
# starts `/srv/data2`); the text of a path never normalized proves nothing.
PATH_TEXT = '''\
import os
from pathlib import Path

from fastapi import FastAPI, HTTPException
from flask import Flask, abort, request, send_file

app = FastAPI()
flask_app = Flask(__name__)
ROOT = "/srv/data"


@app.get("/dump/{name}")
def dump(name: str, body: str):
    Path(ROOT, name).write_text(body)  # BST201
    return {}


@app.get("/dump2/{name}")
def dump2(name: str, body: str):
    target = Path(ROOT, name).resolve()
    if not str(target).startswith(ROOT + "/"):
        raise HTTPException(404)
    target.write_text(body)
    return {}


@app.get("/dump3/{name}")
def dump3(name: str, body: str):
    target = Path(ROOT, name)
    if not str(target).startswith(ROOT + "/"):
        raise HTTPException(404)
    target.write_text(body)  # BST201
    return {}


@flask_app.route("/get")
def get():
    p = Path(ROOT, request.args["f"]).resolve()
    if not os.fspath(p).startswith(ROOT):  # `../data2/x`, a sibling, starts with ROOT too
        abort(403)
    return send_file(p)  # BST201


@flask_app.route("/get3")
def get3():
    p = Path(ROOT, request.args["f"]).resolve()
    if not os.fspath(p).startswith(os.path.join(ROOT, "")):
        abort(403)
    return send_file(p)


@flask_app.route("/get2")
def get2():
    p = Path(ROOT, request.args["f"]).resolve()
    if not str(p).endswith(".txt"):
        abort(403)
    return send_file(p)  # BST201
'''

# A comprehension's filter holds for the elements it keeps, as an `if` does for its branch.
COMPREHENSION_FILTERS = '''\
from django.http import HttpResponse
from flask import Flask, request, session

app = Flask(__name__)
SORTS = ("name", "date")


def filter_sess(request):
    request.session["filters"] = request.GET.getlist("f")  # BST208
    return HttpResponse(status=204)


def filter_sess2(request):
    request.session["filters"] = [f for f in request.GET.getlist("f") if f in ("new", "old")]
    return HttpResponse(status=204)


def filter_sess3(request):
    request.session["filters"] = [f for f in request.GET.getlist("f") if f]  # BST208
    return HttpResponse(status=204)


@app.route("/tags")
def tags():
    return "<br>".join(t for t in request.args.getlist("t") if t.isalnum())


@app.route("/tags2")
def tags2():
    return "<br>".join(t for t in request.args.getlist("t") if len(t) < 20)  # BST203


@app.route("/sort")
def sort():
    session["sort"] = {k: 1 for k in request.args.getlist("s") if k in SORTS}
    return "ok"
'''

# Membership in a constant table's values or keys is an allow-list as membership in a constant
# collection is; one in a folder's listing names one of its entries (no separator, no `..`).
MEMBERSHIP = '''\
import os

from flask import Flask, abort, redirect, request, send_file

app = Flask(__name__)
BASE = "/srv/files"
REDIRECTS = {"home": "/", "docs": "/docs"}
TARGETS = {"/": "home", "/docs": "docs"}
HOSTS = {"a": get_host()}


@app.route("/r")
def r():
    target = request.args.get("next", "/")
    if target not in REDIRECTS.values():
        target = "/"
    return redirect(target)


@app.route("/r2")
def r2():
    target = request.args.get("next", "/")
    if target not in TARGETS.keys():
        abort(400)
    return redirect(target)


@app.route("/r3")
def r3():
    back = request.values["back"]
    return redirect(back if back in HOSTS.values() else "/")  # BST210


@app.route("/r4")
def r4():
    target = request.args.get("next", "/")
    if target in REDIRECTS.values():
        return redirect("/")
    return redirect(target)  # BST210


@app.route("/p")
def p():
    name = request.args["f"]
    if name not in os.listdir(BASE):
        abort(404)
    return send_file(os.path.join(BASE, name))


@app.route("/p2")
def p2():
    name = request.args["f"]
    if name in os.listdir(BASE):
        abort(409)
    return send_file(os.path.join(BASE, name))  # BST201
'''

# Django's documented way to fill a response a piece at a time: what is written is the page,
# unless the view gives the response a Content-Type that is not HTML.
RESPONSE_WRITES = '''\
import csv

from django.http import HttpResponse


def written(request):
    resp = HttpResponse()
    resp.write("<p>" + request.GET["name"] + "</p>")  # BST203
    return resp


def written_csv(request):
    resp = HttpResponse(content_type="text/csv")
    resp.write(request.GET["name"])
    return resp


def written_typed_after(request):
    resp = HttpResponse()
    resp["Content-Type"] = "text/plain; charset=utf-8"
    resp.write(request.GET["name"])
    return resp


def written_html(request):
    resp = HttpResponse("", "text/html")
    resp.writelines(["<li>", request.GET["name"], "</li>"])  # BST203
    return resp


def written_rows(request):
    resp = HttpResponse(content_type="text/csv")
    csv.writer(resp).writerow([request.GET["name"]])
    return resp
'''

# A path appended to a whole URL of the host the browser asked for (Flask's `request.url_root`)
# stays on that host: no open redirect; the host still comes from the request, so a server
# fetching it is asked to go where the Host header says.
SITE_URLS = '''\
import requests
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/home")
def home():
    return redirect(request.url_root + request.args.get("p", ""))


@app.route("/account")
def account():
    return redirect(f"{request.host_url}account/{request.args['tab']}")


@app.route("/swap")
def swap():
    return redirect(request.args.get("p", "") + request.url_root)  # BST210


@app.route("/self")
def self_fetch():
    return requests.get(request.host_url + request.args["p"]).text  # BST213
'''

# A helper that fixes the host of the URL it returns (builds it after a constant base, or checks
# its start and raises) hands back a URL untrusted data no longer starts; one that returns it
# as it came, or puts it in the host, does not.
HOST_HELPERS = '''\
import requests
from flask import Flask, redirect, request

app = Flask(__name__)
API = "https://api.example.com"


def api_url(path):
    return f"{API}/v2/{path}"


def checked_url(url):
    if not url.startswith("https://api.example.com/"):
        raise ValueError("bad url")
    return url


def local_only(url):
    if not url.startswith("/account/"):
        return "/"
    return url


def passthrough(url):
    return url.strip()


def on_host(host):
    return "https://" + host + "/status"


@app.route("/a")
def a():
    return requests.get(api_url(request.args["p"])).text


@app.route("/b")
def b():
    return requests.post(checked_url(request.form["u"]), timeout=3).text


@app.route("/c")
def c():
    return redirect(local_only(request.args["next"]))


@app.route("/d")
def d():
    return requests.get(passthrough(request.args["u"])).text  # BST213


@app.route("/e")
def e():
    return requests.get(on_host(request.args["h"])).text  # BST213


@app.route("/f")
def f():
    return redirect(passthrough(request.args["next"]))  # BST210
'''

# httpx's `stream(method, url)` takes the URL second, as its `request` does.
HTTPX_STREAMS = '''\
import httpx
from flask import Flask, request

app = Flask(__name__)
client = httpx.Client(timeout=5)


@app.route("/s")
def s():
    with client.stream("GET", request.args["u"]) as r:  # BST213
        return r.read()


@app.route("/s2")
def s2():
    with httpx.stream(request.args.get("method", "GET"), "https://api.example.com/feed") as r:
        return r.read()


@app.route("/s3")
async def s3():
    async with httpx.AsyncClient() as c:
        async with c.stream("POST", url=request.form["hook"]) as r:  # BST213
            return await r.aread()


@app.route("/s4")
def s4():
    with httpx.stream("GET", request.args["u"]) as r:  # BST213
        return r.read()
'''

# Django's `strip_tags` gives "absolutely no guarantee" that its result is HTML safe (its
# documentation): escaping still has to follow.
STRIPPED_TAGS = '''\
from django.http import HttpResponse
from django.utils.html import escape, strip_tags


def bio(request):
    return HttpResponse("<p>" + strip_tags(request.GET["bio"]) + "</p>")  # BST203


def bio2(request):
    return HttpResponse("<p>" + escape(strip_tags(request.GET["bio"])) + "</p>")
'''


@pytest.mark.parametrize("source", [PATH_TEXT, COMPREHENSION_FILTERS, MEMBERSHIP, RESPONSE_WRITES,
                                    SITE_URLS, HOST_HELPERS, HTTPX_STREAMS, STRIPPED_TAGS],
                         ids=["path-text", "comprehension-filters", "membership", "response-writes",
                              "site-urls", "host-helpers", "httpx-streams", "stripped-tags"])
def test_marked_lines_are_the_findings(source: str) -> None:
    assert_marked(source)
