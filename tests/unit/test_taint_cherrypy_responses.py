"""CherryPy's responses (cherrypy.toml): what an exposed handler returns is the response body,
HTML unless the handler types the global response otherwise
(`cherrypy.response.headers["Content-Type"] = "text/plain"`, media_types.GLOBAL_RESPONSES) or
`@cherrypy.tools.json_out()` encodes it as JSON (the entry's `return_sink_unless`); the
MethodDispatcher's `GET` / `POST` methods of an exposed class alike. `raise
cherrypy.HTTPRedirect(url)` redirects where the URL's start says."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

HANDLERS = '''
import cherrypy


class Root:
    @cherrypy.expose
    def welcome(self, user=""):
        return f"<p>Welcome back, {user}</p>"  # BST203

    @cherrypy.expose
    def motd(self, user=""):
        cherrypy.response.headers["Content-Type"] = "text/plain"
        return f"Message of the day for {user}"

    @cherrypy.expose
    def typed_late(self, name="guest"):
        page = "Hello " + name
        cherrypy.serving.response.headers["Content-Type"] = "text/html; charset=utf-8"
        return page  # BST203

    @cherrypy.tools.json_out()
    @cherrypy.expose
    def status(self, user=""):
        return "status of " + user

    @cherrypy.expose
    def go(self, to="/"):
        if to in ("/", "/help"):
            raise cherrypy.HTTPRedirect(to)
        raise cherrypy.HTTPRedirect("/pages/" + to)

    @cherrypy.expose
    def back(self, to="/"):
        raise cherrypy.HTTPRedirect([to], 303)  # BST210


@cherrypy.expose
class Notes:
    def GET(self, note_id=""):
        return f"<article>{note_id}</article>"  # BST203

    @cherrypy.tools.json_out()
    def POST(self, text=""):
        return {"saved": text}
'''


def test_a_handler_returns_its_page():
    assert_marked(HANDLERS)
