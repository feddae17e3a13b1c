"""Safe idioms from the frameworks' and libraries' documentation that the detect75 probe found
reported (an over-report costs as much as a miss), each beside its vulnerable twin, which must
still report: a date parsed from the request and written back with `isoformat()`; an upload's
size from `seek` / `tell`; aiohttp's `router["name"].url_for(...)`, a path of the application's
own route; a `match` case of constants choosing a table name; a request value after `--` among a
program's arguments (an operand, never an option), which leaves bandit's B603 no flow to flag;
and one tested not to start with `-`; a pickle whose HMAC the server checked; an argparse value quoted for the shell; a constant relative path joined to a fixed base URL; `sys.executable`
as a program; the signed-in user's key in a query; an uploaded file's size."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_marked

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()


def reported(source: str) -> set[tuple[str, int]]:
    """(rule, 1-based line) of every finding the editor's engine reports, import rules aside."""
    return {(f.rule_id, f.line + 1) for f in ENGINE.analyse(source, "case.py", Config()).findings
            if not f.rule_id.startswith("B4") and f.rule_id != "B607"}  # B607: a program's PATH lookup


# `datetime.strptime` gives a date, not text (sanitizers.toml); `isoformat()` writes its fields as
# digits: the query built from it holds nothing of the sender's. The format string of `strftime`
# is copied into its result, so that one is not modelled.
DATES = '''\
import sqlite3
from datetime import datetime

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/since")
def since():
    when = datetime.strptime(request.args["since"], "%Y-%m-%d")
    rows = sqlite3.connect("app.db").execute(f"SELECT * FROM t WHERE created > '{when.isoformat()}'").fetchall()
    return jsonify(rows)


@app.route("/since-text")
def since_text():
    when = request.args["since"]
    rows = sqlite3.connect("app.db").execute(f"SELECT * FROM t WHERE created > '{when}'").fetchall()
'''


def test_a_parsed_date_written_back_in_iso_format_is_no_sql_injection():
    found = reported(DATES)
    assert ("BST204", 19) in found
    assert not {line for _, line in found} & {11, 12}  # neither BST204 nor bandit's B608


# An upload's size measured by seeking to its end (Werkzeug's FileStorage is a file object)
UPLOAD_SIZE = '''\
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    f.seek(0, os.SEEK_END)
    size = f.tell()
    return f"<p>{size} bytes, {f.mimetype == 'text/plain'}</p>"


@app.route("/upload-name", methods=["POST"])
def upload_name():
    f = request.files["file"]
    return f"<p>{f.filename}</p>"  # BST203
'''


def test_a_files_position_is_a_number():
    assert_marked(UPLOAD_SIZE)


# aiohttp's URL reversing (`request.app.router["user"].url_for(id=...)`, from its documentation's
# "Reverse URL Constructing using Named Resources"): the route's own path with the values quoted in
AIOHTTP_REVERSE = '''\
from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/user/{id}", name="user")
async def user(request):
    return web.json_response({"id": request.match_info["id"]})


@routes.get("/go")
async def go(request):
    raise web.HTTPFound(request.app.router["user"].url_for(id=request.query["id"]))


@routes.get("/go-next")
async def go_next(request):
    raise web.HTTPFound(request.query["next"])  # BST210
'''


def test_an_aiohttp_route_url_is_a_path_of_the_application():
    assert_marked(AIOHTTP_REVERSE)


# `match kind: case "users" | "orders":`: in that case the subject is one of the constants; the
# query built from it is retracted as bandit's B608 (its value is known), not only unreported.
MATCH_TABLE = '''\
import sqlite3

from flask import Flask, abort, jsonify

app = Flask(__name__)


@app.route("/match/<kind>")
def match_kind(kind):
    match kind:
        case "users" | "orders":
            rows = sqlite3.connect("app.db").execute(f"SELECT * FROM {kind}").fetchall()
            return jsonify(rows)
        case _:
            abort(404)


@app.route("/any/<kind>")
def any_kind(kind):
    return jsonify(sqlite3.connect("app.db").execute(f"SELECT * FROM {kind}").fetchall())
'''


def test_a_match_case_of_constants_makes_its_subject_known():
    found = reported(MATCH_TABLE)
    assert ("BST204", 20) in found
    assert not {line for _, line in found} & {12}


# `git log -- <path>`: what follows `--` is an operand (git's and POSIX's utility syntax
# guidelines), so no BST217; bandit's B603 on the same call flags a flow the analysis has ruled
# out: the program is constant and every argument it may read as an option is. Without `--` the
# ref is argument injection (`--output=...`), which BST217 reports in B603's place.
OPERANDS = '''\
import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/git-log")
def git_log():
    path = request.args["path"]
    out = subprocess.run(["git", "log", "--oneline", "--", path], capture_output=True, text=True)
    return jsonify(out=out.stdout)


@app.route("/git-show")
def git_show():
    out = subprocess.run(["git", "show", request.args["ref"]], capture_output=True, text=True)
    return jsonify(out=out.stdout)
'''


def test_request_data_after_a_double_dash_leaves_no_b603():
    found = reported(OPERANDS)
    assert ("BST217", 17) in found and ("B603", 17) not in found
    assert not {line for _, line in found} & {11}


# A ref tested not to start with `-` (`git show` reads `--output=...` as an option) is an
# operand: no BST217, and B603 is retracted; the `--` test alone proves nothing (`-o` is an option).
NOT_AN_OPTION = '''\
import subprocess

from flask import Flask, abort, jsonify, request

app = Flask(__name__)


@app.route("/git-show")
def git_show():
    ref = request.args["ref"]
    if not ref or ref.startswith("-"):
        abort(400)
    return jsonify(out=subprocess.run(["git", "show", ref], capture_output=True, text=True).stdout)


@app.route("/git-show-long")
def git_show_long():
    ref = request.args["ref"]
    if ref.startswith("--"):
        abort(400)
    return jsonify(out=subprocess.run(["git", "show", ref], capture_output=True, text=True).stdout)
'''


def test_a_value_not_led_by_a_dash_is_no_option():
    found = reported(NOT_AN_OPTION)
    assert ("BST217", 21) in found
    assert not {line for _, line in found} & {13}


# The pickle documentation's advice: sign what you pickle (`hmac`), and check the signature in
# constant time before loading. A key the request sends proves nothing, nor does a signature
# checked over other bytes than those loaded.
SIGNED_PICKLE = '''\
import base64
import hashlib
import hmac
import pickle

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
SECRET = b"from the configuration"


@app.route("/state", methods=["POST"])
def state():
    blob = base64.b64decode(request.form["blob"])
    expected = hmac.new(SECRET, blob, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.form["sig"], expected):
        abort(403)
    return jsonify(pickle.loads(blob))


@app.route("/state-inline", methods=["POST"])
def state_inline():
    blob = base64.b64decode(request.form["blob"])
    if not hmac.compare_digest(hmac.digest(SECRET, blob, "sha256"), base64.b64decode(request.form["sig"])):
        abort(403)
    return jsonify(pickle.loads(blob))


@app.route("/state-their-key", methods=["POST"])
def state_their_key():
    blob = base64.b64decode(request.form["blob"])
    expected = hmac.new(request.form["key"].encode(), blob, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.form["sig"], expected):
        abort(403)
    return jsonify(pickle.loads(blob))  # BST209


@app.route("/state-unchecked", methods=["POST"])
def state_unchecked():
    blob = base64.b64decode(request.form["blob"])
    return jsonify(pickle.loads(blob))  # BST209
'''


def test_a_message_whose_signature_was_checked_is_safe_to_unpickle():
    assert_marked(SIGNED_PICKLE)
    found = reported(SIGNED_PICKLE)
    assert not {line for _, line in found} & {19, 27}  # nor bandit's B301


# An argparse destination quoted for the shell (the `shlex.quote` the subprocess documentation
# points to): bandit's B605 / B602 are retracted, as for `shlex.quote(sys.argv[1])`; the
# attribute of a namespace with a validated destination (`type=int`) besides is the command
# line's known text, not an unknown value.
QUOTED_OPTION = '''\
import argparse
import os
import shlex
import subprocess


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("--count", type=int, default=1)
    args = parser.parse_args()
    os.system(f"ping -c {args.count} {shlex.quote(args.host)}")
    subprocess.run(" ".join(["ping", "-c", "1", shlex.quote(args.host)]), shell=True, check=True)
    os.system("ping -c 1 " + args.host)
'''


def test_a_quoted_command_line_option_retracts_the_shell_findings():
    found = reported(QUOTED_OPTION)
    assert ("BST202", 14) in found
    assert not {line for _, line in found} & {12, 13}


# A relative reference whose first segment is constant (`items/`: no scheme can follow it, nor a
# host) joined to a base URL of a fixed host stays on that host (urllib's `urljoin` resolves it
# as RFC 3986 says); joined whole, the request's text may be `https://internal/`, and after `//`
# it is the host.
RELATIVE_TO_BASE = '''\
from urllib.parse import urljoin

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
API = "https://api.example.com/v1/"


@app.route("/item")
def item():
    return jsonify(requests.get(urljoin(API, "items/" + request.args["id"]), timeout=5).json())


@app.route("/any")
def any_url():
    return jsonify(requests.get(urljoin(API, request.args["path"]), timeout=5).json())  # BST213


@app.route("/host")
def host():
    return jsonify(requests.get(urljoin(API, "//" + request.args["host"] + "/status"), timeout=5).json())  # BST213
'''


def test_a_constant_relative_path_keeps_the_base_urls_host():
    assert_marked(RELATIVE_TO_BASE)


# The interpreter running the program (`sys.executable`, the subprocess documentation's way to
# run a module with the same Python) is no text of the sender's: bandit's B603 is retracted on a
# vector of it and constants; the code it runs with `-c` from the request is command injection.
SAME_INTERPRETER = '''\
import subprocess
import sys

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/pip")
def pip_version():
    return jsonify(out=subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True).stdout)


@app.route("/run")
def run_code():
    return jsonify(out=subprocess.run([sys.executable, "-c", request.args["code"]], capture_output=True, text=True).stdout)
'''


def test_the_running_interpreter_is_a_known_program():
    found = reported(SAME_INTERPRETER)
    assert ("BST202", 16) in found
    assert not {line for _, line in found} & {11}


# The signed-in user's key written into a query (Django's `request.user.id`, a class-based
# view's `self.request.user.pk`, Flask-Login's `current_user.id`): the row the session names,
# a number, so bandit's B608 is retracted; the request's own `id` is still SQL injection.
SIGNED_IN_USER = '''\
from django.db import connection
from django.http import JsonResponse
from django.views import View


def mine(request):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM blog_post WHERE author_id = {request.user.id}")
        return JsonResponse({"rows": cursor.fetchall()})


class Mine(View):
    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM blog_post WHERE author_id = %s" % self.request.user.pk)
            return JsonResponse({"rows": cursor.fetchall()})


def theirs(request):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM blog_post WHERE author_id = {request.GET['id']}")
        return JsonResponse({"rows": cursor.fetchall()})
'''

FLASK_LOGIN_USER = '''\
import sqlite3

from flask import Flask, jsonify
from flask_login import current_user, login_required

app = Flask(__name__)


@app.route("/mine")
@login_required
def mine():
    rows = sqlite3.connect("app.db").execute(f"SELECT * FROM posts WHERE author_id = {current_user.id}").fetchall()
    return jsonify(rows)


@app.route("/named")
@login_required
def named():
    rows = sqlite3.connect("app.db").execute(f"SELECT * FROM posts WHERE author = '{current_user.name}'").fetchall()
    return jsonify(rows)
'''


def test_the_signed_in_users_key_is_no_sql_injection():
    found = reported(SIGNED_IN_USER)
    assert ("BST204", 21) in found
    assert not {line for _, line in found} & {8, 15}
    found = reported(FLASK_LOGIN_USER)
    assert ("B608", 19) in found  # a name the user chose: unknown to the analysis, bandit's stays
    assert not {line for _, line in found} & {12}


# An uploaded file's size (Django's `UploadedFile.size`, Werkzeug's `FileStorage.content_length`,
# Starlette's `UploadFile.size`) is a number; its name is the sender's text, and so is a
# body model's field that happens to be called `size`.
UPLOAD_NUMBERS = '''\
from django.http import HttpResponse


def upload(request):
    f = request.FILES["doc"]
    return HttpResponse(f"<p>{f.size} bytes</p>")


def upload_name(request):
    f = request.FILES["doc"]
    return HttpResponse(f"<p>{f.name}</p>")  # BST203
'''

FLASK_UPLOAD_LENGTH = '''\
from flask import Flask, request

app = Flask(__name__)


@app.route("/upload", methods=["POST"])
def upload():
    return f"<p>{request.files['file'].content_length} bytes</p>"
'''

FASTAPI_UPLOAD_SIZE = '''\
from fastapi import FastAPI, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

app = FastAPI()


class Shirt(BaseModel):
    size: str


@app.post("/upload")
async def upload(file: UploadFile):
    return HTMLResponse(f"<p>{file.size} bytes</p>")


@app.post("/shirt")
async def shirt(body: Shirt):
    return HTMLResponse(f"<p>{body.size}</p>")  # BST203
'''


def test_an_uploaded_files_size_is_a_number():
    assert_marked(UPLOAD_NUMBERS)
    assert_marked(FASTAPI_UPLOAD_SIZE)
    assert not reported(FLASK_UPLOAD_LENGTH)
