"""Taint analysis through `bastion check`: what a query of a parsed document returns is what the
document held (ElementTree's `root.find("cmd").text`, `findall`, `findtext`, lxml's
`doc.xpath(...)`, as their documentation reads a document's values), so a document posted in
the request hands its text on through the query; a tainted query of a constant document is
reported as the XPath injection it is, and what it returns is the document's, not the query's
(marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

APP = '''\
import os
import xml.etree.ElementTree as ET

from defusedxml import ElementTree as DET
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
SETTINGS = "<settings><cmd>uptime</cmd></settings>"


@app.route("/posted", methods=["POST"])
def posted():
    root = ET.fromstring(request.data)
    os.system(root.find("cmd").text)  # BST202
    os.system(root.findall("cmd")[0].text)  # BST202
    os.system(DET.fromstring(request.data).find("cmd").text)  # BST202
    doc = etree.fromstring(request.data, parser=etree.XMLParser(resolve_entities=False))
    os.system(doc.xpath("//cmd/text()")[0])  # BST202
    os.system(doc.find("cmd").text)  # BST202
    return "ok"


@app.route("/queried")
def queried():
    root = ET.fromstring(SETTINGS)
    os.system(root.find(request.args["q"]).text)  # BST212
    os.system(root.find("cmd").text)
    doc = etree.fromstring(SETTINGS)
    os.system(doc.xpath(request.args["q"])[0])  # BST212
    return "ok"
'''


def test_a_posted_documents_entries_carry_the_request(tmp_path):
    assert_checked_apps({"documents.py": APP}, tmp_path)
