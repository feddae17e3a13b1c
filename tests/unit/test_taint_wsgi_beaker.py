"""Beaker's session outside Bottle: the middleware keeps it in the WSGI environ of the
application it wraps (Beaker's documentation: `session = environ["beaker.session"]`), and later
requests trust what it holds as the application's own. Request data stored into it (by item,
`update`, by keyword or a dict, or `setdefault`) is a trust-boundary violation (CWE-501), as in
Bottle's `request.environ`; the session itself is the server's store, not request data, so what
it holds read back reaches nothing.
Twins: a constant stored, a value checked against an allow-list, a session value read into a
header. A line that must report ends with its rule."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

APP = r'''from urllib.parse import parse_qs

from beaker.middleware import SessionMiddleware

THEMES = {"light", "dark"}


def notes_app(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    session = environ["beaker.session"]
    session["user"] = query.get("user", [""])[0]  # BST208
    session["visits"] = session.get("visits", 0) + 1
    session.update({"lang": query.get("lang", ["en"])[0]})  # BST208
    session.update({"seen": True})
    session.setdefault("first", environ.get("PATH_INFO", "/"))  # BST208
    session.setdefault("theme", "light")
    theme = query.get("theme", ["light"])[0]
    if theme in THEMES:
        session["theme"] = theme
    session.save()
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-User", str(session.get("user")))])
    return [b"ok"]


class Remember:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        session = environ.get("beaker.session")
        session.update(last=environ.get("PATH_INFO", "/"))  # BST208
        session.save()
        return self.app(environ, start_response)


application = SessionMiddleware(Remember(notes_app), {"session.type": "file", "session.data_dir": "/tmp/s"})
'''


def test_request_data_into_beakers_environ_session_reports():
    assert_marked(APP)
