"""A module-level parser global bound to a factory of the same module (issue 12): `PARSER =
_build()`, where `_build` builds and returns a parser, reads the command line at
`PARSER.parse_args()` as a parser built at module level does, and the destinations the module
proves clean (`type=int`, constant `choices`) stay clean. Bound more than once (`PARSER = None`,
then the factory through `global`), it is still a parser. A factory returning no parser makes
no source. Each case is a package written to a temporary folder, read by `bastion check` and by
the editor's summary store; a line that must report ends with its rule."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_and_stored

APPS = {
    "mypkg/__init__.py": "",
    # the global holds what the function returns, no parser: nothing read from the command line
    "mypkg/other.py": '''import argparse
import os


def _defaults():
    defaults = argparse.ArgumentParser(add_help=False)
    defaults.add_argument("--name", default="guest")
    return defaults.get_default("name").upper()


NAME = _defaults()


def main():
    os.system("echo %s" % NAME)
''',
    "mypkg/tool.py": '''import argparse
import os
import subprocess


def _build():
    p = argparse.ArgumentParser()
    p.add_argument("cmd")
    p.add_argument("--count", type=int)
    p.add_argument("--mode", choices=["fast", "slow"])
    return p


PARSER = _build()


def main():
    args = PARSER.parse_args()
    os.system(args.cmd)  # BST202
    os.system("sleep %d" % args.count)
    subprocess.call("run --%s" % args.mode, shell=True)


def known():
    ns, rest = PARSER.parse_known_args()
    subprocess.call("run %s" % ns.cmd, shell=True)  # BST202
    subprocess.call("run --%s" % ns.mode, shell=True)
''',
    "mypkg/lazy.py": '''import argparse
import os

PARSER = None


def make_parser():
    parser = argparse.ArgumentParser(prog="lazy")
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    return parser


def setup():
    global PARSER
    PARSER = make_parser()


def main():
    if PARSER is None:
        setup()
    host, port = PARSER.parse_args().host, PARSER.parse_args().port
    os.system("ping -c 1 %s" % host)  # BST202
    os.system("nc -z localhost %d" % port)
''',
}


def test_a_global_bound_to_a_parser_factory_of_its_module_reads_the_command_line(tmp_path):
    (tmp_path / "mypkg").mkdir()
    assert_checked_and_stored(APPS, tmp_path, {"BST202": 78})
