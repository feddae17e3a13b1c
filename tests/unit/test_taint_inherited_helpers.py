"""A method of a base class called through the class, the instance passed by hand
(`Command.run(self, line)` in a subclass, `Command.run(Command(), line)` in a view), or through
`super()` where the base is another workspace module's: its summary binds the arguments after
the instance (calls.py, summaries.unbound_method), so a command line built from request data is
command injection (BST202) at the call, found through the base. A static method of a class
called on it binds its arguments from the first. In the same file and through another
workspace module, in a scan and in the editor's store; safe twins run a constant line."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

BASE = '''import subprocess


class Command:
    def run(self, line):
        return subprocess.check_output(line, shell=True, text=True)
'''

TOOLS = '''from .base import Command


class Backup(Command):
    def archive_explicit(self, path):
        return Command.run(self, "tar czf /tmp/backup.tgz " + path)

    def archive_super(self, path):
        return super().run("tar czf /tmp/backup.tgz " + path)

    def archive_all(self):
        return super().run("tar czf /tmp/backup.tgz /srv/data")
'''

VIEWS = '''from flask import Flask, request

from .base import Command
from .tools import Backup

app = Flask(__name__)


@app.route("/explicit")
def explicit():
    return {"out": Backup().archive_explicit(request.args["path"])}  # BST202


@app.route("/super")
def through_super():
    Backup().archive_all()
    return {"out": Backup().archive_super(request.args["path"])}  # BST202


@app.route("/direct")
def direct():
    listing = Command.run(Command(), "ls /srv/data")
    return {"out": Command.run(Command(), "ls " + request.args["dir"]), "all": listing}  # BST202
'''

SAME_FILE = '''import subprocess

from flask import Flask, request

app = Flask(__name__)


class Command:
    def run(self, line):
        return subprocess.check_output(line, shell=True, text=True)  # BST202

    @staticmethod
    def tidy(text):
        return text.strip()


class Backup(Command):
    def archive(self, path):
        return Command.run(self, "tar czf /tmp/backup.tgz " + path)


@app.route("/explicit")
def explicit():
    Command.run(Command(), "ls /srv/data")
    return {"out": Backup().archive(request.args["path"])}


@app.route("/tidy")
def tidy():
    return Command.tidy(request.args["q"])  # BST203
'''


def test_a_base_method_called_through_its_class_binds_the_arguments_after_the_instance(tmp_path):
    assert_marked(SAME_FILE)
    apps = {"ops/__init__.py": "", "ops/base.py": BASE, "ops/tools.py": TOOLS, "ops/web.py": VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
