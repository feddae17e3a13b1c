"""Taint analysis: the weaknesses held-out measurements found no finding for (XPath, LDAP, trust
boundary, template and code injection, open redirect, SSRF, path traversal, cross-site
scripting), as Flask's, Django's (function and class-based views) and FastAPI's documentation
show them, each vulnerable line marked (taint_marked.py) beside a safe twin: XPath variables,
escaped LDAP filters, data passed as a template's context, allow-lists, `url_has_allowed_host_and_scheme`,
`send_from_directory`, `format_html`."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import marked_and_found

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
        importlib.import_module("myapp.export." + fmt)
    importlib.import_module("myapp.export." + fmt)  # BST206
    if fmt not in ALLOWED:
        return "unknown format", 400
    importlib.import_module("myapp.export." + fmt)
    return "ok"
'''

CASES = {"flask_plugins": FLASK_PLUGINS, "fastapi_contained": FASTAPI_CONTAINED,
         "django_cbv_session": DJANGO_CBV_SESSION, "flask_session": FLASK_SESSION,
         "django_next_guard": DJANGO_NEXT_GUARD}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_marked_line_reports_its_rule_and_no_other_line_reports(name):
    expected, found = marked_and_found(CASES[name])
    assert expected
    assert found == expected
