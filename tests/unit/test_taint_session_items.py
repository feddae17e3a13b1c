"""Taint analysis: an item of a session changed in place is a store into the session (CWE-501,
issue 12, realistic-app probe). A cart kept in the session, as Flask's and Django's
documentation keep one, is filled by `session["cart"].append(sku)` (then `session.modified =
True`), `session.setdefault("cart", []).append(sku)` or `session["cart"][sku] = qty`: the
request's data lands in the session as `session["cart"] = cart` puts it there, which was
reported while the in-place forms were not. Each vulnerable view has a safe twin: the value
validated (a number, an allow-listed word), a constant, or a dict that is not a session. And the
sessions of CherryPy (`cherrypy.session`, its sessions tool), Litestar (`request.session`,
`request.set_session(...)`) and Sanic's sanic-session extension (`request.ctx.session`), which had
no trust-boundary sink."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
FLASK = "from flask import Flask, request, session\napp = Flask(__name__)\nCACHE = {'cart': []}\n@app.post('/a')\ndef a():\n"
DJANGO = "from django.http import JsonResponse\ndef add(request):\n"
CHERRYPY = "import cherrypy\nclass Root:\n    @cherrypy.expose\n    def login(self, user, role='viewer'):\n"
LITESTAR = "from litestar import Request, post\n@post('/login')\nasync def login(request: Request, user: str) -> dict:\n"
SANIC = "from sanic import Sanic, response\nfrom sanic_session import Session\napp = Sanic('shop')\nSession(app)\n@app.post('/login')\nasync def login(request):\n"
PYRAMID = "from pyramid.view import view_config\n@view_config(route_name='add', renderer='json')\ndef add(request):\n"


def rules(view: str, body: str) -> list[tuple[int, str]]:
    """The (line of the body, rule) pairs reported on `view` with `body` as its body."""
    source = view + "".join(f"    {line}\n" for line in body.splitlines())
    first = view.count("\n")
    return sorted((f.line - first, f.rule_id) for f in ANALYZER.analyse_file(source, "case.py"))


# (view, vulnerable body, the line reported, safe twin body)
PAIRS = [
    (FLASK, "session['cart'].append(request.form['sku'])\nsession.modified = True\nreturn 'ok'", 0,
     "session['cart'].append(int(request.form['sku']))\nsession.modified = True\nreturn 'ok'"),
    (FLASK, "session.setdefault('cart', []).append(request.form['sku'])\nreturn 'ok'", 0,
     "session.setdefault('cart', []).append('gift-card')\nCACHE['cart'].append(request.form['sku'])\nreturn 'ok'"),
    (FLASK, "sku = request.form['sku']\nsession['cart'][sku] = 1\nreturn 'ok'", 1,
     "sku = request.form['sku']\nif sku not in ('a1', 'b2'):\n    return 'no'\nsession['cart'][sku] = int(request.form['qty'])\nreturn 'ok'"),
    (FLASK, "session['prefs']['langs'].extend(request.form.getlist('lang'))\nreturn 'ok'", 0,
     "prefs = {'langs': []}\nprefs['langs'].extend(request.form.getlist('lang'))\nreturn str(len(prefs))"),
    (DJANGO, "request.session['cart'].append(request.POST['sku'])\nrequest.session.modified = True\nreturn JsonResponse({})", 0,
     "request.session['cart'].append(len(request.POST['sku']))\nrequest.session.modified = True\nreturn JsonResponse({})"),
    (DJANGO, "cart = request.session.setdefault('cart', {})\nrequest.session.setdefault('seen', {})[request.GET['page']] = True\nreturn JsonResponse(cart)", 1,
     "request.session.setdefault('seen', {})['home'] = True\nreturn JsonResponse({})"),
    (PYRAMID, "request.session['recent'].insert(0, request.params['q'])\nreturn {}", 0,
     "request.session['recent'].insert(0, request.params['q'].isalnum())\nreturn {}"),
]

# CherryPy's, Litestar's and sanic-session's sessions: (view, vulnerable body, the line reported,
# safe twin body)
SESSIONS = [
    (CHERRYPY, "    cherrypy.session['user'] = user\n    return 'ok'", 0,
     "    if role in ('viewer', 'editor'):\n        cherrypy.session['role'] = role\n    return 'ok'"),
    (CHERRYPY, "    cherrypy.session.update(theme=cherrypy.request.params.get('theme'))\n    return 'ok'", 0,
     "    cherrypy.session.update(visits=len(user))\n    return 'ok'"),
    (CHERRYPY, "    cherrypy.session.setdefault('recent', []).append(user)\n    return 'ok'", 0,
     "    cherrypy.session.setdefault('recent', []).append('home')\n    return 'ok'"),
    (LITESTAR, "request.set_session({'user': user})\nreturn {}", 0,
     "request.set_session({'user': len(user)})\nreturn {}"),
    (LITESTAR, "request.session['last'] = user\nreturn {}", 0,
     "request.session['page'] = 1\nreturn {'user': user}"),
    (SANIC, "request.ctx.session['user'] = request.form.get('user')\nreturn response.json({})", 0,
     "request.ctx.session['visits'] = len(request.form.get('user', ''))\nreturn response.json({})"),
    (SANIC, "request.ctx.session.setdefault('seen', []).append(request.args.get('p'))\nreturn response.json({})", 0,
     "request.ctx.session.setdefault('seen', []).append('/home')\nreturn response.json({})"),
]


@pytest.mark.parametrize("view, vulnerable, line, safe", PAIRS + SESSIONS, ids=[str(i) for i in range(len(PAIRS + SESSIONS))])
def test_the_request_data_stored_in_the_session_is_reported(view, vulnerable, line, safe):
    assert rules(view, vulnerable) == [(line, "BST208")]


@pytest.mark.parametrize("view, vulnerable, line, safe", PAIRS + SESSIONS, ids=[str(i) for i in range(len(PAIRS + SESSIONS))])
def test_the_safe_twin_is_silent(view, vulnerable, line, safe):
    assert rules(view, safe) == []

