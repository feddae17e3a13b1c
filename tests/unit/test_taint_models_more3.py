"""Models met in the third round of held-out probes (issue 12): each case a small app whose
vulnerable lines are marked and whose safe twins are not."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import marked_and_found

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


CASES = {"slash_guard": SLASH_GUARD, "constant_table_get": CONSTANT_TABLE_GET,
         "module_parser": MODULE_PARSER, "log_line_breaks": LOG_LINE_BREAKS,
         "sandboxed_templates": SANDBOXED_TEMPLATES}


@pytest.mark.parametrize("source", CASES.values(), ids=CASES.keys())
def test_marked_lines_report_and_their_safe_twins_do_not(source):
    expected, found = marked_and_found(source)
    assert expected and found == expected
