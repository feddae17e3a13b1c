"""Calls that never return: they exit or raise (Flask's and Quart's `abort` is Werkzeug's, which
raises the HTTPException of the status; Bottle's `abort` raises its HTTPError, its `redirect` the
HTTPResponse that redirects; Sanic's raises the SanicException of the status). One table for
every reader that asks whether a path goes on after a call: the statement walk (statements.py),
an archive's member check leaving its loop (archive_members.py). Stateless."""

NO_RETURN = frozenset({"flask.abort", "werkzeug.exceptions.abort", "sys.exit", "exit", "quit",
                       "os._exit", "os.abort", "bottle.abort", "bottle.redirect", "quart.abort",
                       "sanic.exceptions.abort"})
