"""A guard on a field of `self` narrows it (issue 12): in a method, `if not self.name.isalnum():
return` (or `raise`, or `abort(400)`) makes the next `open(os.path.join(BASE, self.name))` /
`os.system("touch " + self.name)` safe, as the same guard on a local does. The twins still
report: the guard on another field, the use before the guard, and a use after something that
may change `self` since the guard (a method called on `self`, `self` handed to a function, the
field stored again). Run through `bastion check` on a Flask app; a line that must report ends
with its rule."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

APPS = {
    "jobs.py": '''import os
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
BASE = "/srv/files"


def rename(job):
    job.name = request.args.get("rename", "")


class Job:
    def __init__(self, name, owner):
        self.name = name
        self.owner = owner

    def refresh(self):
        setattr(self, "name", request.headers.get("X-Name", ""))

    def read(self):
        if not self.name.isalnum():
            return None
        with open(os.path.join(BASE, self.name)) as f:
            return f.read()

    def touch(self):
        if not self.name.isalnum():
            raise ValueError("bad name")
        os.system("touch " + self.name)

    def listing(self):
        if not self.name.isalnum():
            abort(400)
        return subprocess.check_output("ls " + self.name, shell=True)

    def by_owner(self):
        if not self.owner.isalnum():
            return None
        return subprocess.check_output("ls " + self.name, shell=True)  # BST202

    def early(self):
        os.system("touch " + self.name)  # BST202
        if not self.name.isalnum():
            return
        os.system("rm " + self.name)

    def refreshed(self):
        if not self.name.isalnum():
            return
        self.refresh()
        os.system("touch " + self.name)  # BST202

    def handed(self):
        if not self.name.isalnum():
            return
        rename(self)
        os.system("touch " + self.name)  # BST202

    def stored(self):
        if self.name.isalnum():
            self.name = request.form["name"]
        return open(os.path.join(BASE, self.name))  # BST201


@app.route("/jobs")
def jobs():
    job = Job(request.args["name"], request.args["owner"])
    job.touch()
    job.early()
    job.refreshed()
    job.handed()
    return [job.read(), job.listing(), job.by_owner(), job.stored().read()]
''',
}

# One level deeper: `self.form.name`, of a field `self.form` the method did not store.
NESTED = {
    "exports.py": '''import os
import shutil

from flask import Flask, request

app = Flask(__name__)
EXPORTS = "/srv/exports"


class Export:
    def __init__(self, form, owner=None):
        self.form, self.owner = form, owner

    def reload(self):
        self.form = request.values

    def path(self):
        if not self.form.name.isalnum():
            return None
        return os.path.join(EXPORTS, self.form.name)

    def by_title(self):
        if not self.form.title.isalnum():
            return None
        return os.path.join(EXPORTS, self.form.name)

    def remove(self):
        if not self.form.name.isalnum():
            return
        self.reload()
        shutil.rmtree(os.path.join(EXPORTS, self.form.name))  # BST201

    def replaced(self):
        if self.form.name.isalnum():
            self.form = request.form
        shutil.rmtree(os.path.join(EXPORTS, self.form.name))  # BST201


@app.route("/exports", methods=["DELETE"])
def exports():
    export = Export(request.args)
    shutil.rmtree(export.path())
    shutil.rmtree(export.by_title())  # BST201
    export.remove()
    export.replaced()
    return "", 204
''',
}


def test_a_guard_on_a_field_of_self_narrows_it_until_self_may_change(tmp_path):
    assert_checked_apps(APPS, tmp_path)


def test_a_guard_one_level_below_a_field_narrows_it_too(tmp_path):
    assert_checked_apps(NESTED, tmp_path)
