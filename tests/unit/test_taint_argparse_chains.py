"""argparse parsers across more than two workspace modules (issue 12): the destinations a
factory's module validates (`type=int`, constant `choices=`) travel on the parser through a
module that only hands it on (`def again(): return build_parser()`), in `bastion check` and in
the editor's store; a module in between that adds arguments keeps only what both modules prove
clean, so a destination it adds (or declares again) without a conversion stays the command
line's. A parser built with `parents=` (argparse's inherited arguments) reads the command line
like any other; the parents' validated destinations are clean in the child, also those of a
parent of another module's factory (two.py's `count`: test_taint_argparse_parents.py). A
parser handed to another module's helper proves nothing clean in its module. Each case is a
package written to a temporary folder; a line that must report ends with
its rule."""

from __future__ import annotations

from pathlib import Path

from tests.unit.taint_marked import checked, expected_checked, store_found

CLI = '''import argparse


def build_parser():
    parser = argparse.ArgumentParser(prog="sleeper")
    parser.add_argument("--count", type=int)
    parser.add_argument("--mode", choices=["fast", "slow"])
    parser.add_argument("--cmd")
    return parser
'''

# `again.py` hands the parser on; `extended.py` adds `--name` and declares `count` again, untyped
RE_EXPORTED = {
    "mypkg/__init__.py": "",
    "mypkg/cli.py": CLI,
    "mypkg/again.py": '''from .cli import build_parser


def again():
    return build_parser()


def bound():
    parser = build_parser()
    return parser
''',
    "mypkg/main.py": '''import subprocess

from .again import again, bound


def main():
    args = again().parse_args()
    subprocess.call("sleep %s; run-%s" % (args.count, args.mode), shell=True)
    subprocess.call(args.cmd, shell=True)  # BST202


def other():
    known, rest = bound().parse_known_args()
    subprocess.call("sleep %s" % known.count, shell=True)
    subprocess.call(["sh", "-c", known.cmd])  # BST202
    subprocess.call(rest[0], shell=True)  # BST202
''',
    "mypkg/extended.py": '''from .cli import build_parser


def extended():
    parser = build_parser()
    parser.add_argument("--name")
    parser.add_argument("--retries", dest="count")
    return parser
''',
    "mypkg/ext_main.py": '''import os

from .extended import extended


def main():
    args = extended().parse_args()
    os.system("hello " + args.name)  # BST202
    os.system(f"sleep {args.count}")  # BST202
    os.system(args.cmd)  # BST202
''',
}


# `parents=[...]`: the child parser reads the command line (it lost its kind before); in one
# module the parent's `type=int` destination is clean; so is one of a parent built in another
# module's factory, as its summary carries it (two.py's `count`)
PARENTS = {
    "mypkg/__init__.py": "",
    "mypkg/common.py": '''import argparse


def base_parser():
    base = argparse.ArgumentParser(add_help=False)
    base.add_argument("--count", type=int)
    base.add_argument("--cmd")
    return base
''',
    "mypkg/one.py": '''import argparse
import os
from argparse import ArgumentParser


def main():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--level", type=int)
    common.add_argument("--tool")
    parser = argparse.ArgumentParser(parents=[common])
    parser.add_argument("--name")
    args = parser.parse_args()
    os.system(f"nice -n {args.level} make")
    os.system("hello " + args.name)  # BST202
    os.system(args.tool)  # BST202


def bound(common):
    parser = ArgumentParser(prog="x", parents=[common], epilog="\\n".join(["a", "b"]))
    known, rest = parser.parse_known_args()
    os.system(f"nice -n {known.level} make")
    os.system(rest[0])  # BST202
''',
    "mypkg/two.py": '''import argparse
import os

from .common import base_parser


def main():
    parser = argparse.ArgumentParser(parents=[base_parser()])
    parser.add_argument("--level", type=int)
    parser.add_argument("--name")
    args = parser.parse_args()
    os.system(f"sleep {args.count}")
    os.system(f"sleep {args.level}")
    os.system("hello " + args.name)  # BST202
    os.system(args.cmd)  # BST202
''',
}


# a parser handed to another module's helper (which declares `count` again, unvalidated):
# `count` is not proven clean where it is parsed, what else the module validates is
# (helped_factory.py's `level`: test_taint_argparse_helpers.py), nothing is carried on by a
# module handing it on; one handed to a helper of the module (even through another, in a
# module handing none elsewhere) keeps what the module proves
HELPERS = {
    "mypkg/helpers.py": '''def add_common(parser):
    parser.add_argument("--retries", dest="count")
''',
    "mypkg/helped.py": '''import argparse
import subprocess

from .helpers import add_common


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int)
    add_common(parser)
    args = parser.parse_args()
    subprocess.run(f"sleep {args.count}", shell=True)  # BST202
''',
    "mypkg/helped_factory.py": '''import argparse
import subprocess

from .cli import build_parser
from .helpers import add_common


def main():
    parser = build_parser()
    parser.add_argument("--level", type=int)
    add_common(parser)
    args = parser.parse_args(namespace=argparse.Namespace())
    subprocess.run(f"nice -n {args.level} make", shell=True)
    subprocess.run(f"sleep {args.count}", shell=True)  # BST202
''',
    "mypkg/again_helped.py": '''from .cli import build_parser
from .helpers import add_common


def again_helped():
    parser = build_parser()
    add_common(parser)
    return parser
''',
    "mypkg/handed_main.py": '''import os

from .again_helped import again_helped


def main():
    args = again_helped().parse_args()
    os.system(f"sleep {args.count}")  # BST202
''',
    "mypkg/handed_direct.py": '''import os

from . import helpers
from .cli import build_parser


def direct():
    parser = build_parser()
    helpers.add_common(parser)
    known, _ = parser.parse_known_args()
    os.system(f"sleep {known.count}")  # BST202
''',
    "mypkg/helped_here.py": '''import argparse
import subprocess


def _timing(group):
    group.add_argument("--delay", type=float)


def _local(parser):
    _timing(parser.add_argument_group("timing"))  # made in the call: still this module's
    parser.add_argument("--size", choices=["s", "m"])


def main():
    parser = argparse.ArgumentParser()
    _local(parser)
    args = parser.parse_args()
    subprocess.run(f"sleep {args.delay}; make {args.size}", shell=True)
    subprocess.run(args.rest, shell=True)  # BST202
''',
}

# one package (one `bastion check` run: the test file stays cheap); the cases share no file
APPS = {**RE_EXPORTED, **PARENTS, **HELPERS}


def test_check_follows_the_parser_along_the_chain(tmp_path):
    (tmp_path / "mypkg").mkdir()
    results = checked(APPS, tmp_path)
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"]) for r in results}
    assert found == expected_checked(APPS, {"BST202": 78})


def test_the_editor_store_follows_it_too(tmp_path):
    (tmp_path / "mypkg").mkdir()
    for name, (expected, found) in store_found(APPS, tmp_path).items():
        assert found == expected, name
