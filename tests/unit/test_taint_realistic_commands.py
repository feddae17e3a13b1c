"""Taint analysis on realistic command-line data tools, round six: argparse subcommands handed the
namespace through set_defaults(func=...) (tarfile, sqlite3, subprocess), click commands with typed
options and a Choice, typer commands with an Enum and Annotated options. Whoever runs a tool may
read and write what it can: its arguments reach shells, code and queries, not paths (cli.toml).

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'tools/__init__.py': r'''''',
    'tools/datatool.py': r'''"""Data tool: argparse subcommands."""
import argparse
import os
import shlex
import sqlite3
import subprocess
import tarfile


def import_archive(args):
    with tarfile.open(args.archive) as tar:
        tar.extractall(args.dest)
    with tarfile.open(args.archive) as tar:
        tar.extractall(args.dest, filter="data")


def query(args):
    conn = sqlite3.connect(args.db)
    conn.execute(f"SELECT * FROM {args.table} WHERE id = {args.id}")
    conn.execute("SELECT * FROM events WHERE kind = '%s'" % args.kind)  # BST204
    conn.execute("SELECT * FROM events WHERE kind = ?", (args.kind,))
    conn.executescript(args.script)  # BST204


def convert(args):
    subprocess.run(f"ffmpeg -i {args.src} {args.out}", shell=True)  # BST202
    subprocess.run(f"ffmpeg -i {shlex.quote(args.src)} {shlex.quote(args.out)}", shell=True)
    subprocess.run(["ffmpeg", "-i", args.src, args.out])
    os.system("ffprobe " + args.src)  # BST202


def show(args):
    with open(args.path) as fh:
        print(fh.read())


def build_parser():
    parser = argparse.ArgumentParser(prog="datatool", description="Event data tool")
    parser.add_argument("--db", default="events.db", help="the events database")
    commands = parser.add_subparsers(dest="cmd", required=True)

    unpack = commands.add_parser("import", help="unpack an archive of events")
    unpack.set_defaults(func=import_archive)
    unpack.add_argument("archive", help="a .tar.gz export")
    unpack.add_argument("--dest", default=".", help="where to unpack it")

    ask = commands.add_parser("query", help="count events")
    ask.set_defaults(func=query)
    ask.add_argument("--table", choices=["events", "users"], default="events", help="which table")
    ask.add_argument("--id", type=int, default=0, help="an event id")
    ask.add_argument("--kind", default="", help="an event kind")
    ask.add_argument("--script", default="", help="SQL to run first")

    media = commands.add_parser("convert", help="transcode a recording")
    media.set_defaults(func=convert)
    media.add_argument("src")
    media.add_argument("out")

    commands.add_parser("show", help="print a file").add_argument("path")
    commands.choices["show"].set_defaults(func=show)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
''',
    'tools/clicktool.py': r'''import os
import sqlite3
import subprocess
import tarfile

import click


@click.command()
@click.option("--host", required=True)
@click.option("--port", type=int, default=22)
@click.option("--user", default="root")
@click.option("--mode", type=click.Choice(["fast", "slow"]), default="fast")
def sync(host, port, user, mode):
    subprocess.run(f"rsync -e 'ssh -p {port}' -a /data {user}@{host}:/backup", shell=True)  # BST202
    subprocess.run(["rsync", "-a", "/data", f"{user}@{host}:/backup"])
    subprocess.run(f"rsync --{mode} -a /data /backup", shell=True)
    subprocess.run(["rsync", "-a", "--", "/data", f"backup@{host.replace('-', '')}:/b"])


@click.command()
@click.argument("bundle", type=click.Path(exists=True))
@click.argument("target")
def unpack(bundle, target):
    tar = tarfile.open(bundle)
    tar.extractall(path=target)
    tar.close()


@click.command()
@click.option("--name")
def purge(name):
    db = sqlite3.connect("cache.db")
    db.execute("DELETE FROM cache WHERE name = '" + name + "'")  # BST204
    db.execute("DELETE FROM cache WHERE name = ?", [name])
    os.remove(os.path.join("/var/cache/tool", name))
''',
    'tools/typertool.py': r'''import subprocess
import sqlite3
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer()


class Level(str, Enum):
    low = "low"
    high = "high"


@app.command()
def scan(target: str, level: Level = Level.low, depth: Annotated[int, typer.Option()] = 1):
    subprocess.run(f"nmap -T{depth} --script {level.value} {target}", shell=True)  # BST202
    subprocess.run(f"nmap -T{depth} --script {level.value}", shell=True)


@app.command()
def stats(db: Path, where: Annotated[str, typer.Option("--where")] = "1=1"):
    conn = sqlite3.connect(db)
    print(conn.execute("SELECT count(*) FROM t WHERE " + where).fetchone())  # BST204


@app.command()
def calc(expression: Annotated[str, typer.Argument()]):
    print(eval(expression))  # BST206


if __name__ == "__main__":
    app()
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
