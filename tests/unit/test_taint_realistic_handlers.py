"""Taint analysis on realistic apps written from the frameworks' documentation, round six: aiohttp
routes (RouteTableDef, match_info, query, post(), json(), HTTPFound, FileResponse, a ClientSession
fetch), AWS Lambda handlers (API Gateway query, path and body, an SQS batch, boto3 calls: S3
downloads and the query services' statements) and a Flask portal (SQLAlchemy text() through a
Session and an engine's connection, ldap3, lxml with XPath, pickle / yaml uploads, send_file,
make_response, logging, an error handler).

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'serverless/__init__.py': r'''''',
    'serverless/web.py': r'''import logging
import shlex
import sqlite3
import subprocess

import aiohttp
from aiohttp import web

routes = web.RouteTableDef()
log = logging.getLogger("web")


@routes.get("/users/{name}")
async def user(request):
    name = request.match_info["name"]
    conn = sqlite3.connect("app.db")
    rows = conn.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()  # BST204
    rows += conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()
    return web.json_response(rows)


@routes.get("/greet")
async def greet(request):
    who = request.query.get("who", "world")
    return web.Response(text=f"<b>hello {who}</b>", content_type="text/html")  # BST203


@routes.get("/plain")
async def plain(request):
    who = request.query.get("who", "world")
    return web.Response(text=f"hello {who}")


@routes.post("/ping")
async def ping(request):
    data = await request.post()
    host = data["host"]
    proc = await asyncio_shell("ping -c 1 " + host)
    subprocess.run("ping -c 1 " + shlex.quote(host), shell=True)
    return web.Response(text=str(proc))


async def asyncio_shell(cmd):
    import asyncio
    return await asyncio.create_subprocess_shell(cmd)  # BST202


@routes.post("/fetch")
async def fetch(request):
    body = await request.json()
    async with aiohttp.ClientSession() as session:
        async with session.get(body["url"]) as resp:  # BST213
            text = await resp.text()
    log.info("fetched %s", body["url"])  # BST207
    raise web.HTTPFound(body["back"])  # BST210


@routes.get("/files/{path}")
async def files(request):
    return web.FileResponse("/srv/files/" + request.match_info["path"])  # BST201


app = web.Application()
app.add_routes(routes)
''',
    'serverless/handlers.py': r'''import json
import logging
import os
import subprocess

import boto3
import pymysql

logger = logging.getLogger()
logger.setLevel(logging.INFO)
s3 = boto3.client("s3")
dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table("orders")
conn = pymysql.connect(host=os.environ["DB_HOST"], user="app", password=os.environ["DB_PASS"],
                       database="shop")


def get_order(event, context):
    params = event.get("queryStringParameters") or {}
    order_id = params.get("id", "")
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM orders WHERE id = '%s'" % order_id)  # BST204
        cur.execute("SELECT * FROM orders WHERE id = %s", (order_id,))
        row = cur.fetchone()
    logger.info("order lookup %s", order_id)  # BST207
    item = table.get_item(Key={"id": order_id})
    return {"statusCode": 200, "body": json.dumps({"row": row, "item": item.get("Item")})}


def download(event, context):
    key = event["pathParameters"]["key"]
    local = "/tmp/" + key
    s3.download_file("bucket", key, local)  # BST201
    with open(local) as fh:  # BST201
        body = fh.read()
    return {"statusCode": 200, "body": body}


def page(event, context):
    name = event["queryStringParameters"]["name"]
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "text/html"},
        "body": f"<h1>Hello {name}</h1>",  # BST203
    }


def moved(event, context):
    target = event["queryStringParameters"]["to"]
    return {"statusCode": 302, "headers": {"Location": target}}  # BST210


def json_page(event, context):
    name = event["queryStringParameters"]["name"]
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"hello": name})}


def process_queue(event, context):
    for record in event["Records"]:
        msg = json.loads(record["body"])
        subprocess.run("thumbnail " + msg["key"], shell=True)  # BST202
        subprocess.run(["thumbnail", "--", msg["key"]])
        s3.put_object(Bucket="thumbs", Key=msg["key"], Body=b"")
    return {"batchItemFailures": []}


def post_comment(event, context):
    body = json.loads(event["body"])
    exec(body["code"])  # BST206
    table.put_item(Item={"id": body["id"], "text": body["text"]})
    return {"statusCode": 201}
''',
    'serverless/queries.py': r'''import base64
import json
import os
import subprocess
import urllib.parse

import boto3

athena = boto3.client("athena")
ddb = boto3.client("dynamodb")
rs = boto3.client("redshift-data")


def handler(event, context):
    body = event["body"]
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    data = json.loads(body)
    athena.start_query_execution(QueryString=f"SELECT * FROM logs WHERE user = '{data['user']}'")  # BST204
    ddb.execute_statement(Statement=f"SELECT * FROM users WHERE id = '{data['id']}'")  # BST204
    ddb.execute_statement(Statement="SELECT * FROM users WHERE id = ?", Parameters=[{"S": data["id"]}])
    rs.execute_statement(Sql="DELETE FROM t WHERE k = '" + data["k"] + "'", Database="d")  # BST204
    return {"statusCode": 200}


def v2(event, context):
    qs = urllib.parse.parse_qs(event["rawQueryString"])
    path = event["requestContext"]["http"]["path"]
    ip = event["headers"].get("x-forwarded-for", "")
    os.system("host " + qs["h"][0])  # BST202
    os.system("log " + path)  # BST202
    os.system("geo " + ip)  # BST202
    return {"statusCode": 200}


def on_upload(event, context):
    for record in event["Records"]:
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        subprocess.run(f"convert /tmp/{key} out.png", shell=True)  # BST202


def on_sns(event, context):
    msg = json.loads(event["Records"][0]["Sns"]["Message"])
    eval(msg["expr"])  # BST206
''',
    'portal/__init__.py': r'''''',
    'portal/app.py': r'''import logging
import os
import pickle

import yaml
from flask import Flask, abort, make_response, request, send_file, send_from_directory
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars
from lxml import etree
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

app = Flask(__name__)
engine = create_engine("sqlite:///portal.db")
log = logging.getLogger("portal")
REPORTS = "/srv/reports"


@app.route("/people")
def people():
    dept = request.args.get("dept", "")
    with Session(engine) as session:
        rows = session.execute(text(f"SELECT * FROM people WHERE dept = '{dept}'")).all()  # BST204
        rows += session.execute(text("SELECT * FROM people WHERE dept = :d"), {"d": dept}).all()
    with engine.connect() as conn:
        conn.execute(text("DELETE FROM cache WHERE k = '" + dept + "'"))  # BST204
    return {"rows": [dict(r._mapping) for r in rows]}


@app.route("/order")
def order():
    col = request.args.get("sort", "name")
    if col not in {"name", "dept", "email"}:
        col = "name"
    with Session(engine) as session:
        return {"rows": [list(r) for r in session.execute(text("SELECT * FROM people ORDER BY " + col))]}


@app.route("/directory")
def directory():
    uid = request.args["uid"]
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    conn.search("dc=corp,dc=com", f"(uid={uid})", attributes=["cn"])  # BST205
    conn.search("dc=corp,dc=com", f"(uid={escape_filter_chars(uid)})", attributes=["cn"])
    return {"entries": [e.entry_to_json() for e in conn.entries]}


@app.post("/import/xml")
def import_xml():
    parser = etree.XMLParser(resolve_entities=True)
    tree = etree.fromstring(request.data, parser)  # BST211
    name = request.args.get("field", "name")
    hits = tree.xpath("//person[@name='" + name + "']")  # BST212
    hits += tree.xpath("//person[@name=$n]", n=name)
    return {"count": len(hits)}


@app.post("/import/state")
def import_state():
    blob = request.files["state"].read()
    state = pickle.loads(blob)  # BST209
    conf = yaml.load(request.files["conf"].read(), Loader=yaml.Loader)  # BST209
    safe_conf = yaml.safe_load(request.files["conf"].read())
    return {"keys": list(state) + list(conf) + list(safe_conf)}


@app.route("/reports/<name>")
def report(name):
    return send_file(os.path.join(REPORTS, name))  # BST201


@app.route("/reports-safe/<name>")
def report_safe(name):
    return send_from_directory(REPORTS, name)


@app.route("/download")
def download():
    fname = request.args.get("f", "")
    return send_file(REPORTS + "/" + fname)  # BST201


@app.route("/download-safe")
def download_safe():
    fname = secure_filename(request.args.get("f", ""))
    return send_file(os.path.join(REPORTS, fname))


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    resp = make_response(f"<h1>Hello {name}</h1>")  # BST203
    resp.headers["X-Name"] = "fixed"
    log.info("hello to %s", name)  # BST207
    return resp


@app.route("/hello.txt")
def hello_text():
    name = request.args.get("name", "")
    resp = make_response(f"Hello {name}")
    resp.mimetype = "text/plain"
    return resp


@app.route("/pref", methods=["POST"])
def pref():
    theme = request.form.get("theme", "light")
    resp = make_response("ok")
    resp.set_cookie("theme", theme)
    log.debug("pref " + request.form.get("note", ""))  # BST207
    return resp


@app.route("/back")
def back():
    target = request.headers.get("Referer", "/")
    resp = make_response("", 302)
    resp.headers["Location"] = target  # BST210
    return resp


@app.errorhandler(404)
def missing(err):
    return f"<p>{request.path} not found</p>", 404  # BST203
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
