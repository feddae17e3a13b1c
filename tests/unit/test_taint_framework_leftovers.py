"""Framework idioms of the last rounds' leftovers (issue 12), each written from the framework's
documentation with a safe twin, checked through `bastion check`: Strawberry's request in a
resolver's context (`info.context["request"]`), Bottle's `<name:int>` filters and Klein's
Werkzeug `<int:name>` rules (numbers; other segments the request's), a started process's
`pid` (a number, whatever command started it), and a logger under a name of its own, known by
its annotation (`lg: logging.Logger`) or by the `getLogger` that made it."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

STRAWBERRY = '''\
import os

import strawberry


@strawberry.type
class Query:
    @strawberry.field
    def files(self, info: strawberry.Info) -> str:
        request = info.context["request"]
        folder = request.query_params["folder"]
        return os.popen("ls " + folder).read()  # BST202

    @strawberry.field
    def agent(self, info: strawberry.Info) -> str:
        return os.popen("echo " + info.context["request"].headers["user-agent"]).read()  # BST202

    @strawberry.field
    def counted(self, info: strawberry.Info) -> str:
        request = info.context["request"]
        count = len(request.query_params["folder"])
        return os.popen("ls -" + str(count)).read()

    @strawberry.field
    def settings(self, info: strawberry.Info) -> str:
        return os.popen("ls " + info.context["settings"].folder).read()

    @strawberry.mutation
    async def upload(self, info: strawberry.Info) -> str:
        data = await info.context["request"].json()
        return os.popen("ls " + data["folder"]).read()  # BST202
'''

# Django's context class keeps the request as an attribute too
STRAWBERRY_DJANGO = '''\
import subprocess

import strawberry
from strawberry.types import Info


@strawberry.type
class Query:
    @strawberry.field
    def report(self, info: Info) -> str:
        name = info.context.request.GET["name"]
        subprocess.run("report " + name, shell=True)  # BST202
        return "ok"
'''

BOTTLE = '''\
import os

from bottle import Bottle, route

app = Bottle()


@app.route("/item/<item_id:int>")
def item(item_id):
    os.system("echo " + str(item_id))
    return "ok"


@route("/file/<name:path>")
def file(name):
    os.system("cat " + name)  # BST202
    return "ok"


@app.get("/ratio/<ratio:float>/<tag>")
def ratio(ratio, tag):
    os.system("echo " + str(ratio))
    os.system("echo " + tag)  # BST202
    return "ok"


@app.get("/re/<code:re:[a-z]+>")
def coded(code):
    os.system("echo " + code)  # BST202
    return "ok"
'''

KLEIN = '''\
import os

from klein import Klein

app = Klein()


@app.route("/item/<int:item_id>")
def item(request, item_id):
    os.system("echo " + str(item_id))
    return b"ok"


@app.route("/file/<path:name>")
def file(request, name):
    os.system("cat " + name)  # BST202
    return b"ok"


@app.route("/search")
def search(request):
    query = request.args[b"q"][0].decode()
    os.system("grep " + query)  # BST202
    return b"ok"
'''

PROCESSES = '''\
import asyncio
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/run")
def run():
    proc = subprocess.Popen(["ls", "--", request.args["folder"]], stdout=subprocess.PIPE)
    os.system("kill -0 " + str(proc.pid))
    os.system("echo " + str(proc.returncode))
    out = proc.communicate()[0]
    os.system("echo " + out.decode())  # BST202
    return "ok"


@app.route("/run2")
async def run2():
    proc = await asyncio.create_subprocess_exec("ls", "--", request.args["folder"])
    os.system("kill -0 " + str(proc.pid))
    return "ok"


@app.route("/job")
def job():
    record = request.get_json()
    os.system("kill " + str(record.pid))  # BST202
    return "ok"
'''

LOGGERS = '''\
import logging
from logging import Logger

from flask import Flask, request

app = Flask(__name__)
audit_log = logging.getLogger("audit")


def audit(lg: logging.Logger, user):
    lg.info(user)  # BST207


def audit_imported(trail: Logger, user):
    trail.warning("login by " + user)  # BST207


def audit_safe(lg: logging.Logger, user):
    lg.info("user %r", user)
    lg.info("login attempt")


def local_logger(user):
    sink = logging.getLogger(__name__)
    sink.warning("login " + user)  # BST207


@app.route("/login")
def login():
    user = request.args["user"]
    audit(logging.getLogger("x"), user)
    audit_imported(logging.getLogger("y"), user)
    audit_safe(logging.getLogger("x"), user)
    local_logger(user)
    audit_log.warning("login attempt")
    return "ok"
'''


def test_strawberry_context_request_is_the_clients():
    assert_marked(STRAWBERRY)
    assert_marked(STRAWBERRY_DJANGO)


def test_bottle_filters_and_klein_converters_type_segments():
    assert_marked(BOTTLE)
    assert_marked(KLEIN)


def test_a_started_process_pid_is_a_number():
    assert_marked(PROCESSES)


def test_a_logger_under_another_name_is_a_log_sink():
    assert_marked(LOGGERS)


def test_through_bastion_check(tmp_path):
    assert_checked_apps({"schema.py": STRAWBERRY, "django_schema.py": STRAWBERRY_DJANGO,
                         "bottle_app.py": BOTTLE, "klein_app.py": KLEIN, "procs.py": PROCESSES,
                         "logs.py": LOGGERS},
                        tmp_path)
