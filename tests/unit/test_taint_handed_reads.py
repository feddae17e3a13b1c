"""A helper of another module handed the request that reads it through a method the models also
take as a string or file method (`request.read()`, `request.readline()`, aiohttp's
`await request.read()`): its result is keyed by the method (handed_requests.MethodResult), so
at the call the request reads its source of that name, reported at high confidence as the view
reading it itself (issue 12); before, the helper returned the parameter whole and the request
object, data only by kind, gave nothing. Another argument handed to the same helper (a buffer of
request data) is its data as before, still high confidence. The twins do not report: a constant
buffer, the body converted to a number. Through `bastion check` and the editor's store; a line
that must report ends with its rule."""

from pathlib import Path

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, checked

HELPERS = '''def raw_body(request):
    return request.read()


def first_line(request):
    return request.readline().decode()


async def aio_body(request):
    data = await request.read()
    return data.decode()
'''

DJANGO = '''import io
import os

from django.http import HttpResponse

from helpers import first_line, raw_body


def run(request):
    os.system(raw_body(request).decode())  # BST202
    return HttpResponse("ran")


def line(request):
    os.system("echo " + first_line(request))  # BST202
    return HttpResponse("ran")


def buffered(request):
    os.system(first_line(io.BytesIO(request.GET["q"].encode())))  # BST202
    return HttpResponse("ran")


def constant(request):
    os.system(first_line(io.BytesIO(b"ls")))
    return HttpResponse("ran")


def counted(request):
    os.system("seq %d" % int(raw_body(request)))
    return HttpResponse("ran")
'''

AIOHTTP = '''import os

from aiohttp import web

from helpers import aio_body

routes = web.RouteTableDef()


@routes.post("/run")
async def run(request):
    os.system(await aio_body(request))  # BST202
    return web.Response(text="ran")


@routes.post("/count")
async def count(request):
    os.system("seq %d" % int(await aio_body(request)))
    return web.Response(text="ran")
'''


def test_a_request_read_by_a_helper_through_a_reading_method(tmp_path):
    apps = {"views.py": DJANGO, "aio.py": AIOHTTP, "helpers.py": HELPERS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
    found = checked(apps, tmp_path)
    assert {(Path(r["path"]).name, r["confidence"]) for r in found} == {
        ("views.py", "high"), ("aio.py", "high")}
