"""Re-exported workspace functions (issue 12): a name a module only imports from another
workspace module (`from .cli import build_parser as make`, a package `__init__`'s
`from .cli import build_parser`) stands for that module's function, followed a few modules on
(imports that go round end the search), in `bastion check` and in the editor's store, whose
published summaries of the module in between change when it does. A re-exported helper that
returns a sanitised value stays silent, and so does a name the module defines again. Each
case is a package written to a temporary folder; a line that must report ends with its rule."""

from __future__ import annotations

from pathlib import Path

from tests.unit.taint_marked import checked, expected_checked, store_found

CLI = '''import argparse
import os
import shlex

from flask import request


def build_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int)
    parser.add_argument("--cmd")
    return parser


def raw_value():
    return request.args["q"]


def clean_value():
    return shlex.quote(request.args["q"])


def run(command):
    os.system("nice " + command)
'''

APPS = {
    "mypkg/__init__.py": "from .cli import build_parser, clean_value, raw_value\n",
    "mypkg/cli.py": CLI,
    "mypkg/again.py": '''from .cli import build_parser as make
from .cli import clean_value as tidy
from .cli import raw_value as fetch
from .cli import run as execute
''',
    # one more module on, and a name defined again (its own function, not the import)
    "mypkg/further.py": '''from .again import fetch, make
from .cli import raw_value as shadowed


def shadowed():
    return "constant"
''',
    # imports that go round: no summary, no endless search
    "mypkg/loop_a.py": "from .loop_b import spin\n",
    "mypkg/loop_b.py": "from .loop_a import spin\n",
    "mypkg/main.py": '''import os

from flask import request

from mypkg import build_parser, clean_value, raw_value

from .again import execute, fetch, make, tidy
from .further import fetch as fetched
from .further import make as made
from .further import shadowed
from .loop_a import spin


def by_alias():
    args = make().parse_args()
    os.system(f"sleep {args.count}")
    os.system(args.cmd)  # BST202


def by_package():
    args = build_parser().parse_args()
    os.system(args.cmd)  # BST202


def two_on():
    args = made().parse_args()
    os.system(args.cmd)  # BST202
    os.system("echo " + fetched())  # BST202


def helpers():
    os.system("echo " + raw_value())  # BST202
    os.system("echo " + fetch())  # BST202
    os.system("echo " + clean_value())
    os.system("echo " + tidy())
    os.system("echo " + shadowed())
    os.system("echo " + spin())


def sink():
    execute(request.args["name"])  # BST202
    execute("ls")
''',
}


def test_check_and_the_editor_store_follow_re_exports(tmp_path):
    (tmp_path / "mypkg").mkdir()
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"])
             for r in checked(APPS, tmp_path)}
    assert found == expected_checked(APPS, {"BST202": 78})
    editor = store_found(APPS, tmp_path)  # file -> (marked, reported)
    assert {name: pair[1] for name, pair in editor.items()} \
        == {name: pair[0] for name, pair in editor.items()}


MIDDLE = {
    "mypkg/__init__.py": "",
    "mypkg/cli.py": CLI,
    "mypkg/again.py": "from .cli import raw_value as fetch\n",
    "mypkg/main.py": '''import os

from .again import fetch


def view():
    os.system("echo " + fetch())  # BST202
''',
}


def test_an_edit_of_the_module_in_between_is_followed(tmp_path):
    from bastion.analyzers.taint.analyzer import TaintAnalyzer
    from bastion.analyzers.taint.workspace import SummaryStore

    (tmp_path / "mypkg").mkdir()
    [(expected, found)] = store_found(MIDDLE, tmp_path).values()
    assert found == expected and expected
    analyzer = TaintAnalyzer()
    store = analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version, False)
    main, again = str(tmp_path / "mypkg" / "main.py"), tmp_path / "mypkg" / "again.py"
    store.prepare(MIDDLE["mypkg/main.py"], main)
    assert analyzer.analyse_file(MIDDLE["mypkg/main.py"], main)
    again.write_text("from .cli import clean_value as fetch\n", encoding="utf-8")
    store.changed(str(again))
    store.prepare(MIDDLE["mypkg/main.py"], main)
    assert not analyzer.analyse_file(MIDDLE["mypkg/main.py"], main)


# A class a package only re-exports (`from .models import Repo`, also one package further):
# its methods' summaries, sinks and sources, reach `bastion check` and the editor's store.
CLASSES = {
    "shop/__init__.py": "from .models import Repo, Store\n",
    "shop/inner/__init__.py": "from ..models import Repo as Repository\n",
    "shop/models.py": '''import os
import shlex

from flask import request


class Repo:
    def __init__(self, root):
        self.root = root

    def run(self, command):
        os.system("git " + command)

    def run_quoted(self, command):
        os.system("git " + shlex.quote(command))

    @staticmethod
    def clean(name):
        os.system("echo " + name)


class Store:
    def query(self):
        return request.args["q"]

    def fixed(self):
        return "constant"
''',
    "shop/views.py": '''import os

from flask import request

from shop import Repo, Store
from shop.inner import Repository


def view():
    Repo("/srv").run(request.args["c"])  # BST202
    Repo("/srv").run_quoted(request.args["c"])
    Repo.clean(request.args["n"])  # BST202
    Repo.clean("name")
    repo = Repository("/srv")
    repo.run(request.args["d"])  # BST202
    repo.run("status")
    os.system("echo " + Store().query())  # BST202
    os.system("echo " + Store().fixed())
''',
}


def test_methods_of_a_re_exported_class_reach_their_summaries(tmp_path):
    (tmp_path / "shop" / "inner").mkdir(parents=True)
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"])
             for r in checked(CLASSES, tmp_path)}
    assert found == expected_checked(CLASSES, {"BST202": 78})
    [(expected, reported)] = store_found(CLASSES, tmp_path).values()
    assert reported == expected and len(expected) == 4
