"""Taint cost per function: p50 / p95 of interpreting one view function, for ~25-statement and
~300-statement functions (issue 12's budget: p95 <= 2 ms at 300 statements), plus the cost of a
keystroke in a file with many views (the function cache serves every function but the edited one),
Flask views and Django views (entries by their first parameter's name), and of a keystroke
inside a ~300-statement view (its walk resumes where the edit starts, resume.py). The "bare
walk" row is the floor: a visitor that only visits every node of the long functions.

Usage: python bench/taint_bench.py [--functions 60] [--rounds 5] [--calls]
--calls prints instead the function calls (cProfile's count, built-ins included) the
interpretation of one ~300-statement view makes, averaged over ten of them, each run once before:
the same on every run of the same code, so a change's cost shows on a loaded machine too.
The views are generated Flask code in the shapes real views have: request reads, guards with
early exits, branches on flags, loops over request lists, string building, dict slots, helper
calls, and sinks. Times are the analysing thread's CPU time (`time.thread_time`), so that other
load on a shared machine does not inflate them; wall time is that or more. The per-function rows
run with the collector off; the keystroke rows with it set as the language server sets it.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import gc
import pstats
import random
import statistics
import time

from bastion.analyzers.taint.analysis import _analyse
from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.model_files import load_models

HEADER = '''import os
import subprocess
from flask import Flask, abort, jsonify, redirect, request
from markupsafe import escape

app = Flask(__name__)
BASE = "/srv/data"
ALLOWED = ("a", "b", "c")
DEBUG = False


def helper(value):
    return "prefix-" + value
'''

SNIPPETS = [
    "    v{n} = request.args.get('p{n}', '')",
    "    if '..' in v{n}:\n        abort(400)",
    "    w{n} = os.path.join(BASE, v{n})",
    "    if DEBUG:\n        print(v{n})",
    "    d{n} = {{'k': v{n}, 'c': 'x'}}",
    "    s{n} = f\"<p>{{escape(d{n}['k'])}}</p>\"",
    "    for item{n} in request.args.getlist('l{n}'):\n        acc += item{n}",
    "    if v{n} not in ALLOWED:\n        v{n} = 'a'",
    "    h{n} = helper(v{n})",
    "    n{n} = int(request.args.get('n{n}', '0')) + {n}",
    "    parts.append(v{n})",
    "    try:\n        t{n} = request.form['t{n}']\n    except KeyError:\n        t{n} = ''",
    "    x{n} = v{n}.strip().lower() if v{n} else 'none'",
]
SINKS = ["    subprocess.run(['ls', w{n}])", "    open(w{n}).close()",
         "    os.system('echo ' + str(n{n}))"]


def view(index: int, statements: int, rng: random.Random) -> str:
    lines = [f"@app.route('/v{index}')", f"def view_{index}():", "    acc = ''", "    parts = []",
             "    v0 = request.args.get('p0', '')", "    w0 = os.path.join(BASE, v0)", "    n0 = 0"]
    count, n = 5, 1
    while count < statements:
        snippet = rng.choice(SNIPPETS + SINKS) if n > 1 else SNIPPETS[0]
        if "{n}" in snippet and any(s in snippet for s in ("w{n}", "n{n}")) and snippet in SINKS:
            snippet = snippet.replace("{n}", str(rng.randrange(0, n)))
        text = snippet.format(n=n)
        lines.append(text)
        count += sum(1 for line in text.splitlines() if line.strip() and not line.strip().endswith(":"))
        count += text.count(":\n")
        n += 1
    lines.append("    return jsonify(ok=True, acc=acc, parts=parts)")
    return "\n".join(lines) + "\n"


def per_function(size: int, functions: int, rounds: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    source = HEADER + "\n\n".join(view(i, size, rng) for i in range(functions))
    models = load_models()
    tree = ast.parse(source)
    module = module_context(tree, models)
    times: list[float] = []
    gc.disable()
    try:
        for _ in range(rounds):
            for function in module.functions:
                if not function.name.startswith("view_"):
                    continue
                started = time.thread_time()
                _analyse(function, module, models, {})
                times.append((time.thread_time() - started) * 1000)
    finally:
        gc.enable()
    return times


def calls_per_function(size: int, functions: int, seed: int) -> int:
    """The function calls interpreting one view makes, on average (the views of per_function)."""
    rng = random.Random(seed)
    models = load_models()
    module = module_context(ast.parse(HEADER + "\n\n".join(view(i, size, rng) for i in range(functions))),
                            models)
    views = [function for function in module.functions if function.name.startswith("view_")]
    for function in views:  # what is made once a module (its names' memo) is made before
        _analyse(function, module, models, {})
    prof = cProfile.Profile()
    prof.enable()
    for function in views:
        _analyse(function, module, models, {})
    prof.disable()
    return pstats.Stats(prof).total_calls // len(views)


def bare_walk(size: int, functions: int, rounds: int, seed: int) -> list[float]:
    """The floor under any interpreter of the same functions: a visitor that does nothing but
    visit every node (ast.NodeVisitor), timed the same way."""
    rng = random.Random(seed)
    tree = ast.parse(HEADER + "\n\n".join(view(i, size, rng) for i in range(functions)))
    views = [node for node in tree.body if isinstance(node, ast.FunctionDef)
             and node.name.startswith("view_")]
    times: list[float] = []
    for _ in range(rounds):
        for function in views:
            started = time.thread_time()
            ast.NodeVisitor().visit(function)
            times.append((time.thread_time() - started) * 1000)
    return times


def keystrokes(functions: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    source = HEADER + "\n\n".join(view(i, 25, rng) for i in range(functions))
    analyzer = TaintAnalyzer()
    analyzer.analyse_file(source, "views.py")
    lines = source.split("\n")
    times = []
    for edit in range(40):
        target = [n for n, line in enumerate(lines) if line.startswith("    v")][edit * 7 % 50]
        edited = list(lines)
        edited[target] += f"  # {edit}"
        text = "\n".join(edited)
        started = time.thread_time()
        analyzer.analyse_file(text, "views.py")
        times.append((time.thread_time() - started) * 1000)
    return times


def long_keystrokes(seed: int) -> list[float]:
    """Typing inside a ~300-statement view (a file of it alone): a comment typed key by key at
    the end of a line, at eight places one after the other, each analysed as the editor does."""
    rng = random.Random(seed)
    source = HEADER + view(0, 300, rng)
    analyzer = TaintAnalyzer()
    analyzer.analyse_file(source, "views.py")
    lines = source.split("\n")
    body = [n for n, line in enumerate(lines) if line.startswith("    ") and n > 20]
    times = []
    for _ in range(8):  # places
        target = rng.choice(body)
        lines[target] += "  #"
        for key in range(5):
            lines[target] += "abcde"[key]
            text = "\n".join(lines)
            started = time.thread_time()
            analyzer.analyse_file(text, "views.py")
            times.append((time.thread_time() - started) * 1000)
    return times


DJANGO_VIEW = ("def view_{n}(request, pk):\n    q = request.GET.get('q', '')\n"
               "    items = Item.objects.filter(name=q)\n    if pk:\n        os.system('echo ' + str(pk))\n"
               "    return render(request, 'x.html', {{'items': items, 'pk': pk}})\n")


def django_keystrokes(functions: int) -> list[float]:
    """A keystroke in a views module whose functions are entries by their first parameter's
    name (`def view(request, pk)`): the module's own calls of them are looked for each time."""
    source = ("import os\nfrom django.shortcuts import render\nfrom .models import Item\n\n"
              + "\n\n".join(DJANGO_VIEW.format(n=n) for n in range(functions)))
    analyzer = TaintAnalyzer()
    analyzer.analyse_file(source, "views.py")
    lines = source.split("\n")
    targets = [n for n, line in enumerate(lines) if line.startswith("    q = ")]
    times = []
    for edit in range(40):
        edited = list(lines)
        edited[targets[edit * 5 % len(targets)]] += f"  # {edit}"
        text = "\n".join(edited)
        started = time.thread_time()
        analyzer.analyse_file(text, "views.py")
        times.append((time.thread_time() - started) * 1000)
    return times


def describe(label: str, times: list[float], statements: str) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return (f"{label:<34} {statements:>10} {len(times):>6} {statistics.median(times):>9.3f} "
            f"{p95:>9.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--functions", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", action="store_true")
    args = parser.parse_args()
    if args.calls:
        calls = calls_per_function(300, 10, 2)
        print(f"long view function: {calls} calls/function (10 views, ~300 statements)")
        return 0
    print(f"{'what':<34} {'statements':>10} {'runs':>6} {'p50 ms':>9} {'p95 ms':>9}")
    print(describe("view function", per_function(25, args.functions, args.rounds, 1), "~25"))
    print(describe("long view function", per_function(300, max(10, args.functions // 6),
                                                        args.rounds, 2), "~300"))
    print(describe("ast.NodeVisitor walk, same code", bare_walk(300, max(10, args.functions // 6),
                                                             args.rounds, 2), "~300"))
    # the keystroke rows collect as the server does (cli/lsp_cmd.py): what is alive by now is
    # frozen out of the collector's way, and it runs less often (a full collection of the
    # models and trees, 24-46 ms, fell on 2 keys in 40 of the long view's row: its p95)
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
    print(describe("keystroke, 60-view file", keystrokes(60, 3), "-"))
    print(describe("keystroke inside a long view function", long_keystrokes(4), "~300"))
    print(describe("keystroke, 200-view Django file", django_keystrokes(200), "-"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
