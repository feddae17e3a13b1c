"""calls.py's dispatch by call shape: a check inside a block gated by `shape & _FLAG` runs only
for the names and methods the tables give that flag, so every name or method a gated check
compares with must be in them (a check added to a block without its names would never run)."""

from __future__ import annotations

import ast
import inspect

from tests.unit.taint_marked import assert_marked

from bastion.analyzers.taint import calls, method_calls


def _compared(block: list[ast.stmt], subject: str, module: object = calls) -> set[str]:
    """The constants `subject` (`name` / `method`) is compared with in the block, by `==`, `in`
    a literal tuple or `in` a module-level set of `module`."""
    keys: set[str] = set()
    for node in (n for statement in block for n in ast.walk(statement)):
        if not (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name)
                and node.left.id == subject and isinstance(node.ops[0], (ast.Eq, ast.In))):
            continue
        right = node.comparators[0]
        if isinstance(right, ast.Constant) and isinstance(right.value, str):
            keys.add(right.value)
        elif isinstance(right, ast.Tuple):
            keys.update(e.value for e in right.elts if isinstance(e, ast.Constant))
        elif isinstance(right, ast.Name):
            keys.update(vars(module)[right.id])
    return keys


def _gated_blocks() -> list[tuple[int, list[ast.stmt]]]:
    tree = ast.parse(inspect.getsource(calls.evaluate_call))
    blocks = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.If):
            continue
        test = node.test.values[0] if isinstance(node.test, ast.BoolOp) else node.test
        if isinstance(test, ast.BinOp) and isinstance(test.op, ast.BitAnd) \
                and isinstance(test.left, ast.Name) and test.left.id == "shape":
            blocks.append((vars(calls)[test.right.id], node.body))
    return blocks


def test_every_gated_block_is_found() -> None:
    flags = {flag for flag, _ in _gated_blocks()}
    assert flags == {calls._EARLY, calls._PATHS, calls._SHAPED, calls._METHODS, calls._CONVERTS}


def test_gated_checks_names_are_in_the_tables() -> None:
    for flag, block in _gated_blocks():
        for key in _compared(block, "name"):
            assert calls._BY_NAME.get(key, 0) & flag, (flag, key)
        for key in _compared(block, "method"):
            assert calls._BY_METHOD.get(key, 0) & flag, (flag, key)


def test_method_results_methods_are_in_the_table() -> None:
    """The `_METHODS` block is one call of method_calls.method_result: its checks' methods."""
    body = ast.parse(inspect.getsource(method_calls.method_result)).body
    for key in _compared(body, "method", method_calls):
        assert calls._BY_METHOD.get(key, 0) & calls._METHODS, key


def test_a_plain_call_meets_no_gated_block() -> None:
    """`helper(v)`, `escape(x)`, `abort(400)`: only the open checks."""
    for name in ("helper", "markupsafe.escape", "flask.abort", "int", None):
        assert calls._BY_NAME.get(name, 0) == 0
    assert calls._BY_METHOD.get("run", 0) == 0


def test_a_getter_meets_the_converter_alone() -> None:
    """`request.args.get("n")`: of `_SHAPED`'s run, only the converter's check (its own block)."""
    for method in ("get", "getlist"):
        assert calls.checks_met("flask.request.args." + method, method) == calls._CONVERTS | calls._METHODS
        assert calls.checks_met(None, method) & calls._SHAPED == 0


GETTERS = """\
import enum
import os
from flask import Flask, request

app = Flask(__name__)


class Color(enum.Enum):
    RED = "red"


@app.route("/get")
def get():
    os.system("ls " + str(request.args.get("n", type=int)))
    os.system("ls " + str(request.args.get("n", 0, int)))
    os.system("ls " + str(request.args.get("c", type=Color)))
    os.system("ls " + " ".join(map(str, request.args.getlist("id", type=int))))
    os.system("ls " + request.args.get("n", "x"))  # BST202
    os.system("ls " + request.args.get("n", type=str))  # BST202
    os.system("ls " + " ".join(request.args.getlist("id")))  # BST202
    return "ok"
"""


def test_getters_convert_as_before() -> None:
    """Werkzeug's `get(..., type=int)` and `getlist(..., type=int)` hold what the converter
    returns; without one, or with `str`, the request's text."""
    assert_marked(GETTERS)
