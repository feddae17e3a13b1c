"""Bottle's Jinja2 templates and SimpleTemplate includes (taint/template_parse.py,
template_files.py). From Bottle's documentation ("Templates"): `jinja2_template` and
`@jinja2_view` render with its Jinja2Template, whose `prepare` makes `Environment(loader=...)`
with no `autoescape` (bottle.py 0.13): `{{ name }}` prints the value as it is, `{{ name|e }}`
escaped. SimpleTemplate's `% include('header', title=...)` and `% rebase('base', title=...)`
render that file with the caller's context and the keywords given (`_include` copies the
environment and updates it), a rebased file getting the caller's output as `base`."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

JINJA2 = '''from bottle import jinja2_template, jinja2_view, request, route


@route("/hello")
def hello():
    name = request.query.get("name", "World")
    return jinja2_template("hello.html", name=name)  # BST203


@route("/hello/escaped")
def hello_escaped():
    name = request.query.get("name", "World")
    return jinja2_template("hello_escaped.html", name=name)


@route("/page")
@jinja2_view("page.html")
def page():
    return {"title": request.query.title}  # BST203


@route("/page/escaped")
@jinja2_view("page_escaped")
def page_escaped():
    return {"title": request.query.title}


@route("/inline")
def inline():
    return jinja2_template("<p>{{ q }}</p>", q=request.query.q)  # BST203


@route("/inline/escaped")
def inline_escaped():
    return jinja2_template("<p>{{ q|e }}</p>", q=request.query.q)
'''

JINJA2_APPS = {
    "app.py": JINJA2,
    "views/hello.html": "<h1>Hello {{ name }}!</h1>\n",
    "views/hello_escaped.html": "<h1>Hello {{ name|e }}!</h1>\n",
    "views/page.html": "<title>{{ title }}</title>\n",
    "views/page_escaped.html": "<title>{{ title|escape }}</title>\n",
}

STPL = '''from bottle import request, route, template, view


@route("/post")
def post():
    return template("post", subject=request.query.subject)  # BST203


@route("/post/escaped")
def post_escaped():
    return template("post_escaped", subject=request.query.subject)


@route("/news")
@view("news")
def news():
    return {"headline": request.query.headline}  # BST203


@route("/news/escaped")
@view("news_escaped")
def news_escaped():
    return {"headline": request.query.headline}
'''

STPL_APPS = {
    "app.py": STPL,
    "views/post.tpl": "% include('header', title=subject)\n<p>{{subject}}</p>\n",
    "views/post_escaped.tpl": "% include('header_escaped', title=subject)\n<p>{{subject}}</p>\n",
    "views/header.tpl": "<h1>{{!title}}</h1>\n",
    "views/header_escaped.tpl": "<h1>{{title}}</h1>\n",
    "views/news.tpl": "% rebase('base', title=headline)\n<p>{{headline}}</p>\n",
    "views/news_escaped.tpl": "% rebase('base', title='News')\n<p>{{headline}}</p>\n",
    "views/base.tpl": "<html><head><title>{{!title}}</title></head>\n<body>{{!base}}</body></html>\n",
}


def test_bottle_jinja2_templates_print_unescaped_but_through_e(tmp_path):
    assert_checked_and_stored(JINJA2_APPS, tmp_path, RULE_CWE)


def test_a_simpletemplate_include_or_rebase_hands_its_keywords_on(tmp_path):
    assert_checked_and_stored(STPL_APPS, tmp_path, RULE_CWE)


# `@jinja2_view(name, **defaults)` renders with `template(name, **defaults, **returned)`, and
# `template` takes `template_settings` from those keywords for Jinja2Template's Environment
# (bottle.py 0.13): `template_settings={"autoescape": True}` escapes `{{ title }}`.
SETTINGS = '''from bottle import jinja2_view, request, route

SETTINGS = {"autoescape": True}


@route("/page")
@jinja2_view("page.html", template_settings={"autoescape": False})
def page():
    return {"title": request.query.title}  # BST203


@route("/page/escaped")
@jinja2_view("page.html", template_settings={"autoescape": True})
def page_escaped():
    return {"title": request.query.title}


@route("/page/settings")
@jinja2_view("page.html", template_settings=SETTINGS)
def page_settings():
    return {"title": request.query.title}
'''


def test_jinja2_view_template_settings_turn_autoescape_on(tmp_path):
    apps = {"app.py": SETTINGS, "views/page.html": "<title>{{ title }}</title>\n"}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
