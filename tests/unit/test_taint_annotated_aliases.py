"""FastAPI's `Annotated` type aliases (issue 12, the documented `CommonsDep = Annotated[dict,
Depends(common_parameters)]`): a module-level alias of `Annotated[...]` annotating a route's
parameter is read as the `Annotated[...]` written in its place (taint/type_aliases.py): a
dependency's return value (and the dependency an entry, its own query parameters the client's),
a validated type (`ItemId = Annotated[int, Path(ge=1)]`), a service a dependency builds. Main
took each such parameter as the request's text: a number, a service's constant and a
dependency's `int` field were reported."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ROUTES = '''\
import os
from typing import Annotated, TypeAlias

from fastapi import Depends, FastAPI, Path, Query, Request

app = FastAPI()


class Settings:
    folder = "/srv"


def get_settings() -> Settings:
    return Settings()


def common_parameters(request: Request) -> dict:
    return {"q": request.query_params["q"]}


def pagination(limit: int = 10, sort: str = "id") -> dict:
    return {"limit": limit, "sort": sort}


SettingsDep = Annotated[Settings, Depends(get_settings)]
CommonsDep = Annotated[dict, Depends(common_parameters)]
PageDep: TypeAlias = Annotated[dict, Depends(pagination)]
ItemId = Annotated[int, Path(ge=1)]
Name = Annotated[str, Query(max_length=20)]


@app.get("/items/{item_id}")
def read_item(item_id: ItemId, name: Name, settings: SettingsDep):
    os.system("echo " + str(item_id))
    os.system("ls " + settings.folder)
    os.system("echo " + name)  # BST202


@app.get("/items")
def list_items(commons: CommonsDep, page: PageDep):
    os.system("grep " + commons["q"])  # BST202
    os.system("head -n " + str(page["limit"]))
    os.system("sort -k " + page["sort"])  # BST202
'''


def test_an_annotated_alias_reads_as_written_in_place():
    assert_marked(ROUTES)


def test_through_bastion_check(tmp_path):
    assert_checked_apps({"main.py": ROUTES}, tmp_path)


def test_editing_the_alias_changes_the_kept_routes():
    """The editor keeps each function's classification by its header's text: the alias's
    line is elsewhere, so the module's digest holds the aliases."""
    analyzer = TaintAnalyzer()
    echoed = ROUTES.index('os.system("echo " + str(item_id))')
    line = ROUTES.count("\n", 0, echoed)
    text = ROUTES.replace("ItemId = Annotated[int, Path(ge=1)]", "ItemId = Annotated[str, Path()]")
    for _ in range(2):
        assert line not in {f.line for f in analyzer.analyse_file(ROUTES, "main.py")}
        assert line in {f.line for f in analyzer.analyse_file(text, "main.py")}
