"""Models met in the third round of held-out probes (issue 12): each case a small app whose
vulnerable lines are marked and whose safe twins are not."""

from __future__ import annotations

import textwrap

import pytest
from tests.unit.taint_marked import assert_marked

from bastion.config import Config
from bastion.engine.registry import create_engine

# A name without a "/" is one component: with no ".." either, joined to a directory it stays
# inside it.
SLASH_GUARD = '''\
import os
from starlette.applications import Starlette
from starlette.responses import FileResponse, PlainTextResponse
from starlette.routing import Route

MEDIA = "/srv/media"


async def media(request):
    name = request.path_params["name"]
    if ".." in name:
        return PlainTextResponse("no", status_code=400)
    return FileResponse(os.path.join(MEDIA, name))  # BST201


async def media_safe(request):
    name = request.path_params["name"]
    if "/" in name or ".." in name or name.startswith("."):
        return PlainTextResponse("no", status_code=400)
    return FileResponse(os.path.join(MEDIA, name))


async def media_slash_only(request):
    name = request.path_params["name"]
    if "/" in name:
        return PlainTextResponse("no", status_code=400)
    return FileResponse(MEDIA + "/" + name)  # BST201


app = Starlette(routes=[Route("/a/{name}", media), Route("/b/{name}", media_safe),
                        Route("/c/{name}", media_slash_only)])
'''

# A constant table's entry, looked up by a request's key, is one of the table's constants.
CONSTANT_TABLE_GET = '''\
import os
import subprocess
from flask import Flask, request

app = Flask(__name__)
TASKS = {"backup": ["tar", "czf", "/tmp/b.tgz", "/srv"], "clean": ["rm", "-rf", "/tmp/cache"]}
COMMANDS = {"disk": "df -h", "load": "uptime"}


@app.route("/run/<task>")
def run(task):
    argv = TASKS.get(task)
    if argv is None:
        return "unknown", 404
    subprocess.run(argv, check=True)
    os.system(COMMANDS.get(task, "true"))
    os.system(COMMANDS.get("disk", task))  # BST202
    os.system("run " + task)  # BST202
    return "ok"
'''

# A module's parser resolving entities serves every function that parses with it.
MODULE_PARSER = '''\
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
LAX_PARSER = etree.XMLParser(resolve_entities=True)


@app.route("/import", methods=["POST"])
def import_xml():
    doc = etree.fromstring(request.data, LAX_PARSER)  # BST211
    doc2 = etree.fromstring(request.data, SAFE_PARSER)
    doc3 = etree.parse(request.files["doc"], parser=LAX_PARSER)  # BST211
    return "imported"
'''

# Line breaks replaced by a regular expression, or escaped by the `unicode_escape` codec, forge
# no log line.
LOG_LINE_BREAKS = '''\
import logging
import re
from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("audit")
CRLF = re.compile(r"[\\r\\n]+")
SPACES = re.compile(r"[ \\t]+")


def clean(value):
    return CRLF.sub(" ", value)


@app.route("/login", methods=["POST"])
def login():
    user = request.form.get("user", "")
    log.warning("failed login for %s", clean(user))
    log.warning("failed login for %s", re.sub(r"[\\r\\n]", "_", user))
    log.warning("failed login for %s", re.sub(r"\\s+", " ", user))
    log.warning("failed login for %s", user.encode("unicode_escape").decode())
    log.warning("failed login for %s", SPACES.sub(" ", user))  # BST207
    log.warning("failed login for %s", re.sub(r"\\n", " ", user))  # BST207
    log.warning("failed login for %s", re.sub(r"[\\r\\n]", "\\n", user))  # BST207
    log.warning("failed login for %s", user.encode("utf-8").decode())  # BST207
    return "no", 401
'''

# A sandboxed environment is made to compile untrusted templates.
SANDBOXED_TEMPLATES = '''\
from flask import Flask, request
from jinja2 import Environment
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

app = Flask(__name__)
sandbox = SandboxedEnvironment()
plain = Environment()


@app.route("/render", methods=["POST"])
def render():
    src = request.form["template"]
    local = ImmutableSandboxedEnvironment(autoescape=True)
    a = sandbox.from_string(src).render()
    b = local.from_string(src).render()
    c = SandboxedEnvironment().from_string(src).render()
    d = plain.from_string(src).render()  # BST214
    return {"a": a, "b": b, "c": c, "d": d}
'''

# An imported object filled by a dict method keeps its name: the session's next store is one too.
SESSION_STORES = '''\
from flask import Flask, request, session

app = Flask(__name__)


@app.post("/prefs")
def prefs():
    session.update(request.form)  # BST208
    session.setdefault("lang", request.args.get("lang", "en"))  # BST208
    session.update(theme="dark")
    session.setdefault("visits", 0)
    return "", 204
'''

# Starlette's and aiohttp_session's sessions are signed cookies later requests trust, as Flask's.
ASYNC_SESSIONS = '''\
from aiohttp import web
from aiohttp_session import get_session
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def remember(request):
    form = await request.form()
    request.session["user"] = form["user"]  # BST208
    request.session.update(theme=form["theme"])  # BST208
    request.session["seen"] = True
    return PlainTextResponse("ok")


app = Starlette(routes=[Route("/remember", remember, methods=["POST"])])
routes = web.RouteTableDef()


@routes.post("/prefs")
async def prefs(request):
    session = await get_session(request)
    data = await request.post()
    session["theme"] = data["theme"]  # BST208
    session["count"] = session.get("count", 0) + 1
    return web.Response(text="ok")
'''

# A parser resolving entities fed the request's document piece by piece.
PARSER_FEED = '''\
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/feed", methods=["POST"])
def feed():
    parser = etree.XMLParser(resolve_entities=True)
    parser.feed(request.data)  # BST211
    safe = etree.XMLParser(resolve_entities=False)
    safe.feed(request.data)
    return parser.close().tag + safe.close().tag
'''

# A module's set tested in a conditional expression or a boolean operation is read, not changed:
# the column it lets through is one of its constants.
SET_IN_CONDITIONAL = '''\
import sqlite3
from flask import Flask, request

app = Flask(__name__)
COLUMNS = {"name", "created", "id"}
ORDERS = {"asc", "desc"}
db = sqlite3.connect("app.db")


@app.route("/sorted")
def sorted_view():
    col = request.args.get("col", "id")
    order = request.args.get("order", "asc")
    column = col if col in COLUMNS else "id"
    rows = db.execute(f"SELECT * FROM t ORDER BY {column}").fetchall()
    if order in ORDERS or order in ("ASC", "DESC"):
        rows += db.execute(f"SELECT * FROM t ORDER BY id {order}").fetchall()
    rows += db.execute(f"SELECT * FROM t ORDER BY {col}").fetchall()  # BST204
    return {"rows": rows}
'''

# A local object's field tested against constants is one of them where the test holds.
FIELD_ALLOWLIST = '''\
import sqlite3
from dataclasses import dataclass
from flask import Flask, request

app = Flask(__name__)
COLUMNS = ("name", "created", "id")
db = sqlite3.connect("app.db")


@dataclass
class Query:
    column: str
    order: str


@app.route("/sorted")
def sorted_view():
    q = Query(request.args.get("col", "id"), request.args.get("ord", "asc"))
    column = q.column if q.column in COLUMNS else "id"
    rows = db.execute(f"SELECT * FROM t ORDER BY {column}").fetchall()
    rows += db.execute(f"SELECT * FROM t ORDER BY {q.column}").fetchall()  # BST204
    if q.order not in ("asc", "desc"):
        return {"error": "order"}
    rows += db.execute(f"SELECT * FROM t ORDER BY id {q.order}").fetchall()
    q = Query(request.args.get("col2", "id"), request.args.get("ord2", "asc"))
    rows += db.execute(f"SELECT * FROM t ORDER BY id {q.order}").fetchall()  # BST204
    return {"rows": rows}
'''

# A test written as a function of the module proves, where its call is true, what its returned
# test proves of the parameter.
HELPER_TESTS = '''\
import re
import subprocess
from urllib.parse import urlparse

import requests
from flask import Flask, abort, request

app = Flask(__name__)
NAME = re.compile(r"[a-z0-9]+")
HOSTS = ("api.example.com", "cdn.example.com")


def valid_name(name):
    """Letters and digits only."""
    return NAME.fullmatch(name) is not None


def allowed(mode, modes=("fast", "slow")):
    return mode in modes


def trusted(url):
    parts = urlparse(url)
    return parts.scheme == "https" and parts.netloc in HOSTS


def anything(value):
    return len(value) < 100


@app.route("/tool")
def tool():
    name = request.args["n"]
    if not valid_name(name):
        abort(400)
    subprocess.run(f"tool {name}", shell=True)
    mode = request.args["m"]
    if allowed(mode):
        subprocess.run(f"tool --mode {mode}", shell=True)
    subprocess.run(f"tool --mode {mode}", shell=True)  # BST202
    other = request.args["o"]
    if anything(other):
        subprocess.run(f"tool {other}", shell=True)  # BST202
    url = request.args["u"]
    if trusted(url):
        requests.get(url)
    return requests.get(url).text  # BST213
'''

# Flask's "securely redirect back" snippet: the target joined on to the site's own URL keeps
# its host. (Werkzeug sends a backslash in a Location percent-encoded: `/\\evil.com` stays a path.)
SAME_HOST_REDIRECT = '''\
from urllib.parse import urljoin, urlparse
from flask import Flask, abort, redirect, request, url_for

app = Flask(__name__)


def is_safe_url(target):
    ref_url = urlparse(request.host_url)
    test_url = urlparse(urljoin(request.host_url, target))
    return test_url.scheme in ("http", "https") and ref_url.netloc == test_url.netloc


def same_as(target, other):
    return urlparse(target).netloc == urlparse(other).netloc


@app.route("/login", methods=["POST"])
def login():
    nxt = request.args.get("next")
    if not is_safe_url(nxt):
        return abort(400)
    return redirect(nxt or url_for("index"))


@app.route("/back")
def back():
    target = request.args.get("to", "")
    if urlparse(target).netloc == urlparse(request.host_url).netloc:
        return redirect(target)
    if same_as(target, request.args.get("base", "")):
        return redirect(target)  # BST210
    return redirect(target)  # BST210
'''


@pytest.mark.parametrize("source", [
    pytest.param(SLASH_GUARD, id="slash_guard"), pytest.param(CONSTANT_TABLE_GET, id="table_get"),
    pytest.param(MODULE_PARSER, id="module_parser"), pytest.param(LOG_LINE_BREAKS, id="log_breaks"),
    pytest.param(SANDBOXED_TEMPLATES, id="sandboxes"), pytest.param(SESSION_STORES, id="session"),
    pytest.param(ASYNC_SESSIONS, id="async_sessions"), pytest.param(PARSER_FEED, id="parser_feed"),
    pytest.param(SET_IN_CONDITIONAL, id="set_in_conditional"),
    pytest.param(FIELD_ALLOWLIST, id="field_allowlist"), pytest.param(HELPER_TESTS, id="helper_tests"),
    pytest.param(SAME_HOST_REDIRECT, id="same_host_redirect")])
def test_each_marked_line_reports_and_no_other_does(source):
    assert_marked(source)


# SQLAlchemy's `text()` carries the query it is given: a query built from validated numbers
# is as known there as in the string, and bandit's B608 on it is retracted.
SQLALCHEMY_TEXT = """\
from fastapi import FastAPI
from sqlalchemy import create_engine, text

engine = create_engine("sqlite:///reports.db")
app = FastAPI()


@app.get("/limit")
def limited(limit: int = 10, owner: str = ""):
    with engine.connect() as db:
        rows = db.execute(text(f"SELECT id FROM reports LIMIT {limit}")).all()
        rows += db.execute(text(f"SELECT id FROM reports WHERE owner = '{owner}'")).all()
    return {"ids": [r[0] for r in rows]}
"""


def test_a_text_clause_of_validated_numbers_retracts_bandits_sql_finding():
    findings = create_engine().analyse(textwrap.dedent(SQLALCHEMY_TEXT), "case.py", Config()).findings
    assert sorted((f.rule_id, f.line + 1) for f in findings if f.rule_id in ("B608", "BST204")) \
        == [("BST204", 12)]
