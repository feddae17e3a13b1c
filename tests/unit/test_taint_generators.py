"""Taint analysis: a generator defined in a view and handed to a streamed response (closures.py).
Its call runs its body in place, as the response's iteration will, on the view's names: the
sinks inside it report, and the response holds what it yields. An `async def` generator is one
too (FastAPI's `StreamingResponse` iterates it)."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

FLASK = '''\
import html
import itertools
import os
from flask import Flask, Response, request, stream_with_context

app = Flask(__name__)


@app.route("/export")
def export():
BODY
'''

FASTAPI = '''\
import os
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()


@app.get("/download")
async def download(name: str):
BODY
'''


def rule_ids(template: str, body: str) -> list[str]:
    source = template.replace("BODY", body)
    return sorted(f.rule_id for f in ANALYZER.analyse_file(source, "case.py"))


@pytest.mark.parametrize("template, body, expected", [
    (FLASK, '''\
    def generate():
        yield open(request.args["f"]).read()
    return app.response_class(generate())''', ["BST201"]),
    # the generator's parameter; it yields the file's text, not the request's (no XSS)
    (FLASK, '''\
    def generate(path):
        with open(path) as f:
            yield from f
    return Response(stream_with_context(generate(request.args["f"])))''', ["BST201"]),
    (FLASK, '''\
    def generate():
        yield "<li>" + request.args["q"] + "</li>"
    return Response(generate(), mimetype="text/html")''', ["BST203"]),
    (FASTAPI, '''\
    def chunks():
        with open(name, "rb") as f:
            while data := f.read(65536):
                yield data
    return StreamingResponse(chunks())''', ["BST201"]),
    (FASTAPI, '''\
    async def chunks():
        yield open(name).read()
    return StreamingResponse(chunks())''', ["BST201"]),
])
def test_a_streamed_generator_runs_with_the_views_request_data(template, body, expected):
    assert rule_ids(template, body) == expected


@pytest.mark.parametrize("template, body", [
    (FLASK, '''\
    limit = int(request.args["n"])
    def generate():
        with open("/srv/report.csv") as f:
            yield from itertools.islice(f, limit)
    return app.response_class(generate())'''),
    (FLASK, '''\
    def generate():
        yield "<li>" + html.escape(request.args["q"]) + "</li>"
    return Response(generate(), mimetype="text/html")'''),
    (FASTAPI, '''\
    def chunks():
        with open(os.path.join("/srv/files", os.path.basename(name)), "rb") as f:
            yield from f
    return StreamingResponse(chunks())'''),
])
def test_a_streamed_generator_of_safe_data_is_not_reported(template, body):
    assert rule_ids(template, body) == []
