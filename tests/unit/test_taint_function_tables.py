"""A module-level dict of functions picked by request data (issue 12): `ACTIONS[kind](host)` /
`ACTIONS.get(kind)(host)` may run any of its lambdas or module functions, each on the call's
arguments, so a sink inside one reports; the twin's functions quote or pass lists. Through
`bastion check` and the editor's store; a line that must report ends with its rule."""

import pytest
from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_edit_reaches

# the views pick from the tables by request data, in both modules
VIEWS = '''
@app.route("/run")
def run():
    ACTIONS[request.args["a"]](request.args["host"])
    return "ok"


@app.route("/get")
def get():
    ACTIONS.get(request.form["a"])(request.form["host"])
    return "ok"


@app.route("/q")
def q():
    rows = QUERIES[request.args["k"]](request.args["name"])
    return {"n": len(rows)}
'''

VULNERABLE = '''import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)


def lookup(name):
    conn = sqlite3.connect("users.db")
    return conn.execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()  # BST204


ACTIONS = {
    "ping": lambda h: subprocess.run("ping -c1 " + h, shell=True),  # BST202
    "dig": lambda h: subprocess.run("dig +short " + h, shell=True),  # BST202
}
QUERIES = {"user": lookup}
''' + VIEWS

SAFE = '''import shlex
import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)


def lookup(name):
    conn = sqlite3.connect("users.db")
    return conn.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchall()


ACTIONS = {
    "ping": lambda h: subprocess.run(["/usr/bin/ping", "-c1", "--", h]),
    "dig": lambda h: subprocess.run("dig +short " + shlex.quote(h), shell=True),
}
QUERIES = {"user": lookup}
''' + VIEWS


@pytest.mark.parametrize("name, source", [("vulnerable.py", VULNERABLE), ("safe.py", SAFE)])
def test_a_table_picked_by_request_data_runs_each_function(tmp_path, name, source):
    """The vulnerable module reports its marked lines; the twin, quoting, nothing."""
    assert_checked_and_stored({name: source}, tmp_path, RULE_CWE)


EDITED = '''import subprocess

from flask import Flask, request

app = Flask(__name__)

ACTIONS = {{"ping": lambda h: subprocess.run({command}, shell=True)}}


@app.route("/run")
def run():
    ACTIONS[request.args["a"]](request.args["host"])
    return "ok"
'''


def test_an_edit_of_a_table_function_alone_reaches_the_view_analysed_before():
    """The functions are cached (as in the editor): an edit of a lambda of the table alone
    changes what the view picking from it reports, both ways."""
    assert_edit_reaches(EDITED.format(command='"ping -c1 " + h'),
                        EDITED.format(command='"ping -c1 localhost"'), "BST202")



CONSTANT_KEYS = '''import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)

ACTIONS = {{
    "ping": lambda h: subprocess.run("ping -c1 " + h, shell=True),{mark}
    "quoted": lambda h: subprocess.run("ping -c1 " + shlex.quote(h), shell=True),
}}


@app.route("/run")
def run():
    ACTIONS[{key!r}](request.args["host"])
    ACTIONS.get({key!r})(request.args["host"])
    return "ok"
'''


@pytest.mark.parametrize("key, mark", [("quoted", ""), ("ping", "  # BST202")])
def test_a_constant_key_runs_only_the_function_it_names(tmp_path, key, mark):
    """`ACTIONS["quoted"](host)` runs the quoting lambda alone (every function of the table ran:
    a false positive in the other); `ACTIONS["ping"](host)` still reaches its sink."""
    assert_checked_and_stored({"keys.py": CONSTANT_KEYS.format(key=key, mark=mark)}, tmp_path, RULE_CWE)
