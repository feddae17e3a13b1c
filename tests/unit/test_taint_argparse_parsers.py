"""argparse parsers as its documentation uses them (issue 12): a parser a local factory
function returns, parsed where it is called (`make_parser().parse_args()`, as once bound:
`parser = make_parser()`), and `parse_known_args()`, whose namespace and list of remaining
arguments are both the command line's (its namespace's validated arguments clean, as
`parse_args()`'s are); a namespace handed to a function or read through
`vars(args)`. Safe twins: constants, a factory whose result is not parsed, and the arguments
argparse validated (`type=int`, constant `choices`), which `type=str`, `type=pathlib.Path` and
`type=argparse.FileType("r")` are not."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

FACTORY = '''import argparse
import os


def make_parser():
    parser = argparse.ArgumentParser(description="run a command")
    parser.add_argument("cmd")
    return parser


def main():
    args = make_parser().parse_args()
    os.system(args.cmd)  # BST202
    os.system("uptime")


def main_known():
    args, _ = make_parser().parse_known_args()
    os.system("nice " + args.cmd)  # BST202


def bound():
    parser = make_parser()
    os.system(parser.parse_args().cmd)  # BST202


def help_only():
    make_parser().print_help()
    os.system("uptime")
'''

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

KNOWN_VALIDATED = '''import argparse
import os


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int)
    parser.add_argument("--mode", choices=["a", "b"])
    parser.add_argument("--name")
    args, rest = parser.parse_known_args()
    os.system(f"seq {args.count}")
    os.system("run " + args.mode)
    os.system("echo " + args.name)  # BST202
    os.system("echo " + rest[0])  # BST202
    os.system("echo " + " ".join(rest))  # BST202
    pair = parser.parse_known_args()
    os.system(f"seq {pair[0].count}")
    os.system(f"seq {pair[1]}")  # BST202
    os.system(f"seq {pair}")  # BST202
    for part in parser.parse_known_args():
        os.system(f"seq {part}")  # BST202
    ns, _ = parser.parse_known_args()
    show(ns)


def show(args):
    os.system(f"seq {args.count}")
    os.system("echo " + args.name)  # BST202
'''


def test_a_parser_a_local_factory_returns_is_parsed_where_it_is_called():
    assert_marked(FACTORY)


def test_parse_known_args_gives_the_namespace_and_the_remaining_arguments():
    assert_marked(KNOWN)


def test_a_namespace_handed_to_a_function_or_read_through_vars():
    assert_marked(NAMESPACE)


def test_only_int_float_and_constant_choices_validate_an_argument():
    assert_marked(TYPES)


def test_parse_known_args_keeps_what_argparse_validated_clean():
    """The namespace of the pair holds numbers and constant choices, as `parse_args()`'s does;
    the remaining arguments and the pair whole are still the command line's."""
    assert_marked(KNOWN_VALIDATED)


INTERMIXED = '''import argparse
import subprocess


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int)
    parser.add_argument("files", nargs="*")
    args, extra = parser.parse_known_intermixed_args()
    subprocess.run("make -j %d" % args.jobs, shell=True)
    subprocess.run("wc " + " ".join(args.files), shell=True)  # BST202
    subprocess.run("make " + " ".join(extra), shell=True)  # BST202
    subprocess.run(["make", "-C", extra[0]])
'''


def test_parse_known_intermixed_args_is_the_command_line_as_parse_known_args_is():
    assert_marked(INTERMIXED)


VARS = '''import argparse
import os


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--name")
    args = parser.parse_args()
    options = vars(args)
    os.system("seq %d" % options["count"])
    os.system("echo " + options["name"])  # BST202
    os.system("echo " + str(options))  # BST202
    os.system("echo %s" % vars(args).get("count"))
    os.system("echo %s" % vars(args).get("name"))  # BST202
'''


def test_vars_of_the_namespace_keeps_what_argparse_validated_clean():
    assert_marked(VARS)
