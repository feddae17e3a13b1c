"""A sink method called through a local name bound to it (issue 12, sink_aliases.py's leftover):
`ex = cur.execute; ex(query)` is `cur.execute(query)`, as `run = subprocess.run` is the
function it names. The twins: the query with placeholders, a method of the module's own class
bound the same way (its summary judges it), a bound method whose name no sink has. Through
`bastion check` and the editor's store."""


from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

APP = '''import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Repo:
    def __init__(self):
        self.conn = sqlite3.connect("app.db")

    def execute(self, name):
        return self.conn.execute("select * from users where name = ?", (name,))

    def find(self, name):
        ex = self.execute
        return ex(name)


@app.route("/user")
def user():
    cur = sqlite3.connect("app.db").cursor()
    ex = cur.execute
    ex("select * from users where name = '" + request.args["name"] + "'")  # BST204
    return "ok"


@app.route("/order")
def order():
    run_query = sqlite3.connect("app.db").cursor().executescript
    run_query("delete from orders where id = " + request.args["id"])  # BST204
    return "ok"


@app.route("/ping")
def ping():
    run = subprocess.run
    run("ping -c 1 " + request.args["host"], shell=True)  # BST202
    return "ok"


@app.route("/safe")
def safe():
    cur = sqlite3.connect("app.db").cursor()
    ex = cur.execute
    ex("select * from users where name = ?", (request.args["name"],))
    found = Repo().find(request.args["name"])
    fetch = cur.fetchall
    fetch()
    count = request.args["name"].count
    return "ok" if found and count("a") else "no"
'''


def test_a_sink_method_called_through_a_local_name_is_the_sink(tmp_path):
    assert_checked_and_stored({"app.py": APP}, tmp_path, RULE_CWE)
