"""Request data validated or converted into a type no injection fits in, from the frameworks'
and libraries' documentation, each beside its vulnerable twin (the same code without the
conversion, or with a type that still carries the sender's text), which must still report:
Werkzeug's `getlist(key, type=int)`, `get(key, default, int)` and `get(key, type=AnEnum)`; an
`ipaddress` address, safe in a command or a query but still naming the host a request goes to;
a regular expression match's groups. Forms are test_taint_typed_forms.py's."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()


def reported(source: str) -> set[tuple[str, int]]:
    """(rule, 1-based line) of every finding the editor's engine reports, import rules aside."""
    return {(f.rule_id, f.line + 1) for f in ENGINE.analyse(source, "case.py", Config()).findings
            if not f.rule_id.startswith("B4") and f.rule_id != "B607"}  # B607: a program's PATH lookup


def check(source: str, vulnerable: set[tuple[str, int]], safe: set[int]) -> None:
    """The twins' findings are reported; nothing is on the safe lines (bandit's neither)."""
    found = reported(source)
    assert vulnerable <= found
    assert not {line for _, line in found} & safe


# Werkzeug's MultiDict.getlist(key, type=int) keeps the values the converter accepted, as
# `get(key, type=int)` returns the converted value: numbers, whatever the query string held.
GETLIST = '''\
import sqlite3

from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


@app.route("/items")
def items():
    ids = request.args.getlist("id", type=int)
    db.execute("SELECT * FROM t WHERE id IN (%s)" % ",".join(str(i) for i in ids))
    return "ok"


@app.route("/items-text")
def items_text():
    ids = request.args.getlist("id")
    db.execute("SELECT * FROM t WHERE id IN (%s)" % ",".join(ids))
    return "ok"
'''


def test_getlist_with_an_integer_type_holds_numbers():
    check(GETLIST, {("BST204", 19)}, {12})


# `ipaddress.ip_address(text)` raises unless the text is an address: digits, dots, colons and
# hex letters, nothing a shell or a query string breaks on; but the address is the host a
# request is sent to, the metadata service's `169.254.169.254` as much as any.
ADDRESS = '''\
import ipaddress
import os

import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    ip = ipaddress.ip_address(request.args["ip"])
    os.system(f"ping -c 1 {ip}")
    return "ok"


@app.route("/status")
def status():
    ip = ipaddress.ip_address(request.args["ip"])
    return requests.get(f"http://{ip}/status").text


@app.route("/ping-text")
def ping_text():
    ip = request.args["ip"]
    os.system(f"ping -c 1 {ip}")
    return "ok"
'''


def test_an_address_is_safe_in_a_command_but_still_names_the_host_fetched():
    check(ADDRESS, {("BST202", 26), ("BST213", 20)}, {13})


# A regular expression match's groups are text the pattern matched: `(\d+)-(\d+)` leaves
# digits whatever else the query held; `id=(.+)` leaves anything.
GROUPS = r"""
import os
import re
import sqlite3

from flask import Flask, abort, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


@app.route("/range")
def id_range():
    m = re.fullmatch(r"(\d+)-(\d+)", request.args["r"])
    if not m:
        abort(400)
    db.execute(f"SELECT * FROM t WHERE id BETWEEN {m.group(1)} AND {m.group(2)}")
    low, high = m.groups()
    os.system(f"seq {low} {high}")
    return "ok"


@app.route("/loose")
def loose():
    found = re.search(r"id=(.+)", request.args["r"])
    return str(db.execute(f"SELECT * FROM t WHERE id = {found[1]}").fetchall()) if found else "none"
"""


def test_a_match_group_holds_what_the_pattern_matched():
    check(GROUPS, {("BST204", 26)}, {17, 19})


# The match object's `string` is the whole subject, not what the pattern matched.
WHOLE_SUBJECT = '''\
import os
import re

from flask import Flask, request

app = Flask(__name__)


@app.route("/echo")
def echo():
    m = re.search(r"(\\w+)", request.args["q"])
    if m:
        os.system("echo " + m.group(1))
        os.system("echo " + m.string)
    return "ok"
'''


def test_a_matchs_string_is_the_whole_subject():
    check(WHOLE_SUBJECT, {("BST202", 14)}, {13})


# Werkzeug's `get(key, default=None, type=None)` takes the converter third, by position too.
POSITIONAL_TYPE = '''\
import sqlite3

from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


@app.route("/limit")
def limit():
    n = request.args.get("n", 0, int)
    db.execute(f"SELECT * FROM t LIMIT {n}")
    m = request.args.get("m", 0)
    db.execute(f"SELECT * FROM t LIMIT {m}")
    return "ok"
'''


def test_get_with_a_positional_converter_holds_its_result():
    check(POSITIONAL_TYPE, {("BST204", 14)}, {12})


# An Enum of the module as Werkzeug's converter: `Sort(text)` is one of its members or raises,
# and `get` then returns the default.
ENUM_TYPE = '''\
import sqlite3
from enum import Enum

from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


class Sort(str, Enum):
    NAME = "name"
    DATE = "date"


@app.route("/rows")
def rows():
    sort = request.args.get("sort", type=Sort)
    db.execute(f"SELECT * FROM t ORDER BY {sort.value}")
    db.execute(f"SELECT * FROM t ORDER BY {request.args.get('by', 'name', type=str)}")
    return "ok"
'''


def test_get_with_an_enum_converter_holds_a_member():
    check(ENUM_TYPE, {("BST204", 19)}, {18})
