"""argparse parses given a name bound to a constant list (issue 12): `ARGS = ["--cmd", "ls"]`
(module level or local, a tuple too) then `parser.parse_args(ARGS)` parses the module's own
text, as the written-out list does, and is no source. A name appended to or extended
(`ARGS.append(x)`, `ARGS += sys.argv[1:]`), rebound, a parameter, `sys.argv[1:]` or an
unknown name stays the command line's, as does a local changed through an item or an alias,
or bound to a constant on one branch only."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

MODULE_LEVEL = '''import argparse
import os
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--cmd")
ARGS = ["--cmd", "ls"]
PAIR = ("--cmd", "ls")
GROWN = ["--cmd"]
GROWN.append(sys.argv[1])
REBOUND = ["--cmd", "ls"]
FILLED = ["--cmd"]


def fill(words):
    words.append(sys.argv[1])


def rebind():
    global REBOUND
    REBOUND = sys.argv[1:]


def constant_names():
    os.system(parser.parse_args(ARGS).cmd)
    os.system(parser.parse_args(args=ARGS).cmd)
    os.system(parser.parse_args(PAIR).cmd)
    known, rest = parser.parse_known_args(ARGS)
    os.system(known.cmd)
    os.system(rest[0])


def changed_names():
    os.system(parser.parse_args(GROWN).cmd)  # BST202
    os.system(parser.parse_args(REBOUND).cmd)  # BST202
    os.system(parser.parse_args(UNKNOWN).cmd)  # BST202
    fill(FILLED)
    os.system(parser.parse_args(FILLED).cmd)  # BST202
'''

LOCAL = '''import argparse
import os
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--cmd")


def constant_local():
    args = ["--cmd", "ls"]
    os.system(parser.parse_args(args).cmd)
    pair = ("--cmd", "ls")
    known, rest = parser.parse_known_args(args=pair)
    os.system(known.cmd)


def appended(extra):
    args = ["--cmd"]
    args.append(extra)
    os.system(parser.parse_args(args).cmd)  # BST202


def extended():
    args = ["--cmd"]
    args += sys.argv[1:]
    os.system(parser.parse_args(args).cmd)  # BST202


def handed():
    args = ["--cmd"]
    fill(args)
    os.system(parser.parse_args(args).cmd)  # BST202


def fill(words):
    words.append(sys.argv[1])


def rebound():
    args = ["--cmd", "ls"]
    args = sys.argv[1:]
    os.system(parser.parse_args(args).cmd)  # BST202


def parameter(args=("--cmd", "ls")):
    os.system(parser.parse_args(args).cmd)  # BST202


def tail():
    args = sys.argv[1:]
    os.system(parser.parse_args(args).cmd)  # BST202


def item():
    args = ["--cmd", "ls"]
    args[1] = sys.argv[1]
    os.system(parser.parse_args(args).cmd)  # BST202


def aliased():
    args = ["--cmd"]
    other = args
    other.append(sys.argv[1])
    os.system(parser.parse_args(args).cmd)  # BST202


def either(flag):
    args = ["--cmd", "ls"] if flag else sys.argv[1:]
    os.system(parser.parse_args(args).cmd)  # BST202
'''


def test_a_module_constant_list_is_no_source_and_a_changed_name_still_is():
    assert_marked(MODULE_LEVEL)


def test_a_local_constant_list_is_no_source_and_a_grown_or_rebound_one_still_is():
    assert_marked(LOCAL)
