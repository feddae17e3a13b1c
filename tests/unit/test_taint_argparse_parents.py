"""A parser built with `parents=[...]` of another module's factory (issue 12): the parents'
validated destinations (`type=int`, constant `choices`), as that module's summary carries them,
are clean in the parse of the child, with the child module's own; a child handed to a helper
the analysis cannot see proves nothing. Each case is a package written to a temporary folder,
read by `bastion check` and by the editor's summary store; a line that must report ends with
its rule."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_and_stored

APPS = {
    "tools/__init__.py": "",
    "tools/base.py": '''import argparse


def common_parser():
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--level", type=int, default=0)
    shared.add_argument("--name")
    return shared
''',
    "tools/tool.py": '''import argparse
import os

from .base import common_parser


def main():
    parser = argparse.ArgumentParser(parents=[common_parser()])
    parser.add_argument("--mode", choices=["a", "b"])
    args = parser.parse_args()
    os.system("nice -n %s run" % args.level)
    os.system("run --mode %s" % args.mode)
    os.system("echo %s" % args.name)  # BST202
''',
    # declares nothing itself: the parents' destinations alone
    "tools/bare.py": '''import argparse
import subprocess

from .base import common_parser


def run():
    base = common_parser()
    ns = argparse.ArgumentParser(parents=[base]).parse_args()
    subprocess.call("sleep %s" % ns.level, shell=True)
    subprocess.call("greet %s" % ns.name, shell=True)  # BST202
''',
    # a plugin the analysis cannot see may add any argument: nothing is proven clean
    "tools/handed.py": '''import argparse
import os

import plugin

from .base import common_parser


def main():
    parser = argparse.ArgumentParser(parents=[common_parser()])
    parser.add_argument("--mode", choices=["a", "b"])
    plugin.extend(parser)
    args = parser.parse_args()
    os.popen("nice -n %s run" % args.level)  # BST202
''',
    # a factory handing on a child of those parents: its summary carries both modules' proofs
    "tools/factory.py": '''import argparse

from . import base


def build():
    child = argparse.ArgumentParser(parents=[base.common_parser()])
    child.add_argument("--jobs", type=int)
    return child
''',
    "tools/runner.py": '''import os

from .factory import build


def main():
    opts = build().parse_args()
    os.system("make -j%s -l%s" % (opts.jobs, opts.level))
    os.system("make %s" % opts.name)  # BST202
''',
}


def test_the_parents_of_another_module_prove_their_validated_destinations(tmp_path):
    (tmp_path / "tools").mkdir()
    assert_checked_and_stored(APPS, tmp_path, {"BST202": 78})
