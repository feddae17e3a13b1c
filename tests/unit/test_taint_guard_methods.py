"""Guard helpers written as methods (helper_guards.guard_helper): a staticmethod or classmethod
called through its class, a method called on `self` in a class-based view, a method called on a
module-level instance of a class of the module, whose body reads a class constant
(`self.ALLOWED`); a staticmethod or classmethod of another module's class, by its summary, and
the methods of another module's instance, imported or built in the view (scan and editor).
Each proves at its call what the same body written as a function does. The twins stay
reported: a method returning True untested, one reading an instance attribute set from a
parameter in `__init__`, a class constant assigned elsewhere in the module, the instance of a
subclass overriding the method, a `self` method a derived class overrides, a test through an
instance method called on its class (the argument is its `self`), an instance the view changes."""

from __future__ import annotations

import pytest
from tests.unit.test_taint_workspace_guards import _findings, _marked

from bastion.analyzers.taint.analyzer import TaintAnalyzer

VIEWS = '''
import os
import re
import subprocess
from urllib.parse import urlparse

from flask import Flask, abort, redirect, request
from flask.views import MethodView

app = Flask(__name__)
BASE = "/srv/files"


class UrlPolicy:
    ALLOWED = ("example.com", "www.example.com")

    def allows(self, url):
        return urlparse(url).netloc in self.ALLOWED

    def anything(self, url):
        return True


class HostList:
    def __init__(self, hosts):
        self.hosts = hosts

    def allows(self, url):
        return urlparse(url).netloc in self.hosts


class LoosePolicy(UrlPolicy):
    def allows(self, url):
        return url.startswith("/")


class Paths:
    @staticmethod
    def is_safe(base, name):
        full = os.path.realpath(os.path.join(base, name))
        return full.startswith(base + os.sep)

    @classmethod
    def valid_name(cls, name):
        return re.fullmatch(r"[a-z0-9]+", name) is not None

    def inside(self, base, name):
        full = os.path.realpath(os.path.join(base, name))
        return full.startswith(base + os.sep)


policy = UrlPolicy()
hosts = HostList(["example.com"])
loose = LoosePolicy()


@app.route("/file")
def read_file():
    name = request.args["f"]
    if not Paths.is_safe(BASE, name):
        abort(404)
    return open(os.path.join(BASE, name)).read()


@app.route("/file2")
def read_file_unchecked():
    name = request.args["f"]
    if Paths.is_safe(BASE, name):
        pass
    return open(os.path.join(BASE, name)).read()  # BST201


@app.route("/archive")
def archive():
    name = request.args["name"]
    if not Paths.valid_name(name):
        abort(400)
    subprocess.run(f"tar czf /tmp/{name}.tgz {name}", shell=True)
    return "ok"


@app.route("/archive2")
def archive_bypassed():
    name = request.args["name"]
    if not Paths.inside(BASE, name):
        abort(400)
    return open(os.path.join(BASE, name)).read()  # BST201


class LoginView(MethodView):
    def _is_safe_url(self, target):
        return urlparse(target).netloc in UrlPolicy.ALLOWED

    def _any_url(self, target):
        return True

    def get(self):
        target = request.args["next"]
        if not self._is_safe_url(target):
            abort(400)
        return redirect(target)

    def post(self):
        target = request.args["next"]
        if not self._any_url(target):
            abort(400)
        return redirect(target)  # BST210


app.add_url_rule("/login", view_func=LoginView.as_view("login"))


class Rebound:
    HOSTS = ("example.com",)

    def allows(self, url):
        return urlparse(url).netloc in self.HOSTS

    def require(self, url):
        if urlparse(url).netloc not in ("example.com",):
            raise ValueError(url)


rebound = Rebound()
rebound.HOSTS = ("evil.com",)


@app.route("/require")
def go_require():
    nxt = request.args["next"]
    rebound.require(nxt)
    return redirect(nxt)


class BaseView(MethodView):
    def _safe(self, target):
        return urlparse(target).netloc in ("example.com",)

    def get(self):
        target = request.args["next"]
        if not self._safe(target):
            abort(400)
        return redirect(target)  # BST210


class OpenView(BaseView):
    def _safe(self, target):
        return True
'''


# (the test, whether the redirect it guards stays reported)
REDIRECTS = [("policy.allows", False), ("policy.anything", True), ("hosts.allows", True),
             ("loose.allows", True), ("rebound.allows", True)]
VIEWS += "".join(f'''

@app.route("/{index}")
def view_{index}():
    nxt = request.args["next"]
    if not {test}(nxt):
        abort(400)
    return redirect(nxt){"  # BST210" if reported else ""}
''' for index, (test, reported) in enumerate(REDIRECTS))


# a Django view's helper method (`self` has the view's kind); its class attribute would not be a
# constant (`as_view(ALLOWED_HOSTS=...)` sets it on the instance): a module constant
DJANGO = '''
from urllib.parse import urlparse

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.views import View

ALLOWED_HOSTS = ("example.com",)


class NextView(View):


    def _is_safe_url(self, target):
        return urlparse(target).netloc in ALLOWED_HOSTS

    def get(self, request):
        target = request.GET.get("next", "/")
        if not self._is_safe_url(target):
            target = "/"
        return redirect(target)

    def post(self, request):
        target = request.POST.get("next", "/")
        return HttpResponseRedirect(target)  # BST210
'''


# a staticmethod and a classmethod of another module's class, through its class; an instance
# method called on the class stays no guard
POLICIES = "import os\nimport re\n\n\n" + VIEWS[VIEWS.index("class Paths:"):VIEWS.index("\n\npolicy = ")]
USES = '''
import os
import subprocess

from flask import Flask, abort, request
{imports}

BASE = "/srv/files"
app = Flask(__name__)


@app.route("/file")
def read_file():
    name = request.args["f"]
    if not {prefix}Paths.is_safe(BASE, name):
        abort(404)
    return open(os.path.join(BASE, name)).read()


@app.route("/archive")
def archive():
    name = request.form["name"]
    if {prefix}Paths.valid_name(name):
        subprocess.call("gzip -k " + name, shell=True)
    return "queued"


@app.route("/inside")
def read_inside():
    name = request.args["f"]
    if not {prefix}Paths.inside(BASE, name):
        abort(404)
    return open(os.path.join(BASE, name)).read()  # BST201
'''
IMPORTS = {"relative": (True, "from .policies import Paths", ""),
           "relative_module": (True, "from . import policies", "policies."),
           "flat": (False, "from policies import Paths", "")}


@pytest.fixture(scope="module")
def analyzer():
    return TaintAnalyzer()


def test_guard_methods_prove_what_guard_functions_do(analyzer, tmp_path):
    assert _findings(analyzer, tmp_path, {"views.py": VIEWS}, False, True) == _marked(VIEWS)


def test_a_django_view_helper_method(analyzer, tmp_path):
    assert _findings(analyzer, tmp_path, {"views.py": DJANGO}, False, True) == _marked(DJANGO)


def test_an_edited_guard_method_is_read_again(analyzer, tmp_path):
    """The caller's kept outcome is keyed by the method's text (function_keys.helper_tests): a
    host test made a scheme test leaves its summary as it was."""
    line = next(n for n, text in enumerate(VIEWS.splitlines(), 1) if "not policy.allows(" in text) + 2
    assert (line, "BST210") not in _findings(analyzer, tmp_path, {"views.py": VIEWS}, False, True)
    edited = VIEWS.replace("urlparse(url).netloc in self.ALLOWED", "urlparse(url).scheme in self.ALLOWED", 1)
    assert (line, "BST210") in _findings(analyzer, tmp_path, {"views.py": edited}, False, True)


@pytest.mark.parametrize(("form", "compute"), [(f, c) for f in IMPORTS for c in (True, False)])
def test_an_imported_classs_guard_methods(analyzer, tmp_path, form, compute):
    """Scan (`compute`) and editor: the summaries of the class's methods say what they prove."""
    package, imports, prefix = IMPORTS[form]
    uses = USES.format(imports=imports, prefix=prefix)
    modules = {"policies.py": POLICIES, "views.py": uses}
    assert _findings(analyzer, tmp_path, modules, package, compute) == _marked(uses)


# a module-level instance of another module's class: imported (`from .policies import policy`)
# or built in the view module (`policy = UrlPolicy()`); twins reported: a subclass's instance
# overriding the method, an instance whose attribute the view assigns, one reading a field
# `__init__` stored, a method returning True untested
INSTANCES = "import os\nimport re\nfrom urllib.parse import urlparse\n\n\n" + VIEWS[
    VIEWS.index("class UrlPolicy:"):VIEWS.index("\n\npolicy = ")].replace(
    'ALLOWED = ("example.com", "www.example.com")', 'ALLOWED = ["example.com", "www.example.com"]') + '''


class Names:
    def valid(self, name):
        return re.fullmatch(r"[a-z0-9]+", name) is not None


policy = UrlPolicy()
tampered = UrlPolicy()
files = Paths()
names = Names()
hosts = HostList(["example.com"])
loose = LoosePolicy()
'''


def _redirects(tests: list[tuple[str, bool]]) -> str:
    """A view per test guarding a redirect (marked when it stays reported)."""
    return "".join(f'''

@app.route("/to{index}")
def go_{index}():
    nxt = request.args["next"]
    if not {test}(nxt):
        abort(400)
    return redirect(nxt){"  # BST210" if reported else ""}
''' for index, (test, reported) in enumerate(tests))


INSTANCE_VIEWS = '''
import os
import subprocess

from flask import Flask, abort, redirect, request
{imports}

BASE = "/srv/uploads"
app = Flask(__name__)
{prefix}tampered.ALLOWED = ["evil.com"]


@app.route("/r6")
def read_file():
    name = request.args["f"]
    if not {prefix}files.inside(BASE, name):
        abort(404)
    return open(os.path.join(BASE, name)).read()


@app.route("/r7")
def read_file_unchecked():
    name = request.args["f"]
    if {prefix}files.inside(BASE, name):
        pass
    return open(os.path.join(BASE, name)).read()  # BST201


@app.route("/r8")
def archive():
    name = request.form["name"]
    if {prefix}names.valid(name):
        subprocess.call("gzip -k " + name, shell=True)
    subprocess.call("gzip -k " + name, shell=True)  # BST202
    return "queued"
''' + _redirects([("{prefix}policy.allows", False), ("{prefix}policy.anything", True),
                  ("{prefix}tampered.allows", True), ("{prefix}hosts.allows", True),
                  ("{prefix}loose.allows", True)])
INSTANCE_IMPORTS = {
    "relative": (True, "from .policies import files, hosts, loose, names, policy, tampered", ""),
    "relative_module": (True, "from . import policies", "policies."),
    "flat": (False, "from policies import files, hosts, loose, names, policy, tampered", ""),
    "built": (True, "from .policies import HostList, LoosePolicy, Names, Paths, UrlPolicy\n\n"
                    "policy = UrlPolicy()\ntampered = UrlPolicy()\nfiles = Paths()\nnames = Names()\n"
                    "hosts = HostList([\"example.com\"])\nloose = LoosePolicy()", "")}


@pytest.mark.parametrize(("form", "compute"), [(f, c) for f in INSTANCE_IMPORTS for c in (True, False)])
def test_an_imported_instances_guard_methods(analyzer, tmp_path, form, compute):
    """Scan (`compute`) and editor: the instance's methods prove what their bodies do, its
    `self.ALLOWED` the class's list (policies.py only reads it)."""
    package, imports, prefix = INSTANCE_IMPORTS[form]
    uses = INSTANCE_VIEWS.format(imports=imports, prefix=prefix)
    modules = {"policies.py": INSTANCES, "views.py": uses}
    assert _findings(analyzer, tmp_path, modules, package, compute) == _marked(uses)


# built in the view module: a subclass of it overriding the method, an instance whose list a
# function of the view module extends
SUBCLASSED = '''
from flask import Flask, abort, redirect, request

from .policies import UrlPolicy

app = Flask(__name__)
policy = UrlPolicy()
extended = UrlPolicy()


class Mine(UrlPolicy):
    def allows(self, url):
        return True


mine = Mine()


def trust(host):
    extended.ALLOWED.append(host)
''' + _redirects([("policy.allows", False), ("mine.allows", True),
                  ("extended.allows", True)])


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_an_instance_of_an_imported_class_left_as_built(analyzer, tmp_path, compute):
    modules = {"policies.py": INSTANCES, "views.py": SUBCLASSED}
    assert _findings(analyzer, tmp_path, modules, True, compute) == _marked(SUBCLASSED)


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_an_instance_its_own_module_changes_proves_nothing(analyzer, tmp_path, compute):
    """policies.py extends the class's list through the instance, and binds `names` again."""
    changed = INSTANCES + "\n\ndef trust(host):\n    policy.ALLOWED.append(host)\n\n\n" \
        "if os.environ.get('NO_NAMES'):\n    names = None\n"
    uses = INSTANCE_VIEWS.format(imports=INSTANCE_IMPORTS["relative"][1], prefix="")
    lines = uses.splitlines()
    guarded = [n for n, text in enumerate(lines, 1) if "not policy.allows(" in text or "names.valid(" in text]
    found = _findings(analyzer, tmp_path, {"policies.py": changed, "views.py": uses}, True, compute)
    assert (guarded[0] + 1, "BST202") in found and (guarded[1] + 2, "BST210") in found
