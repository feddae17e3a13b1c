"""argparse parses given the arguments to parse (issue 12): a literal list or tuple of constants
(`parser.parse_args(["--cmd", "ls"])`, `args=[...]`, as tests and examples write it) is the
module's own text, not the command line, and is no source; `parse_args()`, `parse_args(None)`,
`parse_args(sys.argv[1:])`, a caller's `argv` and a list holding any other value stay the
command line's. The same for `parse_known_args` and optparse's `parse_args`."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

PARSES = '''import argparse
import optparse
import os
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--cmd")


def default():
    os.system(parser.parse_args().cmd)  # BST202


def none():
    os.system(parser.parse_args(None).cmd)  # BST202
    os.system(parser.parse_args(args=None).cmd)  # BST202


def argv_tail():
    os.system(parser.parse_args(sys.argv[1:]).cmd)  # BST202


def given(argv):
    os.system(parser.parse_args(argv).cmd)  # BST202
    known, _ = parser.parse_known_args(argv)
    os.system(known.cmd)  # BST202


def constant_list():
    os.system(parser.parse_args(["--cmd", "ls"]).cmd)
    os.system(parser.parse_args(args=["--cmd", "ls"]).cmd)
    os.system(parser.parse_args(("--cmd", "ls")).cmd)
    os.system(parser.parse_args([]).cmd)


def mixed_list():
    os.system(parser.parse_args(["--cmd", sys.argv[1]]).cmd)  # BST202


def known():
    args, rest = parser.parse_known_args()
    os.system(args.cmd)  # BST202
    os.system(rest[0])  # BST202


def known_constant():
    args, rest = parser.parse_known_args(["--cmd", "ls", "extra"])
    os.system(args.cmd)
    os.system(rest[0])
    args, rest = parser.parse_known_args(args=["--cmd", "ls"])
    os.system(args.cmd)


def options():
    opts = optparse.OptionParser()
    opts.add_option("--cmd")
    values, _ = opts.parse_args()
    os.system(values.cmd)  # BST202
    values, _ = opts.parse_args(["--cmd", "ls"])
    os.system(values.cmd)
'''


def test_a_constant_argument_list_is_no_source_and_the_command_line_still_is():
    assert_marked(PARSES)
