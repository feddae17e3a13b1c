"""Taint analysis: Flask-RESTful / Flask-RESTX resources, Django Channels consumers, Django Ninja
operations, Litestar handlers, gRPC servicers, Socket.IO and websockets handlers, and Django /
DRF hooks (`@action`, generic edit views, middleware), each an application written from the
framework's documented idioms with its vulnerable lines marked (tests/unit/taint_marked.py)."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import marked_and_found

RESTFUL = '''\
import os
import subprocess
from flask import Flask
from flask_restful import Api, Resource, reqparse

app = Flask(__name__)
api = Api(app)
parser = reqparse.RequestParser()
parser.add_argument("host")


class Ping(Resource):
    def get(self):
        args = parser.parse_args()
        return {"out": str(subprocess.check_output("ping -c1 " + args["host"], shell=True))}  # BST202


class File(Resource):
    def get(self, name):
        return {"data": open(os.path.join("/srv", name)).read()}  # BST201

    def delete(self, name):
        os.remove(os.path.join("/srv", os.path.basename(name)))
        return {}, 204


api.add_resource(Ping, "/ping")
api.add_resource(File, "/files/<name>")
'''

RESTX = '''\
import os
from flask import Flask
from flask_restx import Api, Namespace, Resource

app = Flask(__name__)
api = Api(app)
ns = Namespace("jobs")


@ns.route("/run")
class Run(Resource):
    def post(self):
        os.system(ns.payload["cmd"])  # BST202
        os.system("true")
        return {}
'''

CHANNELS = '''\
import json
import subprocess
from channels.generic.websocket import AsyncJsonWebsocketConsumer, WebsocketConsumer


class Shell(WebsocketConsumer):
    def receive(self, text_data=None, bytes_data=None):
        data = json.loads(text_data)
        subprocess.run(data["cmd"], shell=True)  # BST202
        subprocess.run(["echo", data["cmd"]])  # BST217


class Query(AsyncJsonWebsocketConsumer):
    async def receive_json(self, content, **kwargs):
        subprocess.run("grep " + content["q"] + " app.log", shell=True)  # BST202
'''

NINJA = '''\
import os
from django.db import connection
from ninja import NinjaAPI, Router, Schema

api = NinjaAPI()
router = Router()


class ItemIn(Schema):
    name: str
    qty: int


@api.get("/items/{item_id}")
def get_item(request, item_id: str, n: int = 0):
    connection.cursor().execute(f"SELECT * FROM items WHERE id = '{item_id}'")  # BST204
    connection.cursor().execute(f"SELECT * FROM items LIMIT {n}")


@router.post("/items")
def create(request, payload: ItemIn):
    os.system("echo " + payload.name)  # BST202
    os.system(f"echo {payload.qty}")
'''

LITESTAR = '''\
import os
import subprocess
from litestar import Litestar, Request, get, post
from litestar.response import File, Redirect


@get("/ping/{host:str}")
async def ping(host: str, count: int = 1) -> dict:
    subprocess.run("ping -c1 " + host, shell=True)  # BST202
    subprocess.run(f"seq {count}", shell=True)
    return {}


@get("/go")
async def go(next_url: str) -> Redirect:
    return Redirect(path=next_url)  # BST210


@get("/file")
async def file(request: Request) -> File:
    return File(path=os.path.join("/srv", request.query_params["f"]))  # BST201


@post("/cmd")
async def cmd(data: dict) -> dict:
    os.system(data["cmd"])  # BST202
    return {}


app = Litestar([ping, go, file, cmd])
'''

# Django and DRF hooks named by a decorator, a base of `django.views.generic.edit`, middleware
DJANGO_HOOKS = '''\
import os
import subprocess
from django.db import connection
from django.http import HttpResponse
from django.views.generic.edit import FormView
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response


class ReportSerializer(serializers.Serializer):
    title = serializers.CharField()
    pages = serializers.IntegerField()


class ReportViewSet(viewsets.ViewSet):
    @action(detail=True, methods=["post"])
    def render_pdf(self, request, pk=None):
        subprocess.run("wkhtmltopdf " + request.data["url"], shell=True)  # BST202
        return Response({})

    @action(detail=False)
    def search(self, request):
        s = ReportSerializer(data=request.query_params)
        s.is_valid(raise_exception=True)
        connection.cursor().execute("SELECT * FROM r WHERE t = '%s'" % s.validated_data["title"])  # BST204
        connection.cursor().execute("SELECT * FROM r LIMIT %d" % s.validated_data["pages"])
        return Response({})


class Upload(FormView):
    def form_valid(self, form):
        open(os.path.join("/srv", self.request.FILES["doc"].name), "wb")  # BST201
        return HttpResponse("ok")


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        connection.cursor().execute("INSERT INTO audit VALUES ('" + request.path + "')")  # BST204
        return self.get_response(request)
'''

GRPC = '''\
import os
import subprocess
import grpc
from app.proto import files_pb2, files_pb2_grpc


class FileService(files_pb2_grpc.FileServiceServicer):
    def Read(self, request, context):
        return files_pb2.Content(data=open(os.path.join("/srv", request.path)).read())  # BST201

    def Convert(self, request, context):
        subprocess.run(f"convert {request.src} {request.dst}", shell=True)  # BST202
        subprocess.run(["convert", request.src, request.dst])  # BST217
        return files_pb2.Empty()
'''

# Socket.IO events and a websockets handler (named `handler`, as a Lambda's may be: the module's
# import of websockets decides)
SOCKETS = '''\
import asyncio
import os
import subprocess
import socketio
import websockets
from flask import Flask
from flask_socketio import SocketIO

app = Flask(__name__)
sock = SocketIO(app)
sio = socketio.AsyncServer()


@sock.on("run")
def run(data):
    subprocess.run(data["cmd"], shell=True)  # BST202


@sio.event
async def read(sid, data):
    return open(os.path.join("/srv", data["path"])).read()  # BST201


async def handler(websocket):
    async for message in websocket:
        os.system("echo " + message)  # BST202
        os.system("echo hello")


async def main():
    async with websockets.serve(handler, "localhost", 8765):
        await asyncio.Future()
'''


@pytest.mark.parametrize("app", [RESTFUL, RESTX, CHANNELS, NINJA, LITESTAR, DJANGO_HOOKS, GRPC, SOCKETS],
                         ids=["restful", "restx", "channels", "ninja", "litestar", "django_hooks",
                              "grpc", "sockets"])
def test_each_marked_line_reports_its_rule_and_no_other_line_reports(app):
    expected, found = marked_and_found(app)
    assert expected
    assert found == expected
