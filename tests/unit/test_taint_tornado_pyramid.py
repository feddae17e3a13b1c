"""Taint analysis: the Tornado and Pyramid models (rules/taint/tornado.toml, pyramid.toml), each
source and sink with a vulnerable case and its safe twin, written from the frameworks' documented
idioms (RequestHandler input and output methods; Pyramid view callables, WebOb requests and
responses, HTTP exceptions)."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import textwrap

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

TORNADO = "import os\nimport subprocess\nimport tornado.web\nfrom tornado.web import RequestHandler\n"
PYRAMID = ("import os\nimport sqlite3\nfrom pyramid.view import view_config\n"
           "from pyramid.response import Response, FileResponse\n"
           "from pyramid.httpexceptions import HTTPFound\n")


def ids(source: str) -> list[str]:
    return sorted(f.rule_id for f in ANALYZER.analyse_file(textwrap.dedent(source), "case.py"))


def handler(body: str, method: str = "get(self)", base: str = "RequestHandler") -> str:
    return TORNADO + f"class H({base}):\n    def {method}:\n" + textwrap.indent(body, "        ")


# (rule id, vulnerable module, safe twin)
PAIRS = [
    # ---- Tornado sources ----
    ("BST201", handler("self.write(open(self.get_argument('f')).read())\n"),
               handler("self.write(open(os.path.basename(self.get_argument('f'))).read())\n")),
    ("BST202", handler("os.system('ls ' + self.get_query_argument('d'))\n"),
               handler("subprocess.run(['ls', '--', self.get_query_argument('d')])\n")),
    ("BST202", handler("for d in self.get_query_arguments('d'):\n    os.system('du -s ' + d)\n"),
               handler("for d in self.get_query_arguments('d'):\n    os.system('du -s ' + str(int(d)))\n")),
    ("BST202", handler("os.system('touch ' + self.get_body_argument('n'))\n", "post(self)"),
               handler("os.system('touch ' + 'fixed')\n", "post(self)")),
    ("BST202", handler("os.system('touch ' + self.get_body_arguments('n')[0])\n", "post(self)"),
               handler("os.system('touch ' + str(len(self.get_body_arguments('n'))))\n", "post(self)")),
    ("BST202", handler("os.system('echo ' + self.get_cookie('theme'))\n"),
               handler("import shlex\nos.system('echo ' + shlex.quote(self.get_cookie('theme')))\n")),
    ("BST206", handler("eval(self.request.body)\n", "post(self)"),
               handler("import ast\nast.literal_eval(self.request.body.decode())\n", "post(self)")),
    ("BST202", handler("os.system('grep ' + self.request.arguments['q'][0].decode())\n"),
               handler("os.system('grep ' + 'fixed')\n")),
    ("BST202", handler("os.system('echo ' + self.request.headers['X-Name'])\n"),
               handler("os.system('echo ' + self.request.method)\n")),
    ("BST202", handler("os.system('echo ' + self.request.uri)\n"),
               handler("os.system('echo ' + self.request.remote_ip.replace('.', '-'))\n")),
    ("BST202", handler("os.system('echo ' + self.request.path)\n"),
               handler("os.system('echo ' + self.request.protocol)\n")),
    # path arguments: the groups of the URL pattern
    ("BST201", handler("self.write(open('/srv/' + name).read())\n", "get(self, name)"),
               handler("self.write(open('/srv/' + os.path.basename(name)).read())\n", "get(self, name)")),
    ("BST201", handler("self.finish(open(args[0]).read())\n", "get(self, *args)"),
               handler("self.finish(open('index.txt').read())\n", "get(self, *args)")),
    # a helper method of the handler reads the request too
    ("BST202", TORNADO + "class H(RequestHandler):\n    def host(self):\n        return self.get_argument('h')\n    def get(self):\n        os.system('ping ' + self.host())\n",
               TORNADO + "class H(RequestHandler):\n    def host(self):\n        return 'localhost'\n    def get(self):\n        os.system('ping ' + self.host())\n"),
    # a base handler of the same file
    ("BST202", TORNADO + "class Base(tornado.web.RequestHandler):\n    pass\nclass H(Base):\n    def get(self):\n        os.system('ping ' + self.get_argument('h'))\n",
               TORNADO + "class Base:\n    def get_argument(self, name):\n        return 'localhost'\nclass H(Base):\n    def get(self):\n        os.system('ping ' + self.get_argument('h'))\n"),
    # a helper inherited from a base handler of the same file
    ("BST210", TORNADO + "class Base(RequestHandler):\n    def next_url(self):\n        return self.get_argument('next', '/')\nclass Login(Base):\n    def post(self):\n        self.redirect(self.next_url())\n",
               TORNADO + "class Base(RequestHandler):\n    def next_url(self):\n        return self.get_argument('next', '/')\nclass Login(Base):\n    def next_url(self):\n        return '/home'\n    def post(self):\n        self.redirect(self.next_url())\n"),
    # `prepare` runs before the handler method: what it keeps on `self` is the request's
    ("BST204", TORNADO + "import json, sqlite3\nclass Base(RequestHandler):\n    def prepare(self):\n        self.body = json.loads(self.request.body)\nclass H(Base):\n    def post(self):\n        sqlite3.connect('a.db').execute(\"SELECT * FROM t WHERE k = '%s'\" % self.body['k'])\n",
               TORNADO + "import json, sqlite3\nclass Base(RequestHandler):\n    def prepare(self):\n        self.body = json.loads(self.request.body)\nclass H(Base):\n    def post(self):\n        sqlite3.connect('a.db').execute('SELECT * FROM t WHERE k = ?', (self.body['k'],))\n"),
    ("BST202", TORNADO + "class H(RequestHandler):\n    def prepare(self):\n        self.host = self.get_argument('host')\n    def get(self):\n        os.system('ping ' + self.host)\n",
               TORNADO + "class H(RequestHandler):\n    def prepare(self):\n        host = self.get_argument('host')\n        if host not in ('a', 'b'):\n            raise tornado.web.HTTPError(400)\n        self.host = host\n    def get(self):\n        os.system('ping ' + self.host)\n"),
    # WebSocket messages
    ("BST202", TORNADO + "from tornado.websocket import WebSocketHandler\nclass W(WebSocketHandler):\n    def on_message(self, message):\n        os.system('echo ' + message)\n",
               TORNADO + "from tornado.websocket import WebSocketHandler\nclass W(WebSocketHandler):\n    def on_message(self, message):\n        os.system('echo ' + str(len(message)))\n"),
    # ---- Tornado sinks ----
    ("BST210", handler("self.redirect(self.get_argument('next'))\n"),
               handler("self.redirect('/profile/' + self.get_argument('id'))\n")),
    ("BST203", handler("self.write('<p>Hello ' + self.get_argument('name') + '</p>')\n"),
               handler("from tornado.escape import xhtml_escape\nself.write('<p>Hello ' + xhtml_escape(self.get_argument('name')) + '</p>')\n")),
    # a dict is written as JSON
    ("BST203", handler("self.finish(self.get_argument('name'))\n"),
               handler("self.finish({'name': self.get_argument('name')})\n")),
    # the handler declares a content type that is not HTML
    ("BST203", handler("self.write(self.get_argument('name'))\n"),
               handler("self.set_header('Content-Type', 'text/plain; charset=UTF-8')\nself.write(self.get_argument('name'))\n")),
    ("BST203", handler("self.write(self.get_argument('name'))\n"),
               TORNADO + "class H(RequestHandler):\n    def set_default_headers(self):\n        self.set_header('Content-Type', 'application/json')\n    def get(self):\n        self.write(self.get_argument('name'))\n"),
    # the template's values are autoescaped; its name is not the user's to choose
    ("BST214", handler("self.render(self.get_argument('page') + '.html')\n"),
               handler("self.render('page.html', name=self.get_argument('name'))\n")),
    ("BST214", handler("self.write(self.render_string(self.get_argument('t')))\n"),
               handler("self.write(self.render_string('t.html', q=self.get_argument('q')))\n")),
    ("BST203", handler("self.write('<p>' + self.get_argument('q') + '</p>')\n"),
               handler("self.write(self.render_string('t.html', q=self.get_argument('q')))\n")),
    ("BST214", handler("from tornado.template import Template\nself.write(Template('Hi ' + self.get_argument('n')).generate())\n"),
               handler("from tornado.template import Template\nself.write(Template('Hi {{ n }}').generate(n=self.get_argument('n')))\n")),
    ("BST213", handler("from tornado.httpclient import AsyncHTTPClient\nresponse = await AsyncHTTPClient().fetch(self.get_argument('url'))\n", "async def get(self)".removeprefix("async def ")).replace("    def get", "    async def get"),
               handler("from tornado.httpclient import AsyncHTTPClient\nresponse = await AsyncHTTPClient().fetch('https://api.example.com/items/' + self.get_argument('id'))\n").replace("    def get", "    async def get")),
    # ---- Pyramid sources ----
    ("BST201", PYRAMID + "@view_config(route_name='file')\ndef file(request):\n    return FileResponse(request.params['name'])\n",
               PYRAMID + "@view_config(route_name='file')\ndef file(request):\n    return FileResponse(os.path.join('/srv', os.path.basename(request.params['name'])))\n"),
    ("BST204", PYRAMID + "@view_config(route_name='item', renderer='json')\ndef item(request):\n    conn = sqlite3.connect('shop.db')\n    return conn.execute(\"SELECT * FROM items WHERE id = '%s'\" % request.matchdict['id']).fetchall()\n",
               PYRAMID + "@view_config(route_name='item', renderer='json')\ndef item(request):\n    conn = sqlite3.connect('shop.db')\n    return conn.execute('SELECT * FROM items WHERE id = ?', (request.matchdict['id'],)).fetchall()\n"),
    ("BST206", PYRAMID + "@view_config(route_name='calc', renderer='json')\ndef calc(request):\n    return {'r': eval(request.json_body['expr'])}\n",
               PYRAMID + "import ast\n@view_config(route_name='calc', renderer='json')\ndef calc(request):\n    return {'r': ast.literal_eval(request.json_body['expr'])}\n"),
    ("BST201", PYRAMID + "def download(request):\n    return FileResponse(request.GET.get('f'))\n",
               PYRAMID + "def download(request):\n    return FileResponse('static/' + str(int(request.GET.get('f'))))\n"),
    ("BST201", PYRAMID + "def upload(request):\n    with open(request.POST['name'], 'wb') as fh:\n        fh.write(b'')\n    return Response('ok')\n",
               "import os\ndef upload(request):\n    with open(request.POST['name'], 'wb') as fh:\n        fh.write(b'')\n"),
    # ---- Pyramid sinks ----
    ("BST210", PYRAMID + "@view_config(route_name='login')\ndef login(request):\n    return HTTPFound(location=request.params['came_from'])\n",
               PYRAMID + "@view_config(route_name='login')\ndef login(request):\n    return HTTPFound(location=request.route_url('home'))\n"),
    ("BST210", PYRAMID + "def go(request):\n    raise HTTPFound(request.params['next'])\n",
               PYRAMID + "def go(request):\n    raise HTTPFound('/items/' + request.params['next'])\n"),
    ("BST203", PYRAMID + "@view_config(route_name='hello')\ndef hello(request):\n    return Response('<h1>Hello ' + request.matchdict['name'] + '</h1>')\n",
               PYRAMID + "@view_config(route_name='hello')\ndef hello(request):\n    return Response('Hello ' + request.matchdict['name'], content_type='text/plain')\n"),
    ("BST203", PYRAMID + "def hello(request):\n    return Response(body=request.params['b'].encode())\n",
               PYRAMID + "from markupsafe import escape\ndef hello(request):\n    return Response(body=str(escape(request.params['b'])).encode())\n"),
    # a response's body set after it is built: text/html unless a content type says otherwise
    ("BST203", PYRAMID + "@view_config(route_name='echo')\ndef echo(request):\n    resp = Response()\n    resp.text = '<p>' + request.params['m'] + '</p>'\n    return resp\n",
               PYRAMID + "from markupsafe import escape\n@view_config(route_name='echo')\ndef echo(request):\n    resp = Response()\n    resp.text = '<p>' + escape(request.params['m']) + '</p>'\n    return resp\n"),
    ("BST203", PYRAMID + "@view_config(route_name='echo')\ndef echo(request):\n    request.response.text = request.params['m']\n    return request.response\n",
               PYRAMID + "@view_config(route_name='echo')\ndef echo(request):\n    request.response.content_type = 'text/plain'\n    request.response.text = request.params['m']\n    return request.response\n"),
    ("BST203", PYRAMID + "@view_config(route_name='echo')\ndef echo(request):\n    resp = Response()\n    resp.body = request.body\n    return resp\n",
               PYRAMID + "@view_config(route_name='echo')\ndef echo(request):\n    resp = Response(content_type='application/octet-stream')\n    resp.body = request.body\n    return resp\n"),
    ("BST214", PYRAMID + "from pyramid.renderers import render_to_response\ndef page(request):\n    return render_to_response(request.params['tpl'], {}, request=request)\n",
               PYRAMID + "from pyramid.renderers import render_to_response\ndef page(request):\n    return render_to_response('templates/page.pt', {'q': request.params['q']}, request=request)\n"),
    ("BST203", PYRAMID + "@view_config(route_name='page')\ndef page(request):\n    return Response('<p>' + request.params['body'] + '</p>')\n",
               PYRAMID + "from pyramid.renderers import render\n@view_config(route_name='page')\ndef page(request):\n    return Response(render('templates/page.jinja2', {'body': request.params['body']}, request=request))\n"),
    ("BST208", PYRAMID + "def remember(request):\n    request.session['user'] = request.params['user']\n    return Response('ok')\n",
               PYRAMID + "def remember(request):\n    request.session['visits'] = 1\n    return Response('ok')\n"),
]


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_the_vulnerable_case_reports_and_its_safe_twin_does_not(rule_id, vulnerable, safe):
    assert rule_id in ids(vulnerable), vulnerable
    assert rule_id not in ids(safe), safe


def test_a_class_that_is_no_handler_has_no_request():
    """`get_argument` on a class that is no RequestHandler is an ordinary method."""
    source = TORNADO + "class Config:\n    def get(self, key):\n        os.system('echo ' + key)\n"
    assert ids(source) == []


def test_a_pyramid_helper_without_pyramid_is_no_view():
    source = "import os\ndef view(request):\n    os.system(request.params['c'])\n"
    assert ids(source) == []
