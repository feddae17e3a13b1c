"""An argparse parser built in another module of the workspace (issue 12): `from .cli import
build_parser` (or `from mypkg.cli import build_parser`), then `build_parser().parse_args()` or
`parser = build_parser(); parser.parse_args()` reads the command line, as the same-module factory
does: the factory's workspace summary is served for the kind of what it returns (an object whose
methods are sources), not only for a returned source. A constant argument list and a factory
returning plain data stay silent. The destinations the factory's module validates (`type=int`,
constant `choices=`) travel on the returned parser and are clean where it is parsed, unless the
parsing module declares arguments of its own (then its own set holds) or the factory extends a
parser it got from another module (then only those both modules prove clean). Checked by a real
`bastion check --format json` over the package, and by the editor's store once it prepared the
file."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.taint_marked import checked, expected_checked, store_found

APPS = {
    "mypkg/__init__.py": "",
    "mypkg/cli.py": '''import argparse


def build_parser():
    parser = argparse.ArgumentParser(prog="tool")
    parser.add_argument("--cmd")
    return parser


def defaults():
    return {"cmd": "ls"}
''',
    "mypkg/tool.py": '''import os

from .cli import build_parser, defaults


def main():
    args = build_parser().parse_args()
    os.system(args.cmd)  # BST202


def bound():
    parser = build_parser()
    os.system(parser.parse_args().cmd)  # BST202


def fixed():
    os.system(build_parser().parse_args(["--cmd", "ls"]).cmd)
    os.system(defaults()["cmd"])
''',
    "mypkg/app.py": '''import subprocess

from mypkg.cli import build_parser


def run():
    known, rest = build_parser().parse_known_args()
    subprocess.run(known.cmd, shell=True)  # BST202
    subprocess.run(rest[0], shell=True)  # BST202


def run_fixed():
    known, _ = build_parser().parse_known_args(["--cmd", "ls"])
    subprocess.run(known.cmd, shell=True)
''',
}


# validated destinations declared by the factory's module (a `type=int` / `choices=` twin of
# each tainted one), parsed where nothing is declared, where the parser is extended, and through
# a factory extending the parser of another module
VALIDATED = {
    "mypkg/__init__.py": "",
    "mypkg/cli.py": '''import argparse


def build_parser():
    parser = argparse.ArgumentParser(prog="sleeper")
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--mode", choices=["a", "b"])
    parser.add_argument("--label", type=str)
    parser.add_argument("--cmd")
    return parser
''',
    "mypkg/tool.py": '''import os

from .cli import build_parser


def main():
    args = build_parser().parse_args()
    os.system(f"sleep {args.seconds}")
    os.system("run-" + args.mode)
    os.system("echo " + args.label)  # BST202
    os.system(args.cmd)  # BST202


def bound():
    parser = build_parser()
    known, rest = parser.parse_known_args()
    os.system(f"sleep {known.seconds}")
    os.system("run-" + known.mode)
    os.system(known.cmd)  # BST202
    os.system(rest[0])  # BST202
''',
    "mypkg/more.py": '''import os

from .cli import build_parser


def main():
    parser = build_parser()
    parser.add_argument("--x")
    parser.add_argument("--delay", dest="seconds")
    args = parser.parse_args()
    os.system(args.x)  # BST202
    os.system(f"sleep {args.seconds}")  # BST202
''',
    "mypkg/wider.py": '''import argparse

from .cli import build_parser


def wider_parser() -> argparse.ArgumentParser:
    parser = build_parser()
    parser.add_argument("--wait", dest="mode")
    parser.add_argument("--tag", dest="label", choices=["x", "y"])
    return parser
''',
    "mypkg/wide_tool.py": '''import os

from .wider import wider_parser


def main():
    args = wider_parser().parse_args()
    os.system("run-" + args.mode)  # BST202
    os.system("echo " + args.label)  # BST202
''',
}


def _written(folder: Path) -> None:
    (folder / "mypkg").mkdir()


@pytest.mark.parametrize("apps", [APPS, VALIDATED], ids=["parsers", "validated"])
def test_check_reads_a_parser_built_in_another_module(tmp_path, apps):
    _written(tmp_path)
    results = checked(apps, tmp_path)
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"]) for r in results}
    assert found == expected_checked(apps, {"BST202": 78})


@pytest.mark.parametrize("apps", [APPS, VALIDATED], ids=["parsers", "validated"])
def test_the_editor_reads_it_once_the_store_prepared_the_file(tmp_path, apps):
    _written(tmp_path)
    for name, (expected, found) in store_found(apps, tmp_path).items():
        assert found == expected, name
