"""Taint analysis on realistic apps written from the libraries' documentation, round ten (issue
12, with test_taint_realistic_directory.py): a Django document importer. lxml parsers resolving
entities (an upload, the body), objectify's `makeparser`, XInclude on an upload (a template's
silent), an xml.sax parser and a pulldom stream with external entities switched on, beside
defusedxml and the default SAX parser; XPath built from the query string beside its `$variable`
twins, a compiled `etree.XPath`, ElementTree `find` / `iterfind` on a module-level document,
elementpath's `select`.

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent."""

# ruff: noqa: E501  (whole modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

IMPORTER = {
    'docs/importer/__init__.py': r'''''',
    'docs/importer/urls.py': r'''from django.urls import path

from . import views

urlpatterns = [
    path("import/lxml", views.import_lxml),
    path("import/upload", views.import_upload),
    path("setting/<str:key>", views.setting),
    path("search", views.CatalogSearch.as_view()),
]
''',
    'docs/importer/views.py': r'''import xml.dom.pulldom
import xml.etree.ElementTree as ET
import xml.sax
from xml.sax.handler import feature_external_ges

import defusedxml.ElementTree
import elementpath
from django.http import HttpResponse, JsonResponse
from django.views import View
from django.views.decorators.http import require_POST
from lxml import etree, objectify

CATALOG = etree.parse("catalog.xml")
SETTINGS = ET.parse("settings.xml").getroot()


class TitleHandler(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.titles = []

    def characters(self, content):
        self.titles.append(content)


@require_POST
def import_lxml(request):
    parser = etree.XMLParser(resolve_entities=True, no_network=False)
    doc = etree.fromstring(request.body, parser=parser)  # BST211
    return JsonResponse({"root": doc.tag})


@require_POST
def import_lxml_safe(request):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc = etree.fromstring(request.body, parser=parser)
    return JsonResponse({"root": doc.tag})


@require_POST
def import_upload(request):
    upload = request.FILES["document"]
    parser = etree.XMLParser(load_dtd=True, resolve_entities=True)
    tree = etree.parse(upload, parser)  # BST211
    return JsonResponse({"items": len(tree.getroot())})


@require_POST
def import_objects(request):
    parser = objectify.makeparser(resolve_entities=True, huge_tree=True)
    order = objectify.fromstring(request.body, parser)  # BST211
    safe = objectify.fromstring(request.body, objectify.makeparser(resolve_entities=False))
    return JsonResponse({"id": str(order.id), "n": len(safe)})


@require_POST
def import_with_includes(request):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.parse(request.FILES["document"], parser)
    tree.xinclude()  # BST211
    chapters = etree.parse("templates/book.xml", parser)
    chapters.xinclude()
    return JsonResponse({"items": len(tree.getroot()) + len(chapters.getroot())})


@require_POST
def import_defused(request):
    root = defusedxml.ElementTree.fromstring(request.body)
    return JsonResponse({"root": root.tag})


@require_POST
def import_sax(request):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    handler = TitleHandler()
    parser.setContentHandler(handler)
    parser.parse(request.FILES["feed"])  # BST211
    return JsonResponse({"titles": handler.titles})


@require_POST
def import_sax_default(request):
    handler = TitleHandler()
    xml.sax.parseString(request.body, handler)
    return JsonResponse({"titles": handler.titles})


@require_POST
def import_pulldom(request):
    sax = xml.sax.make_parser()
    sax.setFeature(feature_external_ges, True)
    events = xml.dom.pulldom.parseString(request.body.decode(), parser=sax)  # BST211
    return JsonResponse({"n": sum(1 for _ in events)})


def product(request):
    sku = request.GET.get("sku", "")
    names = CATALOG.xpath("//product[@sku='" + sku + "']/name/text()")  # BST212
    same = CATALOG.xpath("//product[@sku=$sku]/name/text()", sku=sku)
    return JsonResponse({"names": [str(n) for n in names + same]})


def product_compiled(request):
    find = etree.XPath("//product[@sku=$sku]/name/text()")
    found = find(CATALOG, sku=request.GET["sku"])
    query = etree.XPath("//product[name='%s']/@sku" % request.GET["name"])  # BST212
    return JsonResponse({"names": [str(n) for n in found], "skus": [str(s) for s in query(CATALOG)]})


def setting(request, key):
    node = SETTINGS.find(f"./setting[@key='{key}']")  # BST212
    fixed = SETTINGS.find("./setting[@key='theme']")
    for s in SETTINGS.iterfind("setting"):
        if s.get("key") == key:
            fixed = s
    return JsonResponse({"value": node.text if node is not None else fixed.text})


def select(request):
    path = request.GET["path"]
    rows = elementpath.select(SETTINGS, path)  # BST212
    chosen = elementpath.select(SETTINGS, "//setting[@key=$k]", variables={"k": path})
    return JsonResponse({"n": len(rows) + len(chosen)})


class CatalogSearch(View):
    def get(self, request):
        author = request.GET["author"]
        found = CATALOG.getroot().xpath("//book[author=\"{}\"]/title".format(author))  # BST212
        return HttpResponse("<ul>" + "".join(f"<li>{t.text}</li>" for t in found) + "</ul>")
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
@pytest.mark.parametrize("apps", [IMPORTER], ids=["importer"])
def test_check_reports_the_marked_lines_with_their_cwe(apps, tmp_path):
    assert_checked_apps(apps, tmp_path)
