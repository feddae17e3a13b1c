"""The argparse models' cost (issue 12): a module that does not import argparse pays nothing
for them (its classes' methods are not listed), and an argparse module's tree is walked once,
only where its text can hold what the walk looks for. Each shortcut must give what the full
work gives."""

from __future__ import annotations

import ast

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
    assert dispatched(tree, PLAIN, Env({}, {"os"}), {"main"}, _Untouchable(tree.body)) == ({}, [])


def test_an_argparse_module_still_finds_its_method_handlers():
    text = "import argparse\n" + PLAIN
    tree = ast.parse(text)
    handlers, lambdas = dispatched(tree, text, Env({}, {"argparse", "os"}), set(), tree.body)
    assert list(handlers) == ["Tool.run"] and lambdas == []
