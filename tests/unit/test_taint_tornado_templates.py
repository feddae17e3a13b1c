"""Taint analysis: Tornado's template files (taint/template_files.py). Tornado escapes every
`{{ expression }}` unless the application turns autoescape off; its documentation's way to print
a value as it is, `{% raw expression %}`, prints it unescaped: a handler's `self.render(name,
**values)` of request data such a file prints raw is cross-site scripting, at the render.
Jinja's `{% raw %}` block takes no expression and is no print."""

from __future__ import annotations

import pytest
from tests.unit.test_taint_template_files import _found, _project

from bastion.analyzers.taint.template_files import parse_template

TORNADO = ("import tornado.web\n\nclass Hello(tornado.web.RequestHandler):\n"
           "    def get(self):\n"
           "        self.render('hello.html', name=self.get_argument('name'), title='Hi')\n")


@pytest.mark.parametrize(("template", "expected"), [
    ("<h1>{{ title }}</h1><p>{% raw name %}</p>\n", {("BST203", 5)}),
    ("<h1>{% raw title %}</h1><p>{% raw  name.strip() %}</p>\n", {("BST203", 5)}),
    ("<h1>{% raw title %}</h1><p>{{ name }}</p>\n", set()),
    ("{% raw %}<p>{% endraw %}<p>{{ name }}</p>\n", set()),
])
def test_a_value_a_tornado_template_prints_raw_is_reported_at_the_render(tmp_path, template, expected):
    path = _project(tmp_path, TORNADO, {"hello.html": template})
    assert _found(path, root=tmp_path) == expected


def test_the_raw_print_is_where_the_path_ends():
    parsed = parse_template("hello.html", "<p>\n  {% raw name %}</p>\n")
    assert list(parsed.unescaped) == ["name"]
    assert (parsed.unescaped["name"].line, parsed.unescaped["name"].col) == (1, 2)
