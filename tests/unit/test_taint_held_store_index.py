"""held_calls.hold_store tells the parameter a store is written on by its number, as its origin
was made (parameters.py), not by the text of its label: the held call is on that parameter
wherever it stands among the others, and a method's `self` (no number) holds nothing."""

from __future__ import annotations

import ast

from tests.unit.taint_marked import assert_marked

from bastion.analyzers.taint import held_calls

SECOND = '''from flask import Flask, request, session

app = Flask(__name__)


def remember(user, store):
    store["user"] = user


class Prefs:
    def remember(self, store, theme):
        store["theme"] = theme


@app.route("/login")
def login():
    remember(request.args["user"], session)  # BST208
    remember("guest", session)
    Prefs().remember(session, request.args["theme"])  # BST208
    Prefs().remember(session, "light")
    return "ok"
'''


def test_a_store_on_any_parameter_is_held_by_its_number():
    assert_marked(SECOND)


class _Function:
    def __init__(self, source: str, implicit: int) -> None:
        self.node = ast.parse(source).body[0]
        self.implicit_params = implicit


def test_the_number_is_the_summaries_numbering():
    method = _Function("def m(self, a, *rest, b, **kw): pass", 1)
    assert [held_calls._number(method, name) for name in ("self", "a", "rest", "b", "kw", "zz")] \
        == [-1, 0, 1, 2, 3, -1]
