"""Taint analysis: sources the models did not list (issue 12), each a small vulnerable module
(untrusted data reaching a shell) and its safe twin, written from the framework's documentation:
CherryPy's exposed handlers and `cherrypy.request`; an accepted connection's and a UDP socket's
data, asyncio's stream handlers and protocols, XML-RPC functions; mail fetched over IMAP / POP3
or accepted by an SMTP handler; Typer's and Fire's functions, `fileinput`; Django's resolver
match and body lines, Quart's and Starlette's WebSocket requests, Litestar's WebSocket listener,
Ariadne's `set_field`, Werkzeug's `Request.application`, a WSGI application's class, a Channels
consumer's scope, and the headers Sanic, Falcon, Bottle, Pyramid and aiohttp parse; FastAPI's
and Starlette's middleware, Tornado's WebSocket `open`, Quart's WebSocket route, Socket.IO
namespaces, and Bottle's, aiohttp's and Pyramid's handlers registered by a call; Twisted's web
resources and protocols. Also: a query method of a library the module does not import
(asyncpg's `fetch`) leaves the call's result tainted (IMAP's `fetch`)."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import pytest
from tests.unit.test_taint_library_sinks import ANALYZER

SHELL = "BST202"


def ids(source: str) -> list[str]:
    return sorted(f.rule_id for f in ANALYZER.analyse_file(source, "case.py"))


CHERRY = "import os\nimport shlex\nimport cherrypy\n"
FALCON = "import os\nimport shlex\nimport falcon\nclass R:\n    def on_get(self, req, resp):\n        os.system({})\n"
BOTTLE = "import os\nimport shlex\nfrom bottle import route, request\n@route('/a')\ndef a():\n    os.system({})\n"
PYRAMID = "import os\nimport shlex\nfrom pyramid.view import view_config\n@view_config(route_name='a')\ndef a(request):\n    os.system({})\n"
DJANGO = "import os\nimport shlex\nfrom django.http import HttpResponse\ndef v(request):\n    os.system({})\n    return HttpResponse('ok')\n"
SANIC = "import os\nimport shlex\nfrom sanic import Sanic\napp = Sanic('a')\n@app.get('/a')\nasync def a(request):\n    os.system({})\n"
AIOHTTP = "import os\nimport shlex\nfrom aiohttp import web\nroutes = web.RouteTableDef()\n@routes.get('/a')\nasync def a(request):\n    os.system({})\n"
TWISTED = "import os\nimport shlex\nfrom twisted.web import resource\nclass Page(resource.Resource):\n"
CONSUMER = "import os\nimport shlex\nfrom channels.generic.websocket import AsyncWebsocketConsumer\nclass Chat(AsyncWebsocketConsumer):\n"
QUART = "import os\nimport shlex\nfrom quart import Quart, websocket\napp = Quart(__name__)\n@app.websocket('/ws')\nasync def ws():\n    os.system({})\n"


def quoted(template: str, value: str) -> tuple[str, str]:
    """The module with `value` in the command line, and its twin with it quoted."""
    return template.format(value), template.format(f"'ls ' + shlex.quote({value})")


# (vulnerable module, safe twin)
PAIRS = [
    # CherryPy: the dispatcher fills an exposed handler's parameters from the query and the form
    (CHERRY + "class Root:\n    @cherrypy.expose\n    def ping(self, host=''):\n        os.system('ping -c1 ' + host)\n        return 'ok'\n",
     CHERRY + "class Root:\n    @cherrypy.expose\n    def ping(self, host=''):\n        os.system('ping -c1 ' + shlex.quote(host))\n        return 'ok'\n"),
    (CHERRY + "@cherrypy.expose\nclass Hosts:\n    def GET(self, host=None):\n        return os.popen('host ' + host).read()\n",
     CHERRY + "@cherrypy.expose\nclass Hosts:\n    def GET(self, host=None):\n        return os.popen('host ' + shlex.quote(host)).read()\n"),
    quoted(CHERRY + "class Root:\n    @cherrypy.expose\n    @cherrypy.tools.json_in()\n    def run(self):\n        os.system({})\n", "cherrypy.request.json['cmd']"),
    quoted(CHERRY + "class Root:\n    @cherrypy.expose\n    def run(self):\n        os.system({})\n", "cherrypy.request.body.read().decode()"),
    quoted(CHERRY + "def helper():\n    os.system({})\n", "cherrypy.request.headers['X-Host']"),
    quoted(CHERRY + "def helper():\n    os.system({})\n", "cherrypy.request.params['host']"),
    # network peers
    quoted("import os\nimport shlex\nimport socket\ndef serve():\n    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n    s.bind(('', 9999))\n    data, addr = s.recvfrom(1024)\n    os.system({})\n", "data.decode()"),
    quoted("import os\nimport shlex\nimport socket\ndef serve():\n    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:\n        s.bind(('0.0.0.0', 9000))\n        s.listen()\n        while True:\n            conn, addr = s.accept()\n            with conn:\n                os.system({})\n", "conn.recv(1024).decode()"),
    quoted("import os\nimport shlex\nimport socket\nimport threading\ndef handle(conn):\n    os.system({})\ndef serve():\n    s = socket.socket()\n    conn, addr = s.accept()\n    threading.Thread(target=handle, args=(conn,)).start()\n", "conn.recv(1024).decode()"),
    quoted("import os\nimport shlex\nimport socket\ndef ask():\n    s = socket.socket()\n    s.connect(('h', 79))\n    os.system({})\n", "s.recv(1024).decode()"),
    quoted("import os\nimport shlex\nimport asyncio\nasync def handle(reader, writer):\n    line = await reader.readline()\n    os.system({})\n", "line.decode()"),
    quoted("import os\nimport shlex\nimport asyncio\nclass Echo(asyncio.Protocol):\n    def data_received(self, data):\n        os.system({})\n", "data.decode()"),
    ("import os\nimport shlex\nfrom xmlrpc.server import SimpleXMLRPCServer\ndef ping(host):\n    return os.system('ping ' + host)\nserver = SimpleXMLRPCServer(('localhost', 8000))\nserver.register_function(ping, 'ping')\n",
     "import os\nimport shlex\nfrom xmlrpc.server import SimpleXMLRPCServer\ndef ping(host):\n    return os.system('ping ' + shlex.quote(host))\nserver = SimpleXMLRPCServer(('localhost', 8000))\nserver.register_function(ping, 'ping')\n"),
    # received mail
    quoted("import os\nimport shlex\nimport email\nimport imaplib\ndef poll():\n    imap = imaplib.IMAP4_SSL('mail.example.com')\n    typ, data = imap.fetch('1', '(RFC822)')\n    msg = email.message_from_bytes(data[0][1])\n    os.system({})\n", "msg['Subject']"),
    quoted("import os\nimport shlex\nimport poplib\ndef poll():\n    pop = poplib.POP3_SSL('mail.example.com')\n    resp, lines, octets = pop.retr(1)\n    os.system({})\n", "lines[0].decode()"),
    quoted("import os\nimport shlex\nfrom aiosmtpd.controller import Controller\nclass Handler:\n    async def handle_DATA(self, server, session, envelope):\n        os.system({})\n        return '250 OK'\n", "envelope.mail_from"),
    # command lines
    ("import os\nimport shlex\nimport typer\ndef main(name: str):\n    os.system('greet ' + name)\nif __name__ == '__main__':\n    typer.run(main)\n",
     "import os\nimport shlex\nimport typer\ndef main(name: str):\n    os.system('greet ' + shlex.quote(name))\nif __name__ == '__main__':\n    typer.run(main)\n"),
    ("import os\nimport shlex\nimport fire\ndef main(name):\n    os.system('greet ' + name)\nif __name__ == '__main__':\n    fire.Fire(main)\n",
     "import os\nimport shlex\nimport fire\ndef main(name):\n    os.system('greet ' + shlex.quote(name))\nif __name__ == '__main__':\n    fire.Fire(main)\n"),
    quoted("import os\nimport shlex\nimport fileinput\nfor line in fileinput.input():\n    os.system({})\n", "line"),
    # request fields the framework models left out
    quoted(DJANGO, "request.resolver_match.kwargs['slug']"),
    quoted(DJANGO, "request.readline().decode()"),
    quoted(QUART, "websocket.args['room']"),
    quoted(QUART, "websocket.headers['X-Room']"),
    quoted("import os\nimport shlex\nfrom starlette.routing import WebSocketRoute\nasync def ws(websocket):\n    await websocket.accept()\n    os.system({})\nroutes = [WebSocketRoute('/ws', ws)]\n", "await websocket.receive_text()"),
    quoted("import os\nimport shlex\nfrom litestar import websocket_listener\n@websocket_listener('/ws')\nasync def handler(data: str) -> str:\n    os.system({})\n    return data\n", "data"),
    quoted("import os\nimport shlex\nfrom ariadne import QueryType\nquery = QueryType()\ndef resolve_lookup(obj, info, host):\n    return os.system({})\nquery.set_field('lookup', resolve_lookup)\n", "host"),
    quoted("import os\nimport shlex\nfrom werkzeug.wrappers import Request, Response\n@Request.application\ndef app(request):\n    os.system({})\n    return Response('ok')\n", "request.args['host']"),
    quoted(SANIC, "request.token"),
    quoted(FALCON, "req.forwarded_host"),
    quoted(FALCON, "req.access_route[0]"),
    quoted(BOTTLE, "request.remote_route[0]"),
    quoted(BOTTLE, "request.auth[0]"),
    quoted(PYRAMID, "request.environ['QUERY_STRING']"),
    quoted(PYRAMID, "request.view_name"),
    quoted(AIOHTTP, "request.raw_headers[0][1].decode()"),
    quoted("import os\nimport shlex\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.post('/a')\ndef a():\n    os.system({})\n    return 'ok'\n", "request.input_stream.read().decode()"),
    # a WSGI application as a class; a Channels consumer's scope, also kept by `connect`
    quoted("import os\nimport shlex\nclass App:\n    def __call__(self, environ, start_response):\n        os.system({})\n", "environ['PATH_INFO']"),
    quoted(CONSUMER + "    async def connect(self):\n        os.system({})\n", "self.scope['url_route']['kwargs']['room']"),
    (CONSUMER + "    async def connect(self):\n        self.room = self.scope['url_route']['kwargs']['room']\n    async def receive(self, text_data=None, bytes_data=None):\n        os.system('echo ' + self.room)\n",
     CONSUMER + "    async def connect(self):\n        self.room = shlex.quote(self.scope['url_route']['kwargs']['room'])\n    async def receive(self, text_data=None, bytes_data=None):\n        os.system('echo ' + self.room)\n"),
    # middleware, a WebSocket's path arguments, handlers and views registered by a call
    quoted("import os\nimport shlex\nfrom fastapi import FastAPI, Request\napp = FastAPI()\n@app.middleware('http')\nasync def audit(request: Request, call_next):\n    os.system({})\n    return await call_next(request)\n", "request.headers['X-User']"),
    quoted("import os\nimport shlex\nfrom starlette.middleware.base import BaseHTTPMiddleware\nclass Audit(BaseHTTPMiddleware):\n    async def dispatch(self, request, call_next):\n        os.system({})\n        return await call_next(request)\n", "request.query_params['u']"),
    quoted("import os\nimport shlex\nimport tornado.websocket\nclass Room(tornado.websocket.WebSocketHandler):\n    def open(self, room):\n        os.system({})\n", "room"),
    quoted("import os\nimport shlex\nfrom quart import Quart\napp = Quart(__name__)\n@app.websocket('/ws/<room>')\nasync def ws(room):\n    os.system({})\n", "room"),
    quoted("import os\nimport shlex\nfrom bottle import Bottle\napp = Bottle()\ndef hello(name):\n    os.system({})\napp.route('/hello/<name>', callback=hello)\n", "name"),
    quoted("import os\nimport shlex\nfrom aiohttp import web\nasync def handle(req):\n    os.system({})\napp = web.Application()\napp.router.add_get('/{{name}}', handle)\n", "req.match_info['name']"),
    quoted("import os\nimport shlex\nimport socketio\nclass Chat(socketio.Namespace):\n    def on_message(self, sid, data):\n        os.system({})\n", "data"),
    quoted("import os\nimport shlex\nfrom flask_socketio import Namespace\nclass Chat(Namespace):\n    def on_command(self, data):\n        os.system({})\n", "data['cmd']"),
    # Twisted: a web resource's request, a URL segment, a line protocol's lines
    quoted(TWISTED + "    def render_GET(self, request):\n        os.system({})\n        return b''\n", "request.args[b'host'][0].decode()"),
    quoted(TWISTED + "    def getChild(self, path, request):\n        os.system({})\n        return self\n", "path.decode()"),
    quoted("import os\nimport shlex\nfrom twisted.protocols.basic import LineReceiver\nclass Shell(LineReceiver):\n    def lineReceived(self, line):\n        os.system({})\n", "line.decode()"),
    quoted("import os\nimport shlex\nfrom pyramid.config import Configurator\ndef hello(req):\n    os.system({})\nconfig = Configurator()\nconfig.add_view(hello, route_name='hello')\n", "req.matchdict['name']"),
]


@pytest.mark.parametrize("vulnerable, safe", PAIRS, ids=[str(i) for i in range(len(PAIRS))])
def test_vulnerable_case_reports_and_its_safe_twin_does_not(vulnerable, safe):
    assert SHELL in ids(vulnerable)
    assert SHELL not in ids(safe)


def test_an_exposed_handlers_self_is_not_request_data():
    """`@cherrypy.expose` makes the handler's parameters the request's, not the instance's
    fields the application set."""
    source = CHERRY + "class Root:\n    def __init__(self, tool):\n        self.tool = tool\n    @cherrypy.expose\n    def index(self):\n        os.system(self.tool)\n        return 'ok'\n"
    assert SHELL not in ids(source)


def test_a_call_methods_env_is_not_a_wsgi_environ():
    """Only `environ` names the WSGI environ in a class's `__call__`: `env` is also a
    simulation's or a build's."""
    assert SHELL not in ids("import os\nclass Step:\n    def __call__(self, env):\n        os.system(env['PATH'])\n")


def test_the_peer_address_an_accepted_connection_comes_with_is_not_data():
    """`conn, addr = server.accept()`: the connection's data is the peer's, its address not."""
    source = "import os\nimport socket\ndef serve():\n    s = socket.socket()\n    conn, addr = s.accept()\n    os.system('echo ' + str(addr))\n"
    assert SHELL not in ids(source)


def test_the_peer_address_an_asyncio_writer_gives_is_not_data():
    """Only the reader of `handle(reader, writer)` is the client's data."""
    source = "import os\nimport asyncio\nasync def handle(reader, writer):\n    peer = writer.get_extra_info('peername')\n    os.system('log ' + str(peer))\n"
    assert SHELL not in ids(source)


def test_a_query_method_of_a_library_not_imported_keeps_the_result_tainted():
    """asyncpg's `fetch` (a sink only where asyncpg is imported, its result rows) is not what
    IMAP's `fetch` returns: the message stays tainted."""
    source = "import os\nimport imaplib\ndef poll(imap: imaplib.IMAP4):\n    imap = imaplib.IMAP4('h')\n    typ, data = imap.fetch('1', '(RFC822)')\n    os.system(data[0][1].decode())\n"
    assert SHELL in ids(source)


@pytest.mark.parametrize("value", ["request.remote_addr", "request.scheme"])
def test_the_values_the_server_sets_are_not_sources(value):
    """Flask's `remote_addr` is the socket's peer and `scheme` the server's: left out."""
    assert SHELL not in ids(quoted("import os\nimport shlex\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.post('/a')\ndef a():\n    os.system({})\n    return 'ok'\n", value)[0])
