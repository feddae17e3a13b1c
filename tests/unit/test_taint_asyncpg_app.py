"""asyncpg reached through the application (issue 12): aiohttp's documentation keeps the pool in
`app["pool"]` and a handler takes a connection with `async with pool.acquire() as conn`; the
connection's type is not followed, so in a module that imports asyncpg its `fetch`, `fetchrow`
and `fetchval` are SQL sinks whatever the receiver. Each vulnerable handler has its twin that
passes the value as a `$1` parameter; `fetch` in a module without asyncpg (Tornado's HTTP
client) is no SQL sink."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

HANDLER = """import asyncpg
from aiohttp import web


async def init(app):
    app["pool"] = await asyncpg.create_pool(dsn="postgresql://localhost/shop")


async def users(request):
    name = request.query["name"]
{body}
"""

CASES = [
    ("fetch", '    pool = request.app["pool"]\n    async with pool.acquire() as conn:\n'
              '        rows = await conn.fetch({query})\n'
              '    return web.json_response([dict(r) for r in rows])'),
    ("fetchrow", '    async with request.app["pool"].acquire() as conn:\n'
                 '        row = await conn.fetchrow({query})\n    return web.json_response(dict(row))'),
    ("fetchval", '    n = await request.app["pool"].fetchval({query})\n    return web.json_response(n)'),
]
TAINTED = "f\"SELECT * FROM users WHERE name = '{name}'\""
BOUND = '"SELECT * FROM users WHERE name = $1", name'


def sql_lines(source: str) -> list[int]:
    return [f.line for f in TaintAnalyzer().analyse_file(source, "app.py") if f.rule_id == "BST204"]


@pytest.mark.parametrize("method, body", CASES, ids=[m for m, _ in CASES])
def test_a_query_built_from_the_request_on_an_app_connection(method, body):
    vulnerable = HANDLER.format(body=body.format(query=TAINTED))
    assert len(sql_lines(vulnerable)) == 1
    assert not sql_lines(HANDLER.format(body=body.format(query=BOUND)))


def test_fetch_without_asyncpg_is_not_sql():
    body = CASES[0][1].format(query=TAINTED)
    assert not sql_lines(HANDLER.format(body=body).replace("import asyncpg\n", ""))
