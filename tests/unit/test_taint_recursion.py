"""Taint analysis through `bastion check`: a recursive cycle's summaries climb from what its base
cases return (recursion.py), so a recursion whose base case returns a constant returns that
constant, and one that returns its parameter, or what its recursive call was handed, carries the
argument; the elements of a parameter's slice are at other indexes (`parts[1:][0]` is the
argument's `parts[1]`), which such a recursion reads. A helper's sink reports once, at its
line: each helper has one caller (marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

HEAD = "import os\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n"


def _app(helpers: str, call: str) -> str:
    return (f"{HEAD}\n{helpers}\n\n\n@app.route('/a')\ndef view():\n    data = request.args['q']\n"
            f"    {call}\n    return 'ok'\n")


UNWRAP = "def unwrap(text, depth):\n    return unwrap(text, depth - 1) if depth else {}"
# `replace("..", "")` once a round is no sanitizer: "....//" leaves "../"
CLEAN = ("def clean(s, n):\n"
         "    return s if n == 0 else clean(s.replace('..', ''), n - 1)")
EVEN_ODD = ("def even(s, n):\n    return 'even' if n == 0 else odd(s, n - 1)\n\n\n"
            "def odd(s, n):\n    return {} if n == 0 else even(s, n - 1)")
BUILD = ("def build(parts, acc):\n    if not parts:\n        return acc\n"
         "    return build(parts[1:], acc + parts[0])")
WALK = ("def walk(cmd, depth):\n    if depth:\n        walk(cmd, depth - 1)\n    else:\n"
        "        os.system({}")
SECOND = "def second(parts):\n    rest = parts[1:]\n    return rest[0]"
MARK = "  # BST202"

APPS = {
    "unwrap_param.py": _app(UNWRAP.format("text"), "os.system(unwrap(data, 2))" + MARK),
    "unwrap_constant.py": _app(UNWRAP.format("'ls'"), "os.system(unwrap(data, 2))"),
    "clean_replace.py": _app(CLEAN, "os.system(clean(data, 3))" + MARK),
    "mutual_param.py": _app(EVEN_ODD.format("s"), "os.system(even(data, 3))" + MARK),
    "mutual_constant.py": _app(EVEN_ODD.format("'odd'"), "os.system(even(data, 3))"),
    "build_acc.py": _app(BUILD, 'os.system(build(["ls ", data], ""))' + MARK),
    "build_constants.py": _app(BUILD, 'os.system(build(["ls ", "-l"], ""))'),
    "slice_second.py": _app(SECOND, 'os.system(second(["ls", data]))' + MARK),
    "slice_constants.py": _app(SECOND, 'os.system(second(["ls", "pwd"]))'),
    "walk_sink.py": _app(WALK.format("cmd)" + MARK), "walk(data, 2)"),
    "walk_constant.py": _app(WALK.format("'ls')"), "walk(data, 2)"),
}


def test_recursion_climbs_from_its_base_cases(tmp_path):
    assert_checked_apps(APPS, tmp_path)


def _ring(size: int, last: str) -> str:
    """`f1` calls `f2` ... calls `f{size}`, which calls `f1` or returns `last`: the request data
    of the last member reaches the first through every other."""
    members = [f"def f{i}(k):\n    if k > 3:\n        return f{i + 1}(k - 1)\n    return 'c'"
               for i in range(1, size)]
    members.append(f"def f{size}(k):\n    if k > 9:\n        return f1(k - 1)\n    return {last}")
    return "\n\n\n".join(members)


# A cycle's members are analysed callees first (callgraph.components: Tarjan's pop order): data
# a member returns reaches the caller of the chain in one round. In discovery order, callers
# first, each round carried it one member further, and the rounds stopped before a ring of five.
RINGS = {f"ring_{size}.py": _app(_ring(size, "request.args['x']"), "os.system(f1(10))" + MARK)
         for size in (5, 8, 12)}
RINGS["ring_constant.py"] = _app(_ring(8, "'ls'"), "os.system(f1(10))")


def test_request_data_goes_round_a_ring_of_functions(tmp_path):
    assert_checked_apps(RINGS, tmp_path)
