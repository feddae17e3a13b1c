"""Tornado's template files where its handler looks for them, and its `json_encode` printed raw
(taint/template_files.py, template_parse.py). From Tornado's web.py: `render_string` loads a
template from the `template_path` setting, or without one from the folder of the module
calling `render`; from its escape.py: `json_encode(value)` is `json.dumps(value)` with `</`
written `<\\/`, "useful when json data is emitted in a <script> tag", the documented way to hand
data to a page's script (`{% raw json_encode(data) %}`). In a script block the value stays a JSON
literal; in the page's markup its `<` and `>` are tags."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

APP = '''import tornado.web


class Hello(tornado.web.RequestHandler):
    def get(self):
        self.render("hello.html", name=self.get_argument("name"))  # BST203


class Hi(tornado.web.RequestHandler):
    def get(self):
        self.render("hi.html", name=self.get_argument("name"))


class Data(tornado.web.RequestHandler):
    def get(self):
        self.render("data.html", items=self.get_argument("items"))


class Shown(tornado.web.RequestHandler):
    def get(self):
        self.render("shown.html", items=self.get_argument("items"))  # BST203


def make_app():
    return tornado.web.Application([(r"/hello", Hello), (r"/hi", Hi), (r"/data", Data),
                                    (r"/shown", Shown)])
'''

APPS = {
    "app.py": APP,
    "hello.html": "<h1>Hello {% raw name %}</h1>\\n",
    "hi.html": "<h1>Hi {{ name }}</h1>\\n",
    "data.html": "<h1>Data</h1>\\n<script>\\nvar items = {% raw json_encode(items) %};\\n</script>\\n",
    "shown.html": "<script>var n = 1;</script>\\n<div>{% raw json_encode(items) %}</div>\\n",
}


def test_templates_beside_the_handler_module_and_json_encode_in_a_script(tmp_path):
    assert_checked_and_stored(APPS, tmp_path, RULE_CWE)
