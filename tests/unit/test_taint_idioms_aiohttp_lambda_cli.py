"""Taint analysis: request, event and command-line idioms as aiohttp's, AWS Lambda's, argparse's
and click's documentation show them, each vulnerable line marked (taint_marked.py) beside a safe
twin (constant, validated, sanitized, parameterized; a Lambda handler's returned proxy response
dict: its Location, and its body when declared HTML), checked through the analyzer, the editor's
engine and `bastion check --format json` (rule and CWE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.taint_marked import checked, editor_found, expected_checked, marked_and_found

CWE = {"BST201": 22, "BST202": 78, "BST203": 79, "BST204": 89, "BST206": 95, "BST207": 117,
       "BST209": 502, "BST210": 601, "BST213": 918, "BST217": 88}

AIOHTTP = '''\
import json
import logging
import os
import pickle
import shlex
import subprocess
import sqlite3
import aiohttp
from aiohttp import web
from urllib.parse import urlparse

routes = web.RouteTableDef()
log = logging.getLogger(__name__)
ALLOWED = {"api.example.com"}
PAGES = {"home": "/", "docs": "/docs"}


@routes.get("/files/{name}")
async def get_file(request):
    name = request.match_info["name"]
    web.FileResponse("/srv/static/" + os.path.basename(name))
    return web.FileResponse("/srv/static/" + name)  # BST201


@routes.get("/ping")
async def ping(request):
    host = request.query.get("host", "localhost")
    subprocess.run(["ping", "-c1", host])  # BST217
    subprocess.run("ping -c1 " + shlex.quote(host), shell=True)
    subprocess.run("ping -c1 " + host, shell=True)  # BST202
    return web.Response(text="ok")


@routes.post("/users")
async def add_user(request):
    data = await request.post()
    db = sqlite3.connect("a.db")
    db.execute("INSERT INTO u VALUES (?)", (data["name"],))
    db.execute("INSERT INTO u VALUES ('%s')" % data["name"])  # BST204
    return web.Response(text="ok")


@routes.post("/fetch")
async def fetch(request):
    body = await request.json()
    url = body["url"]
    async with aiohttp.ClientSession() as session:
        if urlparse(url).netloc in ALLOWED:
            await session.get(url)
        async with session.get(url) as resp:  # BST213
            return web.Response(text=await resp.text())


@routes.get("/go")
async def go(request):
    to = request.query.get("next", "/")
    if to in PAGES:
        raise web.HTTPFound(PAGES[to])
    raise web.HTTPFound(to)  # BST210


@routes.get("/hello")
async def hello(request):
    name = request.query.get("name", "")
    web.Response(text="<h1>Hello %s</h1>" % name)
    return web.Response(text="<h1>Hello %s</h1>" % name, content_type="text/html")  # BST203


@routes.post("/calc")
async def calc(request):
    expr = await request.text()
    if expr.isdigit():
        eval(expr)
    return web.Response(text=str(eval(expr)))  # BST206


@routes.post("/load")
async def load(request):
    raw = await request.read()
    json.loads(raw)
    return web.Response(text=str(pickle.loads(raw)))  # BST209


@routes.get("/agent")
async def agent(request):
    ua = request.headers.get("User-Agent", "")
    log.info("agent %r", ua)
    log.info("agent " + ua)  # BST207
    request.app.logger.info("agent %r", ua)
    request.app.logger.warning("agent " + ua)  # BST207
    return web.Response(text="ok")


@routes.get("/theme")
async def theme(request):
    theme = request.cookies.get("theme", "light")
    open("/srv/themes/" + os.path.basename(theme) + ".css")
    open("/srv/themes/" + theme + ".css")  # BST201
    return web.Response(text="ok")


@routes.post("/upload")
async def upload(request):
    reader = await request.multipart()
    field = await reader.next()
    filename = field.filename
    with open(os.path.join("/srv/up", os.path.basename(filename)), "wb") as fh:
        fh.write(await field.read())
    with open(os.path.join("/srv/up", filename), "wb") as fh:  # BST201
        fh.write(await field.read())
    return web.Response(text="ok")


@routes.get("/ws")
async def console(request):
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    cmd = await ws.receive_str()
    subprocess.run(["echo", cmd])  # BST217
    subprocess.run("echo " + cmd, shell=True)  # BST202
    async for msg in ws:
        subprocess.run(["echo", msg.data])  # BST217
        subprocess.run("echo " + msg.data, shell=True)  # BST202
    return ws


class Items(web.View):
    async def get(self):
        item = self.request.match_info["item"]
        subprocess.call(["cat", item])  # BST217
        subprocess.call("cat " + item, shell=True)  # BST202
        return web.Response(text="ok")

    async def post(self):
        data = await self.request.post()
        sqlite3.connect("a.db").execute("DELETE FROM i WHERE n = ?", (data["n"],))
        sqlite3.connect("a.db").execute(f"DELETE FROM i WHERE n = '{data['n']}'")  # BST204
        return web.Response(text="ok")


async def handle(request):
    name = request.match_info.get("name", "Anonymous")
    os.system("echo " + shlex.quote(name))
    os.system("echo " + name)  # BST202
    return web.Response(text="Hello, " + name)


app = web.Application()
app.add_routes(routes)
app.add_routes([web.get("/{name}", handle)])
app.router.add_view("/items/{item}", Items)
'''

LAMBDA = '''\
import base64
import json
import logging
import os
import pickle
import shlex
import subprocess
import sqlite3
import urllib.request
from urllib.parse import urlparse

import boto3
import requests

logger = logging.getLogger()
BUCKET = "reports"
ALLOWED = {"api.example.com"}
PAGES = {"home": "/", "docs": "/docs"}


def lambda_handler(event, context):
    name = event["queryStringParameters"]["name"]
    open("/tmp/" + os.path.basename(name))
    with open("/tmp/" + name) as fh:  # BST201
        return {"statusCode": 200, "body": fh.read()}


def get_user(event, context):
    user_id = event["pathParameters"]["id"]
    db = sqlite3.connect("/tmp/u.db")
    db.execute("SELECT * FROM u WHERE id = ?", (user_id,))
    rows = db.execute("SELECT * FROM u WHERE id = '%s'" % user_id).fetchall()  # BST204
    return {"statusCode": 200, "body": json.dumps(rows)}


def create(event, context):
    body = json.loads(event["body"])
    subprocess.run(["convert", body["file"], "out.png"])  # BST217
    subprocess.run("convert %s out.png" % shlex.quote(body["file"]), shell=True)
    subprocess.run("convert %s out.png" % body["file"], shell=True)  # BST202
    return {"statusCode": 201}


def proxy(event, context):
    params = event.get("queryStringParameters") or {}
    url = params.get("url", "")
    if urlparse(url).netloc in ALLOWED:
        requests.get(url, timeout=5)
    requests.get("https://api.example.com/items", params={"q": url}, timeout=5)
    return {"statusCode": 200, "body": requests.get(url, timeout=5).text}  # BST213


def redirect(event, context):
    to = event["queryStringParameters"].get("next", "/")
    return {"statusCode": 302, "headers": {"Location": to}}  # BST210


def redirect_safe(event, context):
    to = event["queryStringParameters"].get("next", "/")
    return {"statusCode": 302, "headers": {"Location": PAGES.get(to, "/")}}


def greet(event, context):
    name = event["queryStringParameters"]["name"]
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "text/html"},
        "body": "<h1>Hello %s</h1>" % name,  # BST203
    }


def greet_text(event, context):
    name = event["queryStringParameters"]["name"]
    if not name:
        return {"statusCode": 400, "body": "missing name: " + name}
    return {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "Hello " + name}


def greet_safe(event, context):
    name = event["queryStringParameters"]["name"]
    if not name.isalnum():
        return {"statusCode": 400, "body": "bad name"}
    return {"statusCode": 200, "headers": {"Content-Type": "text/html"}, "body": "<h1>%s</h1>" % name}


def calc(event, context):
    expr = json.loads(event["body"])["expr"]
    if expr.isdigit():
        eval(expr)
    return {"statusCode": 200, "body": str(eval(expr))}  # BST206


def restore(event, context):
    blob = base64.b64decode(event["body"])
    json.loads(blob)
    return {"statusCode": 200, "body": str(pickle.loads(blob))}  # BST209


def audit(event, context):
    ua = event["headers"].get("User-Agent", "")
    logger.info("agent %r", ua)
    logger.info("agent " + ua)  # BST207
    return {"statusCode": 200}


def fetch_report(event, context):
    key = event["queryStringParameters"]["key"]
    urllib.request.urlopen("https://reports.example.com/" + key)
    urllib.request.urlopen(key)  # BST213
    boto3.client("s3").get_object(Bucket=BUCKET, Key=key)
    return {"statusCode": 200}
'''

CLI = '''\
import argparse
import getopt
import optparse
import os
import pickle
import shlex
import sqlite3
import subprocess
import sys

import click
import yaml


def by_argv():
    name = sys.argv[1]
    subprocess.run(["grep", name, "log.txt"])
    subprocess.run("grep " + shlex.quote(name) + " log.txt", shell=True)
    subprocess.run("grep " + name + " log.txt", shell=True)  # BST202


def main():
    parser = argparse.ArgumentParser(description="report tool")
    parser.add_argument("user")
    parser.add_argument("--expr", default="1")
    sub = parser.add_subparsers(dest="cmd")
    run = sub.add_parser("run")
    run.add_argument("script")
    args = parser.parse_args()
    db = sqlite3.connect("a.db")
    db.execute("SELECT * FROM u WHERE name = ?", (args.user,))
    db.execute("SELECT * FROM u WHERE name = '%s'" % args.user)  # BST204
    eval(args.expr)  # BST206
    if args.cmd == "run":
        os.system("sh " + shlex.quote(args.script))
        os.system("sh " + args.script)  # BST202


def legacy():
    parser = optparse.OptionParser()
    parser.add_option("-u", dest="user")
    options, _ = parser.parse_args()
    subprocess.run(["id", options.user])
    os.system("id " + options.user)  # BST202
    opts, _ = getopt.getopt(sys.argv[1:], "g:")
    for _, group in opts:
        subprocess.run(["getent", "group", group])
        os.system("getent group " + group)  # BST202
    settings = vars(argparse.ArgumentParser().parse_args())
    subprocess.run(["id", settings["user"]])
    os.system("id " + settings["user"])  # BST202


def ask():
    answer = input("expression: ")
    if answer.isdigit():
        eval(answer)
    print(eval(answer))  # BST206


def from_env():
    path = os.environ.get("STATE_FILE", "state.pkl")
    cmd = os.environ["EDITOR"]
    with open(path, "rb") as fh:
        pickle.load(fh)
    os.system(shlex.quote(cmd) + " notes.txt")
    os.system(cmd + " notes.txt")  # BST202


@click.command()
@click.option("--query", default="")
@click.argument("config")
def report(query, config):
    db = sqlite3.connect("a.db")
    db.execute("SELECT * FROM r WHERE q = ?", (query,))
    db.execute("SELECT * FROM r WHERE q = '" + query + "'")  # BST204
    with open(config) as fh:
        yaml.safe_load(fh)
    yaml.load(open(config), Loader=yaml.Loader)


@click.command()
def ask_name():
    name = click.prompt("name")
    subprocess.run(["echo", name])
    os.system("echo " + name)  # BST202


@click.group()
def cli():
    pass


@cli.command()
@click.argument("pattern")
def search(pattern):
    subprocess.check_output(["grep", "-r", pattern, "."])
    subprocess.check_output("grep -r " + pattern + " .", shell=True)  # BST202


if __name__ == "__main__":
    main()
'''

TYPER = '''\
import os

import typer

app = typer.Typer()


@app.command()
def hello(name: str):
    os.system("echo " + name)  # BST202


@app.command()
def count(n: int):
    os.system("seq " + str(n))


@app.callback()
def main(verbose: bool = False, config: str = "a.cfg"):
    os.system("cat " + config)  # BST202
'''


APPS = {"aiohttp_app.py": AIOHTTP, "lambda_app.py": LAMBDA, "cli_app.py": CLI, "typer_app.py": TYPER}


@pytest.mark.parametrize("name", sorted(APPS))
def test_each_marked_line_reports_its_rule_and_no_other_line_reports(name):
    expected, found = marked_and_found(APPS[name])
    assert expected
    assert found == expected


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_editor_reports_the_marked_lines(name):
    assert editor_found(APPS[name], name) == marked_and_found(APPS[name])[0]


def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    results = checked(APPS, tmp_path)
    found = {(Path(r["path"]).name, r["line"], r["rule_id"], r["cwe"]) for r in results}
    # every step of these flows is modelled (json.loads, getopt, vars); the environment is not
    # the request's, reported lower
    assert {r["confidence"] for r in results if r["path"].endswith("lambda_app.py")} == {"high"}
    assert {r["confidence"] for r in results if r["path"].endswith("cli_app.py")
            and "os.environ" not in r["message"]} == {"high"}
    assert found == expected_checked(APPS, CWE)


def test_a_command_decorator_is_no_entry_in_a_module_without_click():
    """`@bot.command()` is discord.py's, `@manager.command` Flask-Script's: without click the
    subcommand entry does not guess."""
    source = ("import subprocess\nfrom discord.ext import commands\n\nbot = commands.Bot('!')\n\n\n"
              "@bot.command()\nasync def run(ctx, name):\n"
              "    subprocess.check_output('grep ' + name, shell=True)\n")
    assert marked_and_found(source) == (set(), set())


def test_iterating_an_object_of_no_modelled_iteration_reads_nothing():
    """Only a kind whose `__iter__` is a source makes the loop variable untrusted: a client
    session's response lines, a constant list, are not the request."""
    source = ("import subprocess\nimport aiohttp\nfrom aiohttp import web\n\n\n"
              "async def handle(request):\n    session = aiohttp.ClientSession()\n"
              "    async for line in session:\n        subprocess.run('echo ' + line, shell=True)\n"
              "    for name in ['a', 'b']:\n        subprocess.run('echo ' + name, shell=True)\n"
              "    return web.Response(text='ok')\n")
    assert marked_and_found(source) == (set(), set())
