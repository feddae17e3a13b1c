"""A Tornado handler writing request data as JSON into the page's own script (taint/concatenation.py,
the `tornado.escape.json_encode` sanitizer). From Tornado's escape.py: `json_encode(value)` is
`json.dumps(value)` with `</` written `<\\/`, "useful when json data is emitted in a <script> tag":
inside a `<script>` element the value stays a JavaScript literal that no `</script>` can end. The
same value written into the page's markup, after the element is closed, or inside a quoted
JavaScript string (which JSON's own quote ends) is cross-site scripting."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

HANDLERS = '''import tornado.web
from tornado.escape import json_encode


class Search(tornado.web.RequestHandler):
    def get(self):
        q = self.get_argument("q")
        self.write("<script>var q = " + json_encode(q) + ";</script>")
        self.write(f"<script type=\\"text/javascript\\">var q = {json_encode(q)};</script>")
        self.write("<script>\\nwindow.state = %s;\\n</script>" % json_encode({"q": q}))


class Shown(tornado.web.RequestHandler):
    def get(self):
        q = self.get_argument("q")
        self.write("<div>" + json_encode(q) + "</div>")  # BST203
        self.write("<script>var n = 1;</script><p>" + json_encode(q) + "</p>")  # BST203
        self.write("<script>var q = '" + json_encode(q) + "';</script>")  # BST203
        self.write(json_encode(q))  # BST203
'''


def test_json_encode_inside_a_script_element_is_safe_and_in_markup_is_xss(tmp_path):
    assert_marked(HANDLERS)
    apps = {"web/__init__.py": "", "web/handlers.py": HANDLERS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
