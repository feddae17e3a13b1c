"""Taint analysis: every source, sink, sanitizer, guard and propagator with a vulnerable case and
its safe twin, written from the frameworks' documented idioms. Each case is a whole module run
through the taint analyzer (rules/taint models, rules/bastion BST2xx rules)."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import textwrap

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

FLASK = "from flask import Flask, request, redirect, session, make_response, render_template_string, send_file, render_template, jsonify\napp = Flask(__name__)\n"
DJANGO = "from django.http import HttpResponse, HttpResponseRedirect\nfrom django.shortcuts import redirect\nfrom django.utils.safestring import mark_safe\nfrom django.db import connection\n"
FASTAPI = "from fastapi import FastAPI, Request, Depends\nfrom fastapi.responses import HTMLResponse, RedirectResponse\napp = FastAPI()\n"
STARLETTE = "import os\nimport subprocess\nfrom starlette.applications import Starlette\nfrom starlette.endpoints import HTTPEndpoint\nfrom starlette.responses import PlainTextResponse, HTMLResponse\nfrom starlette.routing import Mount, Route\n"
AIOHTTP = "import os\nimport sqlite3\nimport subprocess\nfrom aiohttp import web\nroutes = web.RouteTableDef()\n"


def ids(source: str) -> list[str]:
    return sorted(f.rule_id for f in ANALYZER.analyse_file(textwrap.dedent(source), "case.py"))


# (rule id, vulnerable module, safe twin)
PAIRS = [
    # ---- Flask sources ----
    ("BST201", FLASK + "@app.route('/a')\ndef a():\n    return open(request.args['f']).read()\n",
               FLASK + "import os\n@app.route('/a')\ndef a():\n    return open(os.path.basename(request.args['f'])).read()\n"),
    ("BST201", FLASK + "@app.post('/a')\ndef a():\n    return open(request.form.get('f')).read()\n",
               FLASK + "@app.post('/a')\ndef a():\n    return open('fixed.txt').read()\n"),
    # a name without `..` may still be absolute (`/etc/passwd`): used whole, both tests clean it
    ("BST201", FLASK + "@app.route('/a')\ndef a():\n    return open(request.cookies['f']).read()\n",
               FLASK + "@app.route('/a')\ndef a():\n    f = request.cookies['f']\n    if '..' in f or f.startswith('/'):\n        return 'no', 400\n    return open(f).read()\n"),
    ("BST206", FLASK + "@app.route('/a')\ndef a():\n    return str(eval(request.get_json()['x']))\n",
               FLASK + "import ast\n@app.route('/a')\ndef a():\n    return str(ast.literal_eval(request.get_json()['x']))\n"),
    ("BST206", FLASK + "@app.route('/a')\ndef a():\n    exec(request.headers.get('X-Code'))\n    return ''\n",
               FLASK + "@app.route('/a')\ndef a():\n    exec('print(1)')\n    return ''\n"),
    ("BST201", FLASK + "@app.route('/files/<path:name>')\ndef a(name):\n    return send_file(name)\n",
               FLASK + "from werkzeug.utils import secure_filename\n@app.route('/files/<path:name>')\ndef a(name):\n    return send_file(secure_filename(name))\n"),
    # a module-level dict the view stores request data in and reads back
    ("BST201", FLASK + "CACHE = {}\n@app.route('/a')\ndef a():\n    CACHE['last'] = request.args['f']\n    return open(CACHE['last']).read()\n",
               FLASK + "CACHE = {'default': 'index.txt'}\n@app.route('/a')\ndef a():\n    CACHE['last'] = request.args['f']\n    return open(CACHE['default']).read()\n"),
    # a constant condition with a division decides the branch
    ("BST201", FLASK + "@app.route('/a')\ndef a():\n    bar = request.args['p']\n    if (500 / 42) + 196 < 200:\n        bar = 'safe'\n    return open(bar).read()\n",
               FLASK + "@app.route('/a')\ndef a():\n    bar = request.args['p']\n    if (500 / 42) + 196 > 200:\n        bar = 'safe'\n    return open(bar).read()\n"),
    # a `while` whose test holds before the loop ends once the body changes what it reads:
    # the code after it runs (it was taken for unreachable, as after `while True:`)
    ("BST202", FLASK + "import os\n@app.route('/a')\ndef a():\n    n = 0\n    while n < 3:\n        n += 1\n    os.system('echo ' + request.args['p'])\n",
               FLASK + "import os, shlex\n@app.route('/a')\ndef a():\n    n = 0\n    while n < 3:\n        n += 1\n    os.system('echo ' + shlex.quote(request.args['p']))\n"),
    ("BST202", FLASK + "import os\n@app.route('/a')\ndef a():\n    cmd = 'true'\n    tries = 0\n    while tries < 2:\n        tries += 1\n        cmd = request.args['p']\n    os.system(cmd)\n",
               FLASK + "import os\n@app.route('/a')\ndef a():\n    cmd = request.args['p']\n    tries = 0\n    while tries < 2:\n        tries += 1\n        cmd = 'true'\n    os.system(cmd)\n"),
    # SQLAlchemy's bound parameters travel apart from the query text
    ("BST204", FLASK + "from sqlalchemy import text\n@app.route('/a')\ndef a(session=None):\n    return str(session.execute(text(f\"SELECT * FROM t WHERE n = '{request.args['n']}'\")).all())\n",
               FLASK + "from sqlalchemy import text\n@app.route('/a')\ndef a(session=None):\n    return str(session.execute(text('SELECT * FROM t WHERE n = :n').bindparams(n=request.args['n'])).all())\n"),
    # commonpath proves containment only of a normalized path ('/srv/../etc' has '/srv' in common)
    ("BST201", FLASK + "import os\n@app.route('/a')\ndef a():\n    p = os.path.join('/srv', request.args['f'])\n    if os.path.commonpath([p, '/srv']) != '/srv':\n        return 'no', 403\n    return open(p).read()\n",
               FLASK + "import os\n@app.route('/a')\ndef a():\n    p = os.path.abspath(os.path.join('/srv', request.args['f']))\n    if os.path.commonpath([p, '/srv']) != '/srv':\n        return 'no', 403\n    return open(p).read()\n"),
    # the application's own path fixes the host of what is appended to it
    ("BST210", FLASK + "from flask import url_for\n@app.route('/r')\ndef r():\n    return redirect(request.args['next'] + '?from=' + url_for('index'))\n",
               FLASK + "from flask import url_for\n@app.route('/r')\ndef r():\n    return redirect(url_for('index') + '?msg=' + request.args['m'])\n"),
    # a DN built from request data names another entry; an XPath's bound variables are not parsed
    ("BST205", FLASK + "import ldap\n@app.post('/login')\ndef login():\n    conn = ldap.initialize('ldap://ldap')\n    conn.simple_bind_s('uid=' + request.form['u'] + ',ou=people,dc=ex', request.form['p'])\n    return 'ok'\n",
               FLASK + "import ldap\nfrom ldap.dn import escape_dn_chars\n@app.post('/login')\ndef login():\n    conn = ldap.initialize('ldap://ldap')\n    conn.simple_bind_s('uid=' + escape_dn_chars(request.form['u']) + ',ou=people,dc=ex', request.form['p'])\n    return 'ok'\n"),
    ("BST212", FLASK + "from lxml import etree\n@app.route('/x')\ndef x():\n    q = etree.XPath(\"//user[@name='\" + request.args['n'] + \"']\")\n    return str(q(etree.parse('u.xml')))\n",
               FLASK + "from lxml import etree\n@app.route('/x')\ndef x():\n    q = etree.XPath('//user[@name=$n]')\n    return str(q(etree.parse('u.xml'), n=request.args['n']))\n"),
    # an interpreter's -c / -e runs the code it is given
    ("BST202", FLASK + "import subprocess\n@app.route('/p')\ndef p():\n    return subprocess.run(['python3', '-c', request.args['c']], capture_output=True).stdout\n",
               FLASK + "import subprocess\n@app.route('/p')\ndef p():\n    return subprocess.run(['python3', 'report.py', request.args['c']], capture_output=True).stdout\n"),
    # class-based views: URL parameters are the method's arguments, its return the response
    ("BST201", FLASK + "import os\nfrom flask.views import View\nclass Show(View):\n    def dispatch_request(self, name):\n        return open(os.path.join('/srv', name)).read()\n",
               FLASK + "import os\nfrom flask.views import View\nclass Show(View):\n    def dispatch_request(self, name):\n        return open(os.path.join('/srv', os.path.basename(name))).read()\n"),
    ("BST203", FLASK + "from flask.views import MethodView\nclass Greet(MethodView):\n    def post(self):\n        return '<p>' + request.form['name'] + '</p>'\n",
               FLASK + "from flask.views import MethodView\nfrom markupsafe import escape\nclass Greet(MethodView):\n    def post(self):\n        return '<p>' + escape(request.form['name']) + '</p>'\n"),
    # views defined inside an application factory or a registration function
    ("BST202", "import subprocess\nfrom flask import Flask, request\ndef create_app():\n    app = Flask(__name__)\n    @app.route('/ping')\n    def ping():\n        return subprocess.check_output('ping -c 1 ' + request.args['host'], shell=True)\n    return app\n",
               "import shlex, subprocess\nfrom flask import Flask, request\ndef create_app():\n    app = Flask(__name__)\n    @app.route('/ping')\n    def ping():\n        return subprocess.check_output('ping -c 1 ' + shlex.quote(request.args['host']), shell=True)\n    return app\n"),
    ("BST201", "import os\nfrom flask import request\ndef init(app):\n    @app.route('/files/<name>')\n    def files(name):\n        return open(os.path.join('/srv', name)).read()\n",
               "import os\nfrom flask import request\ndef init(app):\n    @app.route('/files/<name>')\n    def files(name):\n        return open(os.path.join('/srv', os.path.basename(name))).read()\n"),
    ("BST203", "from flask import Blueprint, request\ndef make(prefix):\n    bp = Blueprint('b', __name__, url_prefix=prefix)\n    @bp.post('/echo')\n    def echo():\n        return '<p>' + request.form['q'] + '</p>'\n    return bp\n",
               "import functools\nfrom flask import request\ndef make():\n    @functools.lru_cache\n    def page(q):\n        return '<p>' + q + '</p>'\n    return page\n"),
    # views registered by a call: the registration stands for the decorator (its rule's <name>)
    ("BST203", FLASK + "def hello(name):\n    return '<h1>' + name + '</h1>'\napp.add_url_rule('/hello/<name>', 'hello', hello)\n",
               FLASK + "def hello(name):\n    return '<h1>' + name + '</h1>'\napp.add_url_rule('/hello/<int:name>', view_func=hello)\n"),
    ("BST203", FLASK + "def hello(name):\n    return '<h1>' + name + '</h1>'\napp.route('/hello/<name>')(hello)\n",
               FLASK + "def hello(name):\n    return '<h1>' + name + '</h1>'\nprint('/hello/<name>', hello)\n"),
    ("BST201", "import os\nfrom flask import Flask\ndef create_app():\n    app = Flask(__name__)\n    def files(name):\n        return open(os.path.join('/srv', name)).read()\n    app.add_url_rule('/files/<name>', view_func=files)\n    return app\n",
               "import os\nfrom flask import Flask\ndef create_app():\n    app = Flask(__name__)\n    def files(name):\n        return open(os.path.join('/srv', name)).read()\n    app.add_url_rule('/files/<uuid:name>', view_func=files)\n    return app\n"),
    ("BST202", "import subprocess\nfrom fastapi import APIRouter\nrouter = APIRouter()\ndef run(cmd: str):\n    subprocess.run(cmd, shell=True)\nrouter.add_api_route('/run', run)\n",
               "import subprocess\nfrom fastapi import APIRouter\nrouter = APIRouter()\ndef run(n: int):\n    subprocess.run('echo %d' % n, shell=True)\nrouter.add_api_route('/run', run)\n"),
    # module-level wrappers written as expressions: a lambda, a functools.partial
    ("BST202", FLASK + "import subprocess\nsh = lambda c: subprocess.call(c, shell=True)\n@app.route('/a')\ndef a():\n    sh(request.args['c'])\n    return ''\n",
               FLASK + "import subprocess\nsh = lambda c: subprocess.call(c, shell=True)\n@app.route('/a')\ndef a():\n    sh('ls -l')\n    return ''\n"),
    ("BST202", FLASK + "import functools, subprocess\nrun_shell = functools.partial(subprocess.run, shell=True)\n@app.route('/a')\ndef a():\n    run_shell(request.args['c'])\n    return ''\n",
               FLASK + "import functools, subprocess\nrun_shell = functools.partial(subprocess.run, shell=True)\n@app.route('/a')\ndef a():\n    run_shell('ls -l', check=True)\n    return ''\n"),
    ("BST201", FLASK + "from functools import partial\nread = partial(open, encoding='utf-8')\n@app.route('/a')\ndef a():\n    return read('/srv/' + request.args['f']).read()\n",
               FLASK + "import os\nfrom functools import partial\nread = partial(open, encoding='utf-8')\n@app.route('/a')\ndef a():\n    return read('/srv/' + os.path.basename(request.args['f'])).read()\n"),
    # ---- Flask sinks ----
    ("BST203", FLASK + "@app.route('/h/<name>')\ndef h(name):\n    return '<b>' + name + '</b>'\n",
               FLASK + "from markupsafe import escape\n@app.route('/h/<name>')\ndef h(name):\n    return '<b>' + escape(name) + '</b>'\n"),
    ("BST203", FLASK + "@app.route('/h')\ndef h():\n    return make_response(request.args['q'])\n",
               FLASK + "@app.route('/h')\ndef h():\n    return render_template('page.html', q=request.args['q'])\n"),
    ("BST203", FLASK + "@app.route('/h')\ndef h():\n    return '<p>%s</p>' % request.args['q'], 200\n",
               FLASK + "from flask import jsonify\n@app.route('/h')\ndef h():\n    return jsonify(q=request.args['q'])\n"),
    ("BST210", FLASK + "@app.route('/r')\ndef r():\n    return redirect(request.args['next'])\n",
               FLASK + "@app.route('/r')\ndef r():\n    return redirect('/orders/' + request.args['id'])\n"),
    ("BST210", FLASK + "@app.route('/r')\ndef r():\n    return redirect('//' + request.args['host'])\n",
               FLASK + "@app.route('/r')\ndef r():\n    return redirect(f\"https://shop.example.com/{request.args['p']}\")\n"),
    ("BST208", FLASK + "@app.route('/s')\ndef s():\n    session['user'] = request.args['u']\n    return ''\n",
               FLASK + "@app.route('/s')\ndef s():\n    session['user'] = 'guest'\n    return ''\n"),
    ("BST214", FLASK + "@app.route('/t')\ndef t():\n    return render_template_string('Hi ' + request.args['n'])\n",
               FLASK + "@app.route('/t')\ndef t():\n    return render_template_string('Hi {{ n }}', n=request.args['n'])\n"),
    # a redirect's response escapes the location in its body: the open redirect only, not XSS
    ("BST203", FLASK + "@app.route('/r')\ndef r():\n    return make_response('<a href=\"' + request.args['next'] + '\">next</a>')\n",
               FLASK + "@app.route('/r')\ndef r():\n    return make_response(redirect(request.args['next']))\n"),
    # Jinja2 used directly escapes only with autoescape on
    ("BST203", FLASK + "from jinja2 import Template\n@app.route('/h')\ndef h():\n    return Template('<p>{{ q }}</p>').render(q=request.args['q'])\n",
               FLASK + "from jinja2 import Template\n@app.route('/h')\ndef h():\n    return Template('<p>{{ q }}</p>', autoescape=True).render(q=request.args['q'])\n"),
    ("BST203", FLASK + "from jinja2 import Environment\nENV = Environment()\n@app.route('/h')\ndef h():\n    env = Environment()\n    return env.from_string('<p>{{ q }}</p>').render(q=request.args['q'])\n",
               FLASK + "from jinja2 import Environment, select_autoescape\n@app.route('/h')\ndef h():\n    env = Environment(autoescape=select_autoescape())\n    return env.from_string('<p>{{ q }}</p>').render(q=request.args['q'])\n"),
    # a response tuple whose headers say it is not HTML
    ("BST203", FLASK + "@app.route('/h')\ndef h():\n    return request.args['q'], 200, {'Content-Type': 'text/html'}\n",
               FLASK + "@app.route('/h')\ndef h():\n    return request.args['q'], 200, {'Content-Type': 'text/plain; charset=utf-8'}\n"),
    # a body set after the response was made; an error handler's response
    ("BST203", FLASK + "from flask import Response\n@app.route('/h')\ndef h():\n    resp = Response()\n    resp.set_data('<p>' + request.args['q'] + '</p>')\n    return resp\n",
               FLASK + "from flask import Response\nfrom markupsafe import escape\n@app.route('/h')\ndef h():\n    resp = Response()\n    resp.set_data('<p>' + escape(request.args['q']) + '</p>')\n    return resp\n"),
    ("BST203", FLASK + "@app.errorhandler(404)\ndef missing(error):\n    return '<h1>No page at ' + request.path + '</h1>', 404\n",
               FLASK + "from markupsafe import escape\n@app.errorhandler(404)\ndef missing(error):\n    return '<h1>No page at ' + escape(request.path) + '</h1>', 404\n"),
    # a redirect made by hand: the Location header (not another header, nor after a fixed host)
    ("BST210", FLASK + "@app.route('/r')\ndef r():\n    resp = make_response('', 302)\n    resp.headers['Location'] = request.args['next']\n    return resp\n",
               FLASK + "@app.route('/r')\ndef r():\n    resp = make_response('', 302)\n    resp.headers['X-Next'] = request.args['next']\n    resp.headers['Location'] = 'https://shop.example.com/' + request.args['p']\n    return resp\n"),
    # ---- Django ----
    ("BST203", DJANGO + "def view(request):\n    return HttpResponse('<p>' + request.GET['q'] + '</p>')\n",
               DJANGO + "from django.utils.html import escape\ndef view(request):\n    return HttpResponse('<p>' + escape(request.GET['q']) + '</p>')\n"),
    ("BST203", DJANGO + "def view(request):\n    return mark_safe(request.POST.get('bio'))\n",
               DJANGO + "def view(request):\n    return mark_safe('<b>fixed</b>')\n"),
    ("BST210", DJANGO + "def view(request):\n    return redirect(request.GET.get('next'))\n",
               DJANGO + "from django.utils.http import url_has_allowed_host_and_scheme\ndef view(request):\n    target = request.GET.get('next')\n    if not url_has_allowed_host_and_scheme(target, allowed_hosts={'example.com'}):\n        target = '/'\n    return redirect(target)\n"),
    ("BST210", DJANGO + "def view(request):\n    return HttpResponseRedirect(request.META['HTTP_REFERER'])\n",
               DJANGO + "def view(request):\n    return HttpResponseRedirect('/home/')\n"),
    ("BST204", DJANGO + "def view(request, user_id):\n    with connection.cursor() as cursor:\n        cursor.execute('SELECT * FROM t WHERE id = ' + user_id)\n    return HttpResponse('ok')\n",
               DJANGO + "def view(request, user_id):\n    with connection.cursor() as cursor:\n        cursor.execute('SELECT * FROM t WHERE id = %s', [user_id])\n    return HttpResponse('ok')\n"),
    ("BST204", DJANGO + "from app.models import Person\ndef view(request):\n    return HttpResponse(str(list(Person.objects.raw('SELECT * FROM p WHERE name = %s' % request.GET['n']))))\n",
               DJANGO + "from app.models import Person\ndef view(request):\n    return HttpResponse(str(list(Person.objects.raw('SELECT * FROM p WHERE name = %s', [request.GET['n']]))))\n"),
    ("BST204", DJANGO + "from django.db.models.expressions import RawSQL\ndef view(request):\n    q = RawSQL('select 1 where x = ' + request.GET['x'], [])\n    return HttpResponse('ok')\n",
               DJANGO + "from django.db.models.expressions import RawSQL\ndef view(request):\n    q = RawSQL('select 1 where x = %s', [request.GET['x']])\n    return HttpResponse('ok')\n"),
    ("BST208", DJANGO + "def view(request):\n    request.session['role'] = request.POST['role']\n    return HttpResponse('ok')\n",
               DJANGO + "def view(request):\n    role = request.POST['role']\n    if role not in ('viewer', 'editor'):\n        return HttpResponse('bad', status=400)\n    request.session['role'] = role\n    return HttpResponse('ok')\n"),
    # a class-based view keeps the request and the URL's groups on `self`, in every method
    ("BST213", DJANGO + "import requests\nfrom rest_framework.views import APIView\nclass Proxy(APIView):\n    def get(self, request):\n        url = self.request.query_params.get('url')\n        return HttpResponse(requests.get(url, timeout=3).text, content_type='text/plain')\n",
               DJANGO + "import requests\nfrom rest_framework.views import APIView\nclass Proxy(APIView):\n    def get(self, request):\n        page = self.request.query_params.get('page')\n        return HttpResponse(requests.get('https://api.example.com/', params={'page': page}, timeout=3).text, content_type='text/plain')\n"),
    ("BST204", DJANGO + "from rest_framework.generics import ListAPIView\nclass Items(ListAPIView):\n    def get_queryset(self):\n        name = self.request.GET.get('name')\n        return Item.objects.raw(f\"SELECT * FROM item WHERE name = '{name}'\")\n",
               DJANGO + "from rest_framework.generics import ListAPIView\nclass Items(ListAPIView):\n    def get_queryset(self):\n        name = self.request.GET.get('name')\n        return Item.objects.raw('SELECT * FROM item WHERE name = %s', [name])\n"),
    ("BST201", DJANGO + "from django.views.generic import TemplateView\nclass Page(TemplateView):\n    def get_context_data(self, **kwargs):\n        return {'text': open('/srv/pages/' + self.kwargs['slug']).read()}\n",
               DJANGO + "import os\nfrom django.views.generic import TemplateView\nclass Page(TemplateView):\n    def get_context_data(self, **kwargs):\n        return {'text': open('/srv/pages/' + os.path.basename(self.kwargs['slug'])).read()}\n"),
    ("BST210", DJANGO + "def view(request):\n    response = HttpResponse(status=302)\n    response['Location'] = request.GET['next']\n    return response\n",
               DJANGO + "def view(request):\n    response = HttpResponse(status=302)\n    response['Location'] = '/orders/' + request.GET['id']\n    return response\n"),
    # format_html escapes its arguments, not its format string
    ("BST203", DJANGO + "from django.utils.html import format_html\ndef view(request):\n    return HttpResponse(format_html(request.GET['fmt'], 'x'))\n",
               DJANGO + "from django.utils.html import format_html\ndef view(request):\n    return HttpResponse(format_html('<p>{}</p>', request.GET['q']))\n"),
    ("BST201", DJANGO + "from django.views import View\nclass Download(View):\n    def get(self, request, name):\n        return HttpResponse(open('/srv/' + name).read())\n",
               DJANGO + "import os\nfrom django.views import View\nclass Download(View):\n    def get(self, request, name):\n        return HttpResponse(open('/srv/' + os.path.basename(name)).read())\n"),
    ("BST204", "from rest_framework.decorators import api_view\nfrom rest_framework.response import Response\n@api_view(['POST'])\ndef create(request):\n    cursor.execute(\"INSERT INTO t VALUES ('%s')\" % request.data['v'])\n    return Response({})\n",
               "from rest_framework.decorators import api_view\nfrom rest_framework.response import Response\n@api_view(['POST'])\ndef create(request):\n    cursor.execute('INSERT INTO t VALUES (%s)', (request.data['v'],))\n    return Response({})\n"),
    # ---- FastAPI / Starlette ----
    ("BST203", FASTAPI + "@app.get('/h')\ndef h(q: str):\n    return HTMLResponse('<p>' + q + '</p>')\n",
               FASTAPI + "import html\n@app.get('/h')\ndef h(q: str):\n    return HTMLResponse('<p>' + html.escape(q) + '</p>')\n"),
    ("BST203", FASTAPI + "@app.get('/h', response_class=HTMLResponse)\ndef h(name: str):\n    return '<h1>' + name + '</h1>'\n",
               FASTAPI + "import html\n@app.get('/h', response_class=HTMLResponse)\ndef h(name: str):\n    return '<h1>' + html.escape(name) + '</h1>'\n"),
    ("BST203", FASTAPI + "@app.get('/h', response_class=HTMLResponse)\ndef h(name: str):\n    return '<h1>' + name + '</h1>'\n",
               FASTAPI + "@app.get('/h')\ndef h(name: str):\n    return '<h1>' + name + '</h1>'\n"),  # JSON: a string, encoded
    # FastAPI validates annotated parameters: a number, a UUID or a constant choice holds no SQL
    ("BST204", FASTAPI + "@app.get('/q')\ndef q(user_id: str):\n    return cur.execute('SELECT * FROM u WHERE id = ' + user_id).fetchall()\n",
               FASTAPI + "@app.get('/q')\ndef q(user_id: int):\n    return cur.execute('SELECT * FROM u WHERE id = %d' % user_id).fetchall()\n"),
    ("BST204", FASTAPI + "from typing import Optional\n@app.get('/q')\ndef q(user_id: Optional[str] = None):\n    return cur.execute(f'SELECT * FROM u WHERE id = {user_id}').fetchall()\n",
               FASTAPI + "from typing import Optional\n@app.get('/q')\ndef q(user_id: Optional[int] = None):\n    return cur.execute(f'SELECT * FROM u WHERE id = {user_id}').fetchall()\n"),
    ("BST204", FASTAPI + "from typing import Annotated\nfrom fastapi import Query\n@app.get('/q')\ndef q(order: Annotated[str, Query()]):\n    return cur.execute('SELECT * FROM u ORDER BY ' + order).fetchall()\n",
               FASTAPI + "from typing import Annotated, Literal\nfrom fastapi import Query\n@app.get('/q')\ndef q(order: Annotated[Literal['name', 'age'], Query()]):\n    return cur.execute('SELECT * FROM u ORDER BY ' + order).fetchall()\n"),
    ("BST204", FASTAPI + "import uuid\n@app.get('/q/{key}')\ndef q(key: str | None):\n    return cur.execute(f\"SELECT * FROM u WHERE key = '{key}'\").fetchall()\n",
               FASTAPI + "import uuid\n@app.get('/q/{key}')\ndef q(key: uuid.UUID | None):\n    return cur.execute(f\"SELECT * FROM u WHERE key = '{key}'\").fetchall()\n"),
    # Werkzeug's int / float / uuid converters match digits or a UUID only
    ("BST204", FLASK + "@app.route('/u/<name>')\ndef u(name):\n    return str(cur.execute('SELECT * FROM u WHERE name = ' + name).fetchall())\n",
               FLASK + "@app.route('/u/<int:uid>')\ndef u(uid):\n    return str(cur.execute('SELECT * FROM u WHERE id = %d' % uid).fetchall())\n"),
    ("BST210", DJANGO + "def go(request):\n    return HttpResponseRedirect(request.GET['next'])\n",
               DJANGO + "from django.urls import reverse\ndef go(request):\n    return HttpResponseRedirect(reverse('item', args=[request.GET['id']]))\n"),
    ("BST210", FASTAPI + "@app.get('/r')\nasync def r(request: Request):\n    return RedirectResponse(request.query_params['next'])\n",
               FASTAPI + "@app.get('/r')\nasync def r(request: Request):\n    return RedirectResponse('/items/' + request.query_params['id'])\n"),
    ("BST201", FASTAPI + "@app.post('/u')\nasync def u(request: Request):\n    body = await request.json()\n    return open(body['path']).read()\n",
               FASTAPI + "def settings():\n    return '/etc/app.conf'\n@app.post('/u')\nasync def u(path: str = Depends(settings)):\n    return open(path).read()\n"),
    # ---- CLI, environment, Lambda ----
    ("BST202", "import os, sys\ndef main():\n    os.system('ls ' + sys.argv[1])\n",
               "import os, shlex, sys\ndef main():\n    os.system('ls ' + shlex.quote(sys.argv[1]))\n"),
    ("BST202", "import subprocess\ndef main():\n    subprocess.run(input('cmd? '), shell=True)\n",
               "import subprocess\ndef main():\n    subprocess.run(['ls', input('dir? ')])\n"),
    ("BST202", "import argparse, subprocess\ndef main():\n    parser = argparse.ArgumentParser()\n    parser.add_argument('host')\n    args = parser.parse_args()\n    subprocess.call(['sh', '-c', 'ping ' + args.host])\n",
               "import argparse, subprocess\ndef main():\n    parser = argparse.ArgumentParser()\n    parser.add_argument('host')\n    args = parser.parse_args()\n    subprocess.call(['ping', '-c', '1', args.host])\n"),
    ("BST202", "import os\ndef main():\n    os.popen(os.environ['CMD'])\n",
               "import os\ndef main():\n    os.popen('uptime')\n"),
    ("BST213", "import requests\ndef handler(event, context):\n    return requests.get(event['url']).text\n",
               "import requests\ndef handler(event, context):\n    return requests.get('https://api.example.com/items/' + event['id']).text\n"),
    # ---- sinks by weakness ----
    ("BST209", "import yaml, sys\ndef main():\n    return yaml.load(sys.stdin.read(), Loader=yaml.Loader)\n",
               "import yaml, sys\ndef main():\n    return yaml.load(sys.stdin.read(), Loader=yaml.SafeLoader)\n"),
    ("BST211", FLASK + "from lxml import etree\n@app.post('/x')\ndef x():\n    return str(etree.fromstring(request.data, etree.XMLParser(resolve_entities=True)))\n",
               FLASK + "from lxml import etree\n@app.post('/x')\ndef x():\n    return str(etree.fromstring(request.data, etree.XMLParser(resolve_entities=False)))\n"),
    ("BST212", FLASK + "from lxml import etree\n@app.route('/x')\ndef x():\n    return str(etree.XPath(\"//u[@n='\" + request.args['n'] + \"']\")(DOC))\n",
               FLASK + "from lxml import etree\n@app.route('/x')\ndef x():\n    n = request.args['n'].replace(\"'\", '&apos;').replace('\"', '&quot;')\n    return str(etree.XPath(\"//u[@n='\" + n + \"']\")(DOC))\n"),
    ("BST212", FLASK + "@app.route('/x')\ndef x():\n    n = request.args['n']\n    return str(DOC.xpath(f\"//u[@n='{n}']\"))\n",
               FLASK + "@app.route('/x')\ndef x():\n    n = request.args['n']\n    if \"'\" in n or '\"' in n:\n        return 'bad', 400\n    return str(DOC.xpath(f\"//u[@n='{n}']\"))\n"),
    ("BST205", FLASK + "@app.route('/l')\ndef l():\n    conn.search('dc=ex', '(uid=' + request.args['u'] + ')')\n    return ''\n",
               FLASK + "from ldap3.utils.conv import escape_filter_chars\n@app.route('/l')\ndef l():\n    conn.search('dc=ex', '(uid=' + escape_filter_chars(request.args['u']) + ')')\n    return ''\n"),
    ("BST207", FLASK + "import logging\n@app.route('/g')\ndef g():\n    logging.info('user: ' + request.args['u'])\n    return ''\n",
               FLASK + "import logging\n@app.route('/g')\ndef g():\n    logging.info('user: ' + request.args['u'].replace('\\n', ' '))\n    return ''\n"),
    ("BST207", FLASK + "@app.route('/g')\ndef g():\n    app.logger.warning('login failed for ' + request.form['user'])\n    return ''\n",
               FLASK + "@app.route('/g')\ndef g():\n    app.logger.warning('login failed for %r', request.form['user'])\n    return ''\n"),
    ("BST207", FLASK + "from flask import current_app\n@app.route('/g')\ndef g():\n    current_app.logger.info(f\"search: {request.args['q']}\")\n    return ''\n",
               FLASK + "from flask import current_app\n@app.route('/g')\ndef g():\n    current_app.logger.info('search: %d', len(request.args['q']))\n    return ''\n"),
    ("BST207", FLASK + "import logging\nlog = logging.getLogger(__name__)\n@app.route('/g')\ndef g():\n    log.info('user %s', request.args['u'])\n    return ''\n",
               FLASK + "import logging\nlog = logging.getLogger(__name__)\n@app.route('/g')\ndef g():\n    log.info('user %s', request.args['u'].replace('\\n', ' '))\n    return ''\n"),
    # a process's exit status and a response's status code are numbers, not the text they ran or fetched
    ("BST203", FLASK + "import subprocess\n@app.route('/s')\ndef s():\n    subprocess.run(['echo', request.args['m']])\n    return 'sent ' + request.args['m']\n",
               FLASK + "import subprocess\n@app.route('/s')\ndef s():\n    return str(subprocess.run(['echo', request.args['m']]).returncode)\n"),
    ("BST203", FLASK + "import requests\n@app.route('/s')\ndef s():\n    r = requests.get('https://api.example.com/' + request.args['p'], timeout=5)\n    return r.text\n",
               FLASK + "import requests\n@app.route('/s')\ndef s():\n    r = requests.get('https://api.example.com/' + request.args['p'], timeout=5)\n    return f'status {r.status_code}'\n"),
    # `unicode_escape` writes every line break and control character as an escape (`\\n`);
    # `raw_unicode_escape` leaves them as they are
    ("BST207", FLASK + "import logging\n@app.route('/g')\ndef g():\n    logging.info('q=%s', request.args['q'].encode('raw_unicode_escape').decode())\n    return ''\n",
               FLASK + "import logging\n@app.route('/g')\ndef g():\n    logging.info('q=%s', request.args['q'].encode('unicode_escape').decode())\n    return ''\n"),
    # a query run returns rows, not the request data in it: showing them is not that flow
    ("BST203", FLASK + "@app.route('/n')\ndef n():\n    return '<b>' + request.args['n'] + '</b>'\n",
               FLASK + "@app.route('/n')\ndef n():\n    rows = cur.execute('SELECT v FROM t WHERE k = ?', (request.args['n'],)).fetchall()\n    return '<b>' + str(rows) + '</b>'\n"),
    ("BST212", FLASK + "import elementpath\n@app.route('/x')\ndef x():\n    return str(elementpath.select(ROOT, \"//u[@n='\" + request.args['n'] + \"']\"))\n",
               FLASK + "import elementpath\n@app.route('/x')\ndef x():\n    return str(elementpath.select(ROOT, '//u[@n=$n]', variables={'n': request.args['n']}))\n"),
    # Markup escapes what % and .format insert; a response declared as plain text is not a page
    ("BST203", FLASK + "from markupsafe import Markup\n@app.route('/m')\ndef m():\n    return Markup('<b>' + request.args['x'] + '</b>')\n",
               FLASK + "from markupsafe import Markup\n@app.route('/m')\ndef m():\n    return Markup('<b>%s</b>') % request.args['x']\n"),
    ("BST203", FLASK + "from markupsafe import Markup\n@app.route('/m')\ndef m():\n    return Markup('<i>' + request.args['x'] + '</i>').format()\n",
               FLASK + "from markupsafe import Markup\n@app.route('/m')\ndef m():\n    return Markup('<i>{}</i>').format(request.args['x'])\n"),
    ("BST203", FLASK + "from flask import Response\n@app.route('/t')\ndef t():\n    return Response(request.args['x'], mimetype='text/html')\n",
               FLASK + "from flask import Response\n@app.route('/t')\ndef t():\n    return Response(request.args['x'], mimetype='text/plain')\n"),
    ("BST203", DJANGO + "def t(request):\n    return HttpResponse(request.GET['x'], content_type='image/svg+xml')\n",
               DJANGO + "def t(request):\n    return HttpResponse(request.GET['x'], content_type='text/plain; charset=utf-8')\n"),
    ("BST201", FLASK + "import os\n@app.post('/up')\ndef up():\n    f = request.files['file']\n    f.save(os.path.join('/srv/uploads', f.filename))\n    return ''\n",
               FLASK + "import os\nfrom werkzeug.utils import secure_filename\n@app.post('/up')\ndef up():\n    f = request.files['file']\n    f.save(os.path.join('/srv/uploads', secure_filename(f.filename)))\n    return ''\n"),
    ("BST201", FLASK + "import tarfile\n@app.post('/a')\ndef a():\n    return str(tarfile.open(request.form['archive']).getnames())\n",
               FLASK + "import zipfile\n@app.post('/a')\ndef a():\n    return str(zipfile.ZipFile(request.files['archive']).namelist())\n"),  # the upload itself
    ("BST206", FLASK + "import importlib\n@app.route('/plugin')\ndef plugin():\n    importlib.import_module(request.args['name'])\n    return ''\n",
               FLASK + "import importlib\nPLUGINS = {'csv': 'app.export.csv', 'pdf': 'app.export.pdf'}\n@app.route('/plugin')\ndef plugin():\n    name = request.args['name']\n    if name not in PLUGINS:\n        return 'no', 404\n    importlib.import_module(PLUGINS[name])\n    return ''\n"),
    ("BST212", FLASK + "import xml.etree.ElementTree as ET\n@app.route('/x')\ndef x():\n    root = ET.parse('users.xml').getroot()\n    return str(root.findall(\".//user[@name='\" + request.args['n'] + \"']\"))\n",
               FLASK + "import xml.etree.ElementTree as ET\n@app.route('/x')\ndef x():\n    n = request.args['n']\n    if not n.isalnum():\n        return 'bad', 400\n    root = ET.parse('users.xml').getroot()\n    return str(root.findall(\".//user[@name='\" + n + \"']\"))\n"),
    ("BST212", FLASK + "from lxml import etree\n@app.route('/x')\ndef x():\n    ev = etree.XPathEvaluator(etree.parse('u.xml'))\n    return str(ev(\"//u[@n='%s']\" % request.args['n']))\n",
               FLASK + "from lxml import etree\n@app.route('/x')\ndef x():\n    ev = etree.XPathEvaluator(etree.parse('u.xml'))\n    return str(ev('//u[@n=$n]', n=request.args['n']))\n"),
    ("BST212", FLASK + "from lxml import etree\n@app.route('/x')\ndef x():\n    return str(etree.XPathDocumentEvaluator(etree.parse('u.xml')).evaluate('//u[@n=\"' + request.args['n'] + '\"]'))\n",
               FLASK + "from lxml import etree\n@app.route('/x')\ndef x():\n    return str(etree.XPathDocumentEvaluator(etree.parse('u.xml')).evaluate('//u[@n=$n]', n=request.args['n']))\n"),
    ("BST212", FLASK + "from lxml import etree\n@app.route('/x')\ndef x():\n    return str(etree.parse('u.xml').find(f\"//u[@id='{request.args['id']}']\"))\n",
               FLASK + "from lxml import etree\n@app.route('/x')\ndef x():\n    return str(etree.parse('u.xml').find('//u').get(request.args['id']))\n"),
    ("BST201", FLASK + "import pathlib\n@app.route('/p')\ndef p():\n    return (pathlib.Path('/srv') / 'docs' / request.args['f']).read_text()\n",
               FLASK + "import pathlib\n@app.route('/p')\ndef p():\n    return (pathlib.Path('/srv') / 'docs' / 'index.txt').read_text()\n"),
    ("BST213", FLASK + "import http.client\n@app.route('/h')\ndef h():\n    conn = http.client.HTTPSConnection(request.args['host'])\n    conn.request('GET', '/')\n    return ''\n",
               FLASK + "import http.client\n@app.route('/h')\ndef h():\n    conn = http.client.HTTPSConnection('api.example.com')\n    conn.request('GET', '/' + request.args['path'])\n    return ''\n"),
    ("BST213", FLASK + "import socket\n@app.route('/s')\ndef s():\n    socket.create_connection((request.args['host'], 443))\n    return ''\n",
               FLASK + "import socket\n@app.route('/s')\ndef s():\n    socket.create_connection(('db.internal', int(request.args['port'])))\n    return ''\n"),
    ("BST213", FLASK + "import urllib3\n@app.route('/u')\ndef u():\n    return urllib3.PoolManager().request('GET', request.args['url']).data\n",
               FLASK + "import urllib3\n@app.route('/u')\ndef u():\n    return urllib3.PoolManager().request('GET', 'https://api.example.com/v1?q=' + request.args['q']).data\n"),
    # the host kept in a local, tested against an allow-list, an equality or a dot-led domain
    # suffix, checks the URL it came from (not a URL bound to that name afterwards)
    ("BST213", FLASK + "import httpx\nfrom urllib.parse import urlparse\nALLOWED = {'a.example.com'}\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    host = urlparse(u).hostname\n    if host not in ALLOWED:\n        return 'no', 400\n    u = request.args['v']\n    return httpx.get(u).text\n",
               FLASK + "import httpx\nfrom urllib.parse import urlparse\nALLOWED = {'a.example.com'}\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    host = urlparse(u).hostname\n    if host not in ALLOWED:\n        return 'no', 400\n    return httpx.get(u).text\n"),
    ("BST213", FLASK + "import httpx\nfrom urllib.parse import urlparse\nALLOWED = {'a.example.com'}\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    if not urlparse(u).hostname.endswith('example.com'):\n        return 'no', 400\n    return httpx.get(u).text\n",
               FLASK + "import httpx\nfrom urllib.parse import urlparse\nALLOWED = {'a.example.com'}\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    if not urlparse(u).hostname.endswith('.example.com'):\n        return 'no', 400\n    return httpx.get(u).text\n"),
    ("BST213", FLASK + "import httpx\nfrom urllib.parse import urlparse\nALLOWED = {'a.example.com'}\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    host = httpx.URL(u).host\n    if host == 'a.example.com' or host.startswith('a.'):\n        return httpx.get(u).text\n    return 'no', 400\n",
               FLASK + "import httpx\nfrom urllib.parse import urlparse\nALLOWED = {'a.example.com'}\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    host = httpx.URL(u).host\n    if host == 'a.example.com' or host.endswith(('.a.example.com', '.b.example.com')):\n        return httpx.get(u).text\n    return 'no', 400\n"),
    # a hostname (after the user info) proves nothing of a redirect either; the netloc does
    ("BST210", FLASK + "from urllib.parse import urlparse\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    if urlparse(u).hostname not in {'www.example.com'}:\n        return 'no', 400\n    return redirect(u)\n",
               FLASK + "from urllib.parse import urlparse\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    if urlparse(u).netloc not in {'www.example.com'}:\n        return 'no', 400\n    return redirect(u)\n"),
    # a domain suffix proves nothing of a redirect: a browser takes `\` for `/`
    ("BST210", FLASK + "from urllib.parse import urlparse\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    if not urlparse(u).hostname.endswith('.example.com'):\n        return 'no', 400\n    return redirect(u)\n",
               FLASK + "from urllib.parse import urlparse\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    if urlparse(u).netloc != 'www.example.com':\n        return 'no', 400\n    return redirect(u)\n"),
    ("BST210", FLASK + "import httpx\nfrom urllib.parse import urlparse\nALLOWED = {'a.example.com'}\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    parts = urlparse(u)\n    u = request.args['next']\n    if parts.netloc not in ALLOWED:\n        return 'no', 400\n    return redirect(u)\n",
               FLASK + "import httpx\nfrom urllib.parse import urlparse\nALLOWED = {'a.example.com'}\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    parts = urlparse(u)\n    if parts.netloc not in ALLOWED:\n        return 'no', 400\n    return redirect(u)\n"),
    # boto3 writing an object to a local file named by the event
    ("BST201", "import boto3\ndef lambda_handler(event, context):\n    key = event['pathParameters']['key']\n    boto3.client('s3').download_file('bucket', key, '/tmp/' + key)\n",
               "import boto3\ndef lambda_handler(event, context):\n    key = event['pathParameters']['key']\n    boto3.client('s3').download_file('bucket', key, '/tmp/object.bin')\n"),
    # a bound Django form validates each field into its type: an IntegerField is an int
    ("BST204", DJANGO + "from django import forms\nclass F(forms.Form):\n    age = forms.IntegerField()\n    name = forms.CharField()\ndef v(request):\n    form = F(request.POST)\n    if form.is_valid():\n        connection.cursor().execute('SELECT 1 FROM t WHERE n = %s' % form.cleaned_data['name'])\n    return HttpResponse('ok')\n",
               DJANGO + "from django import forms\nclass F(forms.Form):\n    age = forms.IntegerField()\n    name = forms.CharField()\ndef v(request):\n    form = F(request.POST)\n    if form.is_valid():\n        connection.cursor().execute('SELECT 1 FROM t WHERE a = %s' % form.cleaned_data['age'])\n    return HttpResponse('ok')\n"),
    # a subclass declaring a field again replaces its base's
    ("BST204", DJANGO + "from django import forms\nclass F(forms.Form):\n    age = forms.IntegerField()\nclass G(F):\n    age = forms.CharField()\ndef v(request):\n    form = G(request.POST)\n    form.full_clean()\n    connection.cursor().execute('SELECT 1 FROM t WHERE a = %s' % form.cleaned_data.get('age'))\n    return HttpResponse('ok')\n",
               DJANGO + "from django import forms\nclass F(forms.Form):\n    age = forms.IntegerField()\nclass G(F):\n    name = forms.CharField()\ndef v(request):\n    form = G(request.POST)\n    form.full_clean()\n    connection.cursor().execute('SELECT 1 FROM t WHERE a = %s' % form.cleaned_data.get('age'))\n    return HttpResponse('ok')\n"),
    ("BST201", DJANGO + "from rest_framework import serializers\nclass S(serializers.Serializer):\n    page = serializers.IntegerField()\n    name = serializers.CharField()\ndef v(request):\n    s = S(data=request.POST)\n    s.is_valid(raise_exception=True)\n    return HttpResponse(open('/srv/%s' % s.validated_data['name']).read())\n",
               DJANGO + "from rest_framework import serializers\nclass S(serializers.Serializer):\n    page = serializers.IntegerField()\n    name = serializers.CharField()\ndef v(request):\n    s = S(data=request.POST)\n    s.is_valid(raise_exception=True)\n    return HttpResponse(open('/srv/%s' % s.validated_data['page']).read())\n"),
    # only FastAPI fills a parameter declared Query(): a dependency another module declares
    ("BST201", "from fastapi import Query\ndef report(name: str = Query()):\n    return open('/srv/' + name).read()\n",
               "from fastapi import Query\ndef report(name: str = 'index'):\n    return open('/srv/' + name).read()\n"),
    ("BST213", "import requests\nfrom fastapi import Request\ndef relay(request: Request):\n    return requests.get(request.query_params['u']).text\n",
               "import requests\nfrom fastapi import Request\ndef relay(request: Request):\n    return requests.get('https://api.example.com/' + request.method).text\n"),
    # an allowlist sanitizer keeps only harmless markup; Markup.escape escapes
    ("BST203", FLASK + "import nh3\n@app.route('/a')\ndef a():\n    return '<p>' + request.args['c'] + '</p>'\n",
               FLASK + "import nh3\n@app.route('/a')\ndef a():\n    return '<p>' + nh3.clean(request.args['c']) + '</p>'\n"),
    ("BST203", FLASK + "from markupsafe import Markup\nfrom flask import Response\n@app.route('/a')\ndef a():\n    return Response(Markup(request.args['c']))\n",
               FLASK + "from markupsafe import Markup\nfrom flask import Response\n@app.route('/a')\ndef a():\n    return Response(Markup.escape(request.args['c']))\n"),
    # map(f, xs): each element as f returns it (a sanitizer's, a converter's)
    ("BST204", FLASK + "import sqlite3\n@app.route('/a')\ndef a():\n    ids = ','.join(map(str.strip, request.args.getlist('id')))\n    return str(sqlite3.connect('x').execute('SELECT * FROM t WHERE id IN (%s)' % ids).fetchall())\n",
               FLASK + "import sqlite3\n@app.route('/a')\ndef a():\n    ids = ','.join(map(str, map(int, request.args.getlist('id'))))\n    return str(sqlite3.connect('x').execute('SELECT * FROM t WHERE id IN (%s)' % ids).fetchall())\n"),
    ("BST202", FLASK + "import os\n@app.route('/a')\ndef a():\n    os.system('ls ' + ' '.join(map(str.lower, request.args.getlist('n'))))\n    return ''\n",
               FLASK + "import os, shlex\n@app.route('/a')\ndef a():\n    os.system('ls ' + ' '.join(map(shlex.quote, request.args.getlist('n'))))\n    return ''\n"),
    # a generator's yields are what iterating its call gives
    ("BST202", FLASK + "import os\ndef names():\n    yield request.args['a']\n    yield from request.args.getlist('b')\n@app.route('/a')\ndef a():\n    for name in names():\n        os.system('touch ' + name)\n    return ''\n",
               FLASK + "import os, shlex\ndef names():\n    yield shlex.quote(request.args['a'])\n    yield from [shlex.quote(b) for b in request.args.getlist('b')]\n@app.route('/a')\ndef a():\n    for name in names():\n        os.system('touch ' + name)\n    return ''\n"),
    ("BST202", FLASK + "import os\ndef names(given):\n    for part in given.split(','):\n        yield part\n@app.route('/a')\ndef a():\n    for name in names(request.args['a']):\n        os.system('touch ' + name)\n    return ''\n",
               FLASK + "import os\ndef names(given):\n    for part in given.split(','):\n        yield 'file-%d' % len(part)\n@app.route('/a')\ndef a():\n    for name in names(request.args['a']):\n        os.system('touch ' + name)\n    return ''\n"),
    # a streamed response: what the generator yields is the page
    ("BST203", FLASK + "from flask import Response\ndef rows(q):\n    yield '<li>' + q + '</li>'\n@app.route('/s')\ndef s():\n    return Response(rows(request.args['q']))\n",
               FLASK + "from flask import Response\ndef rows(q):\n    yield '<li>' + q + '</li>'\n@app.route('/s')\ndef s():\n    return Response(rows(request.args['q']), mimetype='text/plain')\n"),
    # Bottle: a route's parameters and request data; its return value is HTML
    ("BST203", "from bottle import redirect, request, route, template\n@route('/hello/<name>')\ndef hello(name):\n    return '<b>Hello ' + name + '</b>'\n",
               "from bottle import redirect, request, route, template\nimport html\n@route('/hello/<name>')\ndef hello(name):\n    return '<b>Hello ' + html.escape(name) + '</b>'\n"),
    ("BST214", "from bottle import redirect, request, route, template\n@route('/t')\ndef t():\n    return template('Hello ' + request.forms.get('name'))\n",
               "from bottle import redirect, request, route, template\n@route('/t')\ndef t():\n    return template('Hello {{name}}', name=request.forms.get('name'))\n"),
    ("BST210", "from bottle import redirect, request, route, template\n@route('/go')\ndef go():\n    redirect(request.query.get('next'))\n",
               "from bottle import redirect, request, route, template\n@route('/go')\ndef go():\n    redirect('/home?from=' + request.query.get('next'))\n"),
    # Quart: Flask's API, awaited
    ("BST202", "import subprocess\nfrom quart import Quart, redirect, request\napp = Quart(__name__)\n@app.post('/run')\nasync def run():\n    form = await request.form\n    return subprocess.check_output('ls ' + form['dir'], shell=True)\n",
               "import subprocess\nfrom quart import Quart, redirect, request\napp = Quart(__name__)\n@app.post('/run')\nasync def run():\n    form = await request.form\n    return subprocess.check_output(['ls', '--', form['dir']])\n"),
    ("BST203", "from quart import Quart, redirect, request\napp = Quart(__name__)\n@app.route('/u/<name>')\nasync def user(name):\n    return f'<p>{name}</p>'\n",
               "from quart import Quart, redirect, request\napp = Quart(__name__)\n@app.route('/u/<int:uid>')\nasync def user(uid):\n    return f'<p>{uid}</p>'\n"),
    # the standard library's servers: an http.server handler's request line, headers and body
    ("BST202", "import http.server, os, subprocess, urllib.parse\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_GET(self):\n        q = dict(urllib.parse.parse_qsl(self.path.partition('?')[2]))\n        os.system('nslookup ' + q['host'])\n",
               "import http.server, os, subprocess, urllib.parse\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_GET(self):\n        q = dict(urllib.parse.parse_qsl(self.path.partition('?')[2]))\n        subprocess.run(['nslookup', '--', q['host']])\n"),
    ("BST201", "import http.server, os, subprocess, urllib.parse\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_POST(self):\n        body = self.rfile.read(int(self.headers['Content-Length']))\n        self.wfile.write(open(body.decode()).read().encode())\n",
               "import http.server, os, subprocess, urllib.parse\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_POST(self):\n        body = self.rfile.read(int(self.headers['Content-Length']))\n        self.wfile.write(open(os.path.basename(body.decode())).read().encode())\n"),
    # what a handler writes is HTML unless the class declares another type
    ("BST203", "import http.server, os, subprocess, urllib.parse\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_GET(self):\n        self.send_header('Content-Type', 'text/html')\n        self.wfile.write(('<p>' + self.path + '</p>').encode())\n",
               "import http.server, os, subprocess, urllib.parse\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_GET(self):\n        self.send_header('Content-Type', 'text/plain')\n        self.wfile.write(('<p>' + self.path + '</p>').encode())\n"),
    ("BST202", "import os, socketserver\nclass H(socketserver.StreamRequestHandler):\n    def handle(self):\n        os.system('echo ' + self.rfile.readline().decode())\n",
               "import os, shlex, socketserver\nclass H(socketserver.StreamRequestHandler):\n    def handle(self):\n        os.system('echo ' + shlex.quote(self.rfile.readline().decode()))\n"),
    # a WSGI application by any name, and a CGI script's form
    ("BST201", "from urllib.parse import parse_qs\ndef app(environ, start_response):\n    name = parse_qs(environ['QUERY_STRING'])['f'][0]\n    return [open('/srv/' + name, 'rb').read()]\n",
               "from urllib.parse import parse_qs\ndef app(settings, start_response):\n    name = parse_qs(settings['QUERY_STRING'])['f'][0]\n    return [open('/srv/' + name, 'rb').read()]\n"),
    ("BST202", "import cgi, os\ndef main():\n    form = cgi.FieldStorage()\n    os.system('ping -c 1 ' + form.getvalue('host'))\n",
               "import cgi, os, shlex\ndef main():\n    form = cgi.FieldStorage()\n    os.system('ping -c 1 ' + shlex.quote(form.getvalue('host')))\n"),
    # a Lambda handler's name is in the deployment, not the code: its (event, context) signature
    ("BST201", "def get_item(event, context):\n    return open('/data/' + event['queryStringParameters']['name']).read()\n",
               "def on_click(event):\n    return open('/data/' + event['queryStringParameters']['name']).read()\n"),
    ("BST201", "from typing import Any\ndef get_item(event: dict[str, Any], context: Any) -> str:\n    return open(event['path']).read()\n",
               "from typing import Any\ndef get_item(event: dict[str, Any]) -> str:\n    return open(event['path']).read()\n"),
    ("BST201", "def make(event, ctx):\n    return open(event['path']).read()\n",
               "def make(event, user):\n    return open(event['path']).read()\n"),
    ("BST201", "import boto3\ndef handler(event, context):\n    boto3.resource('s3').Bucket('b').download_file('k', Filename=event['name'])\n",
               "import boto3\ndef handler(event, context):\n    boto3.resource('s3').Bucket('b').download_file(event['key'], '/tmp/object.bin')\n"),
    # FastAPI dependencies: called with request parameters; a parameter declared Depends(d) holds
    # what d returns (per dict entry)
    ("BST204", FASTAPI + "import sqlite3\nfrom typing import Annotated\nasync def common(q: str = '', limit: int = 100):\n    return {'q': q, 'limit': limit}\n@app.get('/items')\ndef items(commons: Annotated[dict, Depends(common)]):\n    return sqlite3.connect('x').execute(f\"SELECT * FROM t WHERE q = '{commons['q']}'\").fetchall()\n",
               FASTAPI + "import sqlite3\nfrom typing import Annotated\nasync def common(q: str = '', limit: int = 100):\n    return {'q': q, 'limit': limit}\n@app.get('/items')\ndef items(commons: Annotated[dict, Depends(common)]):\n    return sqlite3.connect('x').execute(f\"SELECT * FROM t WHERE id < {commons['limit']}\").fetchall()\n"),
    ("BST203", FASTAPI + "def current_user(token: str):\n    return token\n@app.get('/me')\ndef me(user: str = Depends(current_user)):\n    return HTMLResponse(f'<p>{user}</p>')\n",
               FASTAPI + "def current_user(token: str):\n    return len(token)\n@app.get('/me')\ndef me(user: str = Depends(current_user)):\n    return HTMLResponse(f'<p>{user}</p>')\n"),
    ("BST201", FASTAPI + "def check(path: str):\n    return open(path).read()\ndef other(n: int):\n    return n\n@app.get('/r')\ndef r(text: str = Depends(check)):\n    return text\n",
               FASTAPI + "def check(path: str):\n    return open(path).read()\ndef other(n: int):\n    return n\n@app.get('/r')\ndef r(text: str = Depends(other)):\n    return text\n"),
    # Starlette: endpoints named in a table of routes (nested in a Mount too), HTTPEndpoint methods
    ("BST201", STARLETTE + "async def mk(request):\n    os.makedirs(os.path.join('/srv', request.path_params['folder']))\n    return PlainTextResponse('ok')\nroutes = [Route('/mk/{folder}', mk)]\n",
               STARLETTE + "async def mk(request):\n    os.makedirs(os.path.join('/srv', os.path.basename(request.path_params['folder'])))\n    return PlainTextResponse('ok')\nroutes = [Route('/mk/{folder}', mk)]\n"),
    ("BST202", STARLETTE + "async def pack(request):\n    form = await request.form()\n    subprocess.run('tar czf out.tgz ' + form['what'], shell=True)\n    return PlainTextResponse('ok')\napp = Starlette(routes=[Mount('/api', routes=[Route('/pack', endpoint=pack, methods=['POST'])])])\n",
               STARLETTE + "async def pack(request):\n    form = await request.form()\n    subprocess.run(['tar', 'czf', 'out.tgz', '--', form['what']])\n    return PlainTextResponse('ok')\napp = Starlette(routes=[Mount('/api', routes=[Route('/pack', endpoint=pack, methods=['POST'])])])\n"),
    ("BST203", STARLETTE + "class Hi(HTTPEndpoint):\n    async def get(self, request):\n        return HTMLResponse('<p>' + request.query_params['n'] + '</p>')\napp = Starlette(routes=[Route('/hi', Hi)])\n",
               STARLETTE + "class Hi(HTTPEndpoint):\n    async def get(self, request):\n        return PlainTextResponse('<p>' + request.query_params['n'] + '</p>')\napp = Starlette(routes=[Route('/hi', Hi)])\n"),
    ("BST213", FLASK + "import httpx\n@app.route('/f')\ndef f():\n    return httpx.get(request.args['u']).text\n",
               FLASK + "import httpx\nfrom urllib.parse import urlparse\nALLOWED = {'a.example.com'}\n@app.route('/f')\ndef f():\n    u = request.args['u']\n    parsed = urlparse(u)\n    if parsed.netloc not in ALLOWED:\n        return 'no', 400\n    return httpx.get(u).text\n"),
    ("BST214", FLASK + "import jinja2\n@app.route('/t')\ndef t():\n    return jinja2.Template(request.args['t']).render()\n",
               FLASK + "import jinja2\n@app.route('/t')\ndef t():\n    return jinja2.Template('Hi {{ n }}').render(n=request.args['t'])\n"),
    ("BST201", FLASK + "from pathlib import Path\nBASE = Path('/srv')\n@app.route('/p')\ndef p():\n    return (BASE / request.args['f']).read_text()\n",
               FLASK + "from pathlib import Path\nBASE = Path('/srv').resolve()\n@app.route('/p')\ndef p():\n    target = (BASE / request.args['f']).resolve()\n    if not target.is_relative_to(BASE):\n        return 'no', 400\n    return target.read_text()\n"),
    ("BST201", FLASK + "import os\nBASE = '/srv/files'\n@app.route('/p')\ndef p():\n    full = os.path.join(BASE, request.args['f'])\n    return open(full).read()\n",
               FLASK + "import os\nBASE = '/srv/files'\n@app.route('/p')\ndef p():\n    full = os.path.realpath(os.path.join(BASE, request.args['f']))\n    if not full.startswith(BASE + os.sep):\n        return 'no', 400\n    return open(full).read()\n"),
    # ---- guards ----
    ("BST202", FLASK + "import os\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    os.system('kill ' + n)\n    return ''\n",
               FLASK + "import os\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if not n.isdigit():\n        return 'no', 400\n    os.system('kill ' + n)\n    return ''\n"),
    # a name joined after a directory replaces it when absolute: `..` tested alone is not enough
    ("BST201", FLASK + "import os\n@app.route('/f')\ndef f():\n    name = request.args['n']\n    if '..' in name:\n        return 'no', 400\n    return open(os.path.join('/srv/files', name)).read()\n",
               FLASK + "import os\n@app.route('/f')\ndef f():\n    name = request.args['n']\n    if '..' in name or name.startswith('/'):\n        return 'no', 400\n    return open(os.path.join('/srv/files', name)).read()\n"),
    ("BST201", FLASK + "import os\nfrom pathlib import Path\n@app.route('/f')\ndef f():\n    name = request.args['n']\n    if '..' in name:\n        return 'no', 400\n    return (Path('/srv/files') / name).read_text()\n",
               FLASK + "import os\nfrom pathlib import Path\n@app.route('/f')\ndef f():\n    name = request.args['n']\n    if '..' in name or os.path.isabs(name):\n        return 'no', 400\n    return (Path('/srv/files') / name).read_text()\n"),
    ("BST201", FLASK + "import os\n@app.route('/f')\ndef f():\n    name = request.args['n']\n    if '..' in name:\n        return 'no', 400\n    return open('/srv/files/' + name).read()\n" .replace("'/srv/files/' + name", "os.path.join('/srv', 'files', name)"),
               FLASK + "import os\n@app.route('/f')\ndef f():\n    name = request.args['n']\n    if '..' in name:\n        return 'no', 400\n    return open('/srv/files/' + name).read()\n"),
    # letters and digits still name a host (`localhost`)
    ("BST213", FLASK + "import requests\n@app.route('/p')\ndef p():\n    h = request.args['h']\n    if not h.isalnum():\n        return 'no', 400\n    return requests.get('http://' + h + '/status', timeout=3).text\n",
               FLASK + "import requests\n@app.route('/p')\ndef p():\n    h = request.args['h']\n    if not h.isalnum():\n        return 'no', 400\n    return requests.get('https://status.example.com/' + h, timeout=3).text\n"),
    # a pattern proves safety only for the classes its characters cannot break
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if not re.fullmatch(r'.+', h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if not re.fullmatch(r'[a-z0-9.-]+', h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n"),
    # with re.M, `$` matches before any newline: `host\n; rm -rf ~` passes
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if not re.match(r'^[a-z0-9.]+$', h, re.M):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if not re.match(r'[a-z0-9.]+\\Z', h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n"),
    ("BST202", FLASK + "import os, re\nHOST = re.compile(r'[^;|&]+')\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if not HOST.fullmatch(h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\nHOST = re.compile(r'[a-z0-9.-]+', re.I)\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if not HOST.fullmatch(h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n"),
    # a pattern compiled in the function, followed like any value (rebinding joins)
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g(flag=False):\n    h = request.args['h']\n    pat = re.compile(r'[^;|&]+')\n    if not pat.fullmatch(h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g(flag=False):\n    h = request.args['h']\n    pat = re.compile(r'[a-z0-9.-]+', re.I)\n    if not pat.fullmatch(h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n"),
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g(flag=False):\n    h = request.args['h']\n    pat = re.compile(r'[a-z]+')\n    if flag:\n        pat = re.compile(r'.+')\n    if not pat.fullmatch(h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g(flag=False):\n    h = request.args['h']\n    pat = re.compile(r'[a-z]+')\n    if flag:\n        pat = re.compile(r'[a-z]+')\n    if not pat.fullmatch(h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n"),
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g(flag=False):\n    h = request.args['h']\n    if not re.compile(r'.+').fullmatch(h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g(flag=False):\n    h = request.args['h']\n    if not re.compile(r'[a-z]+').fullmatch(h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n"),
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g(flag=False):\n    h = request.args['h']\n    pat = re.compile(r'[a-z]+', re.M)\n    if not re.search(pat, h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g(flag=False):\n    h = request.args['h']\n    pat = re.compile(r'[a-z]+')\n    if not re.fullmatch(pat, h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n"),
    # an item stored through another (`d["s"]["k"] = v`, a ConfigParser's `conf["s"]["k"] = v`)
    # is read back by the same keys; an option set under a name not known may be any option
    ("BST202", FLASK + "import os\n@app.route('/n')\ndef n():\n    d = {'s': {'k': 'ls', 'j': 'pwd'}}\n    d['s']['k'] = request.args['c']\n    os.system(d['s']['k'])\n    return ''\n",
               FLASK + "import os\n@app.route('/n')\ndef n():\n    d = {'s': {'k': 'ls', 'j': 'pwd'}}\n    d['s']['k'] = request.args['c']\n    os.system(d['s']['j'])\n    return ''\n"),
    ("BST202", FLASK + "import os, configparser\n@app.route('/n')\ndef n():\n    conf = configparser.ConfigParser()\n    conf.add_section('s')\n    conf.set('s', 'k', 'ls')\n    conf['s']['k'] = request.args['c']\n    os.system(conf.get('s', 'k'))\n    return ''\n",
               FLASK + "import os, configparser\n@app.route('/n')\ndef n():\n    conf = configparser.ConfigParser()\n    conf.add_section('s')\n    conf.set('s', 'k', 'ls')\n    conf['s']['other'] = request.args['c']\n    os.system(conf.get('s', 'k'))\n    return ''\n"),
    ("BST202", FLASK + "import os, configparser\n@app.route('/n')\ndef n():\n    conf = configparser.ConfigParser()\n    conf.set('s', 'k', 'ls')\n    conf.set('s', request.args['o'], request.args['v'])\n    os.system(conf.get('s', 'k'))\n    return ''\n",
               FLASK + "import os, configparser\n@app.route('/n')\ndef n():\n    conf = configparser.ConfigParser()\n    conf.set('s', 'k', 'ls')\n    conf.set('s', request.args['o'], 'pwd')\n    os.system(conf.get('s', 'k'))\n    return ''\n"),
    ("BST202", FLASK + "import os, configparser\n@app.route('/n')\ndef n():\n    conf = configparser.ConfigParser()\n    conf.set('s', 'k', 'ls')\n    conf['s'] = {'k': request.args['c']}\n    os.system(conf.get('s', 'k'))\n    return ''\n",
               FLASK + "import os, configparser\n@app.route('/n')\ndef n():\n    conf = configparser.ConfigParser()\n    conf.set('s', 'k', 'ls')\n    conf['other'] = {'k': request.args['c']}\n    os.system(conf.get('s', 'k'))\n    return ''\n"),
    # a module binding globals by name still has its views (what `app` holds is read as before)
    ("BST202", FLASK + "import os, sys\nMODS = sys.modules\n@app.route('/v')\ndef v():\n    os.system('ls ' + request.args['d'])\n    return ''\n",
               FLASK + "import os, sys, shlex\nMODS = sys.modules\n@app.route('/v')\ndef v():\n    os.system('ls ' + shlex.quote(request.args['d']))\n    return ''\n"),
    # Flask's `g`, filled from the request by a before_request hook and read by a view
    ("BST203", FLASK + "from flask import g\n@app.before_request\ndef load():\n    g.name = request.headers.get('X-User', '')\n@app.route('/h')\ndef hello():\n    return make_response('<h1>' + g.name + '</h1>')\n",
               FLASK + "from flask import g\n@app.before_request\ndef load():\n    g.name = lookup_user()\n    g.raw = request.headers.get('X-User', '')\n@app.route('/h')\ndef hello():\n    return make_response('<h1>' + g.name + '</h1>')\n"),
    # psycopg's SQL composition quotes identifiers and literals; asyncpg's query methods
    ("BST204", FLASK + "from psycopg2 import sql\n@app.route('/q')\ndef q(cur=None):\n    cur.execute(sql.SQL('SELECT * FROM t WHERE n = ' + request.args['n']))\n    return ''\n",
               FLASK + "from psycopg2 import sql\n@app.route('/q')\ndef q(cur=None):\n    cur.execute(sql.SQL('SELECT * FROM {} WHERE id = %s').format(sql.Identifier(request.args['t'])), (1,))\n    return ''\n"),
    ("BST204", FLASK + "import asyncpg\n@app.route('/q')\nasync def q():\n    conn = await asyncpg.connect('postgres://x')\n    rows = await conn.fetch(f\"SELECT * FROM t WHERE n = '{request.args['n']}'\")\n    return jsonify([dict(r) for r in rows])\n",
               FLASK + "import asyncpg\n@app.route('/q')\nasync def q():\n    conn = await asyncpg.connect('postgres://x')\n    rows = await conn.fetch('SELECT * FROM t WHERE n = $1', request.args['n'])\n    return str(rows)\n"),
    # a Flask template string escapes what it prints, but for `|safe` and autoescape-off blocks
    ("BST203", FLASK + "@app.route('/t')\ndef t():\n    return render_template_string('<p>{{ q|safe }}</p>', q=request.args['q'])\n",
               FLASK + "@app.route('/t')\ndef t():\n    return render_template_string('<p>{{ q }}</p>', q=request.args['q'])\n"),
    ("BST203", FLASK + "@app.route('/t')\ndef t():\n    return render_template_string('{% autoescape false %}<p>{{ q }}</p>{% endautoescape %}', q=request.args['q'], n=1)\n",
               FLASK + "@app.route('/t')\ndef t():\n    return render_template_string('<p>{{ q }}{{ note|safe }}</p>', q=request.args['q'], note='<b>hi</b>')\n"),
    # a response built with a Location header redirects; a constant path fixes the host
    ("BST210", FLASK + "from flask import Response\n@app.route('/r')\ndef r():\n    return Response(status=302, headers={'Location': request.args['next']})\n",
               FLASK + "from flask import Response\n@app.route('/r')\ndef r():\n    return Response(status=302, headers={'Location': '/profile?u=' + request.args['u']})\n"),
    ("BST210", FLASK + "@app.route('/r')\ndef r():\n    return make_response('', 302, {'location': request.args['next']})\n",
               FLASK + "@app.route('/r')\ndef r():\n    return make_response('', 302, {'X-Next': request.args['next'], 'Location': '/'})\n"),
    # ldap3 binds with the DN its connection is given
    ("BST205", FLASK + "import ldap3\n@app.post('/login')\ndef login():\n    conn = ldap3.Connection(ldap3.Server('ldap://x'), user='uid=' + request.form['u'] + ',ou=people,dc=ex', password=request.form['p'])\n    return str(conn.bind())\n",
               FLASK + "import ldap3\nfrom ldap3.utils.dn import escape_rdn\n@app.post('/login')\ndef login():\n    conn = ldap3.Connection(ldap3.Server('ldap://x'), user='uid=' + escape_rdn(request.form['u']) + ',ou=people,dc=ex', password=request.form['p'])\n    return str(conn.bind())\n"),
    ("BST205", FLASK + "import ldap3\n@app.post('/login')\ndef login(conn=None):\n    conn.rebind(user='uid=%s,dc=ex' % request.form['u'], password=request.form['p'])\n    return 'ok'\n",
               FLASK + "import ldap3\n@app.post('/login')\ndef login(conn=None):\n    conn.rebind(user='uid=service,dc=ex', password=request.form['p'])\n    return 'ok'\n"),
    # the session filled through its dict methods (any argument, any keyword)
    ("BST208", FLASK + "@app.route('/s')\ndef s():\n    session.update({'user': request.args['u']})\n    return ''\n",
               FLASK + "@app.route('/s')\ndef s():\n    session.update({'user': 'guest', 'n': int(request.args['n'])})\n    return ''\n"),
    ("BST208", FLASK + "@app.route('/s')\ndef s():\n    session.setdefault('role', request.args['r'])\n    return ''\n",
               FLASK + "@app.route('/s')\ndef s():\n    session.setdefault('role', 'reader')\n    return ''\n"),
    ("BST208", DJANGO + "def s(request):\n    request.session.update(user=request.POST['u'])\n    return HttpResponse('ok')\n",
               DJANGO + "def s(request):\n    request.session.update(user='guest')\n    return HttpResponse('ok')\n"),
    # strings known character by character (charsets.py): what a pattern of the characters
    # kept proves; `.` and `/` together still name other directories
    ("BST202", FLASK + "import os\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if not all(c.isalnum() for c in request.args['m']):\n        return 'no', 400\n    os.system('ls ' + n)\n    return ''\n",
               FLASK + "import os\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if not all(c.isalnum() for c in n):\n        return 'no', 400\n    os.system('ls ' + n)\n    return ''\n"),
    ("BST201", FLASK + "import os\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if not all(c.isalnum() or c in './' for c in n):\n        return 'no', 400\n    return open(os.path.join('/srv', n)).read()\n",
               FLASK + "import os\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if not all(c.isalnum() or c in '-_' for c in n):\n        return 'no', 400\n    return open(os.path.join('/srv', n)).read()\n"),
    ("BST202", FLASK + "import os, string\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if set(n) - set(string.printable):\n        return 'no', 400\n    os.system('ls ' + n)\n    return ''\n",
               FLASK + "import os, string\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if set(n) - set(string.ascii_letters):\n        return 'no', 400\n    os.system('ls ' + n)\n    return ''\n"),
    ("BST202", FLASK + "import os\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if set(n) <= set('abc;'):\n        os.system('ls ' + n)\n    return ''\n",
               FLASK + "import os\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if set(n).issubset('abcdef0123456789'):\n        os.system('ls ' + n)\n    return ''\n"),
    ("BST201", FLASK + "import os\n@app.route('/g')\ndef g():\n    n = ''.join(c for c in request.args['n'] if c.isalnum() or c in '/.')\n    return open(os.path.join('/srv', n)).read()\n",
               FLASK + "import os\n@app.route('/g')\ndef g():\n    n = ''.join(c for c in request.args['n'] if c.isalnum() or c in '-_')\n    return open(os.path.join('/srv', n)).read()\n"),
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g():\n    n = re.sub(r'[;&|]', '', request.args['n'])\n    os.system('ls ' + n)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g():\n    n = re.sub(r'[^A-Za-z0-9_-]', '', request.args['n'])\n    os.system('ls ' + n)\n    return ''\n"),
    ("BST201", FLASK + "import os, re\n@app.route('/g')\ndef g():\n    n = re.sub(r'[^\\w./]+', '_', request.args['n'])\n    return open(os.path.join('/srv', n)).read()\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g():\n    n = re.sub(r'[^\\w.-]+', '_', request.args['n'])\n    return open(os.path.join('/srv', n)).read()\n"),
    # a test's result compared with None, or kept in a name and tested later: the same guard
    # while neither name changed in between
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if re.fullmatch(r'.+', h) is None:\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if re.fullmatch(r'[a-z0-9.-]+', h) is None:\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n"),
    ("BST202", FLASK + "import os, re\nHOST = re.compile(r'[a-z0-9.-]+')\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if HOST.fullmatch(h) is not None:\n        os.system('ping ' + request.args['x'])\n    return ''\n",
               FLASK + "import os, re\nHOST = re.compile(r'[a-z0-9.-]+')\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if HOST.fullmatch(h) is not None:\n        os.system('ping ' + h)\n    return ''\n"),
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    m = re.fullmatch(r'[a-z0-9.-]+', h)\n    h = request.args['other']\n    if not m:\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    m = re.fullmatch(r'[a-z0-9.-]+', h)\n    if not m:\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n"),
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g(flag=False):\n    h = request.args['h']\n    m = re.fullmatch(r'[a-z0-9.-]+', h)\n    if flag:\n        m = 'skip'\n    if m is None:\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\nHOST = re.compile(r'[a-z0-9.-]+')\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    m = HOST.fullmatch(h)\n    if m is None:\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n"),
    ("BST201", FLASK + "import re\n@app.route('/f')\ndef f():\n    n = request.args['n']\n    if not re.fullmatch(r'[^;]+', n):\n        return 'no', 400\n    return open('/srv/files/' + n).read()\n",
               FLASK + "import re\n@app.route('/f')\ndef f():\n    n = request.args['n']\n    if not re.fullmatch(r'[\\w.-]+', n):\n        return 'no', 400\n    return open('/srv/files/' + n).read()\n"),
    ("BST213", FLASK + "import re, requests\n@app.route('/p')\ndef p():\n    h = request.args['h']\n    if not re.fullmatch(r'[a-z0-9.]+', h):\n        return 'no', 400\n    return requests.get('http://' + h + '/status', timeout=3).text\n",
               FLASK + "import re, requests\n@app.route('/p')\ndef p():\n    h = request.args['h']\n    if not re.fullmatch(r'(api|cdn)\\.example\\.com', h):\n        return 'no', 400\n    return requests.get('http://' + h + '/status', timeout=3).text\n"),
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if re.fullmatch('[a-z]+', n) is None:\n        os.system('echo ' + n)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g():\n    n = request.args['n']\n    if re.fullmatch('[a-z]+', n):\n        os.system('echo ' + n)\n    return ''\n"),
    ("BST202", FLASK + "import os\n@app.route('/g')\ndef g():\n    mode = request.args['m']\n    if mode == 'fast':\n        pass\n    os.system('run ' + mode)\n    return ''\n",
               FLASK + "import os\n@app.route('/g')\ndef g():\n    mode = request.args['m']\n    if mode != 'fast':\n        return 'no', 400\n    os.system('run ' + mode)\n    return ''\n"),
    # ---- propagation: containers, strings, loops, constants ----
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    parts = ['SELECT * FROM t WHERE']\n    parts.append('name = ' + request.args['n'])\n    cur.execute(' '.join(parts))\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    parts = ['SELECT * FROM t WHERE']\n    parts.append('name = ?')\n    cur.execute(' '.join(parts), (request.args['n'],))\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    d = {'safe': 'x', 'bad': request.args['n']}\n    cur.execute('SELECT ' + d['bad'])\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    d = {'safe': 'x', 'bad': request.args['n']}\n    cur.execute('SELECT ' + d['safe'])\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    sql = 'SELECT {} FROM t'.format(request.args['c'])\n    cur.execute(sql)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    sql = 'SELECT {} FROM t'.format('name')\n    cur.execute(sql)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    a, b = request.args['x'], 'y'\n    cur.execute('SELECT ' + a)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    a, b = request.args['x'], 'y'\n    cur.execute('SELECT ' + b)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    sql = 'SELECT 1'\n    sql += request.args['x']\n    cur.execute(sql)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    sql = 'SELECT 1'\n    copy = sql\n    sql += request.args['x']\n    cur.execute(copy)\n    return ''\n"),
    ("BST204", FLASK + "DEBUG = True\n@app.route('/q')\ndef q():\n    v = request.args['x']\n    if DEBUG:\n        cur.execute('SELECT ' + v)\n    return ''\n",
               FLASK + "DEBUG = False\n@app.route('/q')\ndef q():\n    v = request.args['x']\n    if DEBUG:\n        cur.execute('SELECT ' + v)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x'] if 2 > 1 else 'a'\n    cur.execute('SELECT ' + v)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x'] if 1 > 2 else 'a'\n    cur.execute('SELECT ' + v)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    mode = 'B'\n    match mode:\n        case 'A':\n            v = 'x'\n        case _:\n            v = request.args['x']\n    cur.execute('SELECT ' + v)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    mode = 'A'\n    match mode:\n        case 'A':\n            v = 'x'\n        case _:\n            v = request.args['x']\n    cur.execute('SELECT ' + v)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    out = ''\n    for word in request.args.getlist('w'):\n        out += word\n    cur.execute('SELECT ' + out)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    out = ''\n    for word in request.args.getlist('w'):\n        out += str(len(word))\n    cur.execute('SELECT ' + out)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    try:\n        v = request.args['x']\n    except KeyError:\n        v = 'a'\n    cur.execute('SELECT ' + v)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    try:\n        v = int(request.args['x'])\n    except KeyError:\n        v = 1\n    cur.execute('SELECT %d' % v)\n    return ''\n"),
    # ---- branches do not leak into each other; loops that may not run keep what was before
    # them, those that run at least once (a non-empty constant range, string or tuple) do not ----
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x']\n    for i in range(int(request.args['n'])):\n        v = 'a'\n    cur.execute('SELECT ' + v)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x']\n    for i in range(3):\n        v = 'a'\n    cur.execute('SELECT ' + v)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x']\n    for c in range(5, 2):\n        v = 'a'\n    cur.execute('SELECT ' + v)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x']\n    for c in ('id', 'name'):\n        v = c\n    cur.execute('SELECT ' + v)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x']\n    for i in range(3):\n        if i > 5:\n            break\n        v = 'a'\n    else:\n        cur.execute('SELECT ' + request.args['y'])\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x']\n    for i in range(3):\n        v = 'a'\n        break\n    cur.execute('SELECT ' + v)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x']\n    for c in request.args.getlist('c'):\n        v = 'a'\n    cur.execute('SELECT ' + v)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x']\n    v = 'a'\n    for i in range(3):\n        pass\n    cur.execute('SELECT ' + v)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q():\n    v = request.args['x']\n    try:\n        v = 'a'\n    except ValueError:\n        cur.execute('SELECT ' + v)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q():\n    v = 'a'\n    try:\n        v = 'b'\n    except ValueError:\n        cur.execute('SELECT ' + v)\n    return ''\n"),
    ("BST204", FLASK + "@app.route('/q')\ndef q(flag=True):\n    v = request.args['x']\n    if flag:\n        v = 'a'\n    cur.execute('SELECT ' + v)\n    return ''\n",
               FLASK + "@app.route('/q')\ndef q(flag=True):\n    v = request.args['x']\n    if flag:\n        v = 'a'\n    else:\n        cur.execute('SELECT ' + 'b')\n        v = 'c'\n    cur.execute('SELECT ' + v)\n    return ''\n"),
    # ---- aiohttp (RouteTableDef handlers, and handlers registered with app.router) ----
    ("BST202", AIOHTTP + "class Echo(web.View):\n    async def post(self):\n        data = await self.request.post()\n        subprocess.run('echo ' + data['msg'], shell=True)\n        return web.Response(text='ok')\n",
               AIOHTTP + "class Echo(web.View):\n    async def post(self):\n        data = await self.request.post()\n        subprocess.run(['echo', data['msg']])\n        return web.Response(text='ok')\n"),
    ("BST210", AIOHTTP + "@routes.get('/go')\nasync def go(request):\n    raise web.HTTPFound(request.query['next'])\n",
               AIOHTTP + "@routes.get('/go')\nasync def go(request):\n    raise web.HTTPFound('/home?n=' + request.query['next'])\n"),
    ("BST201", AIOHTTP + "async def download(request):\n    name = request.match_info['name']\n    return web.FileResponse(os.path.join('/srv/files', name))\napp = web.Application()\napp.router.add_get('/f/{name}', download)\n",
               AIOHTTP + "async def download(request):\n    name = request.match_info['name']\n    return web.FileResponse(os.path.join('/srv/files', os.path.basename(name)))\napp = web.Application()\napp.router.add_get('/f/{name}', download)\n"),
    ("BST204", AIOHTTP + "async def add(request: web.Request):\n    data = await request.post()\n    sqlite3.connect('x').execute(\"INSERT INTO t VALUES ('%s')\" % data['name'])\n    return web.Response(text='ok')\n",
               AIOHTTP + "async def add(request: web.Request):\n    data = await request.post()\n    sqlite3.connect('x').execute('INSERT INTO t VALUES (?)', (data['name'],))\n    return web.Response(text='ok')\n"),
    ("BST202", AIOHTTP + "@routes.post('/run')\nasync def run(request):\n    body = await request.json()\n    subprocess.run('ls ' + body['dir'], shell=True)\n    return web.json_response({})\n",
               AIOHTTP + "@routes.post('/run')\nasync def run(request):\n    body = await request.json()\n    subprocess.run(['ls', '--', body['dir']])\n    return web.json_response({})\n"),
    ("BST202", AIOHTTP + "@routes.get('/h')\nasync def h(request):\n    os.system('echo ' + request.headers['X-Name'])\n    return web.Response(text='ok')\n",
               "import os\nimport aiohttp\nasync def fetch(request):\n    os.system('echo ' + request.headers['X-Name'])\n"),
    # web.Response(text=...) is text/plain unless the handler declares HTML
    ("BST203", AIOHTTP + "@routes.get('/s')\nasync def s(request):\n    q = request.query['q']\n    return web.Response(text='<p>' + q + '</p>', content_type='text/html')\n",
               AIOHTTP + "@routes.get('/s')\nasync def s(request):\n    q = request.query['q']\n    return web.Response(text='<p>' + q + '</p>')\n"),
    ("BST203", AIOHTTP + "@routes.get('/s')\nasync def s(request):\n    q = request.query['q']\n    return web.Response(body=q.encode(), headers={'Content-Type': 'text/html; charset=utf-8'})\n",
               AIOHTTP + "@routes.get('/s')\nasync def s(request):\n    q = request.query['q']\n    return web.Response(body=q.encode(), headers={'Content-Type': 'application/json'})\n"),
    # a number conversion refuses text (TypeError): what it writes is digits
    ("BST204", FLASK + "import sqlite3\n@app.route('/p')\ndef p():\n    db = sqlite3.connect('x')\n    n = request.args['page']\n    return str(db.execute('SELECT * FROM t LIMIT 10 OFFSET %s' % n).fetchall())\n",
               FLASK + "import sqlite3\n@app.route('/p')\ndef p():\n    db = sqlite3.connect('x')\n    n = request.args['page']\n    return str(db.execute('SELECT * FROM t LIMIT 10 OFFSET %d' % n).fetchall())\n"),
    ("BST204", FLASK + "import sqlite3\n@app.route('/p')\ndef p():\n    db = sqlite3.connect('x')\n    a, b = request.args['a'], request.args['b']\n    return str(db.execute(\"SELECT * FROM t WHERE a = %d AND b = '%s'\" % (a, b)).fetchall())\n",
               FLASK + "import sqlite3\n@app.route('/p')\ndef p():\n    db = sqlite3.connect('x')\n    a, b = request.args['a'], request.args['b']\n    return str(db.execute(\"SELECT * FROM t WHERE a = %d AND b = %.2f\" % (a, b)).fetchall())\n"),
    ("BST204", FLASK + "import sqlite3\n@app.route('/p')\ndef p():\n    db = sqlite3.connect('x')\n    q = {'a': request.args['a']}\n    return str(db.execute('SELECT * FROM t WHERE a = %(a)s' % q).fetchall())\n",
               FLASK + "import sqlite3\n@app.route('/p')\ndef p():\n    db = sqlite3.connect('x')\n    q = {'a': request.args['a']}\n    return str(db.execute('SELECT * FROM t WHERE a = %(a)d' % {'a': q['a']}).fetchall())\n"),
    ("BST204", FLASK + "import sqlite3\n@app.route('/p')\ndef p():\n    db = sqlite3.connect('x')\n    n = request.args.get('page', type=str)\n    return str(db.execute('SELECT * FROM t LIMIT ' + n).fetchall())\n",
               FLASK + "import sqlite3\n@app.route('/p')\ndef p():\n    db = sqlite3.connect('x')\n    n = request.args.get('page', 0, type=int)\n    return str(db.execute(f'SELECT * FROM t LIMIT {n}').fetchall())\n"),
    # an Enum parameter is one of its members; not when the Enum may accept other values
    ("BST202", FASTAPI + "import os, enum\nclass Color(str, enum.Enum):\n    RED = 'red'\n    BLUE = 'blue'\n    @classmethod\n    def _missing_(cls, value):\n        return cls.RED\n@app.get('/p')\ndef p(color: Color):\n    os.system('paint ' + color.value)\n",
               FASTAPI + "import os, enum\nclass Color(str, enum.Enum):\n    RED = 'red'\n    BLUE = 'blue'\n@app.get('/p')\ndef p(color: Color):\n    os.system('paint ' + color.value)\n"),
    ("BST202", FASTAPI + "import os\nfrom enum import IntEnum\nclass Level(IntEnum):\n    LOW = 1\n@app.get('/p')\ndef p(level: Level | str):\n    os.system(f'nice -n {level} job')\n",
               FASTAPI + "import os\nfrom enum import IntEnum\nclass Level(IntEnum):\n    LOW = 1\n@app.get('/p')\ndef p(level: Level | None = None):\n    os.system(f'nice -n {level} job')\n"),
    ("BST204", FASTAPI + "import sqlite3\nfrom pydantic import BaseModel, constr\nclass F(BaseModel):\n    limit: constr(max_length=3)\n@app.post('/p')\ndef p(f: F):\n    sqlite3.connect('x').execute(f'SELECT * FROM t LIMIT {f.limit}')\n",
               FASTAPI + "import sqlite3\nfrom pydantic import BaseModel, conint\nclass F(BaseModel):\n    limit: conint(ge=1, le=100) = 10\n@app.post('/p')\ndef p(f: F):\n    sqlite3.connect('x').execute(f'SELECT * FROM t LIMIT {f.limit}')\n"),
    # a declared pattern proves what its characters allow (pydantic searches: anchors count)
    ("BST201", FASTAPI + "from fastapi import Query\nfrom typing import Annotated\nfrom pydantic import constr\n@app.get('/p')\ndef p(name: str = Query(pattern=r'^[a-z0-9./]+$')):\n    return open('/srv/' + name).read()\n",
               FASTAPI + "from fastapi import Query\nfrom typing import Annotated\nfrom pydantic import constr\n@app.get('/p')\ndef p(name: str = Query(pattern=r'^[a-z0-9]+$')):\n    return open('/srv/' + name).read()\n"),
    ("BST201", FASTAPI + "from fastapi import Query\nfrom typing import Annotated\nfrom pydantic import constr\n@app.get('/p')\ndef p(name: Annotated[str, Query(pattern=r'[a-z0-9]+')]):\n    return open('/srv/' + name).read()\n",
               FASTAPI + "from fastapi import Query\nfrom typing import Annotated\nfrom pydantic import constr\n@app.get('/p')\ndef p(name: Annotated[str, Query(pattern=r'^[a-z0-9]+$')]):\n    return open('/srv/' + name).read()\n"),
    ("BST213", FASTAPI + "from fastapi import Query\nfrom typing import Annotated\nfrom pydantic import constr\n@app.get('/p')\ndef p(host: constr(pattern=r'^[a-z0-9.]+$')):\n    import requests\n    return requests.get('http://' + host + '/x').text\n",
               FASTAPI + "from fastapi import Query\nfrom typing import Annotated\nfrom pydantic import constr\n@app.get('/p')\ndef p(host: constr(pattern=r'^(api|cdn)\\.example\\.com$')):\n    import requests\n    return requests.get('http://' + host + '/x').text\n"),
    # mutually recursive functions: their summaries settle before their callers use them
    ("BST202", FLASK + "import os\ndef even(cmd, n):\n    if n == 0:\n        os.system(cmd)\n        return\n    odd(cmd, n - 1)\ndef odd(cmd, n):\n    even(cmd, n - 1)\n@app.route('/b')\ndef b():\n    odd(request.args['c'], 3)\n    return ''\n",
               FLASK + "import os\ndef even(cmd, n):\n    if n == 0:\n        os.system(cmd)\n        return\n    odd(cmd, n - 1)\ndef odd(cmd, n):\n    even(cmd, n - 1)\n@app.route('/b')\ndef b():\n    odd('ls', len(request.args['c']))\n    return ''\n"),
    # a function named like a view but called by the module is a helper: its callers fill it
    ("BST202", "import os\nfrom django.http import HttpResponse\ndef audit(request, action):\n    os.system('logger ' + action)\ndef run(request):\n    audit(request, request.GET['a'])\n    return HttpResponse('')\n",
               "import os\nfrom django.http import HttpResponse\ndef audit(request, action):\n    os.system('logger ' + action)\ndef save(request):\n    audit(request, 'save')\n    return HttpResponse('')\n"),
    # a function handed the request object reads request data through it
    ("BST202", FLASK + "import os\ndef get_host(req):\n    return req.args['h']\n@app.route('/a')\ndef a():\n    os.system('ping ' + get_host(request))\n    return ''\n",
               FLASK + "import os\ndef get_host(req):\n    return req.args['h']\n@app.route('/a')\ndef a():\n    defaults = {'h': 'localhost'}\n    os.system('ping ' + get_host(defaults))\n    return ''\n"),
    ("BST202", "import os\nfrom django.http import HttpResponse\ndef host_of(r):\n    return r.GET['h']\ndef ping(request):\n    os.system('ping ' + host_of(request))\n    return HttpResponse('')\n",
               "import os\nfrom django.http import HttpResponse\ndef host_of(r):\n    return r.GET['h']\ndef ping(request):\n    os.system('ping ' + host_of({'GET': {'h': 'localhost'}}))\n    return HttpResponse('')\n"),
    ("BST202", "import os\nfrom django.views import View\nfrom django.http import HttpResponse\ndef host_of(r):\n    return r.GET['h']\nclass Ping(View):\n    def get(self, request):\n        os.system('ping ' + host_of(self.request))\n        return HttpResponse('')\n",
               "import os\nfrom django.views import View\nfrom django.http import HttpResponse\ndef host_of(r):\n    return r.GET['h']\nclass Ping(View):\n    def get(self, request):\n        os.system('ping ' + host_of(self.defaults))\n        return HttpResponse('')\n"),
    # handed the request and, elsewhere, a string: an ordinary parameter, its callers' data
    ("BST202", FLASK + "import os\ndef run(arg):\n    os.system('ping ' + str(arg))\n@app.route('/a')\ndef a():\n    run(request)\n    cmd = request.args['c']\n    run(cmd)\n    return ''\n",
               FLASK + "import os\ndef run(arg):\n    os.system('ping ' + str(arg))\n@app.route('/a')\ndef a():\n    run(request)\n    cmd = 'localhost'\n    run(cmd)\n    return ''\n"),
    # ---- helpers defined in the view, run where they are called (closures.py) ----
    ("BST201", FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    def load(n):\n        return open('/srv/' + n).read()\n    return load(request.args['f'])\n",
               FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    def load(n):\n        return open('/srv/' + n).read()\n    return load(os.path.basename(request.args['f']))\n"),
    ("BST202", FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    host = request.args['h']\n    def run():\n        os.system('ping ' + host)\n    run()\n    return ''\n",
               FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    host = request.args['h']\n    def run():\n        os.system('ping ' + shlex.quote(host))\n    run()\n    return ''\n"),
    ("BST202", FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    ping = lambda h: os.system('ping ' + h)\n    ping(request.args['h'])\n    return ''\n",
               FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    ping = lambda h: os.system('ping ' + h)\n    ping(shlex.quote(request.args['h']))\n    return ''\n"),
    ("BST202", FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    sh = functools.partial(subprocess.run, shell=True)\n    sh(request.args['c'])\n    return ''\n",
               FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    sh = functools.partial(subprocess.run, check=True)\n    sh(['ls', '--', request.args['c']])\n    return ''\n"),
    ("BST202", FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    cmds = []\n    def add(c):\n        cmds.append(c)\n    add(request.args['c'])\n    subprocess.call(cmds[0], shell=True)\n    return ''\n",
               FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    cmds = []\n    def add(c):\n        cmds.append('ls')\n    add(request.args['c'])\n    subprocess.call(cmds[0], shell=True)\n    return ''\n"),
    ("BST202", FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    def outer(c, *rest, **named):\n        def inner(x):\n            os.system(x)\n        inner(rest[0])\n    outer('a', request.args['c'])\n    return ''\n",
               FLASK + "import os, shlex, subprocess, functools\n@app.route('/a')\ndef a():\n    def outer(c, *rest, **named):\n        def inner(x):\n            os.system(x)\n        inner(c)\n    outer('a', request.args['c'])\n    return ''\n"),
    # ---- same-file summaries and self fields ----
    ("BST201", FLASK + "def read(name):\n    return open('/srv/' + name).read()\n@app.route('/a')\ndef a():\n    return read(request.args['f'])\n",
               FLASK + "def read(name):\n    return open('/srv/' + name).read()\n@app.route('/a')\ndef a():\n    return read('index.txt')\n"),
    ("BST202", FLASK + "import os\ndef build(host):\n    return 'ping ' + host\n@app.route('/a')\ndef a():\n    os.system(build(request.args['h']))\n    return ''\n",
               FLASK + "import os, shlex\ndef build(host):\n    return 'ping ' + shlex.quote(host)\n@app.route('/a')\ndef a():\n    os.system(build(request.args['h']))\n    return ''\n"),
    ("BST202", "import os\nfrom flask import request\ndef target():\n    return request.args['h']\ndef run():\n    os.system('ping ' + target())\n",
               "import os\nfrom flask import request\ndef target():\n    return 'localhost'\ndef run():\n    os.system('ping ' + target())\n"),
    # A pydantic body: FastAPI validated its `int` fields, not its `str` ones.
    ("BST202", FASTAPI + "import os\nfrom pydantic import BaseModel\nclass Job(BaseModel):\n    host: str\n    count: int = 1\n@app.post('/p')\ndef p(job: Job):\n    os.system(f'ping -c {job.count} {job.host}')\n",
               FASTAPI + "import os\nfrom pydantic import BaseModel\nclass Job(BaseModel):\n    host: str\n    count: int = 1\n@app.post('/p')\ndef p(job: Job):\n    os.system(f'ping -c {job.count} localhost')\n"),
    ("BST202", FASTAPI + "import os\nclass Job:\n    count: int = 1\n@app.post('/p')\ndef p(job: Job):\n    os.system(f'ping -c {job.count} localhost')\n",
               FASTAPI + "import os\nimport pydantic\nclass Base(pydantic.BaseModel):\n    count: int\nclass Job(Base):\n    note: str = ''\n@app.post('/p')\ndef p(job: Job):\n    os.system(f'ping -c {job.count} localhost')\n"),
    # xml.sax fetches external entities only once the feature is switched on (3.7.1 and later).
    # pulldom / minidom parse with the sax parser they are given
    ("BST211", FLASK + "import xml.sax\nfrom xml.dom import pulldom\nfrom xml.sax.handler import feature_external_ges\n@app.post('/x')\ndef x():\n    parser = xml.sax.make_parser()\n    parser.setFeature(feature_external_ges, True)\n    doc = pulldom.parseString(request.get_data(as_text=True), parser=parser)\n    return str(next(doc))\n",
               FLASK + "from xml.dom import pulldom\n@app.post('/x')\ndef x():\n    doc = pulldom.parseString(request.get_data(as_text=True))\n    return str(next(doc))\n"),
    # a template compiled from a string by an engine however reached
    ("BST214", FLASK + "@app.route('/t')\ndef t():\n    return app.jinja_env.from_string('<p>' + request.args['t'] + '</p>').render()\n",
               FLASK + "@app.route('/t')\ndef t():\n    return app.jinja_env.from_string('<p>{{ t }}</p>').render(t=request.args['t'])\n"),
    ("BST211", FLASK + "import xml.sax\nfrom xml.sax.handler import feature_external_ges\n@app.post('/x')\ndef x():\n    parser = xml.sax.make_parser()\n    parser.setFeature(feature_external_ges, True)\n    parser.parse(request.files['doc'])\n    return 'ok'\n",
               FLASK + "import xml.sax\n@app.post('/x')\ndef x():\n    parser = xml.sax.make_parser()\n    parser.parse(request.files['doc'])\n    return 'ok'\n"),
    ("BST211", FLASK + "import xml.sax\n@app.post('/x')\ndef x():\n    parser = xml.sax.make_parser()\n    parser.setFeature('http://xml.org/sax/features/external-general-entities', 1)\n    parser.parse(source=request.stream)\n    return 'ok'\n",
               FLASK + "import xml.sax\nfrom xml.sax import handler\n@app.post('/x')\ndef x():\n    parser = xml.sax.make_parser()\n    parser.setFeature(handler.feature_external_ges, False)\n    parser.parse(request.stream)\n    return 'ok'\n"),
    ("BST211", FLASK + "import xml.sax\nfrom xml.sax import handler\n@app.post('/x')\ndef x():\n    parser = xml.sax.make_parser()\n    parser.setFeature(handler.feature_external_ges, True)\n    parser.parse(request.stream)\n    return 'ok'\n",
               FLASK + "import xml.sax\nfrom xml.sax import handler\n@app.post('/x')\ndef x():\n    parser = xml.sax.make_parser()\n    parser.setFeature(handler.feature_external_ges, True)\n    parser.parse('catalog.xml')\n    return 'ok'\n"),
    # a path's last part (`Path(name).name`) has no directory to climb out with
    ("BST201", FLASK + "from pathlib import Path\n@app.route('/w')\ndef w():\n    name = Path(request.args['n'])\n    (Path('/srv/out') / name.parent / 'x').write_text('hi')\n    return ''\n",
               FLASK + "from pathlib import Path\n@app.route('/w')\ndef w():\n    name = Path(request.args['n']).name\n    (Path('/srv/out') / name).write_text('hi')\n    return ''\n"),
    # a MongoDB filter the request wrote (its operators), or request data in `$where` code;
    # `{"name": q}` compares a string, and `str.find` takes no query
    ("BST216", FLASK + "from pymongo import MongoClient\nusers = MongoClient()['shop']['users']\n@app.post('/l')\ndef l():\n    return str(users.find_one(request.get_json()))\n",
               FLASK + "from pymongo import MongoClient\nusers = MongoClient()['shop']['users']\n@app.post('/l')\ndef l():\n    body = request.get_json()\n    return str(users.find_one({'name': str(body['name'])}) is None)\n"),
    ("BST216", DJANGO + "import json\nfrom pymongo import MongoClient\nitems = MongoClient().shop.items\ndef view(request):\n    q = json.loads(request.body)\n    return HttpResponse(str(items.find(q).count()))\n",
               DJANGO + "import json\nfrom pymongo import MongoClient\nitems = MongoClient().shop.items\ndef view(request):\n    text = open('/srv/notes.txt').read()\n    return HttpResponse(str(text.find(request.GET['q'])))\n"),
    ("BST216", FLASK + "from pymongo import MongoClient\nitems = MongoClient().shop.items\n@app.route('/s')\ndef s():\n    q = request.args['q']\n    return jsonify([i['name'] for i in items.find({'$where': \"this.name == '\" + q + \"'\"})])\n",
               FLASK + "from pymongo import MongoClient\nitems = MongoClient().shop.items\n@app.route('/s')\ndef s():\n    q = request.args['q']\n    return jsonify([i['name'] for i in items.find({'name': q, '$where': 'this.stock > 0'})])\n"),
    # `$` lets one last newline through: it ends a command where the value ends (silent), and
    # still breaks a log line
    ("BST207", FLASK + "import logging, re\n@app.route('/l')\ndef l():\n    u = request.args['u']\n    if not re.match(r'^[a-z]+$', u):\n        return 'no', 400\n    logging.info('login ' + u)\n    return ''\n",
               FLASK + "import logging, re\n@app.route('/l')\ndef l():\n    u = request.args['u']\n    if not re.match(r'^[a-z]+\\Z', u):\n        return 'no', 400\n    logging.info('login ' + u)\n    return ''\n"),
    ("BST202", FLASK + "import os, re\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if not re.match(r'^[a-z0-9. ;]+$', h):\n        return 'no', 400\n    os.system('ping ' + h)\n    return ''\n",
               FLASK + "import os, re\n@app.route('/g')\ndef g():\n    h = request.args['h']\n    if not re.match(r'^[a-z0-9.]+$', h):\n        return 'no', 400\n    os.system('ping ' + h + ' -c 1')\n    return ''\n"),
    # a pattern the request writes (ReDoS); escaped or validated, it matches literally
    ("BST215", FLASK + "import re\nNAMES = ['ann', 'bob']\n@app.route('/s')\ndef s():\n    q = request.args.get('q', '')\n    return jsonify([n for n in NAMES if re.search(q, n)])\n",
               FLASK + "import re\nNAMES = ['ann', 'bob']\n@app.route('/s')\ndef s():\n    q = request.args.get('q', '')\n    return jsonify([n for n in NAMES if re.search(re.escape(q), n)])\n"),
    ("BST215", FLASK + "import re\n@app.route('/s')\ndef s():\n    word = re.compile(r'\\b' + request.args['w'] + r'\\b', re.I)\n    return str(word.findall('some text'))\n",
               FLASK + "import re\n@app.route('/s')\ndef s():\n    w = request.args['w']\n    if not re.fullmatch(r'[A-Za-z0-9_-]{1,32}', w):\n        return 'no', 400\n    word = re.compile(r'\\b' + w + r'\\b', re.I)\n    return str(word.findall('some text'))\n"),
    ("BST215", DJANGO + "import re\ndef view(request):\n    parts = re.split(request.GET['sep'], 'a,b;c')\n    return HttpResponse(str(len(parts)))\n",
               DJANGO + "import re\ndef view(request):\n    parts = re.split(r'[,;]', request.GET['text'])\n    return HttpResponse(str(len(parts)))\n"),
    # An exit status is a number: the response that shows it reflects nothing of the request.
    ("BST203", FLASK + "import subprocess\n@app.route('/p')\ndef p():\n    host = request.args['h']\n    subprocess.call(['ping', '-c', '1', host])\n    return 'pinged ' + host\n",
               FLASK + "import subprocess\n@app.route('/p')\ndef p():\n    host = request.args['h']\n    return 'status ' + str(subprocess.call(['ping', '-c', '1', host]))\n"),
    ("BST202", FLASK + "import os\n@app.route('/p')\ndef p():\n    return str(os.system('ping ' + request.args['h']))\n",
               FLASK + "import os\n@app.route('/p')\ndef p():\n    return str(os.system('ping localhost'))\n"),
    ("BST202", "import os\nfrom flask import request\nclass Job:\n    def __init__(self):\n        self.host = request.args['h']\n    def run(self):\n        os.system('ping ' + self.host)\n",
               "import os\nfrom flask import request\nclass Job:\n    def __init__(self):\n        self.host = 'localhost'\n    def run(self):\n        os.system('ping ' + self.host)\n"),
    # ---- a module's own top-level code, as a script runs it (wrappers.module_body) ----
    ("BST202", "import os\nimport sys\nname = sys.argv[1]\nos.system('ping ' + name)\n",
               "import os\nimport shlex\nimport sys\nname = sys.argv[1]\nos.system('ping ' + shlex.quote(name))\n"),
    ("BST202", "import os\nimport sys\ndef main(target):\n    os.system('ping ' + target)\nif __name__ == '__main__':\n    main(sys.argv[1])\n",
               "import os\nimport sys\ndef main(target):\n    os.system('ping ' + target)\nif __name__ == '__main__':\n    main('localhost')\n"),
    ("BST204", "import sqlite3\nuser = input('user: ')\nsqlite3.connect('a').execute(\"SELECT * FROM t WHERE u = '\" + user + \"'\")\n",
               "import sqlite3\nuser = input('user: ')\nsqlite3.connect('a').execute('SELECT * FROM t WHERE u = ?', (user,))\n"),
    ("BST213", "import requests\nfrom flask import request\nrequests.get(request.args['url'])\n",
               "import requests\nfrom flask import request\nrequests.get('https://api.example.com/', params={'q': request.args['url']})\n"),
    # ---- a container passed to a helper: the element the helper reads (summaries.passed) ----
    ("BST204", FLASK + "import sqlite3\ndef search(params):\n    return sqlite3.connect('a').execute(\"SELECT * FROM t WHERE n = '\" + params['q'] + \"'\")\n@app.route('/a')\ndef a():\n    return str(search({'q': request.args['q'], 'n': 1}))\n",
               FLASK + "import sqlite3\ndef search(params):\n    return sqlite3.connect('a').execute(\"SELECT * FROM t WHERE n = '\" + params['q'] + \"'\")\n@app.route('/a')\ndef a():\n    return str(search({'q': 'fixed', 'n': request.args['q']}))\n"),
    ("BST204", FLASK + "import sqlite3\ndef search(params):\n    q = params.get('q', '')\n    return sqlite3.connect('a').execute(f\"SELECT * FROM t WHERE n = '{q}'\")\n@app.route('/a')\ndef a():\n    options = {'q': request.args.get('q')}\n    return str(search(options))\n",
               FLASK + "import sqlite3\ndef search(params):\n    q = params.get('q', '')\n    return sqlite3.connect('a').execute(f\"SELECT * FROM t WHERE n = '{q}'\")\n@app.route('/a')\ndef a():\n    options = {'q': 'all', 'user': request.args.get('q')}\n    return str(search(options))\n"),
    ("BST202", FLASK + "import os\ndef run(argv):\n    os.system('echo ' + argv[0])\n@app.route('/a')\ndef a():\n    run([request.args['c'], 'x'])\n    return ''\n",
               FLASK + "import os\ndef run(argv):\n    os.system('echo ' + argv[1])\n@app.route('/a')\ndef a():\n    run([request.args['c'], 'x'])\n    return ''\n"),
    # the helper reads the whole container: any element of it
    ("BST204", FLASK + "import sqlite3\ndef insert(row):\n    return sqlite3.connect('a').execute('INSERT INTO t VALUES (' + ', '.join(row.values()) + ')')\n@app.route('/a')\ndef a():\n    return str(insert({'n': request.args['n'], 'k': \"'k'\"}))\n",
               FLASK + "import sqlite3\ndef insert(row):\n    return sqlite3.connect('a').execute('INSERT INTO t VALUES (' + ', '.join(row.values()) + ')')\n@app.route('/a')\ndef a():\n    return str(insert({'n': '1', 'k': \"'k'\"}))\n"),
    # what the helper returns is the element it read
    ("BST202", FLASK + "import os\ndef pick(d):\n    return d['cmd']\n@app.route('/a')\ndef a():\n    os.system(pick({'cmd': request.args['c'], 'n': 'x'}))\n    return ''\n",
               FLASK + "import os\ndef pick(d):\n    return d['n']\n@app.route('/a')\ndef a():\n    os.system(pick({'cmd': request.args['c'], 'n': 'x'}))\n    return ''\n"),
]


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_vulnerable_case_reports(rule_id, vulnerable, safe):
    assert rule_id in ids(vulnerable), vulnerable


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_safe_twin_is_silent(rule_id, vulnerable, safe):
    assert rule_id not in ids(safe), safe


def test_message_names_source_and_sink_with_lines_and_carries_the_steps():
    source = FLASK + "@app.route('/a')\ndef a():\n    name = request.args['f']\n    return open(name).read()\n"
    [finding] = ANALYZER.analyse_file(source, "case.py")
    assert finding.message == "Request data (`request.args`, line 5) reaches `open`: path traversal"
    assert finding.cwe == 22 and finding.confidence.label == "high"
    assert [s.message for s in finding.steps] == ["Request data: `request.args`", "assigned to `name`",
                                                  "reaches `open`"]
    assert [s.span.start_line for s in finding.steps] == [4, 4, 5]


def test_a_path_through_a_helper_is_reported_at_the_sink_and_names_the_call():
    """A sink of the file is where the finding is, whichever function it is in (the line a
    reviewer fixes, and bandit's finding there, if any, gives way); two callers passing request
    data make one finding there."""
    source = FLASK + ("def read(name):\n    return open(name).read()\n@app.route('/a')\ndef a():\n"
                      "    return read(request.args['f'])\n@app.route('/b')\ndef b():\n"
                      "    return read(request.form['f'])\n")
    found = ANALYZER.analyse_file(source, "case.py")
    [finding] = found
    assert finding.message == ("Request data (`request.args`, line 7) reaches `open` (through "
                               "`read`, called line 7): path traversal")
    assert (finding.span.start_line, finding.span.start_col) == (3, 11)
    assert finding.lines == (3,)
    assert [s.span.start_line for s in finding.steps] == [6, 6, 3]
    assert finding.steps[1].message == "passed to `read`"


@pytest.mark.parametrize("edit", [
    ("def read_doc(name):\n", "def read_doc(name):\n    print('reading')\n"),  # the sink moves down
    ("'/srv/docs', name", "'/srv/docs/', name"),  # along its line
])
def test_an_edit_inside_a_helper_moves_its_callers_paths_with_it(edit):
    """The caller's result is cached while its text is unchanged; the helper's summary is the
    same, but where its sink is (the path's last step) is not."""
    source = FLASK + ("import os\n@app.route('/doc')\ndef doc():\n    return read_doc(request.args['d'])\n\n\n"
                      "def read_doc(name):\n    with open(os.path.join('/srv/docs', name)) as fh:\n"
                      "        return fh.read()\n")
    edited = source.replace(*edit)
    analyzer = TaintAnalyzer()
    analyzer.analyse_file(source, "case.py")
    assert analyzer.analyse_file(edited, "case.py") == TaintAnalyzer().analyse_file(edited, "case.py")


def test_environment_sources_are_medium_confidence():
    [finding] = ANALYZER.analyse_file("import os\ndef main():\n    os.system(os.environ['CMD'])\n", "c.py")
    assert finding.confidence.label == "medium"


def test_unmodelled_call_on_the_path_lowers_confidence():
    source = FLASK + "import os\n@app.route('/a')\ndef a():\n    os.system(mystery(request.args['c']))\n    return ''\n"
    [finding] = ANALYZER.analyse_file(source, "c.py")
    assert finding.confidence.label == "medium"


def test_function_over_the_budget_is_skipped_and_logged(caplog):
    body = "\n".join(f"    x{i} = {i}" for i in range(1600))
    source = FLASK + f"@app.route('/a')\ndef a():\n{body}\n    return request.args['q']\n"
    with caplog.at_level("WARNING"):
        assert ANALYZER.analyse_file(source, "big.py") == []
    assert "taint analysis skipped a in big.py" in caplog.text


def test_a_module_that_does_not_parse_reports_nothing_from_taint():
    assert ANALYZER.analyse_file("def broken(:\n", "b.py") == []


def test_command_line_input_is_reported_where_it_becomes_a_command_not_a_file_name():
    opened = "import sys\ndef main():\n    return open(sys.argv[1]).read()\n"
    run = "import os, sys\ndef main():\n    os.system('wc -l ' + sys.argv[1])\n"
    assert ids(opened) == [] and ids(run) == ["BST202"]
    env_path = "import os\ndef main():\n    return open(os.environ['CONFIG']).read()\n"
    assert ids(env_path) == []


def test_a_pattern_from_the_command_line_is_the_users_own_not_an_injection():
    source = "import re, sys\nfor line in sys.stdin:\n    if re.search(sys.argv[1], line):\n        print(line)\n"
    assert "BST215" not in ids(source)
    web = FLASK + "import re\n@app.route('/s')\ndef s():\n    return str(re.search(request.args['q'], 'x'))\n"
    assert "BST215" in ids(web)


def test_a_function_level_import_makes_a_module_call_not_a_method_sink():
    source = FLASK + "@app.route('/a')\ndef a():\n    import re\n    return jsonify(re.search('x', 'dc', request.args['f']))\n"
    assert ids(source) == []


def test_a_query_built_by_one_sink_and_run_by_another_is_one_finding():
    """`conn.execute(text(query))`: one SQL injection, reported where the text is made."""
    found = ids(FLASK + "from sqlalchemy import text\n@app.route('/q')\ndef q():\n"
                "    return str(conn.execute(text('SELECT * FROM t WHERE n = ' + request.args['n'])).all())\n")
    assert found == ["BST204"]


STORE = FLASK + """import os
class Store:
    def __init__(self, root):
        self.root = root
    def read(self, name):
        with open(os.path.join(self.root, name)) as fh:
            return fh.read()
    def read_plain(self, name):
        with open(os.path.join(self.root, os.path.basename(name))) as fh:
            return fh.read()
"""


@pytest.mark.parametrize("view", [
    "@app.route('/a')\ndef a():\n    return Store('/srv').read(request.args['f'])\n",
    "@app.route('/a')\ndef a():\n    store = Store('/srv')\n    return store.read(request.args['f'])\n",
    "STORE = Store('/srv')\n@app.route('/a')\ndef a():\n    return STORE.read(request.args['f'])\n",
])
def test_a_method_of_a_class_of_the_module_is_followed_on_its_instances(view):
    assert ids(STORE + view) == ["BST201"]
    assert ids(STORE + view.replace(".read(", ".read_plain(")) == []


def test_an_absolute_path_test_is_refined_after_a_branch_that_returned():
    """`if name.startswith(SEP): return`: the false branch is refined after the true one ended
    (the interpreter's own state gone); reading `SEP` then raised AttributeError and the file
    was not analysed."""
    source = FLASK + ("import os\nSEP = '/'\n@app.route('/f')\ndef f():\n    name = request.args['n']\n"
                      "    if '..' in name or name.startswith(SEP):\n        return 'no', 400\n"
                      "    return open(os.path.join('/srv', name)).read()\n")
    assert ids(source) == []
    assert "BST201" in ids(source.replace(" or name.startswith(SEP)", ""))


def test_a_line_separator_inside_a_string_does_not_shift_the_functions_texts():
    """U+2028 in a string literal is no line end for Python: str.splitlines counted it, so each
    later function's text (what decides which functions are analysed) was another's, and the
    flow through `host()` went unseen."""
    source = (FLASK + 'BANNER = "a\u2028b\u2028c\u2028d\u2028e\u2028f\u2028g\u2028h"\n\n\n'
              'def host():\n    return request.args["h"]\n\n\n\n\n\n\n\n'
              'def run(h):\n    return subprocess.check_output("ping " + h, shell=True)\n\n\n'
              'def job():\n    return run(host())\n')
    assert ids("import subprocess\n" + source) == ["BST202"]


def test_a_helper_calling_itself_is_run_to_a_bounded_depth():
    source = FLASK + ("import os\n@app.route('/a')\ndef a():\n    def walk(p, n=0):\n"
                      "        os.system('ls ' + p)\n        walk(p + '/x', n + 1)\n        walk(p, n)\n"
                      "    walk(request.args['d'])\n    return ''\n")
    found = [f for f in ANALYZER.analyse_file(source, "case.py") if f.rule_id == "BST202"]
    assert [f.span.start_line for f in found] == [source.splitlines().index("        os.system('ls ' + p)")]


def test_an_enum_that_gains_a_method_makes_its_parameter_untrusted_again():
    analyzer = TaintAnalyzer()
    enum = (FASTAPI + "import os, enum, pydantic\nclass Color(str, enum.Enum):\n    RED = 'red'\n"
            "@app.get('/p')\ndef p(color: Color):\n    os.system('paint ' + color.value)\n")
    assert [f.rule_id for f in analyzer.analyse_file(enum, "case.py")] == []
    opened = enum.replace("    RED = 'red'\n", "    RED = 'red'\n    def _missing_(cls, v):\n        return v\n")
    assert [f.rule_id for f in analyzer.analyse_file(opened, "case.py")] == ["BST202"]
