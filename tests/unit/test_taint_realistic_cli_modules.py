"""Taint analysis on a command-line tool split over modules, as argparse's documentation and
everyday packages lay it out: `cli.py` builds its parser in a factory (`build_parser()`) that
`main()` parses with, and the work (a hook run in a shell, an expression evaluated, an archive
made) is done by functions and a class of `core.py`. `main()` names no source itself and no
flagged call: the parser its factory returns is what reads the command line.
Each line that must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent, in `bastion check` and in the editor's store."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

CORE = r'''import ast
import os
import shlex
import subprocess


def run_hook(command):
    os.system(command)


def run_hook_quoted(command):
    os.system("echo " + shlex.quote(command))


def evaluate(expression):
    return eval(expression)


def evaluate_literal(expression):
    return ast.literal_eval(expression)


class Archiver:
    def __init__(self, dest):
        self.dest = dest

    def compress(self, level):
        subprocess.run(f"tar -czf {self.dest} --level={level} .", shell=True, check=True)
'''

CLI = r'''import argparse

from backup import core
from backup.core import Archiver


def build_parser():
    parser = argparse.ArgumentParser(prog="backup")
    parser.add_argument("--hook", default="")
    parser.add_argument("--retention", default="7")
    parser.add_argument("--dest", default="backup.tgz")
    parser.add_argument("--level", default="6")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.hook:
        core.run_hook(args.hook)  # BST202
        core.run_hook_quoted(args.hook)
    days = core.evaluate(args.retention)  # BST206
    core.evaluate_literal(args.retention)
    Archiver(args.dest).compress(args.level)  # BST202
    Archiver("backup.tgz").compress(6)
    return days


def restore():
    parser = build_parser()
    args = parser.parse_args()
    core.run_hook(args.hook)  # BST202
    core.run_hook("sync")
'''


def test_a_parser_made_by_a_factory_reads_the_command_line_for_other_modules_sinks(tmp_path):
    (tmp_path / "backup").mkdir()
    apps = {"backup/__init__.py": "", "backup/core.py": CORE, "backup/cli.py": CLI}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
