"""Bandit's XML parse calls (B313-B319) judged by the document they parse (issue 12 item 4): a
constant document text holds no entity an attacker declared, so the finding is retracted; a
parse of a file at a constant path is kept (the file's contents are not constant); request data
parsed by a parser that fetches external entities is reported once, by BST211 with its path;
request data in an ElementTree, which no XXE rule follows, keeps bandit's finding. Cases written
from the xml.etree, xml.dom.minidom, xml.dom.pulldom and xml.sax documentation, each vulnerable
case with its safe twin. `bandit_exact` restores every finding."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()
EXACT = Config(bandit_exact=True)
HEADER = ("import xml.etree.ElementTree as ET\nimport xml.sax\nfrom xml.dom import minidom, pulldom\n"
          "from flask import Flask, request\napp = Flask(__name__)\n")


def reported(body: str, config: Config | None = None) -> set[tuple[str, int]]:
    """(rule, line in `body`) of the findings, bandit's import findings left out."""
    source = HEADER + body
    offset = HEADER.count("\n")
    return {(f.rule_id, f.line - offset + 1) for f in ENGINE.analyse(source, "case.py", config or Config()).findings
            if f.rule_id not in ("B405", "B406", "B408")}


# (rule, a body whose finding on line 2 is retracted, its twin where the finding stays)
RETRACTED = [
    ("B314", "def defaults():\n    return ET.fromstring('<defaults><page>10</page></defaults>')\n",
             "def defaults(text):\n    return ET.fromstring(text)\n"),
    # a module constant bound once is the document itself
    ("B318", "CONFIG = '<config><debug>false</debug></config>'\ndef config():\n    return minidom.parseString(CONFIG)\n",
             "CONFIG = '<config/>'\ndef config(extra):\n    return minidom.parseString(CONFIG + extra)\n"),
    ("B319", "def events():\n    return pulldom.parseString('<a><b/></a>')\n",
             "def events(received):\n    return pulldom.parseString(received.decode())\n"),
    ("B317", "def run(handler):\n    xml.sax.parseString(b'<a/>', handler)\n",
             "def run(handler, body):\n    xml.sax.parseString(body, handler)\n"),
]


@pytest.mark.parametrize(("rule", "safe", "kept"), RETRACTED, ids=[r[0] for r in RETRACTED])
def test_a_constant_document_text_retracts_the_parse_finding(rule, safe, kept):
    line = 3 if "CONFIG" in safe else 2
    assert (rule, line) not in reported(safe)
    assert (rule, line) in reported(safe, EXACT)
    assert (rule, line) in reported(kept)


def test_a_parse_of_a_file_at_a_constant_path_is_kept():
    # the path is the developer's; what the file holds may be anyone's
    for body in ("SCHEMA = 'schema.xml'\ndef load():\n    return ET.parse(SCHEMA)\n",
                 "def load():\n    return minidom.parse('/srv/app/upload.xml')\n",
                 "def load():\n    for event, node in ET.iterparse('feed.xml'):\n        pass\n"):
        found = reported(body)
        assert {rule for rule, _ in found} & {"B314", "B318"}, body


def test_request_data_into_an_entity_fetching_parser_is_reported_once_by_bst211():
    vulnerable = ("@app.route('/up', methods=['POST'])\ndef up():\n    parser = xml.sax.make_parser()\n"
                  "    parser.setFeature(xml.sax.handler.feature_external_ges, True)\n"
                  "    return minidom.parseString(request.data, parser=parser).toxml()\n")
    found = reported(vulnerable)
    assert ("BST211", 5) in found and ("B318", 5) not in found
    assert ("B318", 5) in reported(vulnerable, EXACT)
    # the twin: the default parser (external entities off): no XXE flow, bandit's finding stays
    safe = vulnerable.replace("    parser.setFeature(xml.sax.handler.feature_external_ges, True)\n", "    pass\n")
    found = reported(safe)
    assert ("BST211", 5) not in found and ("B318", 5) in found


def test_request_data_in_an_elementtree_keeps_the_finding():
    # no XXE rule follows ElementTree (it fetches no external entity): bandit's finding stays
    found = reported("@app.route('/up', methods=['POST'])\ndef up():\n    return ET.fromstring(request.data).tag\n")
    assert ("B314", 3) in found


@pytest.mark.parametrize("fetch", ["requests.get(FEED).text", "httpx.get(FEED).content",
                                   "requests.get(FEED, timeout=5).content.decode()"])
def test_a_downloaded_document_keeps_the_finding(fetch):
    # `requests.get` is a module's function, not a mapping's `get` of the constant URL: what
    # the server sends is no text of the program's
    body = f"import httpx\nimport requests\nFEED = 'https://feeds.example.com/a.xml'\ndef feed():\n    return ET.fromstring({fetch})\n"
    assert ("B314", 5) in reported(body)
    assert ("B314", 5) not in reported(body.replace(fetch, "'<feed/>'"))
