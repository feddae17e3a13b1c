"""Template files a view renders (taint/template_files.py): a context variable the template
prints without escaping is an HTML sink; the template is found beside the module as Flask and
Django find it, read only as a regular file inside the root, and its edits change the result.
Cases written from Flask's "Templates" and Django's "Built-in template tags and filters"."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.template_files import parse_template, template_names
from bastion.analyzers.taint.templates import unescaped_names
from bastion.analyzers.taint.workspace import SummaryStore

FLASK = ("from flask import Flask, render_template, request\napp = Flask(__name__)\n"
         "@app.route('/h')\ndef h():\n")
DJANGO = ("from django.shortcuts import render\nfrom django.template.loader import render_to_string\n"
          "from django.http import HttpResponse\ndef v(request):\n")

STARLETTE = ("from fastapi import FastAPI, Request\nfrom fastapi.templating import Jinja2Templates\n"
             "app = FastAPI()\ntemplates = Jinja2Templates(directory='templates')\n"
             "@app.get('/p')\ndef page(request: Request, q: str):\n")
AIOHTTP = ("import aiohttp_jinja2\nfrom aiohttp import web\nroutes = web.RouteTableDef()\n"
           "@routes.get('/p')\nasync def page(request):\n")


def _project(root: Path, module: str, templates: dict[str, str]) -> Path:
    path = root / "app.py"
    path.write_text(module, encoding="utf-8")
    for name, text in templates.items():
        target = root / "templates" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return path


def _found(path: Path, analyzer: TaintAnalyzer | None = None, root: Path | None = None) -> set:
    analyzer = analyzer or TaintAnalyzer()
    if root is not None:
        analyzer.workspace = SummaryStore([str(root)], analyzer.models, analyzer.version)
    return {(f.rule_id, f.line + 1)
            for f in analyzer.analyse_file(path.read_text(encoding="utf-8"), str(path))}


# (module, templates, findings (rule, 1-based line)): each vulnerable case has a silent twin
CASES = [
    (FLASK + "    return render_template('hello.html', name=request.args['n'])\n",
     {"hello.html": "<h1>Hello {{ name|safe }}</h1>\n"}, {("BST203", 5)}),
    (FLASK + "    return render_template('hello.html', name=request.args['n'])\n",
     {"hello.html": "<h1>Hello {{ name }}</h1>\n"}, set()),
    (FLASK + "    return render_template('hello.html', name='x', other=request.args['n'])\n",
     {"hello.html": "<h1>Hello {{ name|safe }} {{ other }}</h1>\n"}, set()),
    # Flask escapes only .html, .htm, .xml, .xhtml and .svg templates
    (FLASK + "    return render_template('mail/hello.j2', name=request.args['n'])\n",
     {"mail/hello.j2": "<p>Dear {{ name }}</p>\n"}, {("BST203", 5)}),
    (FLASK + "    return render_template('hello.html', name=request.args['n'])\n",
     {"hello.html": "{% autoescape false %}\n<p>{{ name }}</p>\n{% endautoescape %}\n"},
     {("BST203", 5)}),
    (FLASK + "    ctx = {'name': request.args['n'], 'title': 'x'}\n"
             "    return render_template('hello.html', **ctx)\n",
     {"hello.html": "<h1>{{ title|safe }}</h1><p>{{ name|safe }}</p>\n"}, {("BST203", 6)}),
    (FLASK + "    ctx = {'name': request.args['n'], 'title': 'x'}\n"
             "    return render_template('hello.html', **ctx)\n",
     {"hello.html": "<h1>{{ title|safe }}</h1><p>{{ name }}</p>\n"}, set()),
    (DJANGO + "    return render(request, 'post.html', {'body': request.POST['body']})\n",
     {"post.html": "<div>{{ body|safe }}</div>\n"}, {("BST203", 5)}),
    (DJANGO + "    return render(request, 'post.html', {'body': request.POST['body']})\n",
     {"post.html": "<div>{{ body }}</div>\n"}, set()),
    (DJANGO + "    return render(request, 'post.html', context={'body': request.POST['body']})\n",
     {"post.html": "{% autoescape off %}<div>{{ body }}</div>{% endautoescape %}\n"},
     {("BST203", 5)}),
    # Starlette's Jinja2Templates (FastAPI's) escapes every template: |safe does not
    (STARLETTE + "    return templates.TemplateResponse(request, 'page.html', {'q': q})\n",
     {"page.html": "<p>{{ q|safe }}</p>\n"}, {("BST203", 7)}),
    (STARLETTE + "    return templates.TemplateResponse('page.html', {'request': request, 'q': q})\n",
     {"page.html": "<p>{{ q }}</p>\n"}, set()),
    (STARLETTE + "    return templates.TemplateResponse(request=request, name='page.html',"
                 " context={'q': q})\n",
     {"page.html": "{% autoescape false %}<p>{{ q }}</p>{% endautoescape %}\n"}, {("BST203", 7)}),
    # aiohttp_jinja2: render_template(name, request, context)
    (AIOHTTP + "    return aiohttp_jinja2.render_template('page.html', request, {'q': request.query['q']})\n",
     {"page.html": "<p>{{ q|safe }}</p>\n"}, {("BST203", 6)}),
    (AIOHTTP + "    return aiohttp_jinja2.render_template('page.html', request, {'q': request.query['q']})\n",
     {"page.html": "<p>{{ q }}</p>\n"}, set()),
    # Django escapes every template, whatever its extension
    (DJANGO + "    return HttpResponse(render_to_string('post.txt', {'body': request.POST['body']}))\n",
     {"post.txt": "{{ body }}\n"}, set()),
    # what the template includes or extends renders the same context
    (FLASK + "    return render_template('page.html', name=request.args['n'])\n",
     {"page.html": "{% extends 'base.html' %}{% block body %}{{ name }}{% endblock %}\n",
      "base.html": "<title>{{ name|safe }}</title>{% block body %}{% endblock %}\n"}, {("BST203", 5)}),
    (FLASK + "    return render_template('page.html', name=request.args['n'])\n",
     {"page.html": "{% extends 'base.html' %}{% block body %}{{ name|safe }}{% endblock %}\n",
      "base.html": "<title>{{ name }}</title>\n"}, {("BST203", 5)}),
    (FLASK + "    return render_template('page.html', name=request.args['n'])\n",
     {"page.html": "{% extends 'base.html' %}{% block body %}{{ name }}{% endblock %}\n",
      "base.html": "<title>{{ name }}</title>{% block body %}{% endblock %}\n"}, set()),
    (DJANGO + "    return render(request, 'list.html', {'q': request.GET['q']})\n",
     {"list.html": "{% include \"parts/search.html\" %}\n",
      "parts/search.html": "{% autoescape off %}<p>{{ q }}</p>{% endautoescape %}\n"}, {("BST203", 5)}),
    (DJANGO + "    return render(request, 'list.html', {'q': request.GET['q']})\n",
     {"list.html": "{% include \"parts/search.html\" %}\n", "parts/search.html": "<p>{{ q }}</p>\n"}, set()),
    # Flask escapes by each file's extension: a .txt included by an .html page is not escaped
    (FLASK + "    return render_template('page.html', name=request.args['n'])\n",
     {"page.html": "<pre>{% include 'note.txt' %}</pre>\n", "note.txt": "{{ name }}\n"}, {("BST203", 5)}),
    # an include cycle ends
    (FLASK + "    return render_template('a.html', name=request.args['n'])\n",
     {"a.html": "{% include 'b.html' %}\n",
      "b.html": "{% include 'a.html' %}{% include 'b.html' %}\n"}, set()),
]


@pytest.mark.parametrize(("module", "templates", "expected"), CASES)
def test_a_context_variable_printed_unescaped_is_reported_at_the_render(tmp_path, module,
                                                                         templates, expected):
    path = _project(tmp_path, module, templates)
    assert _found(path) == expected
    assert _found(path, root=tmp_path) == expected


def test_the_path_shows_where_the_template_prints_it(tmp_path):
    path = _project(tmp_path, CASES[0][0], {"hello.html": "<h1>\n  Hello {{ name|safe }}</h1>\n"})
    finding, = TaintAnalyzer().analyse_file(path.read_text(encoding="utf-8"), str(path))
    assert "the template `hello.html`, which prints it unescaped" in finding.message
    step = next(s for s in finding.steps if s.path is not None)
    assert (step.path, step.span.start_line, step.span.start_col) == (
        str(tmp_path / "templates" / "hello.html"), 1, 8)
    assert step.message == "printed unescaped: `{{ name|safe }}`"


def test_the_path_shows_the_included_file_that_prints_it(tmp_path):
    path = _project(tmp_path, CASES[0][0].replace("hello.html", "page.html"),
                    {"page.html": "{% include 'parts/row.html' %}\n",
                     "parts/row.html": "\n<td>{{ name|safe }}</td>\n"})
    finding, = TaintAnalyzer().analyse_file(path.read_text(encoding="utf-8"), str(path))
    assert "the template `page.html`, which prints it unescaped" in finding.message
    step = next(s for s in finding.steps if s.path is not None)
    assert (step.path, step.span.start_line) == (str(tmp_path / "templates" / "parts" / "row.html"), 1)


def test_an_edited_included_template_changes_the_dependency_key(tmp_path):
    path = _project(tmp_path, CASES[0][0],
                    {"hello.html": "{% include 'row.html' %}\n", "row.html": "{{ name }}\n"})
    analyzer, text = TaintAnalyzer(), path.read_text(encoding="utf-8")
    before = analyzer.dependency_key(text, str(path))
    row = tmp_path / "templates" / "row.html"
    row.write_text("{{ name|safe }}\n", encoding="utf-8")
    os.utime(row, ns=(1, 1))
    assert analyzer.dependency_key(path.read_text(encoding="utf-8"), str(path)) != before
    assert _found(path, analyzer) == {("BST203", 5)}


def test_a_template_in_a_parent_folder_is_found_up_to_the_root(tmp_path):
    package = tmp_path / "shop"
    package.mkdir()
    path = _project(package, CASES[0][0], {})
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "hello.html").write_text("{{ name|safe }}\n", encoding="utf-8")
    assert _found(path, root=tmp_path) == {("BST203", 5)}
    assert _found(path, root=package) == set()  # above the root: not read


def test_an_edited_template_changes_the_result_and_the_dependency_key(tmp_path):
    path = _project(tmp_path, CASES[0][0], {"hello.html": "<h1>{{ name|safe }}</h1>\n"})
    analyzer = TaintAnalyzer()
    text = path.read_text(encoding="utf-8")
    assert _found(path, analyzer) == {("BST203", 5)}
    before = analyzer.dependency_key(text, str(path))
    template = tmp_path / "templates" / "hello.html"
    template.write_text("<h1>{{ name }}</h1>\n", encoding="utf-8")
    os.utime(template, ns=(1, 1))  # a different stamp whatever the clock's resolution
    assert _found(path, analyzer) == set()
    assert analyzer.dependency_key(text, str(path)) != before


def test_a_template_linked_from_outside_the_root_is_not_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hello.html").write_text("{{ name|safe }}\n", encoding="utf-8")
    root = tmp_path / "proj"
    root.mkdir()
    path = _project(root, CASES[0][0], {})
    (root / "templates").mkdir()
    (root / "templates" / "hello.html").symlink_to(outside / "hello.html")
    assert _found(path, root=root) == set()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_as_the_template_is_not_opened(tmp_path):
    path = _project(tmp_path, CASES[0][0], {})
    (tmp_path / "templates").mkdir()
    os.mkfifo(tmp_path / "templates" / "hello.html")
    assert _found(path, root=tmp_path) == set()  # returns: nothing waits for a writer


def test_a_name_climbing_out_of_the_templates_folder_is_not_followed(tmp_path):
    module = FLASK + "    return render_template('a/../../secret.html', name=request.args['n'])\n"
    path = _project(tmp_path, module, {})
    (tmp_path / "secret.html").write_text("{{ name|safe }}\n", encoding="utf-8")
    (tmp_path / "templates" / "a").mkdir(parents=True)
    assert _found(path, root=tmp_path) == set()


def test_check_finds_it_from_a_relative_path_and_a_template_edit_invalidates_its_cache(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    _project(project, CASES[0][0], {"hello.html": "<h1>{{ name|safe }}</h1>\n"})
    env = {**os.environ, "BASTION_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "server")}

    def rules() -> list[str]:
        done = subprocess.run([sys.executable, "-m", "bastion", "check", "--output-format", "json",
                               "."], capture_output=True, text=True, cwd=project, env=env,
                              timeout=120)
        return [r["rule_id"] for r in json.loads(done.stdout)["results"]]

    assert rules() == ["BST203"]
    template = project / "templates" / "hello.html"
    template.write_text("<h1>{{ name }}</h1>\n", encoding="utf-8")
    os.utime(template, ns=(1, 1))
    assert rules() == []


@given(st.lists(st.sampled_from(["'", '"', "a", "b/", ".", "..", "-", " ", ".html", ".txt", ".j2",
                                 ".py", "x" * 150, "\n", "_"]), max_size=40).map("".join))
def test_template_names_read_back_from_the_extension_as_a_search_of_the_window_would(text):
    """The quick read back (the nearest quote of the closing kind) finds what an expression
    searched over the 202 characters before each extension finds."""
    window = re.compile(r"""["']([\w][\w./-]{0,200})\Z""")
    expected = []
    for match in re.finditer(r"""\.(?:html?|xhtml|xml|svg|j2|jinja2?|txt|tpl)(?=["'])""", text):
        head = window.search(text, max(0, match.start() - 202), match.start())
        if head is not None and text[match.end()] == text[head.start()]:
            expected.append(head.group(1) + match.group(0))
    assert template_names(text) == expected


def test_a_print_over_two_lines_is_located_on_its_first():
    template = parse_template("/t/page.html", "<p>\n  {{ name\n     |safe }}</p>\n")
    where = template.unescaped["name"]
    assert (where.line, where.col, where.end_col, where.text) == (1, 2, 9, "{{ name |safe }}")


@pytest.mark.parametrize(("configured", "folder"), [
    ("app = Flask(__name__, template_folder='views')", "views"),
    ("templates = Jinja2Templates(directory='ui/templates')", "ui/templates"),
    ("loader = FileSystemLoader('pages')", "pages"),
])
def test_a_template_folder_the_module_configures_is_looked_in(tmp_path, configured, folder):
    module = (CASES[0][0] + f"{configured}\n")
    path = tmp_path / "app.py"
    path.write_text(module, encoding="utf-8")
    page = tmp_path.joinpath(*folder.split("/"), "hello.html")
    page.parent.mkdir(parents=True)
    page.write_text("{{ name|safe }}\n", encoding="utf-8")
    assert _found(path, root=tmp_path) == {("BST203", 5)}
    page.rename(tmp_path / "elsewhere.html")  # not in a folder the module names: not read
    assert _found(path, root=tmp_path) == set()


@given(st.lists(st.sampled_from(["{{", "}}", "{", "}", " ", "a", "b", "|safe", "| safe", "-", "\n",
                                 "{% autoescape false %}", "{% endautoescape %}", "|e", "x.y"]),
                max_size=14).map("".join))
def test_a_template_string_is_read_as_a_template_file_and_loses_no_name(text):
    """`render_template_string`'s names come from the template files' parser; the expressions it
    replaced found no name that the parser does not."""
    safe = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)[^{}]*?\|\s*safe\b")
    block = re.compile(r"\{%-?\s*autoescape\s+false\s*-?%\}(.*?)(?:\{%-?\s*endautoescape|\Z)",
                       re.DOTALL)
    printed = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)")
    expected = set(safe.findall(text))
    for inside in block.findall(text):
        expected.update(printed.findall(inside))
    assert expected <= unescaped_names(text)


def test_a_print_shows_its_control_characters_as_escapes():
    """A hostile template's print reaches messages (the step's note): a terminal title or a
    bidi override in it is shown, not obeyed."""
    template = parse_template("/t/page.html", "{{ name \x1b]0;pwned\x07\u202e|safe }}")
    assert template.unescaped["name"].text == "{{ name \\u001b]0;pwned\\u0007\\u202e|safe }}"


def test_a_render_typed_into_a_module_that_named_none_finds_the_template(tmp_path):
    # the analyzer asks for templates only when the text names a render (per edit): the edit
    # that adds one must be seen as the whole text would be
    path = _project(tmp_path, "from flask import Flask, request\napp = Flask(__name__)\n",
                    {"hello.html": "<h1>{{ name|safe }}</h1>\n"})
    analyzer = TaintAnalyzer()
    before = path.read_text(encoding="utf-8")
    assert analyzer.analyse_file(before, str(path)) == []
    after = before.replace("from flask import Flask, request",
                           "from flask import Flask, request, render_template") + CASES[0][0][
        CASES[0][0].index("@app"):]
    assert {(f.rule_id, f.line + 1) for f in analyzer.analyse_file(after, str(path))} == {("BST203", 5)}
