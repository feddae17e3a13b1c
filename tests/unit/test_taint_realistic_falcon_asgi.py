"""Taint analysis on a realistic Falcon ASGI app (`falcon.asgi.App`, async responders): a
psycopg store of another module, handed to a resource as Falcon's tutorial hands its image store
(`Reports(store)`, kept as `self.store`) or used as a global (a query formatted with request data,
one composed with `sql.SQL(...) + column`, beside a parameterized one and one composed with
`sql.Identifier`),
webhooks sent with urllib3, and tar archives uploaded as the request's body. An archive read
from a buffer of the body (`tarfile.open(fileobj=io.BytesIO(data))`) holds the sender's members,
though the buffer names no file; a temporary file's `name` is the path tempfile made, not what
was written to it. Each line `bastion check` must report ends with its rule (taint_marked.py);
every other line is a safe twin (escaped, a known webhook, a `data` filter, a path checked under
its root) and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

APPS = {
    'app.py': r'''import html
import io
import tarfile
import tempfile
from pathlib import Path

import falcon
import falcon.asgi
import urllib3

from reports import ReportStore

http = urllib3.PoolManager()
store = ReportStore("dbname=reports")
EXPORT_ROOT = Path("/srv/exports")
WEBHOOK_HOSTS = {"ci": "https://ci.example.com/hooks/build", "chat": "https://chat.example.com/hook"}


class Reports:
    def __init__(self, store):
        self.store = store

    async def on_get(self, req, resp):
        owner = req.get_param("owner", default="")
        resp.media = {"reports": await self.store.by_owner(owner)}  # BST204

    async def on_get_mine(self, req, resp):
        owner = req.get_param("owner", default="")
        resp.media = {"reports": await self.store.by_owner_safe(owner)}

    async def on_get_sorted(self, req, resp):
        column = req.get_param("sort", default="created")
        resp.media = {"reports": await self.store.sorted_by(column)}

    async def on_get_page(self, req, resp):
        title = req.get_param("title", default="")
        resp.content_type = falcon.MEDIA_HTML
        resp.text = "<h1>" + title + "</h1>"  # BST203

    async def on_get_page_escaped(self, req, resp):
        title = req.get_param("title", default="")
        resp.content_type = falcon.MEDIA_HTML
        resp.text = "<h1>" + html.escape(title) + "</h1>"


class Search:
    async def on_get(self, req, resp):
        owner = req.get_param("owner", default="")
        resp.media = {"reports": await store.by_owner(owner)}  # BST204

    async def on_get_sorted(self, req, resp):
        column = req.get_param("sort", default="created")
        resp.media = {"reports": await store.sorted_raw(column)}  # BST204


class Hooks:
    async def on_post(self, req, resp):
        payload = await req.get_media()
        r = http.request("POST", payload["callback"], body=b"done")  # BST213
        resp.media = {"status": r.status}

    async def on_post_known(self, req, resp):
        payload = await req.get_media()
        target = WEBHOOK_HOSTS.get(payload.get("service"), WEBHOOK_HOSTS["ci"])
        r = http.request("POST", target, body=b"done")
        resp.media = {"status": r.status}


class Imports:
    async def on_post(self, req, resp):
        data = await req.stream.read()
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            archive.extractall(EXPORT_ROOT)  # BST201
        resp.status = falcon.HTTP_201

    async def on_post_filtered(self, req, resp):
        data = await req.stream.read()
        with tempfile.NamedTemporaryFile(suffix=".tar.gz") as tmp:
            tmp.write(data)
            tmp.flush()
            with tarfile.open(tmp.name) as archive:
                archive.extractall(EXPORT_ROOT, filter="data")
        resp.status = falcon.HTTP_201


class Exports:
    async def on_get(self, req, resp, name):
        resp.stream = open(EXPORT_ROOT / name, "rb")  # BST201
        resp.content_type = falcon.MEDIA_TEXT

    async def on_get_checked(self, req, resp, name):
        path = (EXPORT_ROOT / name).resolve()
        if not path.is_relative_to(EXPORT_ROOT):
            raise falcon.HTTPNotFound()
        resp.stream = open(path, "rb")


app = falcon.asgi.App()
app.add_route("/reports", Reports(store))
app.add_route("/reports/mine", Reports(store), suffix="mine")
app.add_route("/reports/sorted", Reports(store), suffix="sorted")
app.add_route("/reports/page", Reports(store), suffix="page")
app.add_route("/reports/page/escaped", Reports(store), suffix="page_escaped")
app.add_route("/search", Search())
app.add_route("/search/sorted", Search(), suffix="sorted")
app.add_route("/hooks", Hooks())
app.add_route("/hooks/known", Hooks(), suffix="known")
app.add_route("/imports", Imports())
app.add_route("/imports/filtered", Imports(), suffix="filtered")
app.add_route("/exports/{name}", Exports())
app.add_route("/exports/checked/{name}", Exports(), suffix="checked")
''',
    'reports.py': r'''import psycopg
from psycopg import sql


class ReportStore:
    def __init__(self, dsn):
        self.dsn = dsn

    async def by_owner(self, owner):
        async with await psycopg.AsyncConnection.connect(self.dsn) as conn:
            cur = await conn.execute(f"SELECT id, title FROM reports WHERE owner = '{owner}'")
            return await cur.fetchall()

    async def by_owner_safe(self, owner):
        async with await psycopg.AsyncConnection.connect(self.dsn) as conn:
            cur = await conn.execute("SELECT id, title FROM reports WHERE owner = %s", (owner,))
            return await cur.fetchall()

    async def sorted_by(self, column):
        query = sql.SQL("SELECT id, title FROM reports ORDER BY {}").format(sql.Identifier(column))
        async with await psycopg.AsyncConnection.connect(self.dsn) as conn:
            cur = await conn.execute(query)
            return await cur.fetchall()

    async def sorted_raw(self, column):
        query = sql.SQL("SELECT id, title FROM reports ORDER BY " + column)
        async with await psycopg.AsyncConnection.connect(self.dsn) as conn:
            cur = await conn.execute(query)
            return await cur.fetchall()
''',
}

UPLOADS = '''import io
import tarfile
import tempfile

import falcon.asgi


class Imports:
    async def on_post(self, req, resp):
        data = await req.stream.read()
        archive = tarfile.open(fileobj=io.BytesIO(data))
        archive.extractall("/srv/imports")  # BST201

    async def on_post_saved(self, req, resp):
        data = await req.stream.read()
        with tempfile.NamedTemporaryFile(suffix=".tar") as tmp:
            tmp.write(data)
            tmp.flush()
            with tarfile.open(tmp.name) as archive:
                archive.extractall("/srv/imports", filter="data")


app = falcon.asgi.App()
app.add_route("/imports", Imports())
'''


def test_an_archive_read_from_a_buffer_of_the_body_is_the_senders():
    assert_marked(UPLOADS)


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_and_the_editors_store_report_the_marked_lines(tmp_path):
    assert_checked_and_stored(APPS, tmp_path, RULE_CWE)
