"""A form class of another workspace module (`from .forms import SearchForm`, Django's usual
forms.py) validates what a view builds it from as one of the view's module does (forms.py,
workspace_entries.imported_forms): its `IntegerField` is an int, its `CharField` the request's
text. Also in a summary: a helper of another module that builds the form."""

from __future__ import annotations

import pytest
from tests.unit.test_taint_workspace_records import workspace_findings

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
FORMS = '''
from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(max_length=100)
    page = forms.IntegerField()
'''
HELPERS = '''
from django.db import connection

from .forms import SearchForm as Search


def by_page(data):
    form = Search(data)
    if form.is_valid():
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM post LIMIT 10 OFFSET %s" % form.cleaned_data["page"])


def by_q(data):
    form = Search(data)
    if form.is_valid():
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM post LIMIT 10 OFFSET %s" % form.cleaned_data["q"])
'''
VIEWS = '''
from django.db import connection
from django.http import HttpResponse

from . import helpers
from .forms import SearchForm


def search(request):
    form = SearchForm(request.GET)
    if form.is_valid():
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM post WHERE x = '%s'" % form.cleaned_data["{field}"])
    helpers.by_{field}(request.POST)
    return HttpResponse("ok")
'''


def _taint(root, field: str, compute: bool) -> list[tuple[int, str]]:
    found = workspace_findings(ANALYZER, root, {"forms.py": FORMS, "helpers.py": HELPERS,
                                                "views.py": VIEWS.format(field=field)}, compute)
    return sorted((f.line, f.rule_id) for f in found)


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_form_of_another_module(tmp_path, compute):
    assert _taint(tmp_path, "q", compute) == [(12, "BST204"), (13, "BST204")]
    assert _taint(tmp_path, "page", compute) == []


SCHEMAS = '''
from pydantic import BaseModel


class ItemIn(BaseModel):
    name: str
    qty: int
'''
ROUTERS = '''
import sqlite3

from fastapi import APIRouter

from .schemas import ItemIn

router = APIRouter()


@router.post("/items")
def create(item: ItemIn):
    sqlite3.connect("x.db").execute("INSERT INTO t VALUES ('%s')" % item.{field})
'''


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_body_model_of_another_module(tmp_path, compute):
    """FastAPI validates a body typed with a pydantic model of schemas.py field by field."""
    def taint(field: str) -> list[tuple[int, str]]:
        found = workspace_findings(ANALYZER, tmp_path, {"schemas.py": SCHEMAS,
                                                        "routers.py": ROUTERS.format(field=field)},
                                   compute)
        return sorted((f.line, f.rule_id) for f in found)
    assert taint("name") == [(12, "BST204")]
    assert taint("qty") == []


EVENTS = '''
import sqlite3

import socketio

from .schemas import ItemIn

sio = socketio.Server()


@sio.event
def save(sid, data: ItemIn):
    sqlite3.connect("x.db").execute("INSERT INTO t VALUES (%s)" % data["qty"])


@sio.event
def save_validated(sid, data):
    item = ItemIn.model_validate(data)
    sqlite3.connect("x.db").execute("INSERT INTO t VALUES (%s)" % item.qty)
'''


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
def test_a_model_annotation_validates_only_where_the_framework_does(tmp_path, compute):
    """python-socketio hands an event handler the JSON the client emitted, a dict: typing it
    with a pydantic model of schemas.py validates nothing (only FastAPI, Django Ninja, Litestar
    declare `validated_models`), while `model_validate` does."""
    found = workspace_findings(ANALYZER, tmp_path, {"schemas.py": SCHEMAS, "events.py": EVENTS},
                               compute)
    assert sorted((f.line, f.rule_id) for f in found) == [(12, "BST204")]
