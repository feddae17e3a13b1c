from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

# A `@property` of a class another module defines, read on an instance the view builds from
# request data: the read runs the getter, by its summary there (as for a class of the view's
# own module), so what it returns is what the view holds. `safe_path` keeps the last component
# of the name alone (os.path.basename); `label` returns a constant.
MODELS = '''import os


class Upload:
    def __init__(self, name):
        self.name = name

    @property
    def path(self):
        return os.path.join("/srv/uploads", self.name)

    @property
    def safe_path(self):
        return os.path.join("/srv/uploads", os.path.basename(self.name))

    @property
    def label(self):
        return "upload"
'''

VIEWS = '''from flask import Flask, request

from .models import Upload

app = Flask(__name__)


@app.route("/download")
def download():
    upload = Upload(request.args["name"])
    with open(upload.path, "rb") as fh:  # BST201
        return fh.read()


@app.route("/download-safe")
def download_safe():
    upload = Upload(request.args["name"])
    with open(upload.safe_path, "rb") as fh:
        return fh.read()


@app.route("/label")
def label():
    return open(Upload(request.args["name"]).label).read()
'''


def test_a_property_of_an_imported_class_gives_what_its_getter_returns(tmp_path):
    (tmp_path / "files").mkdir()
    apps = {"files/__init__.py": "", "files/models.py": MODELS, "files/views.py": VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
