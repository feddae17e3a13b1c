"""A parser another module's factory builds, kept in a global of the module that parses it
(issue 12): `PARSER = build_parser()` at module level reads the command line at
`PARSER.parse_args()` as the factory's parser does in a function, with the destinations the
factory's module proves clean (`type=int`) still clean; a global bound more than once (at module
level, or again through `global`) is still a parser, but a destination is clean only where every
binding proves it (test_taint_argparse_bound_globals.py). Each case is a package
written to a temporary folder; a line that must report ends with its rule."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_and_stored

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
    # bound again, to a parser declaring `--count` unvalidated: the command line, not clean
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
    os.system("sleep %s" % args.count)  # BST202
''',
}


def test_check_and_the_editor_store_read_a_module_level_parser_of_a_factory(tmp_path):
    (tmp_path / "mypkg").mkdir()
    assert_checked_and_stored(APPS, tmp_path, {"BST202": 78})


# The factory's module summarised in two asks (a.py wants `first`, b.py `count_arg` and
# `cmd_arg`): the second ask saw the global's kind the first replaced, and no workspace look-up,
# and lost the factory's clean destinations (`type=int`): b.py's `--count` was reported.
ASKED_TWICE = {
    "mypkg/__init__.py": "",
    "mypkg/cli.py": APPS["mypkg/cli.py"],
    "mypkg/main.py": '''from .cli import build_parser

PARSER = build_parser()


def first():
    return "x"


def count_arg():
    return PARSER.parse_args().count


def cmd_arg():
    return PARSER.parse_args().cmd
''',
    "mypkg/a.py": '''import os

from .main import first


def go():
    os.system("echo " + first())
''',
    "mypkg/b.py": '''import os

from .main import cmd_arg, count_arg


def go():
    os.system("sleep %s" % count_arg())
    os.system(cmd_arg())  # BST202
''',
}


def test_a_factory_parser_s_module_summarised_in_two_asks_keeps_its_clean_destinations(tmp_path):
    (tmp_path / "mypkg").mkdir()
    assert_checked_and_stored(ASKED_TWICE, tmp_path, {"BST202": 78})
