"""A module's container a function fills with request data (global_stores.py): a slot stored
(`PENDING[token] = request.form["cmd"]`) or an element put in (`HISTORY.append(q)`,
`RECENT.appendleft(q)`, through a name bound to request data too) makes every read of that container, in any function, request
data at medium confidence; a function's own container of the same name, a module container
given a number or a constant, and Flask's imported `session` are not. So does a global a
function sets to its parameter when a call of it passes request data. A line that must report
ends with its rule."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

SHARED = '''\
import os
import subprocess
from collections import deque

from flask import Flask, request, session

app = Flask(__name__)
PENDING = {}
HISTORY = []
RECENT = deque(maxlen=10)
SIZES = {}
DEFAULTS = {"cmd": "uptime"}


@app.route("/queue", methods=["POST"])
def queue():
    PENDING[request.form["token"]] = request.form["cmd"]
    SIZES["last"] = len(request.form["cmd"])
    session["cmd"] = "uptime"
    return "queued"


@app.route("/remember")
def remember():
    host = request.args["host"]
    HISTORY.append(host)
    RECENT.appendleft(host)
    return "ok"


@app.route("/local")
def local():
    DEFAULTS = {}
    DEFAULTS["cmd"] = request.args["cmd"]
    return "ok" if DEFAULTS else "no"


@app.route("/run")
def run():
    for cmd in PENDING.values():
        subprocess.run(cmd, shell=True)  # BST202
    os.system("ping -c 1 " + HISTORY[-1])  # BST202
    os.system("host " + RECENT[0])  # BST202
    os.system("du -s /srv | head -" + str(SIZES["last"]))
    os.system(DEFAULTS["cmd"])
    os.system(session["cmd"])
    return "ran"
'''

HANDED = '''\
import os

from flask import Flask, request

app = Flask(__name__)
TARGET = "example.com"
MODE = "fast"


def remember(host, mode="fast"):
    global TARGET, MODE
    TARGET = host
    MODE = mode


@app.route("/set")
def set_target():
    remember(request.args["host"], mode="slow")
    return "ok"


@app.route("/ping")
def ping():
    os.system("ping -c 1 " + TARGET)  # BST202
    os.system("echo " + MODE)
    return "ok"
'''


def test_a_module_container_filled_with_request_data_holds_it_for_every_reader(tmp_path):
    """The analyser reports the marked lines alone, and `bastion check` does too."""
    assert_marked(SHARED)
    assert_checked_apps({"shared_containers.py": SHARED}, tmp_path)


def test_a_global_a_helper_sets_to_its_parameter_holds_what_its_callers_pass():
    """`remember(request.args["host"], mode="slow")`: `TARGET` holds request data, `MODE` a
    constant."""
    assert_marked(HANDED)


SLOTS = '''\
from flask import Flask, redirect, request, session

app = Flask(__name__)
AFTER_LOGIN = {"next": "/", "home": "/"}


@app.route("/login")
def login():
    AFTER_LOGIN["next"] = request.args["next"]
    session["user"] = "guest"
    return "logged in"


@app.route("/continue")
def resume():
    return redirect(AFTER_LOGIN["next"])  # BST210


@app.route("/home")
def home():
    return redirect(AFTER_LOGIN["home"])
'''


def test_a_slot_a_view_fills_at_a_constant_key_holds_request_data_for_its_readers():
    """`AFTER_LOGIN["next"] = request.args["next"]` in one view, `redirect(AFTER_LOGIN["next"])`
    in another: that slot is request data (on main the constant-slot write counted for no reader,
    detect85); the module's `home` slot, which no function writes, stays the constant it was."""
    assert_marked(SLOTS)


NUMBERED = '''\
import subprocess

from flask import Flask, request

app = Flask(__name__)
STEPS = {0: "true", 1: "true", 2: "true"}


@app.route("/step", methods=["POST"])
def set_step():
    STEPS[1] = request.form["cmd"]
    return "saved"


@app.route("/run-flag")
def run_flag():
    return subprocess.run(STEPS[True], shell=True).returncode  # BST202


@app.route("/run-float")
def run_float():
    return subprocess.run(STEPS[1.0], shell=True).returncode  # BST202


@app.route("/run-first")
def run_first():
    return subprocess.run(STEPS[False], shell=True).returncode
'''


def test_a_slot_is_read_by_every_key_python_finds_equal_to_its_own():
    """`STEPS[1] = request.form["cmd"]`, then `STEPS[True]` and `STEPS[1.0]` read that slot
    (`1 == True == 1.0`, their hashes equal: one key of a dict); `STEPS[False]` is slot 0, which
    no view writes. On main slots were named by `repr`, so `True` and `1.0` read no slot."""
    assert_marked(NUMBERED)
