"""The argparse models' cost (issue 12): a module that does not import argparse pays nothing
for them (its classes' methods are not listed), and an argparse module's tree is walked once,
only where its text can hold what the walk looks for. Each shortcut must give what the full
work gives."""

from __future__ import annotations

import ast

import pytest

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.argparse_handlers import dispatched

PLAIN = '''import os


class Tool:
    def run(self, args):
        os.system("ls " + args.path)

    def main(self):
        self.set_defaults(func=self.run)
'''


class _Untouchable(list):
    """Definitions that fail the test when anything reads them."""

    def __iter__(self):
        raise AssertionError("the definitions of a module without argparse were read")


def test_a_module_without_argparse_lists_no_methods():
    tree = ast.parse(PLAIN)
    found = dispatched(tree, PLAIN, Env({}, {"os"}), {"main"}, _Untouchable(tree.body))
    assert found == ({}, [], frozenset(), None)


def test_an_argparse_module_still_finds_its_method_handlers():
    text = "import argparse\n" + PLAIN
    tree = ast.parse(text)
    handlers, lambdas, *_ = dispatched(tree, text, Env({}, {"argparse", "os"}), set(), tree.body)
    assert list(handlers) == ["Tool.run"] and lambdas == []


TOOL = '''import argparse
import os


def cmd_run(args):
    os.system("ls " + args.path)


def cmd_show(args):
    os.system("cat " + args.path)


COMMANDS = {"run": cmd_run}
UNUSED = {"show": cmd_show}


class Tool:
    def register(self, sub):
        clean = sub.add_parser("clean")
        clean.add_argument("--depth", type=int)
        clean.set_defaults(func=self.clean, depth=1)

    def clean(self, args):
        os.system("rm " + args.path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int)
    parser.add_argument("--mode", choices=["a", "b"])
    args = parser.parse_args()
    COMMANDS[args.cmd](args)
'''


def _analysed(text: str, monkeypatch) -> tuple[tuple, int]:
    """dispatched()'s answer for `text`, and how many nodes ast.walk yielded to find it."""
    seen = [0]
    walk = ast.walk

    def counted(node):
        for child in walk(node):
            seen[0] += 1
            yield child
    tree = ast.parse(text)
    functions = {d.name for d in tree.body if isinstance(d, ast.FunctionDef)}
    monkeypatch.setattr(ast, "walk", counted)
    found = dispatched(tree, text, Env({}, {"argparse", "os"}), functions, tree.body)
    monkeypatch.setattr(ast, "walk", walk)
    return found, seen[0]


def test_an_argparse_module_is_walked_once(monkeypatch):
    (handlers, _, clean, _), seen = _analysed(TOOL, monkeypatch)
    assert sorted(handlers) == ["Tool.clean", "cmd_run"] and clean == {"lines", "mode"}
    assert seen <= sum(1 for top in ast.parse(TOOL).body for _ in ast.walk(top))


@pytest.mark.parametrize("edit", [
    ("COMMANDS[args.cmd](args)", "print(args)"),  # a table never called
    ("clean.set_defaults(func=self.clean, depth=1)", "pass"),
    ('parser.add_argument("--mode", choices=["a", "b"])', "pass"),
    ("COMMANDS[args.cmd](args)", "COMMANDS.get(args.cmd)(args)"),
])
def test_the_text_gates_give_what_the_whole_walk_gives(edit, monkeypatch):
    text = TOOL.replace(*edit)
    gated, _ = _analysed(text, monkeypatch)
    tree = ast.parse(text)
    whole = dispatched(tree, None, Env({}, {"argparse", "os"}), {"cmd_run", "cmd_show", "main"}, tree.body)
    assert ({k: [r.key() for r in v] for k, v in gated[0].items()}, gated[2]) == \
        ({k: [r.key() for r in v] for k, v in whole[0].items()}, whole[2])


def test_a_module_whose_text_holds_nothing_argparse_dispatches_is_not_walked(monkeypatch):
    text = "import argparse\n\n\ndef run(args):\n    pass\n\n\nCOMMANDS = {'run': run}\n"
    assert _analysed(text, monkeypatch) == (({}, [], frozenset(), None), 0)
