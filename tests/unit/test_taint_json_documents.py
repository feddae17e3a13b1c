"""A JSON document read by key: `json.loads(request.body)["name"]` is the sender's text, while a
document the view made itself with `json.dumps` of a dict of known keys (a job or a message
serialized, then parsed back, as the json module's documentation round-trips
`json.loads(json.dumps(obj))`) gives each key what was put there: the constant under `name`,
the request's text under `q` (taint/propagated.py), bound to a name before it is parsed back too
(`doc = json.dumps({...}); data = json.loads(doc)`) while the name holds that text; returned as a
page the document is still an HTML body."""

from __future__ import annotations

from pathlib import Path

from tests.unit.taint_marked import assert_checked_apps, assert_marked, editor_found, marked_and_found

DJANGO = '''\
import json
import subprocess

from django.http import HttpResponse


def hello(request):
    data = json.loads(request.body)
    name = data["name"]
    return HttpResponse("<p>Hello " + name + "</p>")  # BST203


def run(request):
    doc = json.loads(json.dumps({"name": "uptime", "q": request.GET["q"]}))
    subprocess.run(doc["name"], shell=True)
    subprocess.run(doc["q"], shell=True)  # BST202
    subprocess.run(json.loads(json.dumps({"name": "uptime", "q": request.GET["q"]}))["name"], shell=True)
    return HttpResponse("ok")


def queued(request):
    job = json.loads(json.dumps({"cmd": "uptime", "who": request.GET.get("who")}))
    subprocess.run(job.get("cmd"), shell=True)
    subprocess.run("finger " + job.get("who"), shell=True)  # BST202
    blob = json.dumps({"cmd": "uptime", "who": request.GET.get("who")})
    subprocess.run("echo " + blob, shell=True)  # BST202
    subprocess.run(json.loads(blob)["cmd"], shell=True)
    subprocess.run(json.loads(blob)["who"], shell=True)  # BST202
    return HttpResponse(blob)  # BST203


def bound(request):
    doc = json.dumps({"q": request.GET["q"], "n": 1, "cmd": "uptime"})
    data = json.loads(doc)
    subprocess.run(data["cmd"], shell=True)
    subprocess.run("grep " + data["q"], shell=True)  # BST202
    return HttpResponse(str(data["n"]))


def rebound(request):
    doc = json.dumps({"cmd": "uptime", "q": request.GET["q"]})
    if request.GET.get("raw"):
        doc = request.body
    data = json.loads(doc)
    subprocess.run(data["cmd"], shell=True)  # BST202
    return HttpResponse("ok")


def unknown_key(request):
    job = json.loads(json.dumps({"cmd": "uptime", "who": request.GET["who"]}))
    subprocess.run(job[request.GET["k"]], shell=True)  # BST202
    return HttpResponse("ok")
'''


def test_a_document_made_of_known_keys_gives_each_key_what_was_put_there():
    assert_marked(DJANGO)


def test_the_editor_and_bastion_check_agree(tmp_path: Path):
    assert editor_found(DJANGO, "views.py") == marked_and_found(DJANGO)[0]
    assert_checked_apps({"views.py": DJANGO}, tmp_path)
