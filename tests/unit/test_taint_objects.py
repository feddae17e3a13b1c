"""Taint analysis: objects built with untrusted constructor arguments. `__init__` stores an
argument in a field (`self.url = url`); a later method uses the field in a sink
(`requests.get(self.url)`). Vulnerable cases with their safe twins (a constant argument, a
sanitized one, a field overwritten with a constant), and the precision cases: only the field
fed untrusted data reports."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import textwrap

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
FLASK = "import os\nimport requests\nfrom flask import Flask, request\napp = Flask(__name__)\n"
FETCHER = FLASK + """
class Fetcher:
    def __init__(self, url, timeout=5):
        self.url = url
        self.timeout = timeout
        self.health = "https://status.example.com/"

    def fetch(self):
        return requests.get(self.url, timeout=self.timeout)

    def ping(self):
        return requests.get(self.health, timeout=self.timeout)

    def fetch_twice(self):
        self.fetch()
        return self.fetch()
"""
STORE = FLASK + """
class Store:
    def __init__(self, name):
        self.name = name

    def read(self):
        return open(self.name).read()
"""


def findings(source: str):
    return ANALYZER.analyse_file(textwrap.dedent(source), "case.py")


def ids(source: str) -> list[str]:
    return sorted(f.rule_id for f in findings(source))


# (rule id, vulnerable module, safe twin)
PAIRS = [
    ("BST213", FETCHER + "@app.route('/a')\ndef a():\n    f = Fetcher(request.args['url'])\n    return f.fetch().text\n",
               FETCHER + "@app.route('/a')\ndef a():\n    f = Fetcher('https://api.example.com/v1')\n    return f.fetch().text\n"),
    ("BST213", FETCHER + "@app.route('/a')\ndef a():\n    return Fetcher(url=request.args['url']).fetch().text\n",
               FETCHER + "@app.route('/a')\ndef a():\n    return Fetcher('https://api.example.com/', timeout=request.args['t']).fetch().text\n"),
    # a method reaching the sink through another method of the same instance
    ("BST213", FETCHER + "@app.route('/a')\ndef a():\n    return Fetcher(request.args['url']).fetch_twice().text\n",
               FETCHER + "@app.route('/a')\ndef a():\n    return Fetcher(request.args['url']).ping().text\n"),
    ("BST201", STORE + "@app.route('/a')\ndef a():\n    return Store(request.args['name']).read()\n",
               STORE + "@app.route('/a')\ndef a():\n    return Store('motd.txt').read()\n"),
    ("BST201", STORE + "@app.route('/a')\ndef a():\n    store = Store(request.args['name'])\n    return store.read()\n",
               STORE + "@app.route('/a')\ndef a():\n    store = Store(os.path.basename(request.args['name']))\n    return store.read()\n"),
    ("BST201", STORE + "@app.route('/a')\ndef a():\n    return Store(request.args['name']).read()\n",
               STORE + "@app.route('/a')\ndef a():\n    return Store(str(int(request.args['n']))).read()\n"),
    # sanitized in `__init__`
    ("BST201", STORE + "@app.route('/a')\ndef a():\n    return Store(request.args['name']).read()\n",
               STORE.replace("self.name = name", "self.name = os.path.basename(name)") + "@app.route('/a')\ndef a():\n    return Store(request.args['name']).read()\n"),
    # overwritten with a constant in `__init__`
    ("BST201", STORE + "@app.route('/a')\ndef a():\n    return Store(request.args['name']).read()\n",
               STORE.replace("self.name = name", "self.name = name\n        self.name = '/etc/motd'") + "@app.route('/a')\ndef a():\n    return Store(request.args['name']).read()\n"),
    # one argument made a number in `__init__`, another kept as it came
    ("BST213", FLASK + "import sqlite3\nclass Page:\n    def __init__(self, url, limit):\n        self.url = url\n        self.limit = int(limit)\n    def fetch(self):\n        return requests.get(self.url, timeout=5)\n    def rows(self):\n        return sqlite3.connect('x.db').execute('SELECT * FROM t LIMIT %d' % self.limit).fetchall()\n@app.route('/a')\ndef a():\n    page = Page(request.args['u'], request.args['n'])\n    page.rows()\n    return page.fetch().text\n",
               FLASK + "import sqlite3\nclass Page:\n    def __init__(self, url, limit):\n        self.url = url\n        self.limit = int(limit)\n    def fetch(self):\n        return requests.get(self.url, timeout=5)\n    def rows(self):\n        return sqlite3.connect('x.db').execute('SELECT * FROM t LIMIT %d' % self.limit).fetchall()\n@app.route('/a')\ndef a():\n    page = Page('https://api.example.com/', request.args['n'])\n    page.rows()\n    return page.fetch().text\n"),
    # a command kept by a job object
    ("BST202", FLASK + "class Job:\n    def __init__(self, host):\n        self.command = 'ping -c 1 ' + host\n    def run(self):\n        os.system(self.command)\n@app.route('/p')\ndef p():\n    Job(request.args['h']).run()\n    return ''\n",
               FLASK + "import shlex\nclass Job:\n    def __init__(self, host):\n        self.command = 'ping -c 1 ' + shlex.quote(host)\n    def run(self):\n        os.system(self.command)\n@app.route('/p')\ndef p():\n    Job(request.args['h']).run()\n    return ''\n"),
]


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_vulnerable_case_reports(rule_id, vulnerable, safe):
    assert ids(vulnerable) == [rule_id], vulnerable


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_safe_twin_is_silent(rule_id, vulnerable, safe):
    assert rule_id not in ids(safe), safe


def test_only_the_field_fed_untrusted_data_reports():
    """`Fetcher(url, timeout)`: a tainted timeout reaches `requests.get` as a keyword the sink
    does not judge; a method using the constant field stays silent whatever was passed."""
    source = FETCHER + ("@app.route('/a')\ndef a():\n"
                        "    f = Fetcher(request.args['url'])\n"
                        "    f.ping()\n"
                        "    return f.fetch().text\n")
    found = findings(source)
    sink = source.splitlines().index("        return requests.get(self.url, timeout=self.timeout)")
    assert [(f.rule_id, f.line) for f in found] == [("BST213", sink)]


def test_the_path_goes_through_the_constructor_and_the_method():
    source = STORE + "@app.route('/a')\ndef a():\n    store = Store(request.args['name'])\n    return store.read()\n"
    (finding,) = findings(source)
    notes = [s.message for s in finding.steps]
    assert notes[0].startswith("Request data")
    assert "passed to `Store`" in notes
    assert "passed to `store.read`" in notes
    assert notes[-1] == "reaches `open`"
    sink_line = source.splitlines().index("        return open(self.name).read()")
    assert finding.steps[-1].span.start_line == sink_line


def test_an_edit_of_init_reaches_the_views_using_its_instances():
    """The functions are cached: an edit of `__init__` alone changes the callers' result."""
    analyzer = TaintAnalyzer()
    view = "@app.route('/a')\ndef a():\n    return Store(request.args['name']).read()\n"
    assert [f.rule_id for f in analyzer.analyse_file(STORE + view, "case.py")] == ["BST201"]
    edited = STORE.replace("self.name = name", "self.name = os.path.basename(name)")
    assert analyzer.analyse_file(edited + view, "case.py") == []
    assert [f.rule_id for f in analyzer.analyse_file(STORE + view, "case.py")] == ["BST201"]


def test_an_argument_init_passes_on_elsewhere_keeps_the_default_model():
    """`__init__` hands the argument to code no field shows (`super().__init__(body)`): the
    instance is treated as the call's default model treats it, tainted at medium confidence."""
    source = FLASK + ("class Base:\n    pass\n"
                      "class Page(Base):\n    def __init__(self, body):\n        super().__init__(body)\n"
                      "        self.kind = 'page'\n    def html(self):\n        return self.kind\n"
                      "@app.route('/a')\ndef a():\n    os.system(Page(request.args['b']).html())\n    return ''\n")
    assert [(f.rule_id, f.confidence.name) for f in findings(source)] == [("BST202", "MEDIUM")]
    setup = source.replace("super().__init__(body)", "self.setup(body)")
    assert [(f.rule_id, f.confidence.name) for f in findings(setup)] == [("BST202", "MEDIUM")]


REPO = FLASK + """
import sqlite3

class Repo:
    def __init__(self):
        self.conn = sqlite3.connect("app.db")

    def find(self, name):
        return self.conn.execute("SELECT id FROM users WHERE name = '%s'" % name).fetchall()

    def find_bound(self, name):
        return self.conn.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchall()

    def execute(self, name):
        return self.conn.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchall()

    def lookup(self, name):
        return self.find(name)

REPO_ = Repo()
"""


@pytest.mark.parametrize("call, reported", [
    ("Repo().find(request.args['n'])", True),
    ("REPO_.find(request.args['n'])", True),
    ("Repo().lookup(request.args['n'])", True),
    ("Repo().find_bound(request.args['n'])", False),
    ("Repo().execute(request.args['n'])", False),
    ("REPO_.execute(request.args['n'])", False),
])
def test_a_method_of_the_modules_class_is_its_summary_not_a_same_named_model(call, reported):
    """`find` is also str.find (an integer, clean) and `execute` a cursor's (a SQL sink): on an
    instance of a class of the module, the class's method decides."""
    source = REPO + f"@app.route('/u')\ndef u():\n    return str({call})\n"
    found = [f.rule_id for f in ANALYZER.analyse_file(textwrap.dedent(source), "case.py")]
    assert ("BST204" in found) is reported, found


DAO = FLASK + """
import subprocess

class Shell:
    @staticmethod
    def run(cmd):
        return subprocess.check_output(cmd, shell=True)

    @classmethod
    def run_in(cls, folder, cmd):
        return cls.run("cd " + folder + " && " + cmd)

    @staticmethod
    async def count(conn, name):
        async with conn.cursor() as cur:
            await cur.execute("SELECT count(*) FROM t WHERE name = '%s'" % name)
            return await cur.fetchone()

    def quoted(self, cmd):
        return self.run(cmd)
"""


@pytest.mark.parametrize("call, rule_id, reported", [
    ("Shell.run(request.args['c'])", "BST202", True),
    ("Shell.run('uptime')", "BST202", False),
    ("Shell.run_in('/srv', request.args['c'])", "BST202", True),
    ("Shell.run_in(request.args['d'], 'ls')", "BST202", True),
    ("Shell.run_in('/srv', 'ls')", "BST202", False),
    ("Shell().quoted(request.args['c'])", "BST202", True),
    ("await Shell.count(None, request.args['n'])", "BST204", True),
    ("await Shell.count(request.args['n'], 'x')", "BST204", False),
])
def test_staticmethods_and_classmethods_take_the_calls_arguments(call, rule_id, reported):
    """A staticmethod has no `self`: its first parameter is the call's first argument."""
    source = DAO + f"@app.route('/u')\nasync def u():\n    return str({call})\n"
    found = [f.rule_id for f in ANALYZER.analyse_file(textwrap.dedent(source), "case.py")]
    assert (rule_id in found) is reported, found
