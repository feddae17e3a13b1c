"""`Engine.document_closed`: the text analyzers let go of the last read they keep by path (the
deps analyzer's requirements lines, the secrets analyzer's read), for the closed path only; the
taint analyzer lets go of the last context's function nodes (context_reuse.py)."""

from __future__ import annotations

from bastion.engine.registry import create_engine
from bastion.filekinds import kind_of

REQUIREMENTS = "requests==2.0.0\nflask\n"


def _kept(engine, path: str) -> tuple[object, object]:
    deps = next(a for a in engine.text_analyzers if a.id == "deps")
    secrets = next(a for a in engine.text_analyzers if a.id == "secrets")
    lines = deps._lines._last.get(path) if deps._lines is not None else None
    return lines, secrets._reads._last.get((path, kind_of(path)))


def test_a_closed_documents_last_reads_go_and_the_others_stay(tmp_path):
    engine = create_engine()
    closed, other = str(tmp_path / "requirements.txt"), str(tmp_path / "dev-requirements.txt")
    for path, text in ((closed, REQUIREMENTS), (other, REQUIREMENTS + "six\n")):
        engine.analyse_raw(text, path, use_disk=False)  # another text: not served by the memo
    assert all(_kept(engine, closed)) and all(_kept(engine, other))
    engine.document_closed(closed)
    assert _kept(engine, closed) == (None, None)
    assert all(_kept(engine, other))


VIEW = '''from flask import Flask, request
import subprocess

app = Flask(__name__)


@app.route("/run")
def run():
    subprocess.call(request.args["cmd"], shell=True)


def helper(x):
    return x
'''


def _taint_kept(engine) -> tuple[object, object]:
    from bastion.analyzers.taint import context_reuse

    taint = next(a for a in engine.analyzers if a.id == "taint")
    kept = taint._calls.get(context_reuse._KEY)
    return (kept._last if kept is not None else None), taint._calls.get(context_reuse._BODY)


def test_a_closed_documents_function_nodes_go_from_the_taint_memo(tmp_path):
    engine = create_engine()
    path = str(tmp_path / "views.py")
    raw = engine.analyse_raw(VIEW, path, use_disk=False)
    assert any(f.rule_id.startswith("BST") for f in raw.findings)
    functions, body = _taint_kept(engine)
    assert functions and body is not None  # the functions and module body of the last context
    engine.document_closed(path)
    assert _taint_kept(engine) == (None, None)
