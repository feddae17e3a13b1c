"""Request data validated or converted into a type no injection fits in, from the frameworks'
and libraries' documentation, each beside its vulnerable twin (the same code without the
conversion, or with a type that still carries the sender's text), which must still report:
Werkzeug's `getlist(key, type=int)`; the model instances a Django `ModelChoiceField` or a DRF
`PrimaryKeyRelatedField` validates into; and an `ipaddress` address, safe in a command or a
query but still naming the host a request goes to."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()


def reported(source: str) -> set[tuple[str, int]]:
    """(rule, 1-based line) of every finding the editor's engine reports, import rules aside."""
    return {(f.rule_id, f.line + 1) for f in ENGINE.analyse(source, "case.py", Config()).findings
            if not f.rule_id.startswith("B4") and f.rule_id != "B607"}  # B607: a program's PATH lookup


def check(source: str, vulnerable: set[tuple[str, int]], safe: set[int]) -> None:
    """The twins' findings are reported; nothing is on the safe lines (bandit's neither)."""
    found = reported(source)
    assert vulnerable <= found
    assert not {line for _, line in found} & safe


# Werkzeug's MultiDict.getlist(key, type=int) keeps the values the converter accepted, as
# `get(key, type=int)` returns the converted value: numbers, whatever the query string held.
GETLIST = '''\
import sqlite3

from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


@app.route("/items")
def items():
    ids = request.args.getlist("id", type=int)
    db.execute("SELECT * FROM t WHERE id IN (%s)" % ",".join(str(i) for i in ids))
    return "ok"


@app.route("/items-text")
def items_text():
    ids = request.args.getlist("id")
    db.execute("SELECT * FROM t WHERE id IN (%s)" % ",".join(ids))
    return "ok"
'''


def test_getlist_with_an_integer_type_holds_numbers():
    check(GETLIST, {("BST204", 19)}, {12})


# `ipaddress.ip_address(text)` raises unless the text is an address: digits, dots, colons and
# hex letters, nothing a shell or a query string breaks on; but the address is the host a
# request is sent to, the metadata service's `169.254.169.254` as much as any.
ADDRESS = '''\
import ipaddress
import os

import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    ip = ipaddress.ip_address(request.args["ip"])
    os.system(f"ping -c 1 {ip}")
    return "ok"


@app.route("/status")
def status():
    ip = ipaddress.ip_address(request.args["ip"])
    return requests.get(f"http://{ip}/status").text


@app.route("/ping-text")
def ping_text():
    ip = request.args["ip"]
    os.system(f"ping -c 1 {ip}")
    return "ok"
'''


def test_an_address_is_safe_in_a_command_but_still_names_the_host_fetched():
    check(ADDRESS, {("BST202", 26), ("BST213", 20)}, {13})


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


# A regular expression match's groups are text the pattern matched: `(\d+)-(\d+)` leaves
# digits whatever else the query held; `id=(.+)` leaves anything.
GROUPS = r"""
import os
import re
import sqlite3

from flask import Flask, abort, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


@app.route("/range")
def id_range():
    m = re.fullmatch(r"(\d+)-(\d+)", request.args["r"])
    if not m:
        abort(400)
    db.execute(f"SELECT * FROM t WHERE id BETWEEN {m.group(1)} AND {m.group(2)}")
    low, high = m.groups()
    os.system(f"seq {low} {high}")
    return "ok"


@app.route("/loose")
def loose():
    found = re.search(r"id=(.+)", request.args["r"])
    return str(db.execute(f"SELECT * FROM t WHERE id = {found[1]}").fetchall()) if found else "none"
"""


def test_a_match_group_holds_what_the_pattern_matched():
    check(GROUPS, {("BST204", 26)}, {17, 19})


# Werkzeug's `get(key, default=None, type=None)` takes the converter third, by position too.
POSITIONAL_TYPE = '''\
import sqlite3

from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


@app.route("/limit")
def limit():
    n = request.args.get("n", 0, int)
    db.execute(f"SELECT * FROM t LIMIT {n}")
    m = request.args.get("m", 0)
    db.execute(f"SELECT * FROM t LIMIT {m}")
    return "ok"
'''


def test_get_with_a_positional_converter_holds_its_result():
    check(POSITIONAL_TYPE, {("BST204", 14)}, {12})


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


# An Enum of the module as Werkzeug's converter: `Sort(text)` is one of its members or raises,
# and `get` then returns the default.
ENUM_TYPE = '''\
import sqlite3
from enum import Enum

from flask import Flask, request

app = Flask(__name__)
db = sqlite3.connect("app.db")


class Sort(str, Enum):
    NAME = "name"
    DATE = "date"


@app.route("/rows")
def rows():
    sort = request.args.get("sort", type=Sort)
    db.execute(f"SELECT * FROM t ORDER BY {sort.value}")
    db.execute(f"SELECT * FROM t ORDER BY {request.args.get('by', 'name', type=str)}")
    return "ok"
'''


def test_get_with_an_enum_converter_holds_a_member():
    check(ENUM_TYPE, {("BST204", 19)}, {18})
