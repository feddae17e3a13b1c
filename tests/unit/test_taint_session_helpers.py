"""A project helper that writes the session it is handed (`def remember(store, user):
store["user"] = user`, `store.update(values)`, Django's `request.session[...]` in a helper handed
the request): its summary keeps the store on its parameter (held_calls.hold_store, a held call),
so a view handing it Flask's `session` or Django's `request.session` with request data crosses
the trust boundary (CWE-501) at its call. Safe twins hand a constant. In the same file and
through another workspace module, in a scan and in the editor's store."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

AUTH = '''def remember(store, user):
    store["user"] = user


def remember_key(store, key, value):
    store[key] = value


def remember_many(store, **values):
    store.update(values)


def store_visit(request, page):
    request.session["last_page"] = page
'''

FLASK_VIEWS = '''from flask import Flask, request, session

from .auth import remember, remember_key, remember_many

app = Flask(__name__)


@app.route("/login")
def login():
    remember(session, request.args["user"])  # BST208
    remember(session, "guest")
    return "ok"


@app.route("/prefs")
def prefs():
    remember_key(session, "theme", request.args["theme"])  # BST208
    remember_key(session, "lang", "en")
    remember_many(session, shown=request.args["shown"])  # BST208
    remember_many(session, shown="all")
    return "ok"
'''

DJANGO_VIEWS = '''from django.http import HttpResponse

from .auth import remember_key, store_visit


def theme(request):
    remember_key(request.session, "theme", request.GET["theme"])  # BST208
    remember_key(request.session, "theme", "light")
    return HttpResponse("ok")


def visit(request):
    store_visit(request, request.GET["page"])  # BST208
    store_visit(request, "home")
    return HttpResponse("ok")
'''

SAME_FILE = '''from flask import Flask, request, session

app = Flask(__name__)
cache = {}


def remember(store, user):
    store["user"] = user


@app.route("/login")
def login():
    remember(session, request.args["user"])  # BST208
    remember(session, "guest")
    remember(cache, request.args["user"])
    return "ok"
'''


def test_a_session_handed_to_a_helper_that_writes_it_crosses_the_trust_boundary(tmp_path):
    assert_marked(SAME_FILE)
    apps = {"shop/__init__.py": "", "shop/auth.py": AUTH, "shop/views.py": FLASK_VIEWS,
            "blog/__init__.py": "", "blog/auth.py": AUTH, "blog/views.py": DJANGO_VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)


COPIES = '''from .registry import lookup


def remember(store, user):
    store["user"] = user


def remember_copy(store, user):
    store = dict(store)
    store["user"] = user
    return store


def remember_in_copy(store, user):
    merged = {**store}
    merged["user"] = user
    store = store.copy()
    store["seen"] = user
    return merged, store


def remember_maybe_copy(store, user, fresh):
    if fresh:
        store = dict(store)
    store["user"] = user


def remember_through(store, user):
    store = lookup(store)
    store["user"] = user
'''

COPY_VIEWS = '''from flask import Flask, request, session

from .auth import remember, remember_copy, remember_in_copy, remember_maybe_copy, remember_through

app = Flask(__name__)


@app.route("/login")
def login():
    remember(session, request.args["user"])  # BST208
    remember_copy(session, request.args["user"])
    remember_in_copy(session, request.args["user"])
    remember_maybe_copy(session, request.args["user"], False)  # BST208
    remember_through(session, request.args["user"])  # BST208
    return "ok"
'''


def test_a_helper_writing_its_own_copy_of_the_session_keeps_it_unchanged(tmp_path):
    """`store = dict(store)` binds a new mapping: what the helper stores there is not in the
    session the view handed it (held_calls.hold_store). The helper writing the session itself
    still crosses the boundary, and so does one copying it on one path only or rebinding it to
    what another call returns (which may be the same mapping)."""
    assert_marked(COPY_VIEWS.replace("from .auth import remember, remember_copy, remember_in_copy, "
                                     "remember_maybe_copy, remember_through\n",
                                     COPIES))
    apps = {"shop/__init__.py": "", "shop/auth.py": COPIES, "shop/views.py": COPY_VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
