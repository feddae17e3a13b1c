"""argparse arguments declared `type=int` / `type=float` or with constant `choices` hold a
number or one of the developer's constants once parsed (issue 12): clean in a direct
`parse_args()` flow and in a subcommand handler (a function named by `set_defaults`, a method,
a table's function). Unsound cases stay the command line's: a destination another
`add_argument` declares without validation, a default or `const` that is not a constant, a
`set_defaults` keyword (or `**defaults`), a custom `type`, a rebound `int`."""

from __future__ import annotations

import ast

import pytest
from tests.unit.taint_marked import assert_marked, editor_found, marked_and_found

from bastion.analyzers.taint.argparse_choices import clean_destinations
from bastion.analyzers.taint.argparse_walk import argparse_calls

APP = '''import argparse
import os
import shlex
import subprocess
import sys


def cmd_run(args):
    subprocess.run(["echo", args.target])
    subprocess.run("echo " + args.target, shell=True)  # BST202


def cmd_show(args):
    os.system("head -n %s log.txt" % args.lines)
    os.system("cat /var/log/" + args.level + ".log")
    os.system("cat " + args.path)  # BST202


COMMANDS = {"run": cmd_run, "show": cmd_show}


class Cleaner:
    def register(self, commands):
        purge = commands.add_parser("purge", help="remove old files")
        purge.add_argument("--max-depth", type=int, default=1)
        purge.add_argument("path")
        purge.set_defaults(func=self.clean)

    def clean(self, args):
        os.system("find . -maxdepth " + str(args.max_depth) + " -delete")
        os.system("rm -rf " + shlex.quote(args.path))
        os.system("rm -rf " + args.path)  # BST202


def main():
    parser = argparse.ArgumentParser(prog="tool")
    parser.add_argument("cmd", choices=["run", "show"])
    parser.add_argument("target")
    parser.add_argument("-n", "--lines", type=int, default=10)
    parser.add_argument("--level", choices=("info", "error"), default="info")
    parser.add_argument("--path", default="a.txt")
    args = parser.parse_args()
    os.system("tail -n %s log.txt" % args.lines)
    os.system("cat /var/log/" + args.level + ".log")
    os.system("run-" + args.cmd)
    os.system("cat " + args.path)  # BST202
    COMMANDS[args.cmd](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''


def test_validated_arguments_are_clean_where_parsed_and_in_handlers():
    assert_marked(APP)
    assert editor_found(APP, "tool.py") == marked_and_found(APP)[0]


@pytest.mark.parametrize("declared", [
    'parser.add_argument("--level", choices=["info", "error"])\n'
    '    other.add_argument("--level")',  # the same destination, unvalidated elsewhere
    'parser.add_argument("--level", choices=["info"], default=os.environ["LEVEL"])',
    'parser.add_argument("--level", choices=["info"], nargs="?", const=os.environ["LEVEL"])',
    'parser.add_argument("--level", choices=["info"])\n    parser.set_defaults(level=os.environ["L"])',
    # any destination's default, which argparse does not check against `choices`
    'parser.add_argument("--level", choices=["info"])\n    parser.set_defaults(**dict(os.environ))',
    'parser.add_argument("--level", type=str.lower)',
    'parser.add_argument("--level", choices=LEVELS)',
    'parser.add_argument("--level", action=Custom, choices=["info"])',
    'parser.add_argument("--level", type=int)\n    int = str',
])
def test_an_unsound_declaration_leaves_the_argument_the_command_lines(declared):
    source = ("import argparse\nimport os\n\n\ndef main():\n    parser = argparse.ArgumentParser()\n"
              "    other = argparse.ArgumentParser()\n"
              f"    {declared}\n    args = parser.parse_args()\n"
              "    os.system('cat ' + args.level)  # BST202\n")
    assert_marked(source)
    assert_marked(source.replace("parse_args()", "parse_args()\n    args = other.parse_args()"))


@pytest.mark.parametrize(("declared", "dest"), [
    ('p.add_argument("-v", "--log-level", type=int)', "log_level"),
    ('p.add_argument("-j", type=float)', "j"),
    ('p.add_argument("count", type=int, nargs="+", default=[1])', "count"),
    ('p.add_argument("--x", dest="size", choices=[1, 2], action="append")', "size"),
])
def test_the_destination_is_argparses(declared, dest):
    assert clean_destinations(argparse_calls(ast.parse(declared), None, False)) == {dest}
