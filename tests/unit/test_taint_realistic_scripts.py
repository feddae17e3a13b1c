"""Taint analysis on realistic apps written from the frameworks' documentation and everyday idioms: AWS
Lambda handlers (proxy responses, an event wrapper class, SQS records), a backup CLI with **kwargs,
an aiohttp class-based view.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'lambda_function.py': r'''import base64
import json
import logging
import os
import pickle
import subprocess

import boto3
import pymysql
import requests
from jinja2 import Environment

logger = logging.getLogger()
s3 = boto3.client("s3")
TMP = "/tmp"


def _params(event):
    return event.get("queryStringParameters") or {}


def _body(event):
    return json.loads(event.get("body") or "{}")


def lambda_handler(event, context):
    params = _params(event)
    key = params.get("key", "")
    local = os.path.join(TMP, key)
    s3.download_file("bucket", key, local)  # BST201
    with open(os.path.join(TMP, os.path.basename(key)), "w") as fh:
        fh.write("x")

    body = _body(event)
    conn = pymysql.connect(host="db", user="u", password=os.environ["DB_PW"], database="app")
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM t WHERE id = '{}'".format(body["id"]))  # BST204
        cur.execute("SELECT * FROM t WHERE id = %s", (body["id"],))

    fmt = body.get("format", "png")
    subprocess.call("gm convert in out.%s" % fmt, shell=True)  # BST202
    if fmt in ("png", "jpg"):
        subprocess.call("gm convert in out.%s" % fmt, shell=True)

    state = base64.b64decode(body.get("state", ""))
    obj = pickle.loads(state)  # BST209

    callback = body.get("callback")
    requests.post(callback, json={"done": True}, timeout=3)  # BST213
    requests.post(os.environ["CALLBACK_URL"], json={"cb": callback}, timeout=3)

    logger.info("processed %s", key)  # BST207
    logger.info("processed " + key)  # BST207

    tpl = Environment().from_string(body.get("template", ""))  # BST214
    html = "<p>%s</p>" % params.get("msg", "")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "text/html"},
        "body": html,  # BST203
        "obj": str(obj) + tpl.render(),
    }


def redirect_handler(event, context):
    dest = (event.get("queryStringParameters") or {}).get("dest", "/")
    return {"statusCode": 302, "headers": {"Location": dest}}  # BST210


def redirect_handler_safe(event, context):
    dest = (event.get("queryStringParameters") or {}).get("dest", "/")
    allowed = {"/home", "/account"}
    return {"statusCode": 302, "headers": {"Location": dest if dest in allowed else "/"}}
''',
    'tool.py': r'''#!/usr/bin/env python3
"""Backup helper."""
import argparse
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET

log = logging.getLogger("backup")


def run(dest, **opts):
    exclude = " ".join(f"--exclude={e}" for e in opts.get("exclude", []))
    subprocess.run(f"rsync -a {exclude} /data {dest}", shell=True, check=True)  # BST202


def run_safe(dest, **opts):
    args = ["rsync", "-a"] + [f"--exclude={e}" for e in opts.get("exclude", [])] + ["/data", dest]
    subprocess.run(args, check=True)


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("dest")
    p.add_argument("--exclude", action="append", default=[])
    p.add_argument("--db", default="backup.db")
    p.add_argument("--label")
    p.add_argument("--expr")
    p.add_argument("--mode", choices=["full", "incr"], default="full")
    a = p.parse_args(argv)
    run(a.dest, exclude=a.exclude)
    run_safe(a.dest, exclude=a.exclude)
    conn = sqlite3.connect(a.db)
    conn.execute("INSERT INTO runs(label) VALUES ('%s')" % a.label)  # BST204
    conn.execute("INSERT INTO runs(label) VALUES (?)", (a.label,))
    conn.execute("INSERT INTO runs(mode) VALUES ('%s')" % a.mode)
    if a.expr:
        print(eval(a.expr))  # BST206
    name = sys.argv[-1]
    os.system("tar czf backup.tgz " + name)  # BST202


if __name__ == "__main__":
    main()
''',
    'lambda2.py': r'''import json
import os
import subprocess

import boto3
import requests

dynamo = boto3.resource("dynamodb")


class Event:
    def __init__(self, raw):
        self.raw = raw
        self.body = json.loads(raw.get("body") or "{}")
        self.path = raw.get("pathParameters") or {}

    @property
    def user(self):
        return self.path.get("user")


def handler(event, context):
    ev = Event(event)
    with open(os.path.join("/tmp", ev.user)) as fh:  # BST201
        data = fh.read()
    url = ev.body.get("webhook")
    requests.get(url, timeout=2)  # BST213
    cmd = ev.body["cmd"]
    subprocess.run(cmd, shell=True)  # BST202
    return {"statusCode": 200, "body": json.dumps({"d": data})}


def sqs_handler(event, context):
    for record in event["Records"]:
        msg = json.loads(record["body"])
        os.system("process " + msg["file"])  # BST202
    return {}
''',
    'aiohttp2.py': r'''import logging
import subprocess

from aiohttp import web

log = logging.getLogger(__name__)


class ReportView(web.View):
    async def get(self):
        name = self.request.match_info.get("name")
        with open("/srv/reports/" + name) as fh:  # BST201
            return web.Response(text=fh.read())

    async def post(self):
        form = await self.request.post()
        out = subprocess.check_output(["sh", "-c", "report " + form["name"]])  # BST202
        return web.Response(text=out.decode())


async def eval_handler(request):
    data = await request.json()
    expr = data.get("expr", "0")
    return web.json_response({"v": eval(expr, {"__builtins__": {}})})  # BST206


async def session_handler(request):
    from aiohttp_session import get_session
    session = await get_session(request)
    session["name"] = request.query["name"]  # BST208
    return web.Response(text="ok")


app = web.Application()
app.router.add_view("/reports/{name}", ReportView)
app.router.add_post("/eval", eval_handler)
app.router.add_get("/s", session_handler)
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
