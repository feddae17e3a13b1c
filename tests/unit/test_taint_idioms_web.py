"""Taint analysis: cross-site scripting, deserialization, XML external entities and outgoing
requests as Flask's, Django's, FastAPI's and Starlette's documentation and the libraries' own
show them, each vulnerable line marked (taint_marked.py) beside a safe twin: JSON and plain-text
responses, autoescaped templates, escapers, safe loaders, defusedxml, URLs whose host is fixed and
hosts checked against an allow-list."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked

FLASK_XSS = '''\
import html

from flask import Flask, Response, jsonify, make_response, render_template, render_template_string, request
from markupsafe import Markup, escape

app = Flask(__name__)


@app.route("/a")
def a():
    name = request.args.get("name", "")
    return make_response(f"<p>{name}</p>")  # BST203


@app.route("/a2")
def a2():
    name = request.args.get("name", "")
    return make_response(f"<p>{escape(name)}</p>")


@app.route("/b")
def b():
    return Response(request.args["q"], mimetype="text/html")  # BST203


@app.route("/b2")
def b2():
    return Response(request.args["q"], mimetype="application/json")


@app.route("/b3")
def b3():
    return Response(request.args["q"])  # BST203


@app.route("/b4")
def b4():
    return Response(request.args["q"], content_type="text/plain")


@app.route("/b5")
def b5():
    return make_response(request.args["q"], 200, {"Content-Type": "application/json"})


@app.route("/b6")
def b6():
    return Response(request.args["q"], headers={"content-type": "text/plain; charset=utf-8"})


@app.route("/b7")
def b7():
    return make_response(request.args["q"], 200, {"Content-Type": "text/html"})  # BST203


@app.route("/c")
def c():
    return jsonify(q=request.args["q"])


@app.route("/d")
def d():
    return "<h1>" + request.args["q"] + "</h1>"  # BST203


@app.route("/d2")
def d2():
    return {"q": request.args["q"]}


@app.route("/d3")
def d3():
    return "<h1>" + html.escape(request.args["q"]) + "</h1>"


@app.route("/d4")
def d4():
    return "<h1>" + Markup.escape(request.args["q"]) + "</h1>"


@app.route("/e")
def e():
    return render_template("hello.html", name=request.args["q"])


@app.route("/e2")
def e2():
    return render_template("hello.html", name=Markup(request.args["q"]))  # BST203


@app.route("/f")
def f():
    return render_template_string("<p>{{ q|safe }}</p>", q=request.args["q"])  # BST203


@app.route("/f2")
def f2():
    return render_template_string("<p>{{ q }}</p>", q=request.args["q"])


@app.route("/f3")
def f3():
    page = "{% autoescape false %}<p>{{ q }}</p>{% endautoescape %}"
    return render_template_string(page, q=request.args["q"])  # BST203
'''

JINJA_XSS = '''\
import jinja2
from flask import Flask, request
from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

app = Flask(__name__)
unsafe_env = Environment(loader=FileSystemLoader("templates"), autoescape=False)
safe_env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())


@app.route("/a")
def a():
    return unsafe_env.get_template("page.html").render(q=request.args["q"])  # BST203


@app.route("/b")
def b():
    return safe_env.get_template("page.html").render(q=request.args["q"])


@app.route("/c")
def c():
    return Template("<p>{{ q }}</p>").render(q=request.args["q"])  # BST203


@app.route("/d")
def d():
    return Environment(autoescape=True).from_string("<p>{{ q }}</p>").render(q=request.args["q"])


@app.route("/e")
def e():
    return jinja2.Environment().from_string("<p>{{ q }}</p>").render(q=request.args["q"])  # BST203
'''

DJANGO_XSS = '''\
import html

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe


def a(request):
    return HttpResponse("<p>" + request.GET["q"] + "</p>")  # BST203


def a2(request):
    return HttpResponse(request.GET["q"], content_type="application/json")


def a3(request):
    return JsonResponse({"q": request.GET["q"]})


def a4(request):
    return HttpResponse("<p>" + escape(request.GET["q"]) + "</p>")


def a5(request):
    return HttpResponse("<p>" + html.escape(request.GET["q"]) + "</p>")


def a6(request):
    return HttpResponse(request.GET["q"], content_type="text/plain")


def a7(request):
    return HttpResponse(request.GET["q"], headers={"Content-Type": "text/plain"})


def a8(request):
    return HttpResponse(request.GET["q"], headers={"X-Frame-Options": "DENY"})  # BST203


def b(request):
    return render(request, "page.html", {"q": mark_safe(request.GET["q"])})  # BST203


def b2(request):
    return HttpResponse(format_html("<p>{}</p>", request.GET["q"]))


def b3(request):
    return render(request, "page.html", {"q": SafeString(request.GET["q"])})  # BST203


def b4(request):
    return render(request, "page.html", {"q": request.GET["q"]})


def b5(request):
    return HttpResponse(mark_safe("<p>%s</p>" % conditional_escape(request.GET["q"])))


def b6(request):
    return HttpResponse(mark_safe("<p>%s</p>" % request.GET["q"]))  # BST203
'''

# `from fastapi import Response` is Starlette's Response; XML is rendered by browsers (its XHTML
# elements run scripts), CSV is not.
ASGI_XSS = '''\
from fastapi import FastAPI, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse as StarletteHTML
from starlette.routing import Route

app = FastAPI()


@app.get("/a", response_class=HTMLResponse)
async def a(q: str):
    return HTMLResponse(f"<p>{q}</p>")  # BST203


@app.get("/a2", response_class=HTMLResponse)
async def a2(q: str):
    return f"<p>{q}</p>"  # BST203


@app.get("/a3")
async def a3(q: str):
    return f"<p>{q}</p>"


@app.get("/b")
async def b(q: str):
    return JSONResponse({"q": q})


@app.get("/b2")
async def b2(q: str):
    return Response(content=q, media_type="text/html")  # BST203


@app.get("/b3")
async def b3(q: str):
    return Response(content=q, media_type="text/csv")


@app.get("/b4")
async def b4(q: str):
    return Response(content=q, media_type="application/xml")  # BST203


@app.get("/c")
async def c(q: str):
    return PlainTextResponse(q)


async def homepage(request: Request):
    q = request.query_params["q"]
    return StarletteHTML(f"<p>{q}</p>")  # BST203


starlette_app = Starlette(routes=[Route("/", homepage)])
'''

DESERIALIZE = '''\
import marshal
import pickle
import shelve

import dill
import joblib
import jsonpickle
import numpy
import torch
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/p", methods=["POST"])
def p():
    pickle.loads(request.data)  # BST209
    pickle.load(request.files["f"])  # BST209
    pickle.Unpickler(request.files["f"]).load()  # BST209
    return "ok"


@app.route("/y", methods=["POST"])
def y():
    yaml.load(request.data, Loader=yaml.Loader)  # BST209
    yaml.load(request.data, Loader=yaml.UnsafeLoader)  # BST209
    yaml.load(request.data, yaml.Loader)  # BST209
    yaml.safe_load(request.data)
    yaml.load(request.data, Loader=yaml.SafeLoader)
    yaml.load(request.data, yaml.SafeLoader)
    yaml.load(request.data, Loader=yaml.CSafeLoader)
    return "ok"


@app.route("/o", methods=["POST"])
def o():
    jsonpickle.decode(request.get_data(as_text=True))  # BST209
    marshal.loads(request.data)  # BST209
    dill.loads(request.data)  # BST209
    joblib.load(request.files["model"])  # BST209
    with shelve.open(request.args["db"]) as db:  # BST209
        db.sync()
    return "ok"


@app.route("/w", methods=["POST"])
def w():
    torch.load(request.files["w"], weights_only=True)
    torch.load(request.files["w"], weights_only=False)  # BST209
    numpy.load(request.files["a"], allow_pickle=True)  # BST209
    numpy.load(request.files["a"])
    return "ok"
'''

# minidom parses with expat, which has not fetched external entities since Python 3.7.1; lxml
# without a manifest naming its version is taken as one before 5.0 (sinks.toml).
XXE = '''\
import xml.dom.minidom
import xml.sax
from xml.sax.handler import feature_external_ges

import defusedxml.ElementTree
import defusedxml.minidom
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/a", methods=["POST"])
def a():
    return etree.tostring(etree.fromstring(request.data))  # BST211


@app.route("/b", methods=["POST"])
def b():
    parser = etree.XMLParser(resolve_entities=False)
    return etree.tostring(etree.fromstring(request.data, parser))


@app.route("/b2", methods=["POST"])
def b2():
    parser = etree.XMLParser(resolve_entities=True)
    return etree.tostring(etree.fromstring(request.data, parser))  # BST211


@app.route("/c", methods=["POST"])
def c():
    return xml.dom.minidom.parseString(request.data).toxml()


@app.route("/d", methods=["POST"])
def d():
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.parse(request.files["doc"])  # BST211
    return "ok"


@app.route("/d2", methods=["POST"])
def d2():
    parser = xml.sax.make_parser()
    parser.parse(request.files["doc"])
    return "ok"


@app.route("/e", methods=["POST"])
def e():
    defusedxml.minidom.parseString(request.data)
    defusedxml.ElementTree.fromstring(request.data)
    return "ok"
'''

SSRF_CLIENTS = '''\
import urllib.request

import aiohttp
import httpx
import requests
import urllib3
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/a")
def a():
    requests.get(request.args["url"])  # BST213
    requests.post(url=request.args["url"], json={})  # BST213
    with requests.Session() as s:
        s.get(request.args["url"])  # BST213
    session = requests.Session()
    session.get(request.args["url"])  # BST213
    httpx.get(request.args["url"])  # BST213
    urllib.request.urlopen(urllib.request.Request(request.args["url"]))  # BST213
    urllib3.PoolManager().request("GET", request.args["url"])  # BST213
    return "ok"


@app.route("/b")
async def b():
    async with httpx.AsyncClient() as client:
        await client.get(request.args["url"])  # BST213
    async with aiohttp.ClientSession() as session:
        async with session.get(request.args["url"]) as resp:  # BST213
            return jsonify(resp.status)
'''

# A fixed host in the template's text before the value keeps the request on that host (the model
# reports a URL only when the request may choose its host); after the value it fixes nothing.
SSRF_HOSTS = '''\
from urllib.parse import urljoin, urlparse

import httpx
import requests
from flask import Flask, abort, request

app = Flask(__name__)
BASE = "https://api.example.com/"
ALLOWED = {"api.example.com"}


@app.route("/fixed")
def fixed():
    uid = request.args["uid"]
    requests.get(f"https://api.example.com/users/{uid}")
    requests.get("https://api.example.com/users/%s" % uid)
    requests.get("https://api.example.com/users/{}".format(uid))
    requests.get("https://api.example.com/users/{uid}".format(uid=uid))
    requests.get(BASE + uid)
    requests.get("https://api.example.com/search", params={"q": request.args["q"]})
    with httpx.Client(base_url="https://api.example.com") as client:
        client.get(f"/users/{uid}")
    return "ok"


@app.route("/chosen")
def chosen():
    host = request.args["host"]
    requests.get(f"https://{host}/users")  # BST213
    requests.get("https://%s/users" % host)  # BST213
    requests.get("https://%(host)s/users" % {"host": host})  # BST213
    requests.get("https://{}/users".format(host))  # BST213
    requests.get("https://{host}/users".format(host=host))  # BST213
    requests.get("{{https://{}/users".format(host))  # BST213
    requests.get(urljoin(BASE, request.args["path"]))  # BST213
    return "ok"


@app.route("/checked")
def checked():
    url = request.args["url"]
    if urlparse(url).hostname not in ALLOWED:
        abort(400)
    return requests.get(url).text


@app.route("/checked2")
def checked2():
    url = request.args["url"]
    if urlparse(url).netloc in ALLOWED:
        return requests.get(url).text
    abort(400)
'''

# The same for a redirect: the host the template names before the value is where it goes.
REDIRECT_HOSTS = '''\
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/a")
def a():
    return redirect("https://%s/home" % request.args["host"])  # BST210


@app.route("/b")
def b():
    return redirect("https://{}/home".format(request.args["host"]))  # BST210


@app.route("/c")
def c():
    return redirect("https://example.com/{}".format(request.args["page"]))


@app.route("/d")
def d():
    return redirect("https://example.com/%s" % request.args["page"])
'''


@pytest.mark.parametrize("source", [FLASK_XSS, JINJA_XSS, DJANGO_XSS, ASGI_XSS, DESERIALIZE, XXE,
                                    SSRF_CLIENTS, SSRF_HOSTS, REDIRECT_HOSTS],
                         ids=["flask-xss", "jinja-xss", "django-xss", "asgi-xss", "deserialize", "xxe",
                              "ssrf-clients", "ssrf-hosts", "redirect-hosts"])
def test_marked_lines_are_the_findings(source: str) -> None:
    assert_marked(source)
