"""argparse helpers of another workspace module (issue 12): `add_common(parser)` of `from
.common import add_common` declares arguments on the parser it is handed; its summary says
which, validated or not, so the module handing its parser to it proves clean what both
validate and neither declares otherwise. A helper declaring a destination it is given (not a
constant), or a library's, still proves nothing. Each case is a package written to a
temporary folder, read by `bastion check` and by the editor's summary store; a line that must
report ends with its rule."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_and_stored

APPS = {
    "jobs/__init__.py": "",
    "jobs/common.py": '''def add_common(parser):
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--target")


def add_workers(parser):
    parser.add_argument("--workers", dest="jobs")


def add_named(parser, option):
    parser.add_argument(option)
''',
    "jobs/app.py": '''import argparse
import os

from .common import add_common

PROG = "builder"


def main(argv=None):
    parser = argparse.ArgumentParser(prog=PROG, description="Build things")
    parser.add_argument("--level", type=int)
    add_common(parser)
    options = parser.parse_args(argv)
    command = "make -j%d -l%s" % (options.jobs, options.level)
    os.system(command)
    if options.target:
        os.system("make " + options.target)  # BST202
''',
    # `jobs` declared again without a conversion by the other helper: the command line's
    "jobs/both.py": '''import argparse
import subprocess

from . import common


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--level", type=int)
    common.add_common(parser)
    common.add_workers(parser)
    args = parser.parse_args()
    subprocess.call("nice -n %s true" % args.level, shell=True)
    subprocess.call("make -j%s" % args.jobs, shell=True)  # BST202
''',
    # a destination the helper is given: it may declare `level` again
    "jobs/named.py": '''import argparse
import os

from .common import add_named


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--level", type=int)
    add_named(parser, "--name")
    ns = parser.parse_args()
    os.popen("nice -n %s true" % ns.level)  # BST202
''',
}


def test_a_helper_of_another_module_declares_what_its_summary_says(tmp_path):
    (tmp_path / "jobs").mkdir()
    assert_checked_and_stored(APPS, tmp_path, {"BST202": 78})
