"""Taint analysis: a redirect target tested in one condition to start with `/`, not with `//` and
to hold no backslash (site_paths.py) is still an open redirect in Flask: `/\\t/evil.com` passes the
three tests and Werkzeug drops the tab, sending `Location: //evil.com` (redirect_encodings.py says
where the tests are a proof: test_taint_redirect_encodings.py, test_taint_site_path_steps.py); a
browser reads `/\\evil.example` as `//evil.example`, so without the backslash test, or with one of
the tests about another name, the redirect may go anywhere everywhere.
Each line that must report ends with its rule (taint_marked.py); every other line stays silent."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

APP = r'''from flask import Flask, redirect, request

app = Flask(__name__)


@app.get("/login/done")
def login_done():
    target = request.args.get("next", "/")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return redirect(target)  # BST210
    return redirect(target)  # BST210


@app.get("/logout/done")
def logout_done():
    nxt = request.args.get("next", "/")
    if not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt:
        nxt = "/"
    return redirect(nxt)  # BST210


@app.get("/settings/done")
def settings_done():
    nxt = request.args.get("next", "/")
    if not nxt.startswith("/") or nxt.startswith("//"):
        nxt = "/"
    return redirect(nxt)  # BST210


@app.get("/profile/done")
def profile_done():
    nxt, back = request.args.get("next", "/"), request.args.get("back", "/")
    if nxt.startswith("/") and not back.startswith("//") and "\\" not in nxt:
        return redirect(nxt)  # BST210
    if nxt.startswith("/") or not nxt.startswith("//") or "\\" not in nxt:
        return redirect(nxt)  # BST210
    return redirect("/")
'''


# The fix's check (fixes/recipes_redirect.py) and its pieces: printable refuses the tab Werkzeug and
# a browser drop, so a target led by `/` and then neither `/` nor `\\` is a path for any redirect.
PRINTABLE = r'''import urllib.parse

from flask import Flask, abort, redirect, request

app = Flask(__name__)


@app.get("/login/done")
def login_done():
    safe_url = request.args.get("next", "/")
    if not (safe_url.startswith("/") and not safe_url.startswith(("//", "/\\"))
            and safe_url.isprintable() and urllib.parse.urlparse(safe_url).netloc == ""):
        safe_url = "/"
    return redirect(safe_url)


@app.get("/logout/done")
def logout_done():
    nxt = request.args.get("next", "/")
    if not nxt.startswith("/") or nxt.startswith("//") or nxt.startswith("/\\"):
        abort(400)
    if not nxt.isprintable():
        abort(400)
    return redirect(nxt)


@app.get("/settings/done")
def settings_done():
    # `/\t/evil.com` passes: Werkzeug drops the tab and sends `//evil.com`
    target = request.args["next"]
    if target.startswith(("//", "/\\")) or not target.startswith("/"):
        abort(400)
    return redirect(target)  # BST210
'''


def test_a_printable_path_led_by_one_slash_is_a_site_path_everywhere():
    assert_marked(PRINTABLE)


def test_a_path_checked_whole_is_still_an_open_redirect_in_flask():
    assert_marked(APP)
