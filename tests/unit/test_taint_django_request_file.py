"""Django's request is a file: "HttpRequest.read(), readline(), readlines(), __iter__(): methods
implementing a file-like interface for reading from an HttpRequest instance", its documentation
processing a big XML payload with `ET.iterparse(request)`. What a view reads from it so is the
body the client sent. Cases written from that page, each vulnerable case with its safe twin."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

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


# (rule, the line of a view that hands the request whole to a sink, or to a reader whose result
# reaches one, the view, the twin's change making it safe)
WHOLE = [
    ("BST209", 2, "def restore(request):\n    state = pickle.load(request)\n    return HttpResponse('ok')\n",
     ("pickle.load(request)", "json.load(request)")),
    # a SAX parser told to fetch external general entities, given the request as its stream
    ("BST211", 4, "def upload(request):\n    parser = xml.sax.make_parser()\n"
                  "    parser.setFeature(feature_external_ges, True)\n    parser.parse(request)\n"
                  "    return HttpResponse('ok')\nimport xml.sax\nfrom xml.sax.handler import feature_external_ges\n",
     ("    parser.setFeature(feature_external_ges, True)\n", "")),
    # readers of files (propagators.toml's `reads_file`); the twins give them a file of the server's
    ("BST202", 3, "def hook(request):\n    payload = json.load(request)\n"
                  "    subprocess.run('notify ' + payload['repo'], shell=True)\n    return HttpResponse('ok')\n"
                  "import subprocess\n",
     ("json.load(request)", "json.load(open('/etc/hooks.json'))")),
    ("BST201", 3, "def conf(request):\n    cfg = yaml.safe_load(request)\n    with open(cfg['path']) as f:\n"
                  "        return HttpResponse(f.read(), content_type='text/plain')\nimport yaml\n",
     ("yaml.safe_load(request)", "yaml.safe_load(open('conf.yml'))")),
    # an uploaded CSV read from the body line by line
    ("BST204", 5, "def imp(request):\n    rows = csv.reader(codecs.iterdecode(request, 'utf-8'))\n"
                  "    with connection.cursor() as cur:\n        for row in rows:\n"
                  "            cur.execute(\"INSERT INTO t VALUES ('%s')\" % row[0])\n    return HttpResponse('ok')\n"
                  "import codecs, csv\nfrom django.db import connection\n",
     ("codecs.iterdecode(request, 'utf-8')", "codecs.iterdecode(open('seed.csv', 'rb'), 'utf-8')")),
]


@pytest.mark.parametrize(("rule", "line", "body", "twin"), WHOLE, ids=[w[0] for w in WHOLE])
def test_the_request_handed_whole_to_a_reader_of_a_document_is_its_body(rule, line, body, twin):
    assert (rule, line) in reported(body)
    assert not reported(body.replace(*twin))


def test_bastion_check_reads_the_request_handed_to_a_reader_of_files(tmp_path):
    view = HEADER + "import subprocess\n" + WHOLE[2][2].split("import subprocess")[0].replace(
        "shell=True)", "shell=True)  # BST202")
    assert_checked_apps({"views.py": view}, tmp_path)
