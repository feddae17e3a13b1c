"""A second sweep of the injection idioms (SQL, command, code, XPath, LDAP, deserialization,
XXE, log, template) as library documentation and real apps write them, each vulnerable line
marked (taint_marked.py) beside its safe twin: the cases the first idiom tests missed or
reported wrongly."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked, editor_found, marked_and_found

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()

# jsonpickle's `loads` and cloudpickle's `load` / `loads` are their `decode` / pickle's own;
# `full_load` is `load(..., Loader=FullLoader)`, which builds the Python objects a tag names.
DESERIALIZE = '''\
import cloudpickle
import jsonpickle
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/state", methods=["POST"])
def state():
    obj = jsonpickle.loads(request.get_data(as_text=True))  # BST209
    plain = jsonpickle.loads("{}")
    fn = cloudpickle.loads(request.data)  # BST209
    cfg = yaml.full_load(request.stream)  # BST209
    docs = list(yaml.full_load_all(request.stream))  # BST209
    safe = yaml.safe_load(request.stream)
    also_safe = yaml.load(request.stream, Loader=yaml.SafeLoader)
    return "ok"
'''

# The query built on its own line, then run: bandit's B608 on the string is the flow the taint
# finding at the `execute` reports (its step "assigned to `query`" is the string's line), so only
# that finding stays; a query built from a parameter nobody fills keeps B608 (unknown).
SQL_BUILT_APART = '''\
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/find")
def find():
    name = request.args["name"]
    con = sqlite3.connect("app.db")
    query = "SELECT * FROM users WHERE name = '%s'" % name
    con.execute(query)  # BST204
    by_key = "SELECT * FROM users WHERE name = '%(n)s'" % {"n": name}
    con.execute(by_key)  # BST204
    formatted = "SELECT * FROM users WHERE name = '{}'".format(name)
    con.execute(formatted)  # BST204
    spelled = f"SELECT * FROM users WHERE name = '{name}'"
    con.execute(spelled)  # BST204
    joined = "SELECT * FROM users WHERE name = '" + name + "'"
    con.execute(joined)  # BST204
    bound = "SELECT * FROM users WHERE name = ?"
    con.execute(bound, (name,))
    return "ok"


def helper(con, name):
    query = "SELECT * FROM users WHERE name = '%s'" % name
    return con.execute(query)
'''

# Column names from a dict display's constant keys, the request's values bound as parameters:
# iterating the dict (`for`, a comprehension, `join`, `keys()`, `items()`) gives its keys, not
# its values. A request's JSON object's keys are the request's, as is a key the request wrote.
SQL_COLUMNS_FROM_KEYS = '''\
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/items")
def items():
    filters = {"owner": request.args["owner"], "state": request.args["state"]}
    con = sqlite3.connect("app.db")
    where = " AND ".join(f"{k} = ?" for k in filters)
    con.execute("SELECT * FROM items WHERE " + where, list(filters.values()))
    where = " AND ".join(f"{k} = ?" for k in filters.keys())
    con.execute("SELECT * FROM items WHERE " + where, list(filters.values()))
    where = " AND ".join(f"{k} = ?" for k, v in filters.items())
    con.execute("SELECT * FROM items WHERE " + where, [v for k, v in filters.items()])
    where = " AND ".join(f"{k} = '{v}'" for k, v in filters.items())
    con.execute("SELECT * FROM items WHERE " + where)  # BST204
    parts = []
    for column in filters:
        parts.append(column + " = ?")
    con.execute("SELECT * FROM items WHERE " + " AND ".join(parts), tuple(filters.values()))
    con.execute(f"INSERT INTO items ({', '.join(filters)}) VALUES (?, ?)", tuple(filters.values()))
    con.execute(f"INSERT INTO items VALUES ({', '.join(filters.values())})")  # BST204
    return "ok"


@app.route("/by")
def by_column():
    column = request.args["column"]
    con = sqlite3.connect("app.db")
    asked = {column: 1}
    con.execute("SELECT " + ", ".join(asked) + " FROM items")  # BST204
    chosen = {"id": 1}
    chosen[column] = 1
    con.execute("SELECT " + ", ".join(chosen) + " FROM items")  # BST204
    con.execute("SELECT id FROM items WHERE n = ?", (chosen["id"],))
    return "ok"


@app.route("/update", methods=["POST"])
def update():
    body = request.get_json()
    con = sqlite3.connect("app.db")
    sets = ", ".join(f"{k} = ?" for k in body)
    con.execute("UPDATE items SET " + sets, list(body.values()))  # BST204
    return "ok"
'''

# lxml.objectify parses with the parser it is given, as lxml.etree does (its own default parser
# is an XMLParser too: no version declared, the default's finding is at medium confidence).
XXE_OBJECTIFY = '''\
import lxml.objectify
from flask import Flask, request
from lxml import etree, objectify

app = Flask(__name__)


@app.route("/upload", methods=["POST"])
def upload():
    parser = etree.XMLParser(resolve_entities=True)
    one = lxml.objectify.fromstring(request.data, parser)  # BST211
    two = objectify.parse(request.files["doc"], parser=parser)  # BST211
    three = objectify.fromstring(request.data, etree.XMLParser(resolve_entities=False))
    four = objectify.XML(request.data)  # BST211
    five = etree.fromstringlist([request.data], parser)  # BST211
    six = etree.fromstringlist([request.data], etree.XMLParser(resolve_entities=False, no_network=True))
    return "ok"
'''

APPS = {"deserialize.py": DESERIALIZE, "sql_built_apart.py": SQL_BUILT_APART,
        "sql_columns_from_keys.py": SQL_COLUMNS_FROM_KEYS, "xxe_objectify.py": XXE_OBJECTIFY}


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_analyzer_and_the_editor_report_exactly_the_marked_lines(name):
    assert_marked(APPS[name])
    assert editor_found(APPS[name], name) == marked_and_found(APPS[name])[0]


def test_a_query_built_on_its_own_line_is_reported_once_by_the_taint_rule():
    def b608(config: Config) -> list[int]:
        findings = ENGINE.analyse(SQL_BUILT_APART, "case.py", config).findings
        return sorted(f.line for f in findings if f.rule_id == "B608")

    helpers_query = SQL_BUILT_APART.splitlines().index("def helper(con, name):") + 1
    assert b608(Config()) == [helpers_query]
    assert len(b608(Config(bandit_exact=True))) == 6
