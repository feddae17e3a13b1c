"""Bandit's tar extraction pattern (B202) judged by the taint analysis at the `extractall`
call itself: an archive the request sent (`tarfile.open(fileobj=upload.stream)`) or named
(`tarfile.open(path)`, `path` of the upload's filename) is a taint finding there, which replaces
it; an upload saved at a sanitized or constant name still holds the members its sender chose
(the file at that name holds the request's bytes: `upload.save(path)`, a handle's `write`), so it
is the flow too; with `filter="data"` bandit reports nothing, and a file written from a constant,
or members checked to resolve inside the destination, is no flow (B202 stays: a link member
and a member written through it pass a test of resolved names, the link's target not yet
there); a loop that refuses links too (`member.issym()`, or files and directories only) follows
bandit's advice, and B202 is retracted. Through the editor's engine, which runs both."""

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


def found_in(source: str, tmp_path) -> set[tuple[int, str]]:
    path = tmp_path / "app.py"
    path.write_text(source, encoding="utf-8")
    findings = create_engine().analyse(source, str(path), Config()).findings
    return {(f.line + 1, f.rule_id) for f in findings if f.rule_id in ("B202", "BST201")}


def test_tar_extraction_pattern_is_replaced_by_the_flow_that_reaches_it(tmp_path):
    assert found_in(APP, tmp_path) == {
        (15, "BST201"), (16, "BST201"),  # the upload's name saved to, then opened
        (26, "BST201"),  # saved at a sanitized name: its members are the sender's
        (42, "BST201")}  # the request's archive extracted: B202 replaced


SAVED = APP + '''

@app.route("/temporary", methods=["POST"])
def temporary():
    import tempfile

    upload = request.files["archive"]
    with tempfile.NamedTemporaryFile(suffix=".tar.gz") as handle:
        handle.write(upload.read())
        handle.flush()
        tarfile.open(handle.name).extractall("/srv/data")
    return "ok"


@app.route("/body", methods=["PUT"])
def body():
    path = os.path.join(UPLOADS, "latest.tar")
    with open(path, "wb") as out:
        out.write(request.data)
    with tarfile.open(path) as tar:
        tar.extractall("/srv/data")
    return "ok"


@app.route("/constant", methods=["PUT"])
def constant():
    with open(os.path.join(UPLOADS, "empty.tar"), "wb") as out:
        out.write(b"")
    tarfile.open(os.path.join(UPLOADS, "empty.tar")).extractall("/srv/data")
    return "ok"


@app.route("/checked", methods=["POST"])
def checked():
    request.files["archive"].save("/srv/uploads/checked.tar")
    tar = tarfile.open("/srv/uploads/checked.tar")
    for member in tar:  # a TarFile iterates over its members
        target = os.path.realpath(os.path.join("/srv/data", member.name))
        if os.path.commonpath(["/srv/data", target]) != "/srv/data":
            return "bad", 400
    tar.extractall("/srv/data")
    return "ok"

'''


def extracted_in(source: str, function: str) -> int:
    """The line of the `extractall` call in `def function()`."""
    lines = source.splitlines()
    start = lines.index(f"def {function}():")
    return next(i for i in range(start, len(lines)) if ".extractall(" in lines[i]) + 1


def test_an_archive_opened_by_the_name_an_upload_was_saved_at_holds_the_senders_members(tmp_path):
    first = APP.count("\n") + 1
    assert {(line, rule) for line, rule in found_in(SAVED, tmp_path) if line > first} == {
        (extracted_in(SAVED, "temporary"), "BST201"),  # a named temporary file written with the upload
        (extracted_in(SAVED, "body"), "BST201"),  # a file opened by its name, written with the body
        (extracted_in(SAVED, "constant"), "B202"),  # written from a constant: bandit's pattern alone
        (extracted_in(SAVED, "checked"), "B202")}  # each member checked inside the destination: no flow


TYPED = SAVED + '''

@app.route("/typed", methods=["POST"])
def typed():
    with tarfile.open(fileobj=request.files["archive"].stream) as tar:
        for member in tar.getmembers():
            if not (member.isfile() or member.isdir()):
                return "bad", 400
            target = os.path.realpath(os.path.join("/srv/data", member.name))
            if not target.startswith("/srv/data" + os.sep):
                return "bad", 400
        tar.extractall("/srv/data")
    return "ok"
'''


def test_members_checked_for_their_names_and_types_retract_the_pattern(tmp_path):
    found = found_in(TYPED, tmp_path)
    assert not {f for f in found if f[0] == extracted_in(TYPED, "typed")}
    assert (extracted_in(TYPED, "checked"), "B202") in found  # names alone: a link passes
    # the same loop without its type test: names alone
    untyped = TYPED.replace("            if not (member.isfile() or member.isdir()):\n"
                            "                return \"bad\", 400\n", "")
    assert (extracted_in(untyped, "typed"), "B202") in found_in(untyped, tmp_path)
    # a type asked only to count members refuses no link
    counted = TYPED.replace("            if not (member.isfile() or member.isdir()):\n"
                            "                return \"bad\", 400\n",
                            "            if member.issym():\n"
                            "                links = True\n")
    assert (extracted_in(counted, "typed"), "B202") in found_in(counted, tmp_path)


# `codecs.open(path, "wb")` without an encoding is the builtin `open` (the codecs documentation):
# the file it opens holds what is written to it, as `open`'s does
CODECS = '''import codecs
import tarfile

from flask import Flask, request

app = Flask(__name__)


@app.route("/body", methods=["PUT"])
def body():
    with codecs.open("/srv/uploads/latest.tar", "wb") as out:
        out.write(request.data)
    with tarfile.open("/srv/uploads/latest.tar") as tar:
        tar.extractall("/srv/data")
    return "ok"
'''


def test_an_upload_written_through_codecs_open_holds_the_senders_members(tmp_path):
    assert found_in(CODECS, tmp_path) == {(extracted_in(CODECS, "body"), "BST201")}
    written = CODECS.replace("out.write(request.data)", 'out.write(b"")')
    assert found_in(written, tmp_path) == {(extracted_in(written, "body"), "B202")}


# Bottle's `abort(code, text)` raises its HTTPError (the Bottle documentation): a member check
# that aborts leaves the loop as one that returns or raises
BOTTLE = '''import os
import tarfile

from bottle import abort, post, request


@post("/archive")
def archive():
    request.files.get("archive").save("/srv/uploads/latest.tar", overwrite=True)
    with tarfile.open("/srv/uploads/latest.tar") as tar:
        for member in tar.getmembers():
            if not (member.isfile() or member.isdir()):
                abort(400, "links are refused")
            target = os.path.realpath(os.path.join("/srv/data", member.name))
            if not target.startswith("/srv/data" + os.sep):
                abort(400, "outside the destination")
        tar.extractall("/srv/data")
    return "ok"
'''


def test_members_refused_by_a_bottle_abort_retract_the_pattern(tmp_path):
    assert found_in(BOTTLE, tmp_path) == set()
    logged = BOTTLE.replace('abort(400, "outside the destination")', 'print("outside", member.name)')
    assert found_in(logged, tmp_path) == {(extracted_in(logged, "archive"), "B202")}  # a link passes
