"""Taint analysis: the weaknesses held-out measurements found no finding for (XPath, LDAP, trust
boundary, template and code injection, open redirect, SSRF, path traversal, cross-site
scripting), as Flask's, Django's (function and class-based views) and FastAPI's documentation
show them, each vulnerable line marked (taint_marked.py) beside a safe twin: XPath variables,
escaped LDAP filters, data passed as a template's context, allow-lists, `url_has_allowed_host_and_scheme`,
`send_from_directory`, `format_html`."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.taint_marked import assert_marked, checked, editor_found, expected_checked, marked_and_found

CWE = {"BST201": 22, "BST203": 79, "BST205": 90, "BST206": 95, "BST208": 501, "BST210": 601,
       "BST212": 643, "BST213": 918, "BST214": 1336}

# A class-based view reaches the session as `self.request.session`.
DJANGO_CBV_SESSION = '''\
from django.http import HttpResponse
from django.views.generic import TemplateView, View


class SearchView(TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "")
        self.request.session["page"] = 1
        self.request.session["last_q"] = q  # BST208
        return ctx


class PrefsView(View):
    def post(self, request):
        self.request.session.update({"theme": "dark"})
        self.request.session.update({"q": request.POST["q"]})  # BST208
        self.request.session.setdefault("lang", request.POST["lang"])  # BST208
        return HttpResponse("ok")
'''

# Flask's session after a first store: still `flask.session`, each later store a finding of its own.
FLASK_SESSION = '''\
from flask import Flask, request, session

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    session["user"] = request.form["user"]  # BST208
    session["visits"] = 1
    session["theme"] = request.form.get("theme", "light")  # BST208
    session.setdefault("lang", request.form["lang"])  # BST208
    session.update(next=request.args.get("next"))  # BST208
    session.update({"visits": 2})
    return "ok"
'''

# Django's guard for a redirect, its URL given by keyword as LoginView does; the URL it tests is
# the one it proves safe, not another.
DJANGO_NEXT_GUARD = '''\
from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def logout_done(request):
    nxt = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(url=nxt, allowed_hosts=settings.ALLOWED_HOSTS):
        nxt = "/"
    return redirect(nxt)


def login_done(request):
    nxt = request.GET.get("next", "/")
    back = request.GET.get("back", "/")
    if url_has_allowed_host_and_scheme(allowed_hosts={request.get_host()}, url=nxt,
                                       require_https=request.is_secure()):
        HttpResponseRedirect(nxt)
        return HttpResponseRedirect(back)  # BST210
    return HttpResponseRedirect(nxt)  # BST210
'''

# A resolved path tested against a constant directory, as a URL path is tested for a redirect:
# contained; a path joined but not resolved may still climb out with `..`.
FASTAPI_CONTAINED = '''\
import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()


@app.get("/static/{name:path}")
async def static(name: str):
    full = os.path.realpath(os.path.join("/srv/static", name))
    if not full.startswith("/srv/static/"):
        return {"error": "not found"}
    return FileResponse(full)


@app.get("/docs/{name:path}")
def docs(name: str):
    full = Path("/srv/docs", name).resolve()
    if str(full).startswith("/srv/docs/"):
        pass
    if full.is_relative_to("/srv/docs"):
        return FileResponse(full)
    joined = os.path.join("/srv/docs", name)
    if joined.startswith("/srv/docs/"):
        return FileResponse(joined)  # BST201
    return {"error": "not found"}
'''

# A Flask app: each category's vulnerable line beside its safe twin.
FLASK = '''\
import importlib
import os
import pathlib
import urllib.request
from urllib.parse import urlparse
from xml.etree import ElementTree

import elementpath
import httpx
import requests
import jinja2
import ldap
import ldap.filter
import ldap3
from ldap3.utils.conv import escape_filter_chars
from flask import (Flask, Markup, abort, make_response, redirect, render_template_string, request,
                   send_file, send_from_directory, session, url_for)
from lxml import etree
from markupsafe import escape
from werkzeug.utils import safe_join, secure_filename

app = Flask(__name__)
app.secret_key = "dev"
UPLOADS = "/srv/uploads"
ALLOWED_HOSTS = {"api.example.com"}
PLUGINS = {"csv": "myapp.export.csv", "json": "myapp.export.json"}
OPS = {"upper": str.upper}
tree = etree.parse("users.xml")
doc = ElementTree.parse("users.xml")


@app.route("/user")
def find_user():
    name = request.args.get("name", "")
    tree.xpath("//user[@name=$n]", n=name)
    return str(tree.xpath(f"//user[@name='{name}']"))  # BST212


@app.route("/user2")
def find_user_compiled():
    name = request.args["name"]
    find = etree.XPath("//user[@name=$n]")
    find(tree, n=name)
    expr = etree.XPath("//user[@name='" + name + "']")  # BST212
    return str(expr(tree))


@app.route("/user3")
def find_user_et():
    name = request.args["name"]
    root = doc.getroot()
    root.findall("./user")
    root.findall(f"./user[@name='{name}']")  # BST212
    doc.find("./user[@name='%s']" % name)  # BST212
    list(root.iterfind(".//user[@name='" + name + "']"))  # BST212
    elementpath.select(root, "//user[@name=$n]", variables={"n": name})
    return str(elementpath.select(root, f"//user[@name='{name}']"))  # BST212


@app.route("/ldap")
def ldap_search():
    user = request.args["user"]
    server = ldap3.Server("ldap://localhost")
    conn = ldap3.Connection(server, auto_bind=True)
    conn.search("dc=example,dc=com", f"(uid={escape_filter_chars(user)})")
    conn.search("dc=example,dc=com", f"(uid={user})")  # BST205
    conn.search(search_base="dc=example,dc=com", search_filter="(uid=" + user + ")")  # BST205
    return "ok"


@app.route("/ldap2")
def ldap_search_python_ldap():
    user = request.args["user"]
    con = ldap.initialize("ldap://localhost")
    con.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE,
                 ldap.filter.filter_format("(uid=%s)", [user]))
    con.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE,
                 "(uid=%s)" % ldap.filter.escape_filter_chars(user))
    con.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=%s)" % user)  # BST205
    con.search_ext_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(cn=" + user + ")")  # BST205
    return "ok"


@app.route("/prefs")
def prefs():
    session["theme"] = "dark"
    session["lang"] = request.args["lang"]  # BST208
    session.update(user=request.args.get("user"))  # BST208
    return "ok"


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    render_template_string("<p>Hello {{ name }}</p>", name=name)
    return render_template_string(request.args["t"])  # BST214


@app.route("/greet2")
def greet2():
    src = request.args["tpl"]
    env = jinja2.Environment(autoescape=True)
    env.from_string("Hello {{ name }}").render(name=src)
    jinja2.Template("Hello {{ name }}").render(name=src)
    env.from_string(src).render()  # BST214
    jinja2.Template(src).render()  # BST214
    return "ok"


@app.route("/calc")
def calc():
    expr = request.args["expr"]
    eval("1 + 1")
    eval(expr)  # BST206
    exec("print(" + expr + ")")  # BST206
    compile(expr, "<string>", "eval")  # BST206
    return "ok"


@app.route("/export")
def export():
    fmt = request.args["fmt"]
    importlib.import_module(PLUGINS.get(fmt, "myapp.export.csv"))
    if fmt in PLUGINS:
        importlib.import_module(PLUGINS[fmt])
    importlib.import_module("myapp.export." + fmt)  # one of the package's modules
    __import__(fmt)  # BST206
    return "ok"


@app.route("/go")
def go():
    target = request.args.get("next", "/")
    if urlparse(target).netloc in ALLOWED_HOSTS:
        return redirect(target)
    return redirect(target)  # BST210


@app.route("/fetch")
def fetch():
    url = request.args["url"]
    httpx.get("https://api.example.com/items", params={"q": url})
    urllib.request.urlopen(url)  # BST213
    return httpx.get(url).text  # BST213


@app.route("/download")
def download():
    name = request.args["name"]
    send_from_directory(UPLOADS, name)
    return send_file(os.path.join(UPLOADS, name))  # BST201


@app.route("/read")
def read():
    name = request.args["name"]
    pathlib.Path(UPLOADS, os.path.basename(name)).read_text()
    return (pathlib.Path(UPLOADS) / name).read_text()  # BST201


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    Markup("<p>{}</p>").format(name)
    Markup(f"<p>{escape(name)}</p>")
    return Markup(f"<p>{name}</p>")  # BST203


@app.route("/a")
def a():
    name = request.args.get("name", "")
    render_template_string("Hello {{ n }}", n=name)
    return render_template_string(f"Hello {name}")  # BST214


@app.route("/b")
def b():
    name = request.form["name"]
    make_response("<p>" + str(len(name)) + "</p>")
    return make_response(f"<p>{name}</p>")  # BST203


@app.route("/c")
def c():
    name = request.args["name"]
    return f"<p>Hello {name}</p>"  # BST203


@app.route("/d")
def d():
    nxt = request.args.get("next")
    redirect(url_for("index"))
    return redirect(nxt or url_for("index"))  # BST210


@app.route("/e")
def e():
    host = request.args["host"]
    requests.get("https://api.example.com/users/" + host)
    return requests.get(f"https://{host}/status").text  # BST213


@app.route("/f")
def f():
    name = request.args["name"]
    send_file(safe_join(UPLOADS, name))
    send_file(os.path.join(UPLOADS, secure_filename(name)))
    path = os.path.realpath(os.path.join(UPLOADS, name))
    if not path.startswith(UPLOADS + os.sep):
        abort(404)
    send_file(path)
    return send_file(UPLOADS + "/" + name)  # BST201


@app.route("/h", methods=["POST"])
def h():
    xml = request.get_data()
    root = ElementTree.fromstring(xml)
    tag = request.args["tag"]
    root.findall(".//item")
    root.findall(".//" + tag)  # BST212
    doc = etree.fromstring(b"<a/>")
    doc.xpath("//item[@id=$i]", i=tag)
    doc.xpath("//item[@id='%s']" % tag)  # BST212
    return "ok"
'''

# A Django app: function views and class-based views.
DJANGO = '''\
import importlib
import os
import pathlib
import urllib.request

import httpx
import ldap3
import requests
from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import Context, Template, engines
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView
from ldap3.utils.conv import escape_filter_chars
from lxml import etree

MEDIA = "/srv/media"
tree = etree.parse("users.xml")


def login_done(request):
    nxt = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(nxt)
    return HttpResponseRedirect(nxt)  # BST210


def logout_done(request):
    nxt = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(url=nxt, allowed_hosts=settings.ALLOWED_HOSTS):
        nxt = "/"
    redirect(nxt)
    return redirect(request.GET["next"])  # BST210


def hello(request):
    name = request.GET.get("name", "")
    HttpResponse(f"<p>{escape(name)}</p>")
    format_html("<p>{}</p>", name)
    mark_safe(f"<b>{escape(name)}</b>")
    mark_safe(f"<b>{name}</b>")  # BST203
    return HttpResponse(f"<p>{name}</p>")  # BST203


def set_lang(request):
    request.session["lang"] = "en"
    request.session["lang"] = request.GET["lang"]  # BST208
    request.session.update({"theme": request.POST["theme"]})  # BST208
    return HttpResponse("ok")


def preview(request):
    src = request.POST["template"]
    Template("Hello {{ name }}").render(Context({"name": src}))
    engines["django"].from_string("Hello {{ name }}").render({"name": src})
    Template(src)  # BST214
    engines["django"].from_string(src)  # BST214
    return HttpResponse("ok")


def people(request):
    user = request.GET["user"]
    conn = ldap3.Connection(ldap3.Server("ldap://localhost"), auto_bind=True)
    conn.search("ou=people,dc=example,dc=com", "(uid=%s)" % escape_filter_chars(user))
    conn.search("ou=people,dc=example,dc=com", "(uid=%s)" % user)  # BST205
    return HttpResponse("ok")


def lookup(request):
    name = request.GET["name"]
    tree.xpath("//user[@name=$name]", name=name)
    tree.xpath("//user[@name='%s']" % name)  # BST212
    return HttpResponse("ok")


def proxy(request):
    url = request.GET["url"]
    urllib.request.urlopen("https://api.example.com/?q=" + url)
    httpx.get(url)  # BST213
    return HttpResponse(urllib.request.urlopen(url).read(), content_type="text/plain")  # BST213


def media(request, name):
    os.path.join(MEDIA, os.path.basename(name))
    open(os.path.join(MEDIA, name)).read()  # BST201
    return HttpResponse((pathlib.Path(MEDIA) / name).read_bytes(), content_type="image/png")  # BST201


def run_plugin(request):
    name = request.GET["plugin"]
    if name in ("csv", "json"):
        importlib.import_module(name)
    importlib.import_module(name)  # BST206
    eval(request.GET["expr"])  # BST206
    return HttpResponse("ok")


class GreetView(View):
    def get(self, request):
        name = request.GET.get("name", "")
        format_html("<p>{}</p>", name)
        return HttpResponse(mark_safe("<p>" + name + "</p>"))  # BST203

    def post(self, request):
        request.session["user"] = request.POST["user"]  # BST208
        nxt = request.POST.get("next", "/")
        if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
            return redirect(nxt)
        return redirect(nxt)  # BST210


class ReportView(TemplateView):
    template_name = "report.html"

    def get(self, request, *args, **kwargs):
        q = request.GET["q"]
        conn = ldap3.Connection(ldap3.Server("ldap://localhost"), auto_bind=True)
        conn.search("dc=example,dc=com", search_filter=f"(cn={q})")  # BST205
        tree.xpath(f"//report[@id='{q}']")  # BST212
        Template(q)  # BST214
        exec(q)  # BST206
        return super().get(request, *args, **kwargs)


def greet(request):
    name = request.GET.get("name", "")
    HttpResponse("<p>%s</p>" % len(name))
    JsonResponse({"name": name})
    format_html("<p>{}</p>", name)
    format_html(f"<p>{name}</p>")  # BST203
    return HttpResponse("<p>%s</p>" % name)  # BST203


def media_file(request):
    name = request.GET["file"]
    FileResponse(open(os.path.join(settings.MEDIA_ROOT, os.path.basename(name)), "rb"))
    return FileResponse(open(os.path.join(settings.MEDIA_ROOT, name), "rb"))  # BST201


def back(request):
    redirect("home")
    return redirect(request.META.get("HTTP_REFERER"))  # BST210


def notify(request):
    host = request.POST["host"]
    requests.post("https://hooks.example.com/notify", json={"host": host})
    requests.post(host)  # BST213
    return HttpResponse("ok")


def preview_engine(request):
    tpl = request.POST["tpl"]
    django_engine = engines["django"]
    django_engine.from_string("{{ x }}").render({"x": tpl})
    django_engine.from_string(tpl)  # BST214
    return HttpResponse("ok")


def remember(request):
    request.session.setdefault("x", request.GET["x"])  # BST208
    request.session["cart"] = [request.GET["item"]]  # BST208
    request.session["count"] = int(request.GET["n"])
    return HttpResponse("ok")


class SearchView(TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "")
        ctx["q"] = q
        ctx["title"] = mark_safe("<b>" + q + "</b>")  # BST203
        return ctx
'''

# A FastAPI app: typed query parameters, the Starlette request and its session.
FASTAPI = '''\
import importlib
import os
import pathlib
import urllib.request
from urllib.parse import urlparse

import aiohttp
import httpx
import jinja2
import ldap
import ldap.filter
from fastapi import FastAPI, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse
from lxml import etree
from markupsafe import Markup, escape
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="dev")
STATIC = "/srv/static"
ALLOWED = ("api.example.com",)
tree = etree.parse("users.xml")
env = jinja2.Environment(autoescape=True)


@app.get("/user")
def user(name: str):
    tree.xpath("//user[@name=$n]", n=name)
    return {"found": len(tree.xpath("//user[@name='" + name + "']"))}  # BST212


@app.get("/people")
def people(uid: str):
    con = ldap.initialize("ldap://localhost")
    con.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE,
                 ldap.filter.filter_format("(uid=%s)", [uid]))
    con.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={uid})")  # BST205
    return {}


@app.get("/login")
async def login(request: Request, user: str):
    request.session["flash"] = "welcome"
    request.session["user"] = user  # BST208
    request.session.update({"q": request.query_params["q"]})  # BST208
    return {}


@app.get("/render", response_class=HTMLResponse)
def render(tpl: str, name: str):
    env.from_string("Hi {{ name }}").render(name=name)
    env.from_string(tpl)  # BST214
    jinja2.Template(tpl).render()  # BST214
    return "ok"


@app.get("/calc")
def calc(expr: str, module: str):
    if module in ("json", "csv"):
        importlib.import_module(module)
    eval(expr)  # BST206
    importlib.import_module(module)  # BST206
    return {}


@app.get("/next")
def next_page(url: str):
    if urlparse(url).netloc in ALLOWED:
        RedirectResponse(url)
    return RedirectResponse(url)  # BST210


@app.get("/proxy")
async def proxy(url: str):
    async with httpx.AsyncClient() as client:
        await client.get("https://api.example.com/", params={"u": url})
        await client.get(url)  # BST213
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:  # BST213
            await resp.text()
    urllib.request.urlopen(url)  # BST213
    return {}


@app.get("/files/{name}")
def files(name: str):
    FileResponse(os.path.join(STATIC, os.path.basename(name)))
    (pathlib.Path(STATIC) / name).read_text()  # BST201
    return FileResponse(os.path.join(STATIC, name))  # BST201


@app.get("/hello", response_class=HTMLResponse)
def hello(name: str):
    HTMLResponse(f"<p>{escape(name)}</p>")
    Markup("<p>{}</p>").format(name)
    Markup(f"<p>{name}</p>")  # BST203
    return HTMLResponse(f"<p>{name}</p>")  # BST203


@app.get("/page", response_class=HTMLResponse)
async def page(name: str):
    PlainTextResponse(f"Hello {name}")
    return f"<p>Hello {name}</p>"  # BST203


@app.get("/after")
async def after_login(request: Request):
    nxt = request.query_params.get("next", "/")
    RedirectResponse("/home")
    return RedirectResponse(url=nxt)  # BST210


@app.post("/remember")
async def remember(request: Request, user: str = Form(...)):
    request.session.update(user=user)  # BST208
    request.session.setdefault("u", user)  # BST208
    return {}


@app.get("/relay")
async def relay(url: str):
    async with httpx.AsyncClient(base_url="https://api.example.com") as client:
        await client.get("/items", params={"u": url})
    async with httpx.AsyncClient() as client:
        r = await client.get(url)  # BST213
    return {"status": r.status_code}


@app.get("/preview")
async def preview(template: str):
    env.from_string("{{ t }}").render(t=template)
    return {"out": env.from_string(template).render()}  # BST214


@app.get("/static/{path:path}")
async def static(path: str):
    full = os.path.realpath(os.path.join("/srv/static", path))
    if not full.startswith("/srv/static/"):
        return {"error": "no"}
    FileResponse(full)
    return FileResponse("/srv/static/" + path)  # BST201


@app.post("/run")
async def run(request: Request):
    body = await request.json()
    exec(body["code"])  # BST206
    eval(compile("1+1", "<s>", "eval"))
    return {}
'''

# A plugin loaded by a name the request chose, and its safe twin: an allow-list of the module.
# Importing a module does not rebind this one's globals, so the allow-list stays constant.
FLASK_PLUGINS = '''\
import importlib

from flask import Flask, request

app = Flask(__name__)
ALLOWED = ("csv", "json")
PLUGINS = {"csv": "myapp.export.csv", "json": "myapp.export.json"}


@app.route("/export")
def export():
    fmt = request.args["fmt"]
    importlib.import_module(PLUGINS.get(fmt, "myapp.export.csv"))
    if fmt in ALLOWED:
        importlib.import_module(fmt)
    importlib.import_module(fmt)  # BST206
    if fmt not in ALLOWED:
        return "unknown format", 400
    importlib.import_module(fmt)
    return "ok"
'''

# Django's RedirectView redirects to what `get_redirect_url` returns: the request's URL, or a URL
# parameter; a URL tested by `url_has_allowed_host_and_scheme`, or a path of this site, is safe.
DJANGO_REDIRECT_VIEW = '''\
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import RedirectView
from django.views.generic.base import RedirectView as BaseRedirect


class Next(RedirectView):
    def get_redirect_url(self, *args, **kwargs):
        return self.request.GET.get("next", "/")  # BST210


class Safe(RedirectView):
    def get_redirect_url(self, *args, **kwargs):
        nxt = self.request.GET.get("next", "/")
        if url_has_allowed_host_and_scheme(url=nxt, allowed_hosts={self.request.get_host()}):
            return nxt
        return "/accounts/" + self.request.GET.get("page", "")


class ByKwargs(BaseRedirect):
    def get_redirect_url(self, *args, **kwargs):
        kwargs["slug"]
        return kwargs["target"]  # BST210

    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
'''

# ldap3's paged search, as its documentation pages through a directory: the filter second.
LDAP3_PAGED = '''\
import ldap3
from flask import Flask, request
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)
BASE = "dc=example,dc=com"


@app.route("/people")
def people():
    q = request.args["q"]
    conn = ldap3.Connection(ldap3.Server("ldap://localhost"), auto_bind=True)
    conn.extend.standard.paged_search(BASE, "(cn={})".format(escape_filter_chars(q)))
    conn.extend.standard.paged_search(BASE, "(cn={})".format(q))  # BST205
    conn.extend.standard.paged_search(search_base=BASE, search_filter="(cn=%s)" % q)  # BST205
    return "ok"
'''

APPS = {"flask_app.py": FLASK, "django_app.py": DJANGO, "fastapi_app.py": FASTAPI}
CASES = {**APPS, "flask_plugins": FLASK_PLUGINS, "fastapi_contained": FASTAPI_CONTAINED,
         "django_cbv_session": DJANGO_CBV_SESSION, "flask_session": FLASK_SESSION,
         "django_next_guard": DJANGO_NEXT_GUARD, "django_redirect_view": DJANGO_REDIRECT_VIEW,
         "ldap3_paged": LDAP3_PAGED}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_marked_line_reports_its_rule_and_no_other_line_reports(name):
    assert_marked(CASES[name])


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_editor_reports_the_marked_lines(name):
    assert editor_found(APPS[name], name) == marked_and_found(APPS[name])[0]


@pytest.mark.slow  # a `bastion check` subprocess: 2.4 s
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    results = checked(APPS, tmp_path)
    found = {(Path(r["path"]).name, r["line"], r["rule_id"], r["cwe"]) for r in results}
    assert found == expected_checked(APPS, CWE)
