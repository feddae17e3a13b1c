"""Functions the module calls itself (taint/helpers.py): found in every statement, and a
statement the block parser kept is not walked again on the next keystroke."""

from __future__ import annotations

import ast

import pytest

from bastion.analyzers.taint import helpers
from bastion.engine.cache import LRU

SOURCE = ("def audit(request, action):\n    pass\n\n"
          "def view(request):\n    audit(request, 'x')\n\n"
          "def other(request):\n    return obj.other(request)\n\n"
          "if True:\n    print(unused(1))\n")


def test_the_functions_called_by_name_anywhere_in_the_module():
    tree = ast.parse(SOURCE)
    assert helpers.called_here(["audit", "view", "other", "unused"], tree, None) == {"audit", "unused"}


def test_a_kept_statement_is_not_walked_again(monkeypatch):
    tree, memo = ast.parse(SOURCE), LRU(64)
    assert helpers.called_here(["audit"], tree, memo) == {"audit"}

    def no_walk(node):
        raise AssertionError("walked a statement the memo holds")

    # the walk helpers.py does (patched in helpers alone: pytest walks trees with ast.walk itself)
    monkeypatch.setattr(helpers, "nodes", no_walk)
    assert helpers.called_here(["audit"], tree, memo) == {"audit"}
    with pytest.raises(AssertionError):
        helpers.called_here(["audit"], ast.parse(SOURCE), memo)  # new nodes: walked
