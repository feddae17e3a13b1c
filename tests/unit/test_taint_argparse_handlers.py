"""argparse subcommands (issue 12): `p.set_defaults(func=cmd_run)` (or `handler=`), then
`args = parser.parse_args(); args.func(args)` calls the handler with the parsed arguments, as
argparse's documentation shows for sub-commands. The handler's parameter is the command line,
as a direct `parse_args()` flow is, at the same confidence; a lambda handler too. Safe twins: a
handler using constants, a function no `set_defaults` names, a module without argparse."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import ANALYZER, assert_marked, marked_and_found

SUBCOMMANDS = '''import argparse
import os
import shlex
import subprocess


def cmd_run(args):
    subprocess.run(["ls", args.path])
    os.system("ls " + shlex.quote(args.path))
    os.system("ls " + args.path)  # BST202


def cmd_clean(args):
    os.system("rm -rf /tmp/cache")


def not_a_command(args):
    os.system("ls " + args.path)


def direct():
    args = argparse.ArgumentParser().parse_args()
    os.system("ls " + args.path)  # BST202


def main():
    parser = argparse.ArgumentParser(prog="tool")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="list a folder")
    run.add_argument("path")
    run.set_defaults(func=cmd_run)
    clean = sub.add_parser("clean")
    clean.set_defaults(func=cmd_clean)
    args = parser.parse_args()
    args.func(args)
'''

HANDLER = '''from argparse import ArgumentParser
import subprocess


def do_rm(ns):
    subprocess.call(["rm", "--", ns.target])
    subprocess.call("rm " + ns.target, shell=True)  # BST202


def build_parser():
    parser = ArgumentParser()
    commands = parser.add_subparsers()
    rm = commands.add_parser("rm")
    rm.add_argument("target")
    rm.set_defaults(handler=do_rm, verbose=False)
    return parser


if __name__ == "__main__":
    ns = build_parser().parse_args()
    ns.handler(ns)
'''

LAMBDA = '''import argparse
import os


def show(path):
    os.system("cat " + path)  # BST202


def count(n):
    os.system("seq 10")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    cat = sub.add_parser("cat")
    cat.add_argument("path")
    cat.set_defaults(func=lambda a: show(a.path))
    seq = sub.add_parser("seq")
    seq.set_defaults(func=lambda a: count(a))
    args = parser.parse_args()
    args.func(args)
'''

# no argparse: `set_defaults` of another library names no command-line handler
OTHER = '''import os
from mytool import Config


def apply(options):
    os.system("ls " + options.path)


Config().set_defaults(func=apply)
'''


@pytest.mark.parametrize("source", [SUBCOMMANDS, HANDLER, LAMBDA], ids=["func", "handler", "lambda"])
def test_a_subcommand_handler_reads_the_command_line(source):
    assert_marked(source)


def test_no_handler_without_argparse():
    assert marked_and_found(OTHER) == (set(), set())


def test_the_handler_reports_as_a_direct_parse_args_flow_does():
    found = {f.line: f for f in ANALYZER.analyse_file(SUBCOMMANDS, "tool.py") if f.rule_id == "BST202"}
    handler, direct = found[9], found[22]
    assert (handler.confidence, handler.cwe) == (direct.confidence, direct.cwe)
    assert "Command-line argument" in handler.message


def test_the_editor_follows_the_registration_as_it_is_typed():
    """The same engine, text after text: the handler is an entry while `set_defaults` names
    it, and no longer once the edit removes the name (or the lambda)."""
    from bastion.config import Config
    from bastion.engine.registry import create_engine

    engine = create_engine()

    def lines(text: str) -> set[int]:
        return {f.line for f in engine.analyse(text, "tool.py", Config()).findings if f.rule_id == "BST202"}
    assert lines(SUBCOMMANDS) == {9, 22}
    assert lines(SUBCOMMANDS.replace("set_defaults(func=cmd_run)", "set_defaults(verbose=True)")) == {22}
    assert lines(SUBCOMMANDS) == {9, 22}
    assert lines(LAMBDA) == {5}
    assert lines(LAMBDA.replace("lambda a: show(a.path)", "lambda a: show('/etc/motd')")) == set()
