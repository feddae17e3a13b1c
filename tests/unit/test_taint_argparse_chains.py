"""argparse parsers across more than two workspace modules (issue 12): the destinations a
factory's module validates (`type=int`, constant `choices=`) travel on the parser through a
module that only hands it on (`def again(): return build_parser()`), in `bastion check` and in
the editor's store; a module in between that adds arguments keeps only what both modules prove
clean, so a destination it adds (or declares again) without a conversion stays the command
line's. Each case is a package written to a temporary folder; a line that must report ends with
its rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.taint_marked import checked, expected_checked, marked_and_found

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore

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
    "mypkg/main.py": '''import os

from .again import again, bound


def main():
    args = again().parse_args()
    os.system(f"sleep {args.count}")
    os.system("run-" + args.mode)
    os.system(args.cmd)  # BST202


def other():
    known, rest = bound().parse_known_args()
    os.system(f"sleep {known.count}")
    os.system(known.cmd)  # BST202
    os.system(rest[0])  # BST202
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


def _cases() -> list:
    return [pytest.param(RE_EXPORTED, id="re-exported")]


@pytest.mark.parametrize("apps", _cases())
def test_check_follows_the_parser_along_the_chain(tmp_path, apps):
    (tmp_path / "mypkg").mkdir()
    results = checked(apps, tmp_path)
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"]) for r in results}
    assert found == expected_checked(apps, {"BST202": 78})


@pytest.mark.parametrize("apps", _cases())
def test_the_editor_store_follows_it_too(tmp_path, apps):
    (tmp_path / "mypkg").mkdir()
    for name, source in apps.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version, False)
    for name, source in apps.items():
        if "# BST" not in source:
            continue
        path = str(tmp_path / name)
        analyzer.workspace.prepare(source, path)
        found = {(f.line, f.rule_id) for f in analyzer.analyse_file(source, path)}
        assert found == marked_and_found(source)[0], name
