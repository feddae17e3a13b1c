"""Own rules whose call patterns are marked `constants`: their arguments are read through the
module's constant bindings (constant_bindings.py) by TomlRulesAnalyzer's whole-file pass. Each
case is a vulnerable module and its safe twin, written from the libraries' documented calls:
the flag, mode or digest name held in a variable, a module constant, a ternary or `if` on a
literal test, a dict or list entry, a class attribute."""

from __future__ import annotations

import pytest

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.analyzers.toml_rules import TomlRulesAnalyzer
from bastion.config import Config
from bastion.engine.engine import Engine

ENGINE = Engine([TomlRulesAnalyzer.from_catalog()])

FLASK = "from flask import Flask, make_response\napp = Flask(__name__)\n"

# rule, the module with `@@` where the twins differ, the vulnerable text, the safe twin's
TWINS = {
    "cookie_secure_local": ("BST105", """\
from flask import Flask, make_response
app = Flask(__name__)

def login(sid):
    secure = @@
    resp = make_response("ok")
    resp.set_cookie("session_id", sid, secure=secure, httponly=True)
    return resp
""", 'False', 'True'),
    "cookie_secure_module_constant": ("BST105", """\
from flask import Flask, make_response
app = Flask(__name__)

SECURE_COOKIES = @@
def login(sid):
    resp = make_response("ok")
    resp.set_cookie("session_id", sid, secure=SECURE_COOKIES, httponly=True)
    return resp
""", 'False', 'True'),
    "cookie_secure_dead_branch": ("BST105", """\
from flask import Flask, make_response
app = Flask(__name__)

def login(sid):
    flag = False if @@ else True
    resp = make_response("ok")
    resp.set_cookie("session_id", sid, secure=flag, httponly=True)
    return resp
""", '5 > 3', '3 > 5'),
    "cookie_secure_class_attribute": ("BST105", """\
from flask import Flask, make_response
app = Flask(__name__)

class CookieConfig:
    secure = @@
def login(sid):
    resp = make_response("ok")
    resp.set_cookie("session_id", sid, secure=CookieConfig.secure, httponly=True)
    return resp
""", 'False', 'True'),
    "cookie_secure_list_item": ("BST105", """\
from flask import Flask, make_response
app = Flask(__name__)

def login(sid):
    flags = [False, True]
    resp = make_response("ok")
    resp.set_cookie("session_id", sid, secure=flags[@@], httponly=True)
    return resp
""", '0', '1'),
    "django_signed_cookie": ("BST105", """\

def login(request, response):
    response.set_signed_cookie("uid", str(request.user.pk), salt="uid", secure=@@)
    return response
""", 'False', 'True'),
    "cookie_httponly": ("BST106", """\

def login(request, response):
    response.set_cookie("sessionid", request.GET["sid"], secure=True, httponly=@@)
    return response
""", 'False', 'True'),
    "cookie_httponly_variable": ("BST106", """\

def login(request, response):
    http_only = @@
    response.set_cookie("sessionid", request.GET["sid"], secure=True, httponly=http_only)
    return response
""", 'False', 'True'),
    "ecb_mode_variable": ("BST117", """\
from Crypto.Cipher import AES

def enc(key, data):
    mode = AES.@@
    return AES.new(key, mode).encrypt(data)
""", "MODE_ECB", "MODE_GCM"),
    "ecb_mode_dict": ("BST117", """\
from Crypto.Cipher import AES

MODES = {"ecb": AES.MODE_ECB, "gcm": AES.MODE_GCM}
def enc(key, data):
    return AES.new(key, MODES["@@"]).encrypt(data)
""", "ecb", "gcm"),
    "ecb_mode_self_attribute": ("BST117", """\
from Crypto.Cipher import AES

class Box:
    MODE = AES.@@
    def enc(self, key, data):
        return AES.new(key, self.MODE).encrypt(data)
""", "MODE_ECB", "MODE_GCM"),
    "pbkdf2_iterations_constant": ("BST121", """\
import hashlib

ITERATIONS = @@
def derive(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password, salt, ITERATIONS)
""", '1000', '600_000'),
    "lxml_resolve_variable": ("BST130", """\
from lxml import etree

def parse(text):
    resolve = @@
    return etree.fromstring(text, etree.XMLParser(resolve_entities=resolve))
""", 'True', 'False'),
    "hash_name_dead_if": ("BST136", """\
import hashlib

def digest(data):
    if @@:
        algo = "md5"
    else:
        algo = "sha256"
    return hashlib.new(algo, data).hexdigest()
""", '5 > 3', '3 > 5'),
    "hash_name_through_a_helper": ("BST136", """\
import hashlib

def make(name):
    return hashlib.new(name)

def digest(data):
    h = make("@@")
    h.update(data)
    return h.hexdigest()
""", "md5", "sha256"),
    # Flask's documented config.update(...) with the flag in a module constant
    "config_update_secure": ("BST105", FLASK + "SECURE = @@\n"
                             "app.config.update(SESSION_COOKIE_SECURE=SECURE)\n", "False", "True"),
    "config_update_httponly": ("BST106", FLASK + "HTTPONLY = @@\napp.config.update(\n"
                               "    SESSION_COOKIE_HTTPONLY=HTTPONLY,\n)\n", "False", "True"),
    "cookie_flag_through_a_helper": ("BST105", FLASK + """
def remember(resp, value, secure):
    resp.set_cookie("remember_me", value, secure=secure, httponly=True)

def login(sid):
    resp = make_response("ok")
    remember(resp, sid, @@)
    return resp
""", "False", "True"),
}


def _ids(source: str) -> list[str]:
    analysis = ENGINE.analyse(source, "case.py", Config())
    assert not analysis.errors, analysis.errors
    return [f.rule_id for f in analysis.findings]


@pytest.mark.parametrize("name", sorted(TWINS))
def test_rule_reads_constant_bindings(name):
    rule_id, module, vulnerable, safe = TWINS[name]
    assert rule_id in _ids(module.replace("@@", vulnerable))
    assert rule_id not in _ids(module.replace("@@", safe))


@pytest.mark.parametrize("source", [
    # bound twice, or some other way than by one assignment: not a constant
    FLASK + "def login(sid, secure=False):\n    make_response('').set_cookie('s', sid, secure=secure)\n",
    FLASK + "def login(sid, ok):\n    secure = False\n    if ok:\n        secure = True\n"
            "    make_response('').set_cookie('s', sid, secure=secure)\n",
    # a helper called twice, or handed on: its parameter is not one known value
    FLASK + "def remember(r, secure):\n    r.set_cookie('s', 'v', secure=secure)\n"
            "remember(a, True)\nremember(b, flag)\n",
    FLASK + "def remember(r, secure):\n    r.set_cookie('s', 'v', secure=secure)\n"
            "remember(a, True)\nhooks = [remember]\n",
    FLASK + "def login(sid):\n    for secure in (True,):\n"
                "        make_response('').set_cookie('s', sid, secure=secure)\n",
    FLASK + "class C:\n    secure = False\n    def on(self):\n        self.secure = True\n"
            "    def login(self, sid):\n        make_response('').set_cookie('s', sid, secure=self.secure)\n",
    FLASK + "FLAGS = {'secure': False}\nFLAGS['secure'] = True\n"
            "def login(sid):\n    make_response('').set_cookie('s', sid, secure=FLAGS['secure'])\n",
])
def test_rule_leaves_names_not_bound_once(source):
    assert "BST105" not in _ids(source)


HELPER = FLASK + """
def remember(resp, value, secure):
    # remember(): the cookie the login view sets
    resp.set_cookie("remember_me", value, secure=secure, httponly=True)

def login(sid):
    resp = make_response("ok")
    remember(resp, sid, False)
    return resp
"""


def test_rule_helper_called_once_is_counted_on_the_tree_not_the_text():
    # a comment naming the helper is no reference to it (main's text count missed the flag)
    assert "BST105" in _ids(HELPER)


@pytest.mark.parametrize("other", [
    "remember(make_response(''), 'x', True)\n",  # a second module-level call
    "HOOKS = [remember]\n",  # handed on as a callback
    "handler = getattr(__import__(__name__), 'remember')\n",  # called through getattr
    "__all__ = ['remember']\n",  # exported: other modules may call it
    "@remember\ndef other():\n    pass\n",  # a decorator
])
def test_rule_helper_referenced_twice_is_no_constant(other):
    assert "BST105" not in _ids(HELPER.replace("# remember(): the cookie the login view sets\n", "")
                                + other)


def test_rule_constant_pass_finds_calls_sharing_a_line_or_deep_in_blocks():
    # the pass bisects each block for the statements holding the calls' lines
    shared = FLASK + "SECURE = False\ndef a(sid):\n" \
                     "    r = make_response(''); r.set_cookie('s', sid, secure=SECURE)\n"
    deep = FLASK + "SECURE = False\nclass V:\n    def get(self, sid):\n        if sid:\n" \
                   "            try:\n                pass\n            finally:\n" \
                   "                make_response('').set_cookie('s', sid, secure=SECURE)\n"
    assert "BST105" in _ids(shared) and "BST105" in _ids(deep)
    assert "BST105" not in _ids(shared.replace("SECURE = False", "SECURE = True"))


def test_rule_constant_pass_reports_a_call_once():
    # the statement walk reports a literal flag; the whole-file pass does not add a second one
    source = FLASK + "def login(sid):\n    make_response('').set_cookie('s', sid, secure=False)\n"
    assert _ids(source).count("BST105") == 1


# ---- bandit's findings in a branch a literal test never takes --------------------------------

BOTH = Engine([BanditAdapter(), TomlRulesAnalyzer.from_catalog()])

DEAD = {  # bandit rule: (reported: the branch runs, retracted: it never does)
    "B311": ("import random, secrets\ndef token():\n    if 5 > 3:\n        return str(random.random())\n"
             "    return secrets.token_urlsafe(16)\n",
             "import random, secrets\ndef token():\n    if 3 > 5:\n        return str(random.random())\n"
             "    return secrets.token_urlsafe(16)\n"),
    "B303": ("from cryptography.hazmat.primitives import hashes\n"
             "algorithm = hashes.MD5() if 1 > 0 else hashes.SHA256()\n",
             "from cryptography.hazmat.primitives import hashes\n"
             "algorithm = hashes.SHA256() if 1 > 0 else hashes.MD5()\n"),
    "B305": ("import os\nfrom cryptography.hazmat.primitives.ciphers import modes\n"
             "mode = modes.ECB() if True else modes.CBC(os.urandom(16))\n",
             "import os\nfrom cryptography.hazmat.primitives.ciphers import modes\n"
             "mode = modes.CBC(os.urandom(16)) if True else modes.ECB()\n"),
}


@pytest.mark.parametrize("rule_id", sorted(DEAD))
def test_bandit_finding_in_a_dead_branch_is_retracted(rule_id):
    live, dead = DEAD[rule_id]
    assert rule_id in [f.rule_id for f in BOTH.analyse(live, "case.py", Config()).findings]
    assert rule_id not in [f.rule_id for f in BOTH.analyse(dead, "case.py", Config()).findings]
    exact = BOTH.analyse(dead, "case.py", Config(bandit_exact=True)).findings
    assert rule_id in [f.rule_id for f in exact]  # bandit's parity: shown as bandit reports it


YAML = "import yaml\n"
LOADERS = {  # a module with `@@` where the loader goes
    "local": YAML + "def read(text):\n    loader = yaml.@@\n    return yaml.load(text, Loader=loader)\n",
    "constant": YAML + "YAML_LOADER = yaml.@@\ndef read(text):\n    return yaml.load(text, YAML_LOADER)\n",
    "ternary": YAML + "def read(text):\n    loader = yaml.@@ if 5 > 3 else None\n"
                      "    return yaml.load(text, Loader=loader)\n",
    "dict": YAML + "LOADERS = {'chosen': yaml.@@}\ndef read(text):\n"
                   "    return yaml.load(text, Loader=LOADERS['chosen'])\n",
}


@pytest.mark.parametrize("shape", sorted(LOADERS))
def test_bandit_yaml_load_with_a_loader_bound_to_a_safe_one_is_retracted(shape):
    def b506(loader: str, config: Config) -> bool:
        source = LOADERS[shape].replace("@@", loader)
        return "B506" in [f.rule_id for f in BOTH.analyse(source, "case.py", config).findings]
    assert b506("UnsafeLoader", Config())
    assert not b506("SafeLoader", Config())
    assert b506("SafeLoader", Config(bandit_exact=True))


def test_a_loader_handed_to_a_helper_called_once_is_no_retraction():
    """Another module may import `parse` and hand it `yaml.Loader`: the one call in this module
    does not make the helper's `yaml.load` safe, so bandit's B506 stays (a pattern that adds a
    finding may still read the parameter, a retraction never does)."""
    source = (YAML + "def parse(text, loader):\n    return yaml.load(text, Loader=loader)\n"
              "CONFIG = parse('debug: true', yaml.SafeLoader)\n")
    assert "B506" in [f.rule_id for f in BOTH.analyse(source, "case.py", Config()).findings]
