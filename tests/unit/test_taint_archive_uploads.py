"""Bandit's tar extraction pattern (B202) judged by the taint analysis at the `extractall`
call itself: an archive the request sent (`tarfile.open(fileobj=upload.stream)`) or named
(`tarfile.open(path)`, `path` of the upload's filename) is a taint finding there, which replaces
it; an upload saved at a sanitized name still holds the members its sender chose, so B202
stays (never retracted); with `filter="data"` bandit reports nothing. Through the editor's
engine, which runs both."""

from bastion.config import Config
from bastion.engine.registry import create_engine

APP = '''import os
import tarfile

from flask import Flask, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOADS = "/srv/uploads"


@app.route("/raw", methods=["POST"])
def raw():
    upload = request.files["archive"]
    path = os.path.join(UPLOADS, upload.filename)
    upload.save(path)
    tarfile.open(path).extractall("/srv/data")
    return "ok"


@app.route("/saved", methods=["POST"])
def saved():
    upload = request.files["archive"]
    path = os.path.join(UPLOADS, secure_filename(upload.filename))
    upload.save(path)
    with tarfile.open(path) as tar:
        tar.extractall("/srv/data")
    return "ok"


@app.route("/filtered", methods=["POST"])
def filtered():
    saved_at = os.path.join(UPLOADS, "latest.tar")
    request.files["archive"].save(saved_at)
    with tarfile.open(saved_at) as tar:
        tar.extractall("/srv/data", filter="data")
    return "ok"


@app.route("/stream", methods=["POST"])
def stream():
    with tarfile.open(fileobj=request.files["archive"].stream) as tar:
        tar.extractall("/srv/data")
    return "ok"
'''


def test_tar_extraction_pattern_is_replaced_by_the_flow_that_reaches_it(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(APP, encoding="utf-8")
    findings = create_engine().analyse(APP, str(path), Config()).findings
    found = {(f.line + 1, f.rule_id) for f in findings if f.rule_id in ("B202", "BST201")}
    assert found == {(15, "BST201"), (16, "BST201"),  # the upload's name saved to, then opened
                     (26, "B202"),  # saved at a sanitized name: its members are the sender's
                     (42, "BST201")}  # the request's archive extracted: B202 replaced
