"""A redirect made by hand on a response object: Werkzeug's `resp.location = url` (an attribute
store, `attribute_of`) on `make_response(...)`, `Response(...)` or `redirect(...)`'s result, its
`headers["Location"]` on the same results (Werkzeug's own `Response` and `redirect` too),
Django's `response["Location"] = url` (on a redirect response too), and the `response: Response`
parameter FastAPI injects (`response_annotations`), its `headers["Location"]` set from the query.
The twins do not report: a constant URL, `url_for`, a URL checked with
`url_has_allowed_host_and_scheme`, another attribute (`content_type`), another header, a constant
header. Through `bastion check`; a line that must report ends with its rule."""

from tests.unit.taint_marked import assert_checked_apps

FLASK = '''from django.utils.http import url_has_allowed_host_and_scheme
from flask import Flask, Response, make_response, redirect, request, url_for

app = Flask(__name__)


@app.route("/made")
def made():
    resp = make_response("moved", 302)
    resp.location = request.args["next"]  # BST210
    return resp


@app.route("/built")
def built():
    resp = Response("moved", status=302)
    resp.location = request.args.get("next")  # BST210
    return resp


@app.route("/redirected")
def redirected():
    resp = redirect("/home")
    resp.location = request.form["next"]  # BST210
    return resp


@app.route("/constant")
def constant():
    resp = make_response("moved", 302)
    resp.location = "/home"
    return resp


@app.route("/own")
def own():
    resp = make_response("moved", 302)
    resp.location = url_for("constant")
    return resp


@app.route("/checked")
def checked():
    target = request.args["next"]
    resp = make_response("moved", 302)
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.host}):
        resp.location = target
    return resp


@app.route("/typed")
def typed():
    resp = make_response("moved", 302)
    resp.content_type = request.args["type"]
    return resp
'''

FLASK_HEADERS = '''from django.utils.http import url_has_allowed_host_and_scheme
from flask import Flask, redirect, request, url_for
from werkzeug import Response as WerkzeugResponse
from werkzeug.utils import redirect as werkzeug_redirect

app = Flask(__name__)


@app.route("/redirected")
def redirected():
    resp = redirect("/home")
    resp.headers["Location"] = request.args["next"]  # BST210
    return resp


@app.route("/werkzeug")
def werkzeug():
    resp = werkzeug_redirect("/home")
    resp.headers["location"] = request.args.get("next", "/")  # BST210
    return resp


@app.route("/built")
def built():
    resp = WerkzeugResponse("moved", status=302)
    resp.headers["Location"] = request.form["next"]  # BST210
    return resp


@app.route("/constant")
def constant():
    resp = redirect("/home")
    resp.headers["Location"] = "/home"
    return resp


@app.route("/own")
def own():
    resp = redirect("/home")
    resp.headers["Location"] = url_for("constant")
    return resp


@app.route("/checked")
def checked():
    target = request.args["next"]
    resp = redirect("/home")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.host}):
        resp.headers["Location"] = target
    return resp


@app.route("/other")
def other():
    resp = redirect("/home")
    resp.headers["X-Next"] = request.args["next"]
    return resp
'''

DJANGO = '''from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def go(request):
    response = HttpResponse(status=302)
    response["Location"] = request.GET["next"]  # BST210
    return response


def moved(request):
    response = HttpResponseRedirect("/home")
    response["Location"] = request.GET["next"]  # BST210
    return response


def shortcut(request):
    response = redirect("/home")
    response["Location"] = request.GET.get("next")  # BST210
    return response


def home(request):
    response = redirect("/home")
    response["Location"] = "/home"
    return response


def checked(request):
    target = request.GET["next"]
    response = HttpResponse(status=302)
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        response["Location"] = target
    return response
'''

FASTAPI = '''from fastapi import FastAPI, Response
from starlette.responses import Response as StarletteResponse

app = FastAPI()


@app.get("/go")
def go(next_url: str, response: Response):
    response.headers["Location"] = next_url  # BST210
    response.status_code = 302
    return {}


@app.get("/away")
async def away(next_url: str, response: StarletteResponse):
    response.headers["location"] = next_url  # BST210
    response.status_code = 307
    return {}


@app.get("/home")
def home(next_url: str, response: Response):
    response.headers["Location"] = "/home"
    response.status_code = 302
    return {"next": next_url}
'''


def test_flask_response_location_attribute(tmp_path):
    assert_checked_apps({"app.py": FLASK}, tmp_path)


def test_flask_response_location_header_on_redirects(tmp_path):
    assert_checked_apps({"app.py": FLASK_HEADERS}, tmp_path)


def test_django_response_location_item(tmp_path):
    assert_checked_apps({"views.py": DJANGO}, tmp_path)


def test_fastapi_injected_response_location_header(tmp_path):
    assert_checked_apps({"main.py": FASTAPI}, tmp_path)
