"""A decorator renders a template file with what the view returns (taint/template_views.py):
aiohttp_jinja2's `@aiohttp_jinja2.template("page.html")`, from its documentation ("Usage": the
handler returns a dict, the template's context). `setup()` gives the environment
`autoescape=True`: only a variable the file prints with `|safe` or in an autoescape-off block
is markup."""

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


def test_a_template_decorator_renders_the_returned_context(tmp_path):
    assert_checked_and_stored(APPS, tmp_path, RULE_CWE)
