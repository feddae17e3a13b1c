"""Taint analysis: the responses the serverless routers build, as Chalice's and Powertools for AWS
Lambda's documentation show them (`Response(body=..., headers={"Content-Type": "text/html"})`,
`Response(status_code=200, content_type=content_types.TEXT_HTML, body=...)`): the body is markup
only when the response declares an HTML type (Chalice sends JSON, Powertools what it is told),
and a `Location` header redirects. Each vulnerable line is marked beside its safe twin (escaped,
declared plain text or JSON, a constant target)."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import marked_and_found

CHALICE = '''\
import html
from chalice import Chalice, Response

app = Chalice(app_name="hello")


@app.route("/hello")
def hello():
    name = app.current_request.query_params.get("name", "")
    Response(body="<h1>" + html.escape(name) + "</h1>", headers={"Content-Type": "text/html"})
    Response(body="<h1>" + name + "</h1>", headers={"Content-Type": "text/plain"})
    Response(body={"name": name})
    return Response(body="<h1>" + name + "</h1>", status_code=200,  # BST203
                    headers={"Content-Type": "text/html"})
'''

POWERTOOLS = '''\
import html
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types

app = APIGatewayRestResolver()


@app.get("/hello")
def hello():
    name = app.current_event.get_query_string_value(name="name", default_value="")
    Response(status_code=200, content_type=content_types.TEXT_HTML, body=html.escape(name))
    Response(status_code=200, content_type=content_types.TEXT_PLAIN, body=f"<h1>{name}</h1>")
    Response(status_code=200, content_type="text/html", body=f"<h1>{name}</h1>")  # BST203
    return Response(status_code=200, content_type=content_types.TEXT_HTML, body=f"<h1>{name}</h1>")  # BST203


@app.get("/go")
def go():
    target = app.current_event.get_query_string_value(name="next", default_value="/")
    Response(status_code=302, headers={"Location": "/home"})
    Response(status_code=302, headers={"Location": f"/users/{target}"})
    return Response(status_code=302, headers={"Location": target})  # BST210


def lambda_handler(event, context):
    return app.resolve(event, context)
'''


@pytest.mark.parametrize("app", [CHALICE, POWERTOOLS], ids=["chalice", "powertools"])
def test_serverless_html_and_redirect_responses(app):
    expected, found = marked_and_found(app)
    assert expected
    assert found == expected
