"""FastAPI's `Annotated` aliases written as Python 3.12's `type` statement (PEP 695, `type ItemId
= Annotated[int, Path(ge=1)]`) or as `TypeAliasType("ItemId", ...)`, which FastAPI unwraps since
0.128.2 (its PR 13920, "Add support for PEP695 TypeAliasType"): read as the `Annotated[...]`
written in place (taint/type_aliases.py), in the module and from another workspace module. Main
read neither: each parameter was the request's text (numbers and a dependency's `int` field
reported). A `type` statement also binds its name (bindings.py), so a second binding of it
leaves the alias unknown."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import sys

import pytest
from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

PEP_695 = pytest.mark.skipif(sys.version_info < (3, 12), reason="the `type` statement is Python 3.12's")

ROUTES = '''\
import os
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query

app = FastAPI()


def pagination(limit: int = 10, sort: str = "id") -> dict:
    return {"limit": limit, "sort": sort}


type PageDep = Annotated[dict, Depends(pagination)]
type ItemId = Annotated[int, Path(ge=1)]
type Name = Annotated[str, Query(max_length=20)]


@app.get("/items/{item_id}")
def read_item(item_id: ItemId, name: Name, page: PageDep):
    os.system("echo " + str(item_id))
    os.system("echo " + name)  # BST202
    os.system("head -n " + str(page["limit"]))
    os.system("sort -k " + page["sort"])  # BST202
'''

CALLED = ROUTES.replace("from typing import Annotated", "from typing import Annotated\n\nfrom typing_extensions import TypeAliasType") \
    .replace("type PageDep = Annotated[dict, Depends(pagination)]", 'PageDep = TypeAliasType("PageDep", Annotated[dict, Depends(pagination)])') \
    .replace("type ItemId = Annotated[int, Path(ge=1)]", 'ItemId = TypeAliasType("ItemId", Annotated[int, Path(ge=1)])') \
    .replace("type Name = Annotated[str, Query(max_length=20)]", 'Name = TypeAliasType("Name", Annotated[str, Query(max_length=20)])')

REBOUND = '''\
import os
from typing import Annotated

from fastapi import FastAPI, Path

app = FastAPI()

type ItemId = Annotated[int, Path(ge=1)]
ItemId = str


@app.get("/items/{item_id}")
def read_item(item_id: ItemId):
    os.system("echo " + item_id)  # BST202
'''

DEPS = '''\
from typing import Annotated

from fastapi import Depends, Path


def pagination(limit: int = 10, sort: str = "id") -> dict:
    return {"limit": limit, "sort": sort}


type PageDep = Annotated[dict, Depends(pagination)]
type ItemId = Annotated[int, Path(ge=1)]
'''

MAIN = '''\
import os

from fastapi import FastAPI

from .deps import ItemId, PageDep

app = FastAPI()


@app.get("/items/{item_id}")
def read_item(item_id: ItemId, page: PageDep):
    os.system("echo " + str(item_id))
    os.system("head -n " + str(page["limit"]))
    os.system("sort -k " + page["sort"])  # BST202
'''


@PEP_695
def test_a_type_statement_reads_as_written_in_place():
    assert_marked(ROUTES)


@PEP_695
def test_a_type_statement_bound_again_is_unknown():
    assert_marked(REBOUND)


@PEP_695
def test_a_type_statement_of_another_module(tmp_path):
    assert_checked_and_stored({"app/__init__.py": "", "app/deps.py": DEPS, "app/main.py": MAIN},
                              tmp_path, RULE_CWE)


def test_a_type_alias_type_reads_as_written_in_place():
    assert_marked(CALLED)
