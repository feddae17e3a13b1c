"""Safe idioms from the frameworks' and libraries' documentation that the detect75 probe found
reported (an over-report costs as much as a miss), each beside its vulnerable twin, which must
still report: a date parsed from the request and written back with `isoformat()`; an upload's
size from `seek` / `tell`; aiohttp's `router["name"].url_for(...)`, a path of the application's
own route."""

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
