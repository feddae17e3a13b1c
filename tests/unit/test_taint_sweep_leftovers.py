"""Leftovers of the web and injection sweeps: the Python running the analysed program as an
interpreter (`[sys.executable, "-c", code]`), a request-chosen key stored with `setdefault`, a
guard on a local dict's item, each vulnerable line marked (taint_marked.py) beside its safe twin."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked, checked, expected_checked

# `sys.executable` is the interpreter running the program: `-c` runs its next argument as code,
# `-m pip` a module the program names; a script path first makes the rest its arguments, which
# request data among them makes argument injection (BST217), not code injection.
SYS_EXECUTABLE = '''\
import subprocess
import sys

from flask import Flask, request

SCRIPT = "tools/report.py"
app = Flask(__name__)


@app.route("/run")
def run():
    py = sys.executable
    subprocess.run([py, "-I", "-c", request.args["code"]])  # BST202
    code = request.args["code"]
    subprocess.run([sys.executable, "-c", code])  # BST202
    subprocess.run([sys.executable, "-m", "pip", "--version"])
    subprocess.run([sys.executable, SCRIPT, request.args["code"]])  # BST217
    subprocess.run([sys.executable, "-c", "print(1)", request.args["code"]])  # BST217
    return "ok"
'''

# `d.setdefault(key, value)` stores as `d[key] = value` does when the key is absent: a key the
# request chose is what iterating the dict gives (a column list); a constant key's slot holds
# what it held or the default (what it held alone for a key the dict surely has,
# key_presence.py), and the call returns that slot. `update` with a display or
# keywords stores the same way.
SETDEFAULT = '''\
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/by")
def by_column():
    con = sqlite3.connect("app.db")
    column = request.args.get("column", "id")
    chosen = {"id": 1}
    chosen.setdefault(column, 1)
    con.execute("SELECT " + ", ".join(chosen) + " FROM items")  # BST204
    con.execute("SELECT id FROM items WHERE n = ?", (chosen["id"],))
    fixed = {"id": 1}
    fixed.setdefault("name", column)
    con.execute("SELECT " + ", ".join(fixed) + " FROM items")
    con.execute("SELECT id FROM items WHERE n = ?", (fixed["name"],))
    con.execute("SELECT id FROM items WHERE n = '%s'" % fixed["name"])  # BST204
    got = fixed.setdefault("other", column)
    con.execute("SELECT id FROM items WHERE n = " + got)  # BST204
    kept = fixed.setdefault("id", column)
    con.execute("SELECT id FROM items WHERE n = " + str(kept))
    updated = {"id": 1}
    updated.update({column: 1})
    con.execute("SELECT " + ", ".join(updated) + " FROM items")  # BST204
    named = {"id": 1}
    named.update(name=column)
    con.execute("SELECT " + ", ".join(named) + " FROM items")
    con.execute("SELECT id FROM items WHERE n = '" + named["name"] + "'")  # BST204
    return "ok"
'''

# A test of a local dict's item under a constant key refines that slot, as it refines a name;
# storing into the slot again, or testing another key, does not.
ITEM_GUARD = '''\
import os

from flask import Flask, request

app = Flask(__name__)


@app.get("/sleep")
def sleep():
    form = {"n": request.args["n"], "who": request.args["who"]}
    if form["n"].isdigit():
        os.system("sleep " + form["n"])
        os.system("echo " + form["who"])  # BST202
    who = form["who"] if form["who"].isalnum() else "anon"
    os.system("echo " + who)
    if form["n"].isdigit():
        form["n"] = request.args["m"]
        os.system("sleep " + form["n"])  # BST202
    os.system("sleep " + form["n"])  # BST202
    return "ok"
'''

# `shutil.which("python3")` finds the interpreter the name says, written in the vector as its
# program or bound to a name: `-c` runs code (BST202, not BST217), `-m pip` a module the program
# names; another program's arguments stay argument injection. A name rebound on one branch (to
# request data, to an unknown call) names no known program; a lookup of request data is request data.
SHUTIL_WHICH = '''\
import shutil
import subprocess
from shutil import which

from flask import Flask, request

app = Flask(__name__)


@app.route("/run")
def run():
    code = request.args["code"]
    subprocess.run([shutil.which("python3"), "-c", code])  # BST202
    subprocess.run([which("python3"), "-I", "-c", code])  # BST202
    subprocess.run([shutil.which("python3"), "-m", "pip", "--version"])
    subprocess.run([shutil.which("git"), "log", code])  # BST217
    return "ok"


@app.route("/bound")
def bound(fast: bool):
    code = request.args["code"]
    py = shutil.which("python3")
    subprocess.run([py, "-c", code])  # BST202
    subprocess.run([py, "-m", "pip", "--version"])
    argv = [py, "-c", code]
    subprocess.run(argv)  # BST202
    git = which("git", path="/usr/bin:/bin")
    subprocess.run([git, "log", code])  # BST217
    if fast:
        py = request.args["python"]
    subprocess.run([py, "-m", "pip", "--version"])  # BST202
    other = shutil.which("python3")
    if fast:
        other = find_python()
    subprocess.run([other, "-c", code])  # BST217
    found = shutil.which(request.args["program"])
    subprocess.run([found, "-c", code])  # BST202
    return "ok"
'''

# `shutil.which("python3") or sys.executable`: either way an interpreter runs, so `-c` runs
# code (BST202) as with the lookup alone; so do a shell's alternatives. Alternatives of different
# programs (python or node), or one of request data, name no known program.
WHICH_OR = '''\
import shutil
import subprocess
import sys

from flask import Flask, request

app = Flask(__name__)


@app.route("/or")
def alternatives():
    code = request.args["code"]
    py = shutil.which("python3") or sys.executable
    subprocess.run([py, "-c", code])  # BST202
    subprocess.run([py, "script.py", code])  # BST217
    subprocess.run([shutil.which("python") or shutil.which("python3"), "-c", code])  # BST202
    sh = shutil.which("bash") or "/bin/sh"
    subprocess.run([sh, "-c", code])  # BST202
    mixed = shutil.which("node") or sys.executable
    subprocess.run([mixed, "-c", code])  # BST217
    chosen = shutil.which("python3") or request.args["python"]
    subprocess.run([chosen, "script.py"])  # BST202
    return "ok"
'''

APPS = {"sys_executable": SYS_EXECUTABLE, "setdefault": SETDEFAULT, "item_guard": ITEM_GUARD,
        "shutil_which": SHUTIL_WHICH, "which_or": WHICH_OR}


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_marked_lines_are_exactly_those_reported(name):
    assert_marked(APPS[name])


def test_bastion_check_reports_the_alternatives_of_a_lookup(tmp_path):
    apps = {"app.py": WHICH_OR}
    found = {(r["path"], r["line"], r["rule_id"], r["cwe"]) for r in checked(apps, tmp_path)}
    assert found == expected_checked(apps, {"BST202": 78, "BST217": 88})
