"""FastAPI's `Annotated` aliases kept in another module of the app (issue 12): FastAPI's
"Bigger Applications" layout imports its dependencies from `.dependencies`, and the full-stack
template keeps `SessionDep`, `CurrentUser` and their kin in `api/deps.py`. A parameter annotated
with an alias imported from a workspace module (`from .deps import ItemId`, `from . import deps`
then `deps.ItemId`) is read as the alias's `Annotated[...]` written in its place, as one of its
own module is (test_taint_annotated_aliases.py): an `int` alias holds a number, a `Depends(...)`
alias what the dependency returns, also a dependency its module imports from a third one. Main
took each such parameter as the request's text: numbers, a service's constant and a
dependency's `int` field were reported, and a dependency's request data only by that accident.
`bastion check` and the editor's store agree, and the editor follows an edit of `deps.py`."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, marked_and_found

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore

AUTH = '''\
from fastapi import Header


def get_token(x_token: str = Header()) -> str:
    return x_token
'''

DEPS = '''\
from typing import Annotated

from fastapi import Cookie, Depends, Path, Query

from .auth import get_token


class Storage:
    root = "/var/lib/app"


def get_storage() -> Storage:
    return Storage()


async def common_parameters(q: str | None = None, skip: int = 0, limit: int = 100):
    return {"q": q, "skip": skip, "limit": limit}


def get_tracker(ads_id: str | None = Cookie(default=None)) -> str | None:
    return ads_id


StorageDep = Annotated[Storage, Depends(get_storage)]
CommonsDep = Annotated[dict, Depends(common_parameters)]
TrackerDep = Annotated[str | None, Depends(get_tracker)]
TokenDep = Annotated[str, Depends(get_token)]
ItemId = Annotated[int, Path(ge=1)]
Name = Annotated[str, Query(max_length=20)]
'''

MAIN = '''\
import os

from fastapi import FastAPI

from . import deps
from .deps import CommonsDep, ItemId, Name, StorageDep, TokenDep, TrackerDep

app = FastAPI()


@app.get("/items/{item_id}")
def read_item(item_id: ItemId, name: Name, storage: StorageDep):
    folder = os.path.join(storage.root, str(item_id))
    os.system("ls " + folder)
    os.system("echo " + name)  # BST202


@app.get("/items")
async def list_items(commons: CommonsDep, tracker: TrackerDep, token: TokenDep):
    os.system("grep " + commons["q"])  # BST202
    os.system("head -n " + str(commons["limit"]))
    os.system("track " + tracker)  # BST202
    os.system("login " + token)  # BST202


@app.get("/users/{user_id}")
def read_user(user_id: deps.ItemId, nick: deps.Name):
    os.system("id " + str(user_id))
    os.system("id " + nick)  # BST202
'''

APPS = {"app/__init__.py": "", "app/auth.py": AUTH, "app/deps.py": DEPS, "app/main.py": MAIN}


def test_an_imported_alias_reads_as_written_in_place(tmp_path):
    assert_checked_and_stored(APPS, tmp_path, RULE_CWE)


def test_without_the_workspace_the_alias_is_unknown():
    """The module alone (no store): what the alias stands for is not known, so each parameter
    is the request's, as before (no finding is lost for want of the other module)."""
    found = marked_and_found(MAIN)[1]
    assert {line for line, _ in found} >= {line for line, _ in marked_and_found(MAIN)[0]}


def test_the_editor_follows_an_edit_of_the_aliases_module(tmp_path):
    """The editor's store publishes the aliases with the module (its fingerprint holds them): an
    edit of `deps.py` making `ItemId` a `str` reports `item_id` once prepared again, and back."""
    for name, source in APPS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source, encoding="utf-8")
    analyzer = TaintAnalyzer()
    store = analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version, False)
    main, deps = str(tmp_path / "app" / "main.py"), tmp_path / "app" / "deps.py"
    echoed = MAIN.count("\n", 0, MAIN.index('os.system("ls " + folder)'))
    retyped = DEPS.replace("ItemId = Annotated[int, Path(ge=1)]", "ItemId = Annotated[str, Path()]")
    for text, reported in ((DEPS, False), (retyped, True), (DEPS, False)):
        deps.write_text(text, encoding="utf-8")
        store.changed(str(deps))
        store.prepare(MAIN, main)
        assert (echoed in {f.line for f in analyzer.analyse_file(MAIN, main)}) is reported
