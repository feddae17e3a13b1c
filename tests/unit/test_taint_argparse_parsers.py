"""argparse parsers as its documentation uses them (issue 12): `parse_known_args()`, whose
namespace and list of remaining arguments are both the command line's; a namespace handed to a
function or read through `vars(args)`. Safe twins: constants, and the arguments argparse
validated (`type=int`, constant `choices`), which `type=str`, `type=pathlib.Path` and
`type=argparse.FileType("r")` are not."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

KNOWN = '''import argparse
import os


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--name")
    args, rest = parser.parse_known_args()
    os.system("echo " + args.name)  # BST202
    os.system(" ".join(rest))  # BST202
    os.system("ls " + rest[0])  # BST202
    os.system("echo %d" % len(rest))
'''

NAMESPACE = '''import argparse
import os


def run(args):
    os.system("ls " + args.path)  # BST202


def version(args):
    os.system("python --version")


def from_vars(args):
    options = vars(args)
    os.system("ls " + options["path"])  # BST202


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    run(parser.parse_args())
    version(parser.parse_args())
    from_vars(parser.parse_args())
    args = parser.parse_args()
    os.system("cat " + vars(args)["path"])  # BST202
'''

TYPES = '''import argparse
import os
import pathlib


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", type=pathlib.Path)
    parser.add_argument("--name", type=str)
    parser.add_argument("--infile", type=argparse.FileType("r"))
    parser.add_argument("--count", type=int)
    parser.add_argument("--mode", choices=["fast", "slow"])
    args = parser.parse_args()
    os.system(f"ls {args.path}")  # BST202
    os.system("echo " + args.name)  # BST202
    os.system("echo " + args.infile.name)  # BST202
    os.system(f"seq {args.count}")
    os.system("run --" + args.mode)
'''


def test_parse_known_args_gives_the_namespace_and_the_remaining_arguments():
    assert_marked(KNOWN)


def test_a_namespace_handed_to_a_function_or_read_through_vars():
    assert_marked(NAMESPACE)


def test_only_int_float_and_constant_choices_validate_an_argument():
    assert_marked(TYPES)

