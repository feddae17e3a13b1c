"""A Django class-based view's fields set in `setup` / `dispatch`, which Django calls before the
handler (View.as_view): the handler, `get_queryset` and `get_context_data` see them, through
`bastion check`; a field guarded, converted or overwritten with a constant is clean."""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

VIEWS = r'''from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.views import View
from django.views.generic import ListView

from .models import Article


class SearchView(View):
    def post(self, request):
        self.term = "all"
        return HttpResponse(f"<p>{self.term}</p>")

    def dispatch(self, request, *args, **kwargs):
        self.term = request.POST["term"]
        response = super().dispatch(request, *args, **kwargs)
        return response

    def get(self, request):
        cursor = connection.cursor()
        cursor.execute(f"SELECT id FROM t WHERE name = '{self.term}'")  # BST204
        return HttpResponse(f"<p>{self.term}</p>")  # BST203


class ArticleList(ListView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.q = request.GET.get("q")
        self.pk = int(kwargs["pk"])

    def get_queryset(self):
        return Article.objects.raw("SELECT * FROM a WHERE t = '%s'" % self.q)  # BST204

    def get_context_data(self, **kwargs):
        return {"rows": Article.objects.raw("SELECT * FROM a WHERE id = %s" % self.pk)}


class FileView(View):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.name = kwargs["name"]
        self.raw_name = kwargs["name"]

    def dispatch(self, request, *args, **kwargs):
        name = self.name
        if not name.isalnum():
            return HttpResponseBadRequest()
        self.name = name
        self.user_id = kwargs["pk"]
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        with open("/srv/files/" + self.name) as fh:
            body = fh.read()
        with open("/srv/files/" + self.raw_name) as fh:  # BST201
            body += fh.read()
        return HttpResponse(body + self.user_id)  # BST203
'''

PLAIN = r'''from django.db import connection


class Report:
    """Not a view: nothing calls `dispatch` before `run`."""

    def dispatch(self, request):
        self.term = request.GET.get("term", "")

    def run(self):
        with connection.cursor() as c:
            c.execute("SELECT id FROM t WHERE name = '" + self.term + "'")
'''


def test_fields_set_in_setup_and_dispatch_reach_the_handler(tmp_path):
    assert_checked_and_stored({"views.py": VIEWS, "models.py": "class Article:\n    objects = None\n",
                         "report.py": PLAIN}, tmp_path, RULE_CWE)


EDITED_VIEW = '''from django.db import connection
from django.views import View


class SearchView(View):
    def dispatch(self, request, *args, **kwargs):
        self.term = {term}
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        cursor = connection.cursor()
        cursor.execute(f"SELECT id FROM t WHERE name = '{{self.term}}'")
'''


def test_an_edit_of_dispatch_alone_reaches_the_handler_analysed_before():
    """The functions are cached (as in the editor): an edit of `dispatch` alone changes what
    `get` reports, both ways."""
    from bastion.analyzers.taint.analyzer import TaintAnalyzer

    analyzer = TaintAnalyzer()
    tainted = EDITED_VIEW.format(term='request.GET["q"]')
    constant = EDITED_VIEW.format(term='"all"')
    assert [f.rule_id for f in analyzer.analyse_file(tainted, "views.py")] == ["BST204"]
    assert analyzer.analyse_file(constant, "views.py") == []
    assert [f.rule_id for f in analyzer.analyse_file(tainted, "views.py")] == ["BST204"]
    assert analyzer.analyse_file(constant, "views.py") == []


# Flask's MethodView: a view's own `dispatch_request` runs the handler through
# `super().dispatch_request(...)`, so the fields it sets are what `get` starts with, guarded as
# they are at that call (flask.toml); a plain `View`'s `dispatch_request` is the handler itself,
# the methods it calls followed from it. Tornado's `prepare` likewise before `get`.
FLASK_TORNADO = r'''import os
import re

import tornado.web
from flask import request
from flask.views import MethodView, View

ALLOWED = {"a.txt", "b.txt"}


class Files(MethodView):
    def dispatch_request(self, *args, **kwargs):
        self.path = request.args.get("path", "")
        if self.path not in ALLOWED:
            return "no", 403
        return super().dispatch_request(*args, **kwargs)

    def get(self):
        with open(os.path.join("/srv", self.path)) as f:
            return f.read()


class LooseFiles(MethodView):
    def dispatch_request(self, *args, **kwargs):
        self.path = request.args.get("path", "")
        self.name = request.args.get("name", "")
        if not re.fullmatch(r"[a-z]+", self.name):
            return "no", 400
        return super().dispatch_request(*args, **kwargs)

    def get(self):
        os.system("echo " + self.name)
        with open(os.path.join("/srv", self.path)) as f:  # BST201
            return f.read()


class ShowFile(View):
    def dispatch_request(self):
        self.path = request.args.get("path", "")
        if self.path not in ALLOWED:
            return "no", 403
        return self.render()

    def render(self):
        with open(os.path.join("/srv", self.path)) as f:
            return f.read()


class Named(tornado.web.RequestHandler):
    def prepare(self):
        self.name = self.get_argument("name")
        if not re.fullmatch(r"[a-z0-9]+", self.name):
            raise tornado.web.HTTPError(400)
        self.raw = self.get_argument("raw")

    def get(self):
        os.system("echo " + self.name)
        os.system("echo " + self.raw)  # BST202
'''


def test_fields_set_in_flask_dispatch_request_and_tornado_prepare_reach_the_handler(tmp_path):
    assert_checked_and_stored({"views.py": FLASK_TORNADO}, tmp_path, RULE_CWE)
