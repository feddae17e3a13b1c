"""Bandit's walk links every node to its parent and next sibling; the adapter removes the links
once the walk ends, so an analysed tree is freed by reference counting when dropped, not left
to the garbage collector as a web of cycles (a cold scan's collections traversed every tree).
The checks that read the links during the walk still report as before."""

from __future__ import annotations

import ast
import gc
import weakref

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.analyzers.base import ImportContext, UnitSource
from bastion.model.text import split_lines

# Checks that read `_bandit_parent` / `_bandit_sibling` while walking: B608 (a query built by
# `+`, `.format` and an f-string: its parents), B105/B106 (a password assigned, a keyword or a
# dict key: its parent), and the line range of a multi-line string (its sibling).
SOURCE = '''\
import sqlite3

def find(cursor, name):
    cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")
    cursor.execute("DELETE FROM users WHERE id = {}".format(name))
    cursor.execute(f"UPDATE users SET x = 1 WHERE name = '{name}'")

password = "hunter2hunter2"
settings = {"password": "hunter2hunter2"}
connect(password="hunter2hunter2")
doc = """a
multi-line
string"""
'''


def _analysed(source: str) -> tuple[ast.Module, list]:
    tree = ast.parse(source)
    findings = BanditAdapter().analyse_unit(UnitSource(tree, split_lines(source), "m.py", ImportContext()))
    return tree, findings


def test_no_node_keeps_a_link_after_the_walk():
    tree, findings = _analysed(SOURCE)
    assert findings
    linked = [node for node in ast.walk(tree)
              if "_bandit_parent" in node.__dict__ or "_bandit_sibling" in node.__dict__]
    assert linked == []


def test_an_analysed_tree_is_freed_without_the_collector():
    collecting = gc.isenabled()
    gc.disable()
    try:
        tree, _ = _analysed(SOURCE)
        gone = weakref.ref(tree)
        del tree
        assert gone() is None
    finally:
        if collecting:
            gc.enable()


def test_the_checks_reading_links_still_report():
    _, findings = _analysed(SOURCE)
    found = sorted((f.rule_id, f.span.start_line) for f in findings if f.rule_id in
                   ("B608", "B105", "B106"))
    assert found == [("B105", 7), ("B105", 8), ("B106", 9), ("B608", 3), ("B608", 4), ("B608", 5)]
