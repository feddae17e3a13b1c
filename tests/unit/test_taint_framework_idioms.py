"""Taint analysis: framework idioms from their documentation that an entry model must name, each
an application with its vulnerable lines marked and safe twins beside them (taint_marked.py):
FastAPI websocket and HEAD / OPTIONS routes, the form and serializer hooks of Django's and DRF's
generic views, a DRF serializer's own `create` / `update` / `validate_<field>`, Starlette's
WebSocketEndpoint, and the Lambda routers of Powertools and Chalice."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import marked_and_found

FASTAPI_ROUTES = '''\
import os
import shlex
from fastapi import APIRouter, FastAPI, WebSocket

app = FastAPI()
router = APIRouter()


@app.websocket("/ws")
async def console(websocket: WebSocket):
    await websocket.accept()
    cmd = await websocket.receive_text()
    os.system(cmd)  # BST202
    os.system("echo " + shlex.quote(cmd))


@router.websocket("/ws2")
async def console2(websocket: WebSocket, token: str):
    os.system("auth " + token)  # BST202


@app.head("/files/{name}")
def probe(name: str):
    return {"exists": os.path.exists("/srv/" + name)}  # BST201


@router.options("/files/{name}")
def allowed(name: str):
    return {"exists": os.path.exists("/srv/" + os.path.basename(name))}
'''

DJANGO_FORM_HOOKS = '''\
import shlex
import subprocess
from django.db import connection
from django.views.generic.edit import FormView
from rest_framework import generics, serializers


class PingView(FormView):
    def form_valid(self, form):
        subprocess.call("ping -c1 " + form.cleaned_data["host"], shell=True)  # BST202
        subprocess.call("ping -c1 " + shlex.quote(form.cleaned_data["host"]), shell=True)
        return super().form_valid(form)


class JobCreate(generics.CreateAPIView):
    def perform_create(self, serializer):
        subprocess.Popen(serializer.validated_data["command"], shell=True)  # BST202
        subprocess.Popen("run " + shlex.quote(serializer.validated_data["command"]), shell=True)
        serializer.save()

    def perform_update(self, serializer):
        connection.cursor().execute("UPDATE j SET n = '%s'" % serializer.validated_data["n"])  # BST204
        connection.cursor().execute("UPDATE j SET n = %s", [serializer.validated_data["n"]])


class NoteSerializer(serializers.Serializer):
    title = serializers.CharField()

    def create(self, validated_data):
        connection.cursor().execute("INSERT INTO n VALUES ('%s')" % validated_data["title"])  # BST204
        connection.cursor().execute("INSERT INTO n VALUES (%s)", [validated_data["title"]])
        return validated_data

    def update(self, instance, validated_data):
        connection.cursor().execute("UPDATE n SET t = '" + validated_data["title"] + "'")  # BST204
        return instance

    def validate_title(self, value):
        subprocess.run("check " + value, shell=True)  # BST202
        return value
'''


STARLETTE_WEBSOCKET = '''\
import os
import shlex
from starlette.endpoints import WebSocketEndpoint


class Console(WebSocketEndpoint):
    encoding = "text"

    async def on_receive(self, websocket, data):
        os.system(data)  # BST202
        os.system("echo " + shlex.quote(data))

    async def on_disconnect(self, websocket, close_code):
        os.system("echo closed")
'''

POWERTOOLS = '''\
import shlex
import sqlite3
import subprocess
import requests
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, APIGatewayRestResolver
from aws_lambda_powertools.event_handler.api_gateway import Router

app = APIGatewayRestResolver()
http = APIGatewayHttpResolver()
router = Router()


@app.get("/hosts/<host>")
def ping(host: str):
    subprocess.check_output("ping -c1 " + shlex.quote(host), shell=True)
    return {"out": subprocess.check_output("ping -c1 " + host, shell=True).decode()}  # BST202


@http.get("/fetch")
def fetch():
    url = http.current_event.get_query_string_value(name="url", default_value="")
    requests.get("https://api.example.com/s", params={"q": url}, timeout=3)
    return {"status": requests.get(url, timeout=3).status_code}  # BST213


@router.post("/notes")
def add():
    body = router.current_event.json_body
    sqlite3.connect("a.db").execute("INSERT INTO n VALUES (?)", (body["text"],))
    sqlite3.connect("a.db").execute("INSERT INTO n VALUES ('%s')" % body["text"])  # BST204
    return {}


def lambda_handler(event, context):
    return app.resolve(event, context)
'''

CHALICE = '''\
import ast
import os
from chalice import Blueprint, Chalice, Response

app = Chalice(app_name="files")
bp = Blueprint(__name__)
PAGES = {"home": "/", "docs": "/docs"}


@app.route("/files/{name}")
def get_file(name):
    open("/var/task/data/" + os.path.basename(name))
    with open("/var/task/data/" + name) as fh:  # BST201
        return {"text": fh.read()}


@bp.route("/calc", methods=["POST"])
def calc():
    body = bp.current_request.json_body
    ast.literal_eval(body["expr"])
    return {"v": eval(body["expr"])}  # BST206


@app.route("/go")
def go():
    to = app.current_request.query_params.get("to", "/")
    Response(body="", status_code=302, headers={"Location": PAGES.get(to, "/")})
    return Response(body="", status_code=302, headers={"Location": to})  # BST210
'''


@pytest.mark.parametrize("app", [FASTAPI_ROUTES, DJANGO_FORM_HOOKS, STARLETTE_WEBSOCKET, POWERTOOLS,
                                 CHALICE],
                         ids=["fastapi_routes", "django_form_hooks", "starlette_websocket",
                              "powertools", "chalice"])
def test_each_marked_line_reports_its_rule_and_no_other_line_reports(app):
    expected, found = marked_and_found(app)
    assert expected
    assert found == expected
