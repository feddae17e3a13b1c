"""Taint analysis: pydantic models validating request data in a view (rules/taint/pydantic.toml,
forms.py): a field typed `int` holds a number once `model_validate` or the constructor accepted
the data, and a field declared with an anchored pattern is safe for the classes its characters
cannot break; a `str` field, and the model as a whole, keep the request's text."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

MODULE = '''\
import sqlite3
from flask import Flask, request
from pydantic import BaseModel

app = Flask(__name__)
db = sqlite3.connect("x.db")


class Page(BaseModel):
    limit: int = 10


class Search(Page):
    term: str


@app.post("/s")
def search():
    s = {BUILD}
    db.execute(f"SELECT * FROM t WHERE {COLUMN}")
    return "ok"
'''


def sql_findings(build: str, column: str) -> list[str]:
    source = MODULE.replace("{BUILD}", build).replace("{COLUMN}", column)
    return [f.rule_id for f in ANALYZER.analyse_file(source, "case.py") if f.rule_id == "BST204"]


@pytest.mark.parametrize("build", [
    "Search.model_validate(request.get_json())",
    "Search.model_validate_json(request.get_data())",
    "Search.parse_obj(request.get_json())",
    "Search(**request.get_json())",
])
def test_an_int_field_of_a_validated_model_is_clean_and_a_str_field_is_not(build):
    assert sql_findings(build, "a = {s.limit}") == []  # inherited from the base model
    assert sql_findings(build, "a = '{s.term}'") == ["BST204"]


@pytest.mark.parametrize("dump", ["model_dump", "dict"])
def test_a_validated_models_dict_keeps_each_field_as_it_was(dump):
    build = f"Search.model_validate(request.get_json()).{dump}()"
    assert sql_findings(build, "a = {s['limit']}") == []
    assert sql_findings(build, "a = '{s['term']}'") == ["BST204"]


def test_a_class_method_that_is_not_a_constructor_keeps_the_request_data():
    assert sql_findings("Search.model_construct(**request.get_json())", "a = {s.limit}") == ["BST204"]


PATTERNED = '''\
import os
from typing import Annotated

from flask import Flask, request
from pydantic import BaseModel, Field, constr

app = Flask(__name__)


class Base(BaseModel):
    user: str = Field(pattern=r"^[a-z_]+$")
    group: str = Field(pattern=r"^[a-z]+$")


class Job(Base):
    group: str
    host: Annotated[str, Field(pattern=r"^[a-z0-9.-]+$")]
    tag: constr(pattern=r"^[0-9]+$")
    loose: str = Field(pattern=r"[a-z]+")
    note: str = Field(max_length=20)


@app.post("/job")
def job():
    body = Job.model_validate(request.get_json())
    os.system("id " + body.user)
    os.system("ping -c 1 " + body.host)
    os.system("echo " + body.tag)
    os.system("id " + body.group)  # BST202
    os.system("echo " + body.loose)  # BST202
    os.system("echo " + body.note)  # BST202
    built = Job(**request.get_json())
    os.system("id " + built.user)
    os.system("echo " + built.note)  # BST202
    return "ok"
'''


def test_a_pattern_field_of_a_validated_model_is_safe_for_what_it_cannot_hold(tmp_path):
    # `name: str = Field(pattern=...)`, `Annotated[str, Field(pattern=...)]` and `constr(pattern=...)`
    # are matched before the view reads them (anchored: pydantic searches); a field a subclass
    # declares again without one is the request's text again
    assert_checked_apps({"jobs.py": PATTERNED}, tmp_path)
