from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

# A store to a property with a setter runs the setter: the instance holds what it stored, and a
# read of the property runs the getter on that. `Account.name`'s setter keeps letters alone and
# `Account.age`'s makes a number (main read both back as assigned); `Note.body`'s stores the
# value as it is.
ACCOUNTS = '''import re
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Account:
    def __init__(self):
        self._name = ""
        self._age = 0

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self._name = re.sub(r"[^a-z]", "", value)

    @property
    def age(self):
        return self._age

    @age.setter
    def age(self, value):
        self._age = int(value)


class Note:
    def __init__(self):
        self._body = ""

    @property
    def body(self):
        return self._body

    @body.setter
    def body(self, value):
        self._body = value


@app.route("/home")
def home():
    account = Account()
    account.name = request.args["name"]
    account.age = request.args["age"]
    subprocess.run("mkdir /home/" + account.name, shell=True)
    return "<p>" + str(account.age) + "</p>"


@app.route("/note")
def note():
    n = Note()
    n.body = request.args["body"]
    subprocess.run("logger " + n.body, shell=True)  # BST202
    return "ok"
'''


def test_a_store_to_a_property_with_a_setter_is_read_through_its_getter(tmp_path):
    assert_checked_and_stored({"accounts.py": ACCOUNTS}, tmp_path, RULE_CWE)
