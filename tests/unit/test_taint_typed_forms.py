"""Request data a form validates field by field into a type no injection fits in, from the
libraries' documentation, each beside its vulnerable twin (a field of a type that still carries
the sender's text), which must still report: the rows a Django `ModelChoiceField` or a DRF
`PrimaryKeyRelatedField` names; marshmallow's `Schema.load` (typed fields, `OneOf`); a pydantic
model's `Literal` and constrained fields outside FastAPI; WTForms' converted fields; Django's
`SlugField`, `GenericIPAddressField` and `RegexField`. The helpers are test_taint_typed_input's."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.test_taint_typed_input import check

# Django's ModelChoiceField cleans the submitted key into the instance of its queryset it names
# (or the form is invalid); DRF's PrimaryKeyRelatedField does the same for a serializer: the
# row's fields are the database's, not the request's text.
RELATED = '''\
import os

from django import forms
from django.db import connection
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Article


class PickForm(forms.Form):
    article = forms.ModelChoiceField(queryset=Article.objects.all())
    title = forms.CharField()


class PickSerializer(serializers.Serializer):
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    title = serializers.CharField()


def pick(request):
    form = PickForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("bad")
    article = form.cleaned_data["article"]
    with connection.cursor() as cur:
        cur.execute(f"UPDATE a SET views = views + 1 WHERE id = {article.pk}")
        cur.execute(f"UPDATE a SET title = '{form.cleaned_data['title']}'")
    return HttpResponseRedirect(f"/articles/{article.pk}/")


@api_view(["POST"])
def pick_api(request):
    ser = PickSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    os.system(f"reindex {ser.validated_data['article'].pk}")
    os.system(f"retitle {ser.validated_data['title']}")
    return Response({"ok": True})
'''


def test_related_fields_validate_into_the_database_rows():
    check(RELATED, {("BST204", 30), ("BST202", 39)}, {29, 31, 38})


# marshmallow's `Schema.load` deserializes field by field or raises `ValidationError`: an
# `Int` is a number, a `UUID` a UUID, a `Str` the sender's text; on a new instance or a named one.
MARSHMALLOW = '''\
import os
import sqlite3

from flask import Flask, request
from marshmallow import Schema, fields

app = Flask(__name__)
db = sqlite3.connect("app.db")


class PageSchema(Schema):
    page = fields.Int(required=True)
    q = fields.Str()
    ref = fields.UUID()


@app.route("/pages", methods=["POST"])
def pages():
    data = PageSchema().load(request.get_json())
    db.execute(f"SELECT * FROM t LIMIT 20 OFFSET {data['page'] * 20}")
    os.system(f"log {data['ref']}")
    db.execute(f"SELECT * FROM t WHERE name = '{data['q']}'")
    return "ok"


@app.route("/named", methods=["POST"])
def named():
    schema = PageSchema()
    data = schema.load(request.get_json())
    db.execute(f"SELECT * FROM t LIMIT 20 OFFSET {data['page'] * 20}")
    db.execute(f"SELECT * FROM t WHERE name = '{data['q']}'")
    return "ok"
'''


def test_a_marshmallow_schema_loads_typed_fields():
    check(MARSHMALLOW, {("BST204", 22), ("BST204", 31)}, {20, 21, 30})


# A pydantic model validating request data in a Flask view: a `conint(...)` field holds a number
# and a `Literal[...]` one of its strings, as in a FastAPI body; a `str` keeps the text.
PYDANTIC = '''\
import os
import sqlite3
from typing import Literal, Optional

from flask import Flask, request
from pydantic import BaseModel, conint

app = Flask(__name__)
db = sqlite3.connect("app.db")


class Query(BaseModel):
    limit: conint(ge=1, le=100) = 10
    order: Literal["asc", "desc"] = "asc"
    page: Optional[conint(ge=1)] = None
    name: str = ""


@app.route("/q")
def q():
    query = Query(**request.args.to_dict())
    db.execute(f"SELECT * FROM t ORDER BY id {query.order} LIMIT {query.limit} OFFSET {query.page}")
    db.execute(f"SELECT * FROM t WHERE name = '{query.name}'")
    return "ok"


@app.route("/q2", methods=["POST"])
def q2():
    query = Query.model_validate(request.get_json())
    os.system(f"list --limit {query.limit} --order {query.order}")
    os.system(f"list --name {query.name}")
    return "ok"
'''


def test_pydantic_constrained_and_literal_fields_outside_fastapi():
    check(PYDANTIC, {("BST204", 23), ("BST202", 31)}, {22, 30})


# WTForms converts each field as the form is built: an `IntegerField`'s `data` is an int; a
# `StringField`'s is the sender's text. Flask-WTF's `FlaskForm()` reads the submitted form
# itself, a plain `Form` what it is given; neither was followed on main (bandit's pattern
# findings stood on both, the path and the page not reported at all).
WTFORMS = '''\
import os
import sqlite3

from flask import Flask, render_template, request
from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, StringField

app = Flask(__name__)
db = sqlite3.connect("app.db")


class PageForm(FlaskForm):
    page = IntegerField("Page")
    q = StringField("Query")


class PlainForm(Form):
    page = IntegerField("Page")
    q = StringField("Query")


@app.route("/pages", methods=["POST"])
def pages():
    form = PageForm()
    if form.validate_on_submit():
        db.execute(f"SELECT * FROM t LIMIT 20 OFFSET {form.page.data * 20}")
        os.system(f"log {form.page.data}")
        return f"<p>{form.q.data}</p>"
    return render_template("page.html", form=form)


@app.route("/plain", methods=["POST"])
def plain():
    form = PlainForm(request.form)
    if form.validate():
        db.execute(f"SELECT * FROM t LIMIT 20 OFFSET {form.page.data * 20}")
        return open(f"/srv/{form.q.data}").read()
    return "bad"
'''


def test_wtforms_fields_converted_as_the_form_is_built():
    check(WTFORMS, {("BST203", 28), ("BST201", 37)}, {26, 27, 36})


# marshmallow's `validate.OneOf([...])` makes `load` raise unless the value is one of the listed
# constants; a `Length` validator bounds the text without changing what it may hold.
ONE_OF = '''\
import sqlite3

from flask import Flask, request
from marshmallow import Schema, fields, validate

app = Flask(__name__)
db = sqlite3.connect("app.db")


class SortSchema(Schema):
    sort = fields.Str(validate=validate.OneOf(["name", "date"]))
    order = fields.Str(validate=[validate.Length(max=4), validate.OneOf(("asc", "desc"))])
    column = fields.Str(validate=validate.Length(max=12))


@app.route("/sorted")
def sorted_rows():
    args = SortSchema().load(request.args)
    db.execute(f"SELECT * FROM t ORDER BY {args['sort']} {args['order']}")
    db.execute(f"SELECT {args['column']} FROM t")
    return "ok"
'''


def test_a_marshmallow_choice_validator_leaves_one_of_its_constants():
    check(ONE_OF, {("BST204", 20)}, {19})


# Django's SlugField validates with `validate_slug` (`validate_unicode_slug` when told):
# letters, digits, `-` and `_`, safe in a command or a path; a CharField keeps the text.
SLUG = '''\
import os
import subprocess

from django import forms
from django.http import HttpResponse, HttpResponseBadRequest


class PageForm(forms.Form):
    slug = forms.SlugField()
    title = forms.CharField(max_length=50)


def build(request):
    form = PageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("bad")
    slug = form.cleaned_data["slug"]
    subprocess.run(f"build {slug}", shell=True)
    with open(os.path.join("/srv/pages", slug + ".html")) as page:
        body = page.read()
    subprocess.run(f"build {form.cleaned_data['title']}", shell=True)
    return HttpResponse(body, content_type="text/plain")
'''


def test_a_django_slug_field_holds_a_slug():
    check(SLUG, {("BST202", 21)}, {18, 19})


# Django's GenericIPAddressField cleans into an address (hex digits, dots, colons): safe in a
# command, still the host a request goes to.
ADDRESS_FIELD = '''\
import os

import requests
from django import forms
from django.http import JsonResponse


class PingForm(forms.Form):
    host = forms.GenericIPAddressField()


def ping(request):
    form = PingForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"ok": False}, status=400)
    os.system(f"ping -c 1 {form.cleaned_data['host']}")
    status = requests.get(f"http://{form.cleaned_data['host']}/status").text
    return JsonResponse({"status": status})
'''


def test_a_django_address_field_is_safe_in_a_command_not_for_a_request():
    check(ADDRESS_FIELD, {("BST213", 17)}, {16})


# A RegexField searches the value with the pattern it is given: anchored, the value is made of
# the pattern's characters; unanchored, only part of it is.
REGEX_FIELD = r"""from django import forms
from django.db import connection
from django.http import HttpResponse


class LookupForm(forms.Form):
    code = forms.RegexField(r"^[A-Z]{3}\Z")
    loose = forms.RegexField(regex=r"[A-Z]{3}")


def lookup(request):
    form = LookupForm(request.GET)
    if form.is_valid():
        with connection.cursor() as cur:
            cur.execute(f"SELECT * FROM rates WHERE code = '{form.cleaned_data['code']}'")
            cur.execute(f"SELECT * FROM rates WHERE code = '{form.cleaned_data['loose']}'")
    return HttpResponse("ok")
"""


def test_a_regex_field_holds_what_its_anchored_pattern_matched():
    check(REGEX_FIELD, {("BST204", 16)}, {15})
