"""A guard helper of another workspace module in the editor: once its module's summaries are
computed in the background, `if not is_safe_url(nxt): abort(400)` in the open view proves the
redirect after it safe; the helper edited to prove nothing brings the finding back."""

from __future__ import annotations

from .conftest import change_document, open_document
from .test_taint_workspace import until

SAFETY = """from urllib.parse import urlparse

ALLOWED_HOSTS = {"example.com"}


def is_safe_url(target):
    host = urlparse(target).netloc
    return host in ALLOWED_HOSTS
"""
VIEWS = """from flask import Flask, abort, redirect, request

from site_checks.safety import is_safe_url

app = Flask(__name__)


@app.route("/next")
def go_next():
    nxt = request.args.get("next", "/")
    if not is_safe_url(nxt):
        abort(400)
    return redirect(nxt)


@app.route("/back")
def back():
    return redirect(request.args.get("to", "/"))
"""


def redirects(diags) -> list[int]:
    return sorted(d.range.start.line for d in diags if d.code == "BST210")


async def _guarded(client) -> tuple[str, str]:
    """The view open with the guard proving its redirect safe, and the helper's module open:
    their URIs."""
    package = client.workspace / "site_checks"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "safety.py").write_text(SAFETY)
    views = client.workspace / "views.py"
    views.write_text(VIEWS)
    open_document(client, views.as_uri(), VIEWS)
    await until(client, views.as_uri(), 1, lambda diags: redirects(diags) == [17])
    safety = (package / "safety.py").as_uri()
    open_document(client, safety, SAFETY)
    return views.as_uri(), safety


async def test_an_imported_guard_proves_the_redirect_safe_in_the_editor(client):
    views, safety = await _guarded(client)
    # `return True`: the helper proves nothing, the guarded redirect reports again
    change_document(client, safety, 2, (7, 11), (7, 32), "True")
    await until(client, views, 1, lambda diags: redirects(diags) == [12, 17])


async def test_a_guard_edited_into_its_negation_brings_the_redirect_back(client):
    """`host in ALLOWED_HOSTS` becoming `host not in ALLOWED_HOSTS` proves the same of the
    argument where the result is false instead of true: the summary differs (Proof.truth), so
    the view is checked again."""
    views, safety = await _guarded(client)
    change_document(client, safety, 2, (7, 16), (7, 18), "not in")
    await until(client, views, 1, lambda diags: redirects(diags) == [12, 17])
