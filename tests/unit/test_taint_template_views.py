"""A decorator renders a template file with what the view returns (taint/template_views.py):
aiohttp_jinja2's `@aiohttp_jinja2.template("page.html")`, from its documentation ("Usage": the
handler returns a dict, the template's context). `setup()` gives the environment
`autoescape=True`: only a variable the file prints with `|safe` or in an autoescape-off block
is markup. Bottle's `@view("hello")` and `template("hello", name=...)`, from its tutorial
("Templates"): the file `views/hello.tpl` (TEMPLATE_PATH is `./` and `./views/`, the name
taken as is, then with `.tpl`, ...), whose `{{name}}` is escaped and `{{!name}}` is not."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

AIOHTTP = '''import aiohttp_jinja2
from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/greet")
@aiohttp_jinja2.template("greet.html")
async def greet(request):
    return {"name": request.query["name"]}  # BST203


@routes.get("/hello")
@aiohttp_jinja2.template("hello.html")
async def hello(request):
    return {"name": request.query["name"]}


@aiohttp_jinja2.template("notice.html")
async def notice(request):
    text = request.query.get("text", "")
    return {"text": text}  # BST203


@aiohttp_jinja2.template("greet.html")
async def greet_known(request):
    return {"name": "world"}
'''

APPS = {
    "app.py": AIOHTTP,
    "templates/greet.html": "<h1>Hello, {{ name|safe }}</h1>\n",
    "templates/hello.html": "<h1>Hello, {{ name }}</h1>\n",
    "templates/notice.html": "{% autoescape false %}<p>{{ text }}</p>{% endautoescape %}\n",
}


BOTTLE = '''from bottle import request, route, template, view


@route("/hello")
def hello():
    name = request.query.get("name", "World")
    return template("hello_template", name=name)  # BST203


@route("/hi")
def hi():
    return template("hi", {"name": request.query.name})


@route("/greet")
@view("greet")
def greet():
    return {"name": request.query.name}  # BST203


@route("/welcome")
@view("welcome.tpl")
def welcome():
    return dict(name=request.query.name)
'''

BOTTLE_APPS = {
    "app.py": BOTTLE,
    "views/hello_template.tpl": "<b>Hello {{!name}}</b>!\n",
    "views/hi.tpl": "<b>Hi {{name}}</b>!\n",
    "greet.tpl": "<p>{{ !name }}</p>\n",
    "views/welcome.tpl": "<p>Welcome {{name}}</p>\n",
}


def test_a_bottle_template_named_without_extension_prints_bang_unescaped(tmp_path):
    assert_checked_and_stored(BOTTLE_APPS, tmp_path, RULE_CWE)


def test_a_template_decorator_renders_the_returned_context(tmp_path):
    assert_checked_and_stored(APPS, tmp_path, RULE_CWE)
