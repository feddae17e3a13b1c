"""Taint analysis on realistic apps written from the frameworks' documentation, round eight: a
Django Ninja router (typed path and query parameters, a Schema body with int and Literal
fields, an UploadedFile, HttpResponse pages and redirects), Django Channels consumers (the
route's room name kept by `connect`, `receive` and `receive_json`, a command allow-list) and
python-socketio events (`@sio.event` with the WSGI environ, `@sio.on`, an AsyncNamespace).

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe twin or
plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'chat/__init__.py': r'''''',
    'chat/api.py': r'''import logging
import os
import subprocess
from typing import Literal

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from ninja import NinjaAPI, Router, Schema
from ninja.files import UploadedFile
from ninja import File

api = NinjaAPI()
router = Router()
log = logging.getLogger("chat.api")
MEDIA = "/srv/chat/media"


class RoomIn(Schema):
    name: str
    topic: str = ""
    capacity: int = 10
    visibility: Literal["public", "private"] = "public"


@router.get("/rooms/{room_id}")
def room(request, room_id: int):
    with connection.cursor() as cur:
        cur.execute(f"SELECT name FROM rooms WHERE id = {room_id}")
        return {"name": cur.fetchone()[0]}


@router.get("/rooms/by-slug/{slug}")
def room_by_slug(request, slug: str):
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM rooms WHERE slug = '%s'" % slug)  # BST204
        cur.execute("SELECT name FROM rooms WHERE slug = %s", [slug])
        return {"name": cur.fetchone()[0]}


@router.post("/rooms")
def create_room(request, payload: RoomIn):
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO rooms (name) VALUES ('{payload.name}')")  # BST204
        cur.execute(f"UPDATE quota SET rooms = rooms + {payload.capacity}")
        cur.execute(f"SELECT * FROM rooms WHERE visibility = '{payload.visibility}'")
    log.info("room %s created by %s", payload.name, request.user)  # BST207
    return {"ok": True}


@router.get("/search")
def search(request, q: str, page: int = 1):
    html = f"<h2>Results for {q}</h2><p>page {page}</p>"
    return HttpResponse(html)  # BST203


@router.get("/attachments/{name}")
def attachment(request, name: str):
    with open(os.path.join(MEDIA, name), "rb") as fh:  # BST201
        data = fh.read()
    with open(os.path.join(MEDIA, os.path.basename(name)), "rb") as fh:
        data += fh.read()
    return HttpResponse(data, content_type="application/octet-stream")


@router.post("/avatar")
def avatar(request, file: UploadedFile = File(...)):
    dest = os.path.join(MEDIA, file.name)
    with open(dest, "wb") as fh:  # BST201
        fh.write(file.read())
    subprocess.run(["convert", "--", os.path.join(MEDIA, os.path.basename(file.name)), "thumb.png"])
    return {"saved": os.path.basename(file.name)}


@router.get("/leave")
def leave(request, next: str = "/"):
    if next.startswith("/") and not next.startswith("//") and "\\" not in next:
        return redirect(next)
    return HttpResponseRedirect(next)  # BST210


api.add_router("/chat", router)
''',
    'chat/consumers.py': r'''import json
import logging
import subprocess

from channels.generic.websocket import AsyncJsonWebsocketConsumer, WebsocketConsumer
from django.db import connection

log = logging.getLogger("chat.consumers")
COMMANDS = {"uptime": ["uptime"], "who": ["who"]}


class RoomConsumer(WebsocketConsumer):
    def connect(self):
        self.room_name = self.scope["url_route"]["kwargs"]["room_name"]
        self.group = "chat_" + self.room_name
        self.accept()

    def receive(self, text_data=None, bytes_data=None):
        data = json.loads(text_data)
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO messages (room, body) VALUES ('{self.room_name}', %s)",  # BST204
                        [data["message"]])
            cur.execute("INSERT INTO messages (room, body) VALUES (%s, %s)",
                        [self.room_name, data["message"]])
        log.info("message in " + self.group)  # BST207
        self.send(text_data=json.dumps({"message": data["message"]}))


class AdminConsumer(AsyncJsonWebsocketConsumer):
    async def receive_json(self, content, **kwargs):
        command = content.get("command", "")
        if command in COMMANDS:
            out = subprocess.run(COMMANDS[command], capture_output=True, text=True).stdout
            await self.send_json({"out": out})
        subprocess.run("grep " + command + " /var/log/chat.log", shell=True)  # BST202
''',
    'chat/events.py': r'''import os
import pickle
import subprocess

import socketio
import yaml

sio = socketio.AsyncServer(async_mode="asgi")
app = socketio.ASGIApp(sio)
UPLOADS = "/srv/chat/uploads"


@sio.event
async def connect(sid, environ, auth):
    token = environ.get("HTTP_X_TOKEN", "")
    subprocess.run(f"audit --token {token}", shell=True)  # BST202


@sio.on("upload")
async def upload(sid, data):
    with open(os.path.join(UPLOADS, data["filename"]), "wb") as fh:  # BST201
        fh.write(data["content"])
    with open(os.path.join(UPLOADS, os.path.basename(data["filename"])), "wb") as fh:
        fh.write(data["content"])


@sio.on("restore")
async def restore(sid, blob):
    state = pickle.loads(blob)  # BST209
    settings = yaml.safe_load(blob)
    await sio.emit("restored", {"keys": len(state) + len(settings)}, to=sid)


class Lobby(socketio.AsyncNamespace):
    async def on_join(self, sid, data):
        room = data.get("room", "lobby")
        await self.enter_room(sid, room)
        code = data.get("expr", "0")
        await self.emit("result", {"value": eval(code)}, to=sid)  # BST206


sio.register_namespace(Lobby("/lobby"))
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
