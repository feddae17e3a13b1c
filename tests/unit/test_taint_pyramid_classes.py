"""Taint analysis: Pyramid class-based views (rules/taint/pyramid.toml). Pyramid builds the
class with the request (`__init__(self, request)` or `(self, context, request)`) when the
class has `@view_defaults` or a method has `@view_config`, and calls the method; the request
`__init__` keeps (`self.request = request`) is request data in every method. Vulnerable
cases with their safe twins, written from the idioms of Pyramid's documentation on view
classes, request attributes and HTTP exceptions."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import textwrap

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.model_files import validate_models

ANALYZER = TaintAnalyzer()
HEADER = ("import ast\nimport os\nimport subprocess\nfrom markupsafe import escape\n"
          "from pyramid.view import view_config, view_defaults\n"
          "from pyramid.response import Response, FileResponse\n"
          "from pyramid.httpexceptions import HTTPFound\n")


def views(method: str, *, defaults: bool = True, init: str = "self.request = request",
          signature: str = "self, request", decorator: str = "@view_config(request_method='GET')") -> str:
    """A view class with one view method (`method`: its body)."""
    head = "@view_defaults(route_name='page')\n" if defaults else ""
    return (HEADER + head + "class PageViews:\n"
            f"    def __init__({signature}):\n" + textwrap.indent(init, "        ") + "\n\n"
            f"    {decorator}\n    def view(self):\n" + textwrap.indent(method, "        "))


def ids(source: str) -> list[str]:
    return sorted(f.rule_id for f in ANALYZER.analyse_file(textwrap.dedent(source), "case.py"))


# (rule id, vulnerable module, safe twin)
PAIRS = [
    # the class's `@view_defaults`; an open redirect to the `next` parameter
    ("BST210", views("return HTTPFound(location=self.request.params['next'])\n"),
               views("return HTTPFound(location='/home')\n")),
    ("BST210", views("return HTTPFound(self.request.GET.get('came_from', '/'))\n"),
               views("return HTTPFound('/profile/' + self.request.GET.get('id', ''))\n")),
    # only the method's `@view_config`
    ("BST202", views("host = self.request.params['host']\nsubprocess.run('ping -c 1 ' + host, shell=True)\nreturn {}\n", defaults=False, decorator="@view_config(route_name='ping', renderer='json')"),
               views("host = self.request.params['host']\nsubprocess.run(['ping', '-c', '1', 'localhost'])\nreturn {'host': host}\n", defaults=False, decorator="@view_config(route_name='ping', renderer='json')")),
    # `(context, request)`: the request is the second argument
    ("BST201", views("return FileResponse('/srv/files/' + self.request.matchdict['name'])\n", signature="self, context, request", init="self.context = context\nself.request = request"),
               views("return FileResponse('/srv/files/' + os.path.basename(self.request.matchdict['name']))\n", signature="self, context, request", init="self.context = context\nself.request = request")),
    # `__init__` reads the request itself
    ("BST210", views("return HTTPFound(location=self.next)\n", init="self.request = request\nself.next = request.params.get('next', '/')"),
               views("return HTTPFound(location=self.next)\n", init="self.request = request\nself.next = '/dashboard'")),
    # the request kept under another name
    ("BST206", views("return {'v': eval(self.req.json_body['expr'])}\n", init="self.req = request"),
               views("return {'v': ast.literal_eval(self.req.json_body['expr'])}\n", init="self.req = request")),
    # an HTML response
    ("BST203", views("return Response('<p>' + self.request.params['q'] + '</p>')\n"),
               views("return Response('<p>' + escape(self.request.params['q']) + '</p>')\n")),
    # a helper method of the view class reads the request
    ("BST210", views("return HTTPFound(location=self.next_url())\n") + "\n    def next_url(self):\n        return self.request.params.get('next', '/')\n",
               views("return HTTPFound(location=self.next_url())\n") + "\n    def next_url(self):\n        return self.request.route_url('home')\n"),
]


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_vulnerable_case_reports(rule_id, vulnerable, safe):
    assert ids(vulnerable) == [rule_id], vulnerable


@pytest.mark.parametrize("rule_id, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_safe_twin_is_silent(rule_id, vulnerable, safe):
    assert rule_id not in ids(safe), safe


def test_a_class_entry_needs_its_methods(tmp_path):
    """`class_decorators` says which classes; `methods` which of their methods are entered."""
    (tmp_path / "views.toml").write_text(
        '[[entry]]\nlabel = "Request"\nclass_decorators = ["pyramid.view.view_config"]\n'
        'request_params = ["request"]\n', encoding="utf-8")
    (tmp_path / "base.toml").write_text(
        '[[source]]\nkind = "remote"\nlabel = "Request data"\nnames = ["a.b"]\n'
        '[[sink]]\nclass = "shell"\ncalls = ["os.system"]\n', encoding="utf-8")
    problems = [str(p) for p in validate_models(tmp_path)]
    assert problems == ["views.toml: entry[0].class_decorators: class_decorators needs methods"]
