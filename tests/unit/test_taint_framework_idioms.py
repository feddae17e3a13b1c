"""Taint analysis: framework idioms from their documentation that an entry model must name, each
an application with its vulnerable lines marked and safe twins beside them (taint_marked.py):
FastAPI websocket and HEAD / OPTIONS routes, the form and serializer hooks of Django's and DRF's
generic views, and a DRF serializer's own `create` / `update` / `validate_<field>`."""

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


@pytest.mark.parametrize("app", [FASTAPI_ROUTES, DJANGO_FORM_HOOKS],
                         ids=["fastapi_routes", "django_form_hooks"])
def test_each_marked_line_reports_its_rule_and_no_other_line_reports(app):
    expected, found = marked_and_found(app)
    assert expected
    assert found == expected
