"""A parser another module's factory builds, kept in a global of the module that parses it
(issue 12): `PARSER = build_parser()` at module level reads the command line at
`PARSER.parse_args()` as the factory's parser does in a function, with the destinations the
factory's module proves clean (`type=int`) still clean; a global bound more than once (at module
level, or again through `global`) is not taken for the factory's parser. Each case is a package
written to a temporary folder; a line that must report ends with its rule."""

from __future__ import annotations

from pathlib import Path

from tests.unit.taint_marked import checked, expected_checked, store_found

APPS = {
    "mypkg/__init__.py": "",
    "mypkg/cli.py": '''import argparse


def build_parser():
    p = argparse.ArgumentParser()
    p.add_argument("--cmd")
    p.add_argument("--count", type=int)
    return p
''',
    "mypkg/main.py": '''import os
import subprocess

from .cli import build_parser

PARSER = build_parser()


def main():
    args = PARSER.parse_args()
    os.system(args.cmd)  # BST202
    os.system("sleep %s" % args.count)


def known():
    ns, rest = PARSER.parse_known_args()
    subprocess.call(["sh", "-c", ns.cmd])  # BST202
    subprocess.call("sleep %s" % ns.count, shell=True)
''',
    # bound again: neither binding is trusted for its clean destinations
    "mypkg/rebound.py": '''import argparse
import os

from .cli import build_parser

PARSER = build_parser()


def reset():
    global PARSER
    PARSER = argparse.ArgumentParser()
    PARSER.add_argument("--count")


def main():
    args = PARSER.parse_args()
    os.system("sleep %s" % args.count)
''',
}


def test_check_and_the_editor_store_read_a_module_level_parser_of_a_factory(tmp_path):
    (tmp_path / "mypkg").mkdir()
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"])
             for r in checked(APPS, tmp_path)}
    assert found == expected_checked(APPS, {"BST202": 78})
    store = store_found(APPS, tmp_path)
    assert {name: pair[0] for name, pair in store.items()} == {name: pair[1] for name, pair in store.items()}
