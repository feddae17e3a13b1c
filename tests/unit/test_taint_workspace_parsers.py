"""An argparse parser built in another module of the workspace (issue 12): `from .cli import
build_parser` (or `from mypkg.cli import build_parser`), then `build_parser().parse_args()` or
`parser = build_parser(); parser.parse_args()` reads the command line, as the same-module factory
does: the factory's workspace summary is served for the kind of what it returns (an object whose
methods are sources), not only for a returned source. A constant argument list and a factory
returning plain data stay silent. Checked by a real `bastion check --format json` over the
package, and by the editor's store once it prepared the file."""

from __future__ import annotations

from pathlib import Path

from tests.unit.taint_marked import checked, expected_checked, marked_and_found

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore

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


def _written(folder: Path) -> None:
    (folder / "mypkg").mkdir()


def test_check_reads_a_parser_built_in_another_module(tmp_path):
    _written(tmp_path)
    results = checked(APPS, tmp_path)
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"]) for r in results}
    assert found == expected_checked(APPS, {"BST202": 78})


def test_the_editor_reads_it_once_the_store_prepared_the_file(tmp_path):
    _written(tmp_path)
    for name, source in APPS.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version, False)
    for name in ("mypkg/tool.py", "mypkg/app.py"):
        path = str(tmp_path / name)
        analyzer.workspace.prepare(APPS[name], path)
        found = {(f.line, f.rule_id) for f in analyzer.analyse_file(APPS[name], path)}
        assert found == marked_and_found(APPS[name])[0]
