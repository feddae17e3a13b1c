"""Taint analysis on realistic apps written from the frameworks' documentation and everyday idioms:
command-line tools (click groups, typer, argparse with a runner class and with subcommands) and a
Flask MethodView app (a dataclass query, **kwargs filters, a thread pool fed by the request, a
lookup table of redirects).
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'cli_tools.py': r'''"""Ops tool with click subcommands."""
import os
import sqlite3
import subprocess

import click
import requests


@click.group()
def cli():
    pass


@cli.command()
@click.argument("host")
@click.option("--count", default=1, type=int)
def ping(host, count):
    os.system(f"ping -c {count} {host}")  # BST202
    subprocess.run(["ping", "-c", str(count), host])


@cli.command()
@click.argument("name")
@click.option("--db", default="ops.db")
def forget(name, db):
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM hosts WHERE name = '%s'" % name)  # BST204
    conn.execute("DELETE FROM hosts WHERE name = ?", (name,))


@cli.command()
@click.argument("url")
@click.argument("dest", type=click.Path())
def fetch(url, dest):
    data = requests.get(url, timeout=30).content
    with open(dest, "wb") as fh:
        fh.write(data)


@cli.command()
@click.option("--expr", prompt=True)
def calc(expr):
    click.echo(eval(expr))  # BST206


if __name__ == "__main__":
    cli()
''',
    'typer_tool.py': r'''import subprocess
from pathlib import Path

import typer
import yaml

app = typer.Typer()


@app.command()
def deploy(env: str, tag: str = "latest", retries: int = 3):
    subprocess.run(f"kubectl set image deploy/web web=registry/web:{tag} -n {env}", shell=True)  # BST202
    subprocess.run(["kubectl", "rollout", "status", "deploy/web", "-n", env])
    subprocess.run(f"sleep {retries}", shell=True)


@app.command()
def load(config: Path):
    data = yaml.load(config.read_text(), Loader=yaml.FullLoader)
    safe = yaml.safe_load(config.read_text())
    typer.echo(f"{len(data)} {len(safe)}")


if __name__ == "__main__":
    app()
''',
    'argparse_tool.py': r'''import argparse
import subprocess
import xml.etree.ElementTree as ET

from lxml import etree


class Runner:
    def __init__(self, args):
        self.args = args

    def archive(self):
        cmd = "tar czf {out} {src}".format(out=self.args.out, src=self.args.src)
        subprocess.call(cmd, shell=True)  # BST202

    def archive_safe(self):
        subprocess.call(["tar", "czf", self.args.out, self.args.src])

    def find(self):
        tree = etree.parse("inventory.xml")
        return tree.xpath("//host[@name='%s']" % self.args.name)  # BST212

    def find_safe(self):
        tree = etree.parse("inventory.xml")
        return tree.xpath("//host[@name=$n]", n=self.args.name)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--src", default=".")
    p.add_argument("--out", default="out.tgz")
    p.add_argument("--name", default="")
    p.add_argument("--manifest")
    args = p.parse_args()
    r = Runner(args)
    r.archive()
    r.archive_safe()
    print(r.find(), r.find_safe())
    if args.manifest:
        root = ET.parse(args.manifest).getroot()
        print(root.tag)


if __name__ == "__main__":
    main()
''',
    'subcmd_tool.py': r'''"""Deploy helper with argparse subcommands."""
import argparse
import os
import subprocess
import sys


def cmd_deploy(args):
    remote = "cd /srv/app && git pull && %s" % args.after
    subprocess.check_call("ssh %s '%s'" % (args.host, remote), shell=True)  # BST202


def cmd_logs(args):
    subprocess.check_call(["ssh", args.host, "journalctl", "-u", "app", "-n", str(args.lines)])


def cmd_exec(args):
    exec(compile(args.code, "<cli>", "exec"))  # BST206


def main(argv=None):
    p = argparse.ArgumentParser(prog="deployer")
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("deploy")
    d.add_argument("host")
    d.add_argument("--after", default="true")
    d.set_defaults(func=cmd_deploy)
    lg = sub.add_parser("logs")
    lg.add_argument("host")
    lg.add_argument("-n", "--lines", type=int, default=50)
    lg.set_defaults(func=cmd_logs)
    e = sub.add_parser("exec")
    e.add_argument("code")
    e.set_defaults(func=cmd_exec)
    args = p.parse_args(argv)
    args.func(args)
    os.execvp("less", ["less", os.path.expanduser("~/.deployer.log")])


if __name__ == "__main__":
    sys.exit(main())
''',
    'flask_mv.py': r'''import logging
import os
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests
from flask import Flask, Response, jsonify, redirect, request
from flask.views import MethodView

app = Flask(__name__)
log = logging.getLogger(__name__)
pool = ThreadPoolExecutor(max_workers=2)
DB = "notes.db"


@dataclass
class Query:
    table: str
    where: str = "1=1"

    def sql(self):
        return f"SELECT * FROM {self.table} WHERE {self.where}"


def run_query(**filters):
    conn = sqlite3.connect(DB)
    clause = " AND ".join(f"{k} = '{v}'" for k, v in filters.items())
    return conn.execute("SELECT * FROM notes WHERE " + clause).fetchall()  # BST204


def run_query_safe(**filters):
    conn = sqlite3.connect(DB)
    clause = " AND ".join(f"{k} = ?" for k in filters if k in ("owner", "tag"))
    return conn.execute("SELECT * FROM notes WHERE " + clause, list(filters.values())).fetchall()


class NoteAPI(MethodView):
    def get(self, note_id):
        fmt = request.args.get("format", "json")
        if fmt == "html":
            title = request.args.get("title", "")
            return f"<h1>{title}</h1>"  # BST203
        return jsonify(id=note_id)

    def post(self):
        data = request.get_json()
        rows = run_query(owner=data["owner"], tag=data.get("tag", "x"))
        rows2 = run_query_safe(owner=data["owner"])
        return jsonify(n=len(rows) + len(rows2))

    def delete(self, note_id):
        q = Query("notes", request.args.get("where", "1=0"))
        sqlite3.connect(DB).execute(q.sql())  # BST204
        return "", 204


app.add_url_rule("/notes/<note_id>", view_func=NoteAPI.as_view("note"))


def sync_remote(url, **headers):
    return requests.get(url, headers=headers, timeout=5)  # BST213


@app.post("/sync")
def sync():
    fut = pool.submit(sync_remote, request.form["remote"], token="x")
    pool.submit(subprocess.run, "rsync -a /data " + request.form["target"], shell=True)  # BST202
    return jsonify(started=fut.running())


HANDLERS = {
    "uptime": lambda _: subprocess.check_output(["uptime"]),
}


@app.get("/tool/<name>")
def tool(name):
    handler = HANDLERS.get(name)
    if handler is None:
        return "no", 404
    return Response(handler(request.args.get("arg", "")), mimetype="text/plain")


@app.get("/jump")
def jump():
    dest = request.args.get("dest", "")
    routes = {"home": "/", "docs": "/docs"}
    log.debug("jump to %s", dest)  # BST207
    return redirect(routes.get(dest, "/"))
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
