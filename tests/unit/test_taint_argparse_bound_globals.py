"""A module-level parser global bound more than once (issue 12): `PARSER = None`, then a parser
(in an `if`, a `try`, or through `global PARSER` in a function). If any binding is a parser,
`PARSER.parse_args()` reads the command line; a destination is clean only where every binding
proves it, and a binding the analysis cannot see through (a library's call) proves nothing.
Each case is a package written to a temporary folder, read by `bastion check` and by the
editor's summary store; a line that must report ends with its rule."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_and_stored
from tests.unit.test_taint_argparse_module_parser import APPS as FACTORY

APPS = {
    "mypkg/__init__.py": "",
    "mypkg/cli.py": FACTORY["mypkg/cli.py"],  # `--cmd`, and `--count` of `type=int`
    # a parser only on POSIX: `--count` is validated by the one parser binding
    "mypkg/same.py": '''import argparse
import os

PARSER = None
if os.name == "posix":
    PARSER = argparse.ArgumentParser(prog="same")
    PARSER.add_argument("--cmd")
    PARSER.add_argument("--count", type=int)


def main():
    args = PARSER.parse_args()
    os.system(args.cmd)  # BST202
    os.system("sleep %s" % args.count)
''',
    "mypkg/tried.py": '''import argparse
import subprocess

try:
    PARSER = argparse.ArgumentParser(exit_on_error=False)
except TypeError:
    PARSER = argparse.ArgumentParser()
PARSER.add_argument("--mode", choices=["fast", "slow"])
PARSER.add_argument("--extra")


def main():
    ns, rest = PARSER.parse_known_args()
    subprocess.call("run --%s" % ns.mode, shell=True)
    subprocess.call("run %s" % ns.extra, shell=True)  # BST202
''',
    # built lazily from another module's factory: its validated `--count` stays clean
    "mypkg/lazy.py": '''import os

from .cli import build_parser

PARSER = None


def setup():
    global PARSER
    PARSER = build_parser()


def main():
    setup()
    args = PARSER.parse_args()
    os.system(args.cmd)  # BST202
    os.system("sleep %s" % args.count)
''',
    # swapped for a parser of a library the analysis cannot see: nothing is proven clean
    "mypkg/swapped.py": '''import argparse
import os

import otherlib

PARSER = argparse.ArgumentParser()
PARSER.add_argument("--count", type=int)


def use_plugin():
    global PARSER
    PARSER = otherlib.make_parser()


def main(argv=None):
    count = PARSER.parse_args(argv).count
    os.popen(f"sleep {count}")  # BST202
''',
}


def test_a_global_bound_more_than_once_to_a_parser_reads_the_command_line(tmp_path):
    (tmp_path / "mypkg").mkdir()
    assert_checked_and_stored(APPS, tmp_path, {"BST202": 78})
