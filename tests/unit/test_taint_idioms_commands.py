"""Taint analysis: OS command idioms beyond `subprocess`, as the libraries' documentation shows
them, each vulnerable line marked (taint_marked.py) beside a safe twin: pexpect's `spawn` / `run`
/ `PopenSpawn` (a command line, or a program apart from its argument list), the shell pxssh logs
in to, a child or `replwrap` running a shell (not a password typed to `ssh`); argument vectors
with starred elements; FastAPI bodies that are lists or dicts of a model, the fields it
validates safe in each element; unsafe reflection, `getattr(module, name)()`."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.taint_marked import checked, editor_found, expected_checked, marked_and_found

CWE = {"BST202": 78, "BST206": 95, "BST217": 88}

# pexpect as its documentation drives it: a command line split into words, or the program
# and its arguments apart (an argument list, as `subprocess` judges one: the program is what
# must not be chosen).
PEXPECT = '''\
import pexpect
from flask import Flask, request
from pexpect import pxssh, replwrap
from pexpect.popen_spawn import PopenSpawn

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args["host"]
    child = pexpect.spawn("ping -c 1 " + host)  # BST202
    twin = pexpect.spawn("ping", ["-c", "1", host])  # BST217
    tool = pexpect.spawn(request.args["tool"], ["-v"])  # BST202
    child.expect(pexpect.EOF)
    twin.expect(pexpect.EOF)
    tool.expect(pexpect.EOF)
    return "done"


@app.route("/ls")
def listing():
    folder = request.args["dir"]
    out = pexpect.run(f"ls -l {folder}")  # BST202
    mine = pexpect.run("ls -l /srv/public")
    pexpect.run(command="du -sh " + folder)  # BST202
    pexpect.spawn(command="du", args=["-sh", folder])  # BST217
    return {"sizes": [len(out), len(mine)]}


@app.route("/lookup")
def lookup():
    name = request.args["name"]
    proc = PopenSpawn("nslookup " + name)  # BST202
    twin = PopenSpawn(["nslookup", name])  # BST217
    code = PopenSpawn(["sh", "-c", "nslookup " + name])  # BST202
    return {"done": [proc.pid, twin.pid, code.pid]}


@app.route("/remote")
def remote():
    s = pxssh.pxssh()
    s.login("build.example.com", "deploy", "secret")
    s.sendline("uptime")
    s.prompt()
    s.sendline("tail -n 50 " + request.args["log"])  # BST202
    s.prompt()
    s.logout()
    return "sent"


@app.route("/shell", methods=["POST"])
def shell():
    sh = pexpect.spawn("/bin/bash --norc")
    sh.sendline("cd /srv/app")
    sh.sendline("git checkout " + request.form["branch"])  # BST202
    sh.expect(r"\\$ ")
    login = pexpect.spawn("ssh deploy@build.example.com")
    login.expect("password:")
    login.sendline(request.form["password"])
    bash = replwrap.bash()
    bash.run_command("ls -l " + request.form["dir"])  # BST202
    bash.run_command("uptime")
    return "ok"
'''

# Starred elements of an argument vector: a constant prefix spliced in keeps the program known
# (`[*GIT, "log", ref]`), as does a constant program before them (`["git", *opts]`); after one of
# an unknown length, which element is the program is unknown, so request data anywhere is judged
# as the program could be.
STARRED = '''\
import subprocess

from flask import Flask, current_app, request

app = Flask(__name__)
GIT = ["git", "-C", "/srv/repo"]
SUDO = ("sudo", "-u", "www-data")


@app.route("/log")
def log():
    ref = request.args["ref"]
    out = subprocess.run([*GIT, "log", "--oneline", ref], capture_output=True, text=True)  # BST217
    subprocess.run([*SUDO, "ls", request.args["dir"]], check=True)  # BST217
    subprocess.run(["git", *request.args.getlist("opt")], check=True)  # BST217
    subprocess.run([*request.args.getlist("argv"), "--version"], check=True)  # BST202
    subprocess.run([*SUDO, request.args["tool"], "--help"], check=True)  # BST202
    subprocess.run([*SUDO, "sh", "-c", "ls " + ref], check=True)  # BST202
    subprocess.run(["bash", "-c", *request.args.getlist("script")], check=True)  # BST202
    subprocess.run([*current_app.config["RUNNER"], "ls", ref], check=True)  # BST202
    return {"log": len(out.stdout)}
'''

# FastAPI bodies that are collections of a model, as its "Bodies - Nested Models" page declares
# them: each element is request data, its `int` / `Literal` fields validated as a single body's.
FASTAPI_LISTS = '''\
import os
import subprocess
from typing import Annotated, Dict, List, Literal, Optional

from fastapi import Body, FastAPI
from pydantic import BaseModel

app = FastAPI()


class Image(BaseModel):
    name: str
    width: int
    fmt: Literal["png", "jpeg"]


@app.post("/images/")
async def create_images(images: list[Image]):
    for image in images:
        os.system(f"convert in.{image.fmt} -resize {image.width} out")
        os.system("convert " + image.name + " out.png")  # BST202
    return {"count": len(images)}


@app.post("/thumbs/")
async def thumbs(images: List[Image], sizes: Annotated[list[Image], Body()]):
    subprocess.run(f"mogrify -resize {images[0].width} *.png", shell=True)
    subprocess.run(f"mogrify -format {sizes[0].fmt} *.png", shell=True)
    subprocess.run(f"mogrify {sizes[-1].name}", shell=True)  # BST202
    return {}


@app.post("/named/")
async def named(images: Dict[str, Image], extra: Optional[dict[str, Image]] = None):
    for key, image in images.items():
        os.system(f"resize {image.width} {image.fmt}")
        os.system("mkdir " + key)  # BST202
    for image in (extra or {}).values():
        os.system("touch " + image.name)  # BST202
        os.system(f"touch {image.width}.{image.fmt}")
    os.system("touch " + images["cover"].fmt)
    return {}
'''

# Unsafe reflection: the function or method the request names, looked up with `getattr` and
# called; a constant name, an allow-list, a dict dispatch and a prefix the developer chose
# (`"do_" + action`, as `cmd.Cmd` dispatches) pick only what the developer meant.
REFLECTION = '''\
import os

from django.http import JsonResponse
from django.views import View

from . import tasks

ALLOWED = {"resize", "thumbnail"}
HANDLERS = {"resize": tasks.resize, "thumbnail": tasks.thumbnail}


class Jobs(View):
    def do_clean(self):
        return JsonResponse({"done": "clean"})

    def get(self, request):
        action = request.GET["action"]
        getattr(self, "do_" + action)()
        return getattr(self, action)()  # BST206


def run_task(request):
    name = request.POST["task"]
    getattr(tasks, name)(request.POST["path"])  # BST206
    getattr(tasks, "resize")(request.POST["path"])
    if name in ALLOWED:
        getattr(tasks, name)(request.POST["path"])
    HANDLERS[name](request.POST["path"])
    task = getattr(tasks, request.GET["next"], None)  # BST206
    if task is not None:
        task()
    return JsonResponse({"done": True})


def call_os(request):
    func = request.GET["f"]
    getattr(os, func)(request.GET["arg"])  # BST206
    row = tasks.latest()
    value = getattr(row, request.GET["column"], None)
    return JsonResponse({"value": str(value)})
'''

APPS = {"pexpect_app.py": PEXPECT, "starred_app.py": STARRED, "fastapi_lists.py": FASTAPI_LISTS,
        "reflection_views.py": REFLECTION}


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_analyzer_and_the_editor_report_exactly_the_marked_lines(name):
    expected, found = marked_and_found(APPS[name])
    assert expected and found == expected == editor_found(APPS[name], name)


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    found = {(Path(r["path"]).name, r["line"], r["rule_id"], r["cwe"]) for r in checked(APPS, tmp_path)}
    assert found == expected_checked(APPS, CWE)
