"""Taint analysis: what the flow matrix's fixes keep (each line that must report is marked,
taint_marked.py): `dict.update` sets a display's keys but only joins another mapping's (a slot
only some paths set), a slice keeps the slots it selects, `format` and `format_map` read the
arguments their fields name, `dict(k=v)` is `{"k": v}`, `map` runs a lambda or a nested
function on the elements, a lambda picked from a table runs,
`enumerate` / `zip` keep their positions, a copy its slots, a deque its order, a constant
`string.Template` reads the values its placeholders name, `next()` of a fresh iterator over a
list its first element, `functools.reduce` runs a lambda over a list in order."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

APP = '''\
import collections
import copy
import functools
import os
import string
from flask import Flask, request

app = Flask(__name__)


@app.route("/a")
def a():
    d = {"k": request.args["q"]}
    extra = {}
    if request.args.get("x"):
        extra["k"] = "safe"
    d.update(extra)
    os.system(d["k"])  # BST202
    e = {"k": "safe"}
    e.update(k=request.args["q"])
    os.system(e["k"])  # BST202
    f = {"k": request.args["q"]}
    f.update({**extra})
    os.system(f["k"])  # BST202
    g = {"k": request.args["q"]}
    g.update({"k": "x"}, j=1)
    os.system(g["k"])
    return "ok"


@app.route("/b")
def b():
    q = request.args["q"]
    items = ["ls", q, "pwd"]
    os.system(items[1:][1])
    os.system(items[1:][0])  # BST202
    os.system(items[::-1][1])  # BST202
    os.system(items[::2][1])
    os.system(items[::-2][0])
    os.system(items[5:][0])
    return "ok"


@app.route("/c")
def c():
    q = request.args["q"]
    os.system("{1}".format(q, "ls"))
    os.system("{0}".format(q, "ls"))  # BST202
    os.system("{} {}".format("ls", q))  # BST202
    os.system("{a}".format(a="ls", b=q))
    os.system("{b.real}".format(a="ls", b=q))  # BST202
    os.system("{:{}}".format("ls", q))  # BST202
    os.system("{0[x]}".format("ls", q))
    return "ok"


@app.route("/d")
def d():
    q = request.args["q"]
    os.system("".join(map(lambda c: "-", q)))
    os.system("".join(map(lambda c: c, q)))  # BST202
    list(map(lambda c: os.system(c), [q]))  # BST202

    def quiet(text):
        return "x"

    def loud(text):
        return text.upper()

    os.system("".join(map(quiet, [q])))
    os.system("".join(map(loud, [q])))  # BST202
    os.system("".join(map(str.strip, [q])))  # BST202
    return "ok"


@app.route("/e")
def e():
    q = request.args["q"]
    table = {"x": lambda: q, "y": lambda: "ls", "z": lambda t: t.strip()}
    os.system(table["y"]())
    os.system(table["x"]())  # BST202
    os.system(table["z"](q))  # BST202
    os.system(table["z"]("ls"))
    steps = [lambda: "ls", lambda: q]
    os.system(steps[0]())
    os.system(steps[1]())  # BST202
    options = dict(program="ls", target=q)
    os.system(options["program"])
    os.system(options["target"])  # BST202
    os.system("{program}".format_map({"program": "ls", "target": q}))
    os.system("{target}".format_map({"program": "ls", "target": q}))  # BST202
    os.system("{program}".format_map(request.args))  # BST202
    for index, name in enumerate([q]):
        os.system(str(index))
        os.system(name)  # BST202
    for program, target in zip(["ls", "pwd"], [q, q]):
        os.system(program)
        os.system(target)  # BST202
    for row in zip(*[[q]]):
        os.system(row[0])  # BST202
    both = copy.copy(["ls", q])
    os.system(both[0])
    os.system(both[1])  # BST202
    queue = collections.deque(["ls"])
    queue.append(q)
    os.system(queue.popleft())
    os.system(queue.popleft())  # BST202
    queue.appendleft("pwd")
    os.system(queue.popleft())
    return "ok"


@app.route("/f")
def f():
    q = request.args["q"]
    os.system(string.Template("ls $a").substitute(a="-l", b=q))
    os.system(string.Template("ls ${b}").substitute(a="-l", b=q))  # BST202
    os.system(string.Template("ls $a").safe_substitute({"a": "-l", "b": q}))
    os.system(string.Template("ls $a").substitute({"a": q}, b="-l"))  # BST202
    os.system(string.Template("ls $a").substitute({"a": q}, a="-l"))
    os.system(string.Template("ls $a $c").safe_substitute(a="-l", b=q))
    os.system(string.Template("ls $a").substitute(request.args))  # BST202
    os.system(string.Template(q).substitute(a="-l"))  # BST202
    os.system(next(word for word in ["ls", q]))
    os.system(next(word + "x" for word in [q, "ls"]))  # BST202
    os.system(next(iter(["ls", q])))
    os.system(next(word for word in ["ls", q] if word != "ls"))  # BST202
    words = iter(["ls", q])
    next(words)
    os.system(next(words))  # BST202
    os.system(functools.reduce(lambda acc, part: acc, [q], "ls"))
    os.system(functools.reduce(lambda acc, part: acc + part, [q], "ls"))  # BST202
    os.system(functools.reduce(lambda acc, part: acc + " " + part, ["ls", "-l"]))
    os.system(functools.reduce(lambda acc, part: part, ["ls", q]))  # BST202
    os.system(functools.reduce(lambda acc, part: acc, q, "ls"))  # BST202
    return "ok"
'''



def test_update_slice_and_format_keep_what_python_keeps():
    assert_marked(APP)
