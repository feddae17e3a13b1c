"""Taint analysis: Sanic handlers (rules/taint/sanic.toml), each case a vulnerable module and its
safe twin written from Sanic's documented idioms."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
SANIC = "import os\nfrom sanic import Sanic, Blueprint\nfrom sanic.response import html, redirect, text, file\napp = Sanic('t')\nbp = Blueprint('bp')\n"


def ids(source: str) -> list[str]:
    return sorted(f.rule_id for f in ANALYZER.analyse_file(SANIC + source, "case.py"))


PAIRS = [
    # the request's query and form, in app and blueprint handlers
    ("BST202", "@app.get('/a')\nasync def a(request):\n    os.system('ping ' + request.args.get('h'))\n    return text('ok')\n",
               "@app.get('/a')\nasync def a(request):\n    os.system('ping ' + str(int(request.args.get('h'))))\n    return text('ok')\n"),
    ("BST202", "@bp.post('/a')\nasync def a(request):\n    os.system('echo ' + request.form.get('m'))\n    return text('ok')\n",
               "@bp.post('/a')\nasync def a(request):\n    os.system('echo hello')\n    return text(request.form.get('m'))\n"),
    # URL parameters follow the request; html() is markup, text() is plain text
    ("BST203", "@app.route('/u/<name>')\nasync def a(request, name):\n    return html(f'<h1>{name}</h1>')\n",
               "@app.route('/u/<name>')\nasync def a(request, name):\n    return text(f'<h1>{name}</h1>')\n"),
    ("BST201", "@app.post('/a')\nasync def a(request):\n    return await file(os.path.join('/srv', request.json['f']))\n",
               "@app.post('/a')\nasync def a(request):\n    return await file(os.path.join('/srv', os.path.basename(request.json['f'])))\n"),
    ("BST210", "@app.get('/a')\nasync def a(request):\n    return redirect(request.args.get('next'))\n",
               "@app.get('/a')\nasync def a(request):\n    return redirect('/home/' + request.args.get('next'))\n"),
    # HTTPResponse (text/plain unless told) and raw (application/octet-stream) are markup only
    # when declared so
    ("BST203", "from sanic.response import HTTPResponse\n@app.get('/a')\nasync def a(request):\n    return HTTPResponse('<p>' + request.args.get('m'), content_type='text/html')\n",
               "from sanic.response import HTTPResponse\n@app.get('/a')\nasync def a(request):\n    return HTTPResponse('<p>' + request.args.get('m'))\n"),
    ("BST203", "from sanic import HTTPResponse\n@app.get('/a')\nasync def a(request):\n    return HTTPResponse(body=request.body, headers={'Content-Type': 'text/html'})\n",
               "from sanic import HTTPResponse\n@app.get('/a')\nasync def a(request):\n    return HTTPResponse(body=request.body, content_type='application/json')\n"),
    ("BST203", "from sanic.response import raw\n@app.get('/a')\nasync def a(request):\n    return raw(request.body, content_type='text/html; charset=utf-8')\n",
               "from sanic.response import raw\n@app.get('/a')\nasync def a(request):\n    return raw(request.body)\n"),
    # a class-based view's methods take the request first too
    ("BST202", "from sanic.views import HTTPMethodView\nclass V(HTTPMethodView):\n    async def get(self, request):\n        os.system(request.args.get('c'))\n        return text('ok')\n",
               "from sanic.views import HTTPMethodView\nclass V(HTTPMethodView):\n    async def get(self, request):\n        os.system('true')\n        return text(request.args.get('c'))\n"),
]


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_vulnerable_case_reports(rule_id, vulnerable, safe):
    assert rule_id in ids(vulnerable)


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_safe_twin_is_silent(rule_id, vulnerable, safe):
    assert rule_id not in ids(safe)
