"""Taint analysis: objects whose fields another class or method of the same file fills. A
subclass without its own `__init__` is built by its base's; an `__init__` that forwards its
arguments to `super().__init__(...)` or to a helper (`self.configure(url)`) holds the fields
they store; a setter called on the instance before the sink method (`f.configure(url)` then
`f.fetch()`) fills the field that method reads. Vulnerable cases with their safe twins (a constant argument, a sanitized one, a
field overwritten with a constant), written from the idiom of API client classes."""

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

    def fetch(self):
        return requests.get(self.url, timeout=self.timeout)
"""
# a subclass without `__init__`, with a method of its own reading the inherited field
MIRROR = FETCHER + """
class Mirror(Fetcher):
    def about(self):
        return requests.get(self.url + "/about", timeout=5)
"""
# `__init__` forwarding to the base's `__init__`
CLIENT = FLASK + """
class Client:
    def __init__(self, base_url):
        self.base_url = base_url

class StatusClient(Client):
    def __init__(self, base_url, retries=3):
        super().__init__(base_url)
        self.retries = retries

    def status(self):
        return requests.get(self.base_url, timeout=5)
"""
# `__init__` handing the argument to a helper method that stores it
STORE = FLASK + """
class Store:
    def __init__(self, name):
        self.configure(name)

    def configure(self, name):
        self.name = name

    def read(self):
        return open(self.name).read()
"""

# fields set by a setter after construction
CONFIGURED = FLASK + """
class Fetcher:
    def __init__(self):
        self.url = None

    def configure(self, url):
        self.url = url

    def fetch(self):
        return requests.get(self.url, timeout=5)
"""


def view(body: str) -> str:
    return "@app.route('/a')\ndef a():\n" + textwrap.indent(body, "    ")


def findings(source: str):
    return ANALYZER.analyse_file(textwrap.dedent(source), "case.py")


def ids(source: str) -> list[str]:
    return sorted(f.rule_id for f in findings(source))


# (rule id, vulnerable module, safe twin)
PAIRS = [
    # ---- a subclass without its own `__init__` ----
    ("BST213", MIRROR + view("return Mirror(request.args['url']).fetch().text\n"),
               MIRROR + view("return Mirror('https://api.example.com/').fetch().text\n")),
    ("BST213", MIRROR + view("m = Mirror(request.args['url'])\nreturn m.about().text\n"),
               MIRROR + view("m = Mirror('https://api.example.com/', timeout=request.args['t'])\nreturn m.about().text\n")),
    # two levels down
    ("BST213", MIRROR + "class Backup(Mirror):\n    pass\n" + view("return Backup(request.args['url']).about().text\n"),
               MIRROR + "class Backup(Mirror):\n    pass\n" + view("return Backup('https://backup.example.com/').about().text\n")),
    # the base sanitizes in its `__init__`
    ("BST201", FLASK + "class Store:\n    def __init__(self, name):\n        self.name = name\nclass Cache(Store):\n    def read(self):\n        return open(self.name).read()\n" + view("return Cache(request.args['n']).read()\n"),
               FLASK + "class Store:\n    def __init__(self, name):\n        self.name = os.path.basename(name)\nclass Cache(Store):\n    def read(self):\n        return open(self.name).read()\n" + view("return Cache(request.args['n']).read()\n")),
    # the subclass's method overwrites the field before the sink
    ("BST213", MIRROR + view("return Mirror(request.args['url']).about().text\n"),
               FETCHER + "class Pinned(Fetcher):\n    def about(self):\n        self.url = 'https://status.example.com'\n        return requests.get(self.url + '/about', timeout=5)\n" + view("return Pinned(request.args['url']).about().text\n")),
    # the subclass's own `__init__` is the one that runs
    ("BST213", MIRROR + view("return Mirror(request.args['url']).fetch().text\n"),
               FETCHER + "class Status(Fetcher):\n    def __init__(self, url):\n        self.url = 'https://status.example.com/'\n        self.timeout = 5\n" + view("return Status(request.args['url']).fetch().text\n")),
    # ---- `super().__init__(...)` ----
    ("BST213", CLIENT + view("return StatusClient(request.args['url']).status().text\n"),
               CLIENT + view("return StatusClient('https://api.example.com/', request.args['r']).status().text\n")),
    ("BST213", CLIENT.replace("super().__init__(base_url)", "super().__init__(base_url=base_url)") + view("return StatusClient(request.args['url']).status().text\n"),
               CLIENT.replace("super().__init__(base_url)", "super().__init__(base_url='https://api.example.com/')") + view("return StatusClient(request.args['url']).status().text\n")),
    # overwritten after the base's `__init__` ran
    ("BST213", CLIENT + view("return StatusClient(request.args['url']).status().text\n"),
               CLIENT.replace("        self.retries = retries", "        self.retries = retries\n        self.base_url = 'https://api.example.com/'") + view("return StatusClient(request.args['url']).status().text\n")),
    # the base's `__init__` builds a command from the argument
    ("BST202", FLASK + "import shlex\nclass Job:\n    def __init__(self, host):\n        self.command = 'ping -c 1 ' + host\nclass Ping(Job):\n    def __init__(self, host):\n        super().__init__(host)\n    def run(self):\n        os.system(self.command)\n" + view("Ping(request.args['h']).run()\nreturn ''\n"),
               FLASK + "import shlex\nclass Job:\n    def __init__(self, host):\n        self.command = 'ping -c 1 ' + shlex.quote(host)\nclass Ping(Job):\n    def __init__(self, host):\n        super().__init__(host)\n    def run(self):\n        os.system(self.command)\n" + view("Ping(request.args['h']).run()\nreturn ''\n")),
    # the base's `__init__` called by name with `self` (older code, mixins)
    ("BST213", CLIENT.replace("super().__init__(base_url)", "Client.__init__(self, base_url)") + view("return StatusClient(request.args['url']).status().text\n"),
               CLIENT.replace("super().__init__(base_url)", "Client.__init__(self, 'https://api.example.com/')") + view("return StatusClient(request.args['url']).status().text\n")),
    ("BST213", CLIENT.replace("super().__init__(base_url)", "Client.__init__(self, base_url=base_url)") + view("return StatusClient(request.args['url']).status().text\n"),
               CLIENT.replace("super().__init__(base_url)", "Client.__init__(self, base_url='https://api.example.com/')") + view("return StatusClient(request.args['url']).status().text\n")),
    # ---- a helper method of `__init__` ----
    ("BST201", STORE + view("return Store(request.args['name']).read()\n"),
               STORE + view("return Store('motd.txt').read()\n")),
    ("BST201", STORE + view("store = Store(request.args['name'])\nreturn store.read()\n"),
               STORE.replace("self.name = name", "self.name = os.path.basename(name)") + view("store = Store(request.args['name'])\nreturn store.read()\n")),
    ("BST201", STORE + view("return Store(request.args['name']).read()\n"),
               STORE.replace("        self.configure(name)\n", "        self.configure(name)\n        self.name = 'motd.txt'\n") + view("return Store(request.args['name']).read()\n")),
    # the helper defined before `__init__`
    ("BST201", FLASK + "class Store:\n    def configure(self, name):\n        self.name = name\n    def __init__(self, name):\n        self.configure(name)\n    def read(self):\n        return open(self.name).read()\n" + view("return Store(request.args['name']).read()\n"),
               FLASK + "class Store:\n    def configure(self, name):\n        self.name = 'motd.txt'\n    def __init__(self, name):\n        self.configure(name)\n    def read(self):\n        return open(self.name).read()\n" + view("return Store(request.args['name']).read()\n")),
    # ---- a setter called before the sink method ----
    ("BST213", CONFIGURED + view("f = Fetcher()\nf.configure(request.args['url'])\nreturn f.fetch().text\n"),
               CONFIGURED + view("f = Fetcher()\nf.configure('https://api.example.com/')\nreturn f.fetch().text\n")),
    # set again with a constant before the sink
    ("BST213", CONFIGURED + view("f = Fetcher()\nf.configure(request.args['url'])\nreturn f.fetch().text\n"),
               CONFIGURED + view("f = Fetcher()\nf.configure(request.args['url'])\nf.configure('https://api.example.com/')\nreturn f.fetch().text\n")),
    # the setter sanitizes; a class without `__init__`
    ("BST201", FLASK + "class Store:\n    def use(self, name):\n        self.name = name\n    def read(self):\n        return open(self.name).read()\n" + view("s = Store()\ns.use(request.args['n'])\nreturn s.read()\n"),
               FLASK + "class Store:\n    def use(self, name):\n        self.name = os.path.basename(name)\n    def read(self):\n        return open(self.name).read()\n" + view("s = Store()\ns.use(request.args['n'])\nreturn s.read()\n")),
    # the setter also calls a method of a base of another module: what it stored still counts
    ("BST213", CONFIGURED.replace("class Fetcher:", "from library import Logged\nclass Fetcher(Logged):").replace("        self.url = url", "        self.url = url\n        self.log('configured')") + view("f = Fetcher()\nf.configure(request.args['url'])\nreturn f.fetch().text\n"),
               CONFIGURED.replace("class Fetcher:", "from library import Logged\nclass Fetcher(Logged):").replace("        self.url = url", "        self.url = url\n        self.log('configured')") + view("f = Fetcher()\nf.configure('https://api.example.com/')\nreturn f.fetch().text\n")),
    # a method of the class calling the setter, then the sink method, on `self`
    ("BST213", CONFIGURED + "    def fetch_from(self, url):\n        self.configure(url)\n        return self.fetch()\n" + view("return Fetcher().fetch_from(request.args['url']).text\n"),
               CONFIGURED + "    def fetch_from(self, url):\n        self.configure('https://api.example.com/')\n        return self.fetch()\n" + view("return Fetcher().fetch_from(request.args['url']).text\n")),
]


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_vulnerable_case_reports(rule_id, vulnerable, safe):
    assert ids(vulnerable) == [rule_id], vulnerable


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_safe_twin_is_silent(rule_id, vulnerable, safe):
    assert rule_id not in ids(safe), safe


def test_forwarded_fields_are_modelled_not_defaulted():
    """A resolved `super().__init__` keeps the path fully modelled (high confidence); the
    sink is in the method, the path goes through the constructor."""
    source = CLIENT + view("return StatusClient(request.args['url']).status().text\n")
    (finding,) = findings(source)
    assert finding.confidence.name == "HIGH"
    notes = [s.message for s in finding.steps]
    assert "passed to `StatusClient`" in notes
    assert notes[-1] == "reaches `requests.get`"


def test_an_edit_of_the_base_init_reaches_the_subclass_views():
    """Each function's result is cached: an edit of the base's `__init__` alone changes the
    result of a view building the subclass."""
    analyzer = TaintAnalyzer()
    source = CLIENT + view("return StatusClient(request.args['url']).status().text\n")
    assert [f.rule_id for f in analyzer.analyse_file(source, "case.py")] == ["BST213"]
    edited = source.replace("self.base_url = base_url", "self.base_url = 'https://api.example.com/'")
    assert analyzer.analyse_file(edited, "case.py") == []
    assert [f.rule_id for f in analyzer.analyse_file(source, "case.py")] == ["BST213"]
    mirror = MIRROR + view("return Mirror(request.args['url']).about().text\n")
    assert [f.rule_id for f in analyzer.analyse_file(mirror, "case.py")] == ["BST213"]
    assert analyzer.analyse_file(mirror.replace("self.url = url", "self.url = 'https://a.example.com'"), "case.py") == []


def test_a_base_of_another_module_keeps_the_default_model():
    """`super().__init__(url)` into a base this file does not define: what it stores is not
    seen, the instance is tainted at medium confidence (the call's default model)."""
    source = FLASK + ("from library import Base\n"
                      "class Page(Base):\n    def __init__(self, url):\n        super().__init__(url)\n"
                      "    def fetch(self):\n        return requests.get(self.url, timeout=5)\n"
                      + view("os.system(Page(request.args['u']).fetch().text)\nreturn ''\n"))
    assert [(f.rule_id, f.confidence.name) for f in findings(source)] == [("BST202", "MEDIUM")]


def test_an_edit_of_a_setter_reaches_the_views_using_it():
    """A method's summary names the fields other methods set: an edit that makes a setter
    set another field the sink method reads changes the view's result (cache keys)."""
    analyzer = TaintAnalyzer()
    source = CONFIGURED + view("f = Fetcher()\nf.configure(request.args['url'])\nreturn f.fetch().text\n")
    other = source.replace("        self.url = url", "        self.target = url")
    assert analyzer.analyse_file(other, "case.py") == []
    assert [f.rule_id for f in analyzer.analyse_file(source, "case.py")] == ["BST213"]
    assert analyzer.analyse_file(other, "case.py") == []
