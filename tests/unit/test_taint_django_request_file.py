"""Django's request is a file: "HttpRequest.read(), readline(), readlines(), __iter__(): methods
implementing a file-like interface for reading from an HttpRequest instance", its documentation
processing a big XML payload with `ET.iterparse(request)`. What a view reads from it so is the
body the client sent. Cases written from that page, each vulnerable case with its safe twin."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()
HEADER = "import base64\nimport json\nimport pickle\nfrom django.http import HttpResponse\n"


def reported(body: str) -> set[tuple[str, int]]:
    """(rule, line in `body`) of the taint findings."""
    offset = HEADER.count("\n")
    return {(f.rule_id, f.line - offset + 1) for f in ENGINE.analyse(HEADER + body, "views.py", Config()).findings
            if f.rule_id.startswith("BST")}


def test_a_line_iterated_from_the_request_is_request_data():
    # a newline-delimited upload read line by line
    body = ("def restore(request):\n"
            "    for line in request:\n"
            "        state = pickle.loads(base64.b64decode(line))\n"
            "    return HttpResponse('ok')\n")
    assert ("BST209", 3) in reported(body)
    twin = body.replace("pickle.loads(base64.b64decode(line))", "json.loads(line)")
    assert not reported(twin)


def test_a_line_iterated_from_a_class_based_view_request_is_request_data():
    body = ("from django.views import View\n"
            "class Restore(View):\n"
            "    def post(self, request):\n"
            "        for line in self.request:\n"
            "            request.session['last'] = line\n"
            "        return HttpResponse('ok')\n")
    assert ("BST208", 5) in reported(body)
    assert not reported(body.replace("request.session['last'] = line", "json.loads(line)"))
