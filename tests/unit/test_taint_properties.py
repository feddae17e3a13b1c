"""Taint analysis: a `@property` of a class of the module, read on an instance of it or on
`self`, gives what its getter returns (the summary of `obj.user()`), as a Lambda handler's
event wrapper or a view's parameter object is written: `Event(event).user` carries the event,
a property returning a basename or a constant does not."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

APP = '''\
import json
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Event:
    def __init__(self, raw):
        self.raw = raw
        self.body = json.loads(raw.get("body") or "{}")

    @property
    def user(self):
        return (self.raw.get("pathParameters") or {}).get("user")

    @property
    def safe_user(self):
        return os.path.basename(self.user)

    @property
    def region(self):
        return "eu-west-1"

    def archive(self):
        subprocess.run("tar czf out.tgz " + self.user, shell=True)  # BST202
        subprocess.run("tar czf out.tgz " + self.region, shell=True)


def handler(event, context):
    ev = Event(event)
    with open(os.path.join("/tmp", ev.user)) as fh:  # BST201
        data = fh.read()
    with open(os.path.join("/tmp", ev.safe_user)) as fh:
        data += fh.read()
    with open(os.path.join("/tmp", ev.region)) as fh:
        data += fh.read()
    ev.archive()
    return {"statusCode": 200, "body": data}


class Query:
    def __init__(self, args):
        self.args = args

    @property
    def term(self):
        return self.args.get("q", "")

    @property
    def page(self):
        return int(self.args.get("page", "1"))


@app.get("/search")
def search():
    q = Query(request.args)
    os.system("grep -r " + q.term + " /srv/docs")  # BST202
    os.system("ls /srv/docs/%d" % q.page)
    return ""
'''


def test_a_property_gives_what_its_getter_returns():
    assert_marked(APP)


# A view that only reads properties of the object it builds calls no method of it: the getters
# are its callees all the same (the call graph counts them), so a property returning a constant
# or a quoted value is clean, one returning the request's value is not.
ONLY_READ = '''\
import shlex
import subprocess

from django.http import HttpResponse


class Backup:
    def __init__(self, host):
        self.host = host

    @property
    def tool(self):
        return "rsync -a"

    @property
    def target(self):
        return shlex.quote(self.host) + ":/srv/backup"

    @property
    def raw_target(self):
        return self.host + ":/srv/backup"


def backup(request):
    job = Backup(request.POST["host"])
    subprocess.run(job.tool + " /srv/data " + job.target, shell=True)
    subprocess.run(job.tool + " /srv/data " + job.raw_target, shell=True)  # BST202
    return HttpResponse("started")
'''


def test_a_property_only_read_runs_its_getter():
    assert_marked(ONLY_READ)


# A property with a setter of its name (Python's documented `@cmd.setter` idiom): the setter is
# a second definition of `Job.cmd`, yet a read runs the getter (rebound.named_apart keeps the
# getter's name; main read the setter's summary, no return, and lost the command injection).
SETTER = '''\
import os

from flask import Flask, request

app = Flask(__name__)


class Job:
    def __init__(self, cmd):
        self._cmd = cmd

    @property
    def cmd(self):
        return self._cmd

    @cmd.setter
    def cmd(self, value):
        self._cmd = value.strip()

    @cmd.deleter
    def cmd(self):
        self._cmd = ""


class Fixed:
    def __init__(self, *, requested, attempts=1):
        self._cmd, self.attempts = requested, attempts

    @property
    def cmd(self):
        return "uptime"

    @cmd.setter
    def cmd(self, value):
        self._cmd = value


@app.route("/run")
def run():
    os.system(Job(request.args["c"]).cmd)  # BST202
    job = Job(request.args["c"])
    os.system(job.cmd)  # BST202
    os.system(Fixed(requested=request.args["c"]).cmd)
    return "ok"
'''


def test_a_property_with_a_setter_gives_what_its_getter_returns(tmp_path):
    assert_checked_and_stored({"jobs/__init__.py": "", "jobs/views.py": SETTER}, tmp_path, RULE_CWE)
