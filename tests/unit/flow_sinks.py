"""The flow matrix's categories: per CWE, the usual sink of a Flask view written over `value`, the
imports it needs, and its sanitized form (a sanitizer call, parameters, a safe parser or an
allow-list). Flows (flow_cases.py) put request data, or a constant, into `value`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sink:
    cwe: int
    imports: str
    # Lines of the view's body after the flow; they use `value` and end the view.
    code: str
    # The sanitizer case: lines turning `data` into `value`, and the sink lines used after them
    # (the same sink unless the sanitizer is the sink's own safe form).
    sanitize: str
    sanitized_code: str = ""


ALLOW = 'value = data if data in ("alpha", "beta") else "alpha"'

SINKS: dict[int, Sink] = {s.cwe: s for s in (
    Sink(22, "from werkzeug.utils import secure_filename",
         "return open(value).read()", "value = secure_filename(data)"),
    Sink(78, "import os\nimport shlex", 'os.system("ls " + value)\nreturn "ok"',
         "value = shlex.quote(data)"),
    Sink(79, "import html", 'return "<p>" + value + "</p>"', "value = html.escape(data)"),
    Sink(89, "import sqlite3",
         'cur = sqlite3.connect("app.db").cursor()\n'
         'cur.execute("SELECT * FROM users WHERE name = \'" + value + "\'")\nreturn "ok"',
         "value = data",
         'cur = sqlite3.connect("app.db").cursor()\n'
         'cur.execute("SELECT * FROM users WHERE name = ?", (value,))\nreturn "ok"'),
    Sink(90, "from ldap3 import Connection, Server\nfrom ldap3.utils.conv import escape_filter_chars",
         'conn = Connection(Server("ldap://localhost"))\n'
         'conn.search("dc=example,dc=com", "(uid=" + value + ")")\nreturn "ok"',
         "value = escape_filter_chars(data)"),
    Sink(95, "", 'result = eval(value)\nreturn "ok"', ALLOW),
    Sink(117, "import logging", 'logging.getLogger(__name__).info("user " + value)\nreturn "ok"',
         'value = data.replace("\\n", "").replace("\\r", "")'),
    Sink(501, "from flask import session", 'session["user"] = value\nreturn "ok"', ALLOW),
    Sink(502, "import base64\nimport pickle", 'obj = pickle.loads(base64.b64decode(value))\nreturn "ok"',
         ALLOW),
    Sink(601, "from flask import redirect", "return redirect(value)", ALLOW),
    Sink(611, "from lxml import etree",
         "doc = etree.fromstring(value, etree.XMLParser(resolve_entities=True))\nreturn \"ok\"",
         "value = data",
         "doc = etree.fromstring(value, etree.XMLParser(resolve_entities=False))\nreturn \"ok\""),
    Sink(643, "from lxml import etree",
         'tree = etree.parse("users.xml")\n'
         'found = tree.xpath("//user[@name=\'" + value + "\']")\nreturn "ok"',
         "value = data",
         'tree = etree.parse("users.xml")\nfound = tree.xpath("//user[@name=$n]", n=value)\n'
         'return "ok"'),
    Sink(918, "import requests", 'resp = requests.get(value)\nreturn "ok"', ALLOW),
    Sink(1336, "from flask import render_template_string", "return render_template_string(value)",
         "value = data",
         'return render_template_string("<p>{{ v }}</p>", v=value)'),
)}
