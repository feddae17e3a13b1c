"""How Python's constructs carry request data between a source and a sink (issue 12, the detect63
probe sweep), each case beside a safe twin where the construct yields a constant: what a `match`
case's pattern captures is the part of the subject it matches (an element of a sequence, a
mapping's value under its key, a class pattern's keyword attribute, a constant a value pattern
captured), not the whole subject; a name an unpacking binds past a starred name takes its
element counted from the end of a list of known length (`command, *flags, folder = [...]`); `getattr` / `setattr` of a constant name read and write
the attribute as `obj.name` does, and `locals()` / `vars()` hold the function's variables; a str's tests (`isalpha()`, `isspace()`, ...) are a bool; a `typing.NamedTuple` record
is a tuple of its fields too (`point[0]`, `cmd, mode = point`); `heapq.heappush` and
`bisect.insort` put a value into the list they are given."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

# A case binds the part of the subject its pattern names; the request's part still reports.
MATCH_PATTERNS = '''\
import os
from dataclasses import dataclass

from flask import Flask, request

app = Flask(__name__)


@dataclass
class Job:
    name: str
    mode: str


@app.route("/job")
def job():
    task = Job(request.args["name"], "nice")
    match task:
        case Job(name=name, mode=mode):
            os.system(mode)
            os.system(name)  # BST202


@app.route("/rpc")
def rpc():
    match request.get_json():
        case {"cmd": "uptime" as cmd, "arg": arg}:
            os.system(cmd)
            os.system("uptime " + arg)  # BST202


@app.route("/move")
def move():
    parts = request.args["line"].split()
    match parts:
        case ["go", ("north" | "south") as way]:
            os.system("walk " + way)
        case ["say", *words]:
            os.system("say " + " ".join(words))  # BST202
        case [first, *_, last]:
            os.system(first + last)  # BST202


@app.route("/pair")
def pair():
    pair = ["ls", request.args["dir"]]
    match pair:
        case [command, folder]:
            os.system(command)
            os.system(command + " " + folder)  # BST202
'''

# Unpacked past a star, each name takes its own element; the starred name may hold any of them.
STARRED_UNPACKING = '''\
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/list")
def listing():
    command, *flags, folder = ["ls", "-l", request.args["dir"]]
    os.system(command)
    os.system(command + " " + folder)  # BST202
    os.system(" ".join(flags))  # BST202


@app.route("/head")
def head():
    first, *rest = ["ls", request.args["dir"]]
    os.system(first)
    os.system(rest[0])  # BST202
'''

# An attribute set or read by a constant name is that attribute: what the request stored is
# read back, a constant one stays constant, and a default given by the request reports.
ATTRIBUTES_BY_NAME = '''\
import os

from flask import Flask, request

app = Flask(__name__)


class Options:
    tool = "ls"
    folder = "."


@app.route("/options")
def options():
    opts = Options()
    for field in ("folder",):
        setattr(opts, field, request.args[field])
    setattr(opts, "folder", request.args["folder"])
    os.system(getattr(opts, "tool") + " " + opts.tool)
    os.system(opts.tool + " " + opts.folder)  # BST202
    os.system(getattr(opts, "tool") + " " + getattr(opts, "folder"))  # BST202


@app.route("/fallback")
def fallback():
    opts = Options()
    os.system(getattr(opts, "tool", "ls"))
    os.system(getattr(opts, "mode", request.args["mode"]))  # BST202


@app.route("/kept")
def kept():
    opts = Options()
    opts.folder = request.args["folder"]
    setattr(opts, "folder", "/tmp")
    os.system("ls " + opts.folder)
'''

# What a str's test returns is a bool, whatever the string held; the string itself reports.
STRING_TESTS = '''\
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/kind")
def kind():
    name = request.args["name"]
    os.system(f"echo {name.isalpha()} {name.isspace()} {name.isupper()} {name.rindex('.')}")
    os.system("echo " + str(name.isascii()) + str(name.isprintable()))
    os.system("echo " + name.lower())  # BST202
'''

# A template filled from the function's own variables holds what they hold.
FRAME_VARIABLES = '''\
import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/greet")
def greet():
    name = request.args["name"]
    os.system("echo {name}".format(**locals()))  # BST202
    os.system("echo %(name)s" % vars())  # BST202


@app.route("/count")
def count():
    count = int(request.args["count"])
    os.system("seq {count}".format(**locals()))
'''

# A named tuple read by position holds the field at that position.
NAMED_TUPLES = '''\
import os
from typing import NamedTuple

from flask import Flask, request

app = Flask(__name__)


class Command(NamedTuple):
    folder: str
    tool: str


@app.route("/run")
def run():
    command = Command(request.args["folder"], "ls")
    os.system(command[1] + " " + command.tool)
    os.system(command[1] + " " + command[0])  # BST202
    folder, tool = command
    os.system(tool)
    os.system(tool + " " + folder)  # BST202
'''

# A value pushed onto a heap, or inserted in order, may be at any position of the list.
ORDERED_INSERTS = '''\
import os
from bisect import insort
from heapq import heappop, heappush

from flask import Flask, request

app = Flask("queues")


@app.route("/queue")
def queue():
    jobs = [("uptime", 1)]
    heappush(jobs, (request.args["cmd"], 2))
    os.system(heappop(jobs)[0])  # BST202
    os.system(jobs[0][0])  # BST202


@app.route("/names")
def names():
    known = ["a", "b"]
    insort(known, request.args["name"])
    os.system("ls " + known[0])  # BST202


@app.route("/sizes")
def sizes():
    lengths = []
    heappush(lengths, len(request.args["cmd"]))
    os.system("echo %d" % heappop(lengths))
'''

APPS = {"match_patterns.py": MATCH_PATTERNS, "starred_unpacking.py": STARRED_UNPACKING,
        "attributes_by_name.py": ATTRIBUTES_BY_NAME, "string_tests.py": STRING_TESTS,
        "frame_variables.py": FRAME_VARIABLES, "named_tuples.py": NAMED_TUPLES,
        "ordered_inserts.py": ORDERED_INSERTS}


def test_constructs_carry_what_they_hold(tmp_path):
    """The analyser reports each app's marked lines alone, and one `bastion check` over them all
    does too, with the rule's CWE."""
    for source in APPS.values():
        assert_marked(source)
    assert_checked_apps(APPS, tmp_path)
