"""aiohttp responses typed as a page where they are built, then filled (taint/media_types.py
`typed_html`): from aiohttp's documentation ("Web Server Advanced", streaming responses), a
`web.StreamResponse(headers={"Content-Type": "text/html"})` prepared and written to, and a
`web.Response(content_type="text/html")` or `web.Response(headers={hdrs.CONTENT_TYPE:
"text/html"})` whose `text` is set after (web_response.py: `headers` and `content_type` are
the constructor's). Without such a type a stream is sent as application/octet-stream and a
`Response` as text/plain; each vulnerable line has its twin typed as plain text."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

APP = '''from aiohttp import hdrs, web

routes = web.RouteTableDef()


@routes.get("/stream")
async def stream(request):
    name = request.query.get("name", "")
    resp = web.StreamResponse(headers={"Content-Type": "text/html"})
    await resp.prepare(request)
    await resp.write(f"<h1>{name}</h1>".encode())  # BST203
    return resp


@routes.get("/stream/plain")
async def stream_plain(request):
    name = request.query.get("name", "")
    resp = web.StreamResponse(headers={"Content-Type": "text/plain"})
    await resp.prepare(request)
    await resp.write(f"<h1>{name}</h1>".encode())
    return resp


@routes.get("/page")
async def page(request):
    resp = web.Response(content_type="text/html")
    resp.text = "<p>" + request.query.get("name", "") + "</p>"  # BST203
    return resp


@routes.get("/page/headers")
async def page_headers(request):
    resp = web.Response(headers={hdrs.CONTENT_TYPE: "text/html; charset=utf-8"})
    resp.text = "<p>" + request.query.get("name", "") + "</p>"  # BST203
    return resp


@routes.get("/page/plain")
async def page_plain(request):
    resp = web.Response(headers={hdrs.CONTENT_TYPE: "text/plain"})
    resp.text = "<p>" + request.query.get("name", "") + "</p>"
    return resp
'''


def test_a_response_typed_as_a_page_where_it_is_built(tmp_path):
    assert_checked_and_stored({"app.py": APP}, tmp_path, RULE_CWE)
