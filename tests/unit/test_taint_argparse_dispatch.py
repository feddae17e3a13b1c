"""argparse programs dispatching to their subcommand handlers other ways than a function named
in `set_defaults` (issue 12): a method of the class that builds the parser
(`set_defaults(func=self.clean)`), and a module-level table of handlers called with an item
(`COMMANDS[args.cmd](args)`). The handler's parameter is the command line. Safe twins: a
method no `set_defaults` names, a table never called, a table in a module without argparse."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked, editor_found, marked_and_found

METHOD = '''import argparse
import os
import shlex


class Tool:
    def __init__(self):
        self.parser = argparse.ArgumentParser()
        sub = self.parser.add_subparsers(dest="cmd")
        clean = sub.add_parser("clean")
        clean.add_argument("path")
        clean.set_defaults(func=self.clean)

    def clean(self, args):
        os.system("rm -rf " + shlex.quote(args.path))
        os.system("rm -rf " + args.path)  # BST202

    def helper(self, args):
        os.system("ls " + args.path)

    def main(self):
        args = self.parser.parse_args()
        args.func(args)


class Other:
    def clean(self, args):
        os.system("rm -rf " + args.path)
'''

TABLE = '''import argparse
import os
import subprocess


def cmd_run(args):
    subprocess.run(["echo", args.target])
    subprocess.run("echo " + args.target, shell=True)  # BST202


def cmd_show(args):
    os.system("cat " + args.target)  # BST202


def cmd_help(args):
    os.system("echo " + args.target)


COMMANDS = {"run": cmd_run}
MORE = {"show": cmd_show}
UNUSED = {"help": cmd_help}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cmd")
    parser.add_argument("target")
    args = parser.parse_args()
    COMMANDS[args.cmd](args)
    handler = MORE.get(args.cmd)
    MORE.get(args.cmd)(args)
    return handler
'''

# without argparse a table of functions is no command dispatch
NO_ARGPARSE = '''import os


def cmd_show(args):
    os.system("cat " + args.target)


COMMANDS = {"show": cmd_show}


def main(options):
    COMMANDS[options.cmd](options)
'''


def test_a_method_named_by_set_defaults_is_a_handler():
    assert_marked(METHOD)


def test_the_functions_of_a_called_table_are_handlers():
    assert_marked(TABLE)


def test_no_table_handler_without_argparse():
    assert marked_and_found(NO_ARGPARSE) == (set(), set())


def test_the_editor_reports_the_handlers():
    for source in (METHOD, TABLE):
        assert editor_found(source, "tool.py") == marked_and_found(source)[0]


def test_the_editor_follows_a_method_registration_as_it_is_typed():
    """One engine, text after text: the method is a handler while `set_defaults` names it."""
    from bastion.config import Config
    from bastion.engine.registry import create_engine

    engine = create_engine()

    def lines(text: str) -> set[int]:
        return {f.line for f in engine.analyse(text, "tool.py", Config()).findings if f.rule_id == "BST202"}
    assert lines(METHOD) == {15}
    assert lines(METHOD.replace("func=self.clean", "func=None")) == set()
    assert lines(METHOD) == {15}
    assert lines(METHOD.replace("func=self.clean", "func=self.helper")) == {18}
