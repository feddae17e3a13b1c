"""Taint analysis: pydantic models validating request data in a view (rules/taint/pydantic.toml,
forms.py): a field typed `int` holds a number once `model_validate` or the constructor accepted
the data; a `str` field, and the model as a whole, keep the request's text."""

from __future__ import annotations

import pytest

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
