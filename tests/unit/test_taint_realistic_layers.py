"""Taint analysis on realistic apps written from the frameworks' documentation and everyday idioms:
a Django project in layers (urls, views handing plain strings to a services module and a utils
module, a management command) and class-based views (JSON bodies, uploads, TemplateView context,
a response written to).
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'shopsite/catalog/__init__.py': r'''
''',
    'shopsite/catalog/management/__init__.py': r'''
''',
    'shopsite/catalog/management/commands/__init__.py': r'''
''',
    'shopsite/catalog/management/commands/import_feed.py': r'''import subprocess

import requests
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Import a supplier feed"

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--post-hook", default="")

    def handle(self, *args, **options):
        data = requests.get(options["url"], timeout=30).content
        if options["post_hook"]:
            subprocess.run(options["post_hook"], shell=True)  # BST202
        self.stdout.write(f"imported {len(data)} bytes")
''',
    'shopsite/catalog/models.py': r'''from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    category = models.CharField(max_length=50)
''',
    'shopsite/catalog/services.py': r'''"""Business logic, called by the views with request values."""
import logging

import requests
from defusedxml import ElementTree as SafeET
from lxml import etree

from .models import Product
from .utils import raw_count, raw_count_safe, run_convert, run_convert_safe

logger = logging.getLogger(__name__)


class CatalogService:
    def __init__(self, user):
        self.user = user

    def note(self, term):
        logger.info("search by %s: %s", self.user, term)

    def search(self, term, order="name"):
        return Product.objects.raw(
            "SELECT * FROM catalog_product WHERE name LIKE '%%" + term + "%%' ORDER BY " + order)

    def search_safe(self, term):
        return Product.objects.filter(name__icontains=term).order_by("name")

    def count_in(self, category):
        return raw_count("catalog_product", "category = '%s'" % category)

    def count_in_safe(self, category):
        return raw_count_safe(category)

    def import_xml(self, payload):
        root = etree.fromstring(payload, etree.XMLParser(resolve_entities=True))
        return [el.text for el in root.iter("sku")]

    def import_xml_safe(self, payload):
        return [el.text for el in SafeET.fromstring(payload).iter("sku")]


def fetch_supplier_feed(url, **opts):
    return requests.get(url, timeout=opts.get("timeout", 10)).content


def fetch_supplier_feed_safe(supplier):
    feeds = {"acme": "https://feeds.acme.example/catalog.xml"}
    return requests.get(feeds[supplier], timeout=10).content


def make_thumbnail(src, size="64x64"):
    return run_convert(src, size)


def make_thumbnail_safe(src, size="64x64"):
    return run_convert_safe(src, size)
''',
    'shopsite/catalog/urls.py': r'''from django.urls import path

from . import views

urlpatterns = [
    path("products/", views.product_list, name="products"),
    path("products/<slug:slug>/image/", views.product_image, name="image"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("lookup/", views.lookup, name="lookup"),
    path("go/", views.go, name="go"),
    path("import/", views.import_catalog, name="import"),
    path("thumb/", views.thumbnail, name="thumb"),
    path("notify/", views.notify, name="notify"),
]
''',
    'shopsite/catalog/utils.py': r'''"""Small helpers shared by the views: they take plain strings."""
import os
import subprocess

from django.conf import settings
from django.db import connection

MEDIA = settings.MEDIA_ROOT


def media_path(*parts):
    return os.path.join(MEDIA, *parts)


def read_media(name):
    with open(media_path("products", name), "rb") as fh:
        return fh.read()


def read_media_safe(name):
    full = os.path.realpath(media_path("products", name))
    if not full.startswith(os.path.realpath(MEDIA) + os.sep):
        raise ValueError(name)
    with open(full, "rb") as fh:
        return fh.read()


def run_convert(src, size):
    cmd = "convert %s -resize %s /tmp/thumb.png" % (src, size)
    return subprocess.run(cmd, shell=True, capture_output=True)


def run_convert_safe(src, size):
    return subprocess.run(["convert", src, "-resize", size, "/tmp/thumb.png"], capture_output=True)


def raw_count(table, where):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}")
        return cursor.fetchone()[0]


def raw_count_safe(category):
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM catalog_product WHERE category = %s", [category])
        return cursor.fetchone()[0]
''',
    'shopsite/catalog/views.py': r'''import logging

from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from . import services
from .utils import read_media, read_media_safe

logger = logging.getLogger(__name__)


def product_list(request):
    svc = services.CatalogService(request.user.username)
    term = request.GET.get("q", "")
    order = request.GET.get("order", "name")
    svc.note(term)  # BST207
    products = list(svc.search(term, order))  # BST204
    safe = list(svc.search_safe(term))
    count = svc.count_in(request.GET.get("category", "misc"))  # BST204
    count2 = svc.count_in_safe(request.GET.get("category", "misc"))
    html = "<p>%d results for %s</p>" % (len(products) + len(safe) + count + count2, term)
    return HttpResponse(html)  # BST203


def product_image(request, slug):
    # urls.py routes it `<slug:slug>`: letters, digits, `-` and `_`, no `/` nor `.`
    data = read_media(slug + ".png")
    data2 = read_media_safe(slug + ".png")
    return HttpResponse(data + data2, content_type="image/png")


class ExportView(View):
    def get(self, request):
        name = request.GET["name"]
        return FileResponse(open("/srv/exports/" + name, "rb"))  # BST201

    def post(self, request):
        title = request.POST.get("title", "")
        return HttpResponse(format_html("<h2>{}</h2>", title))


def lookup(request):
    who = request.GET.get("who", "")
    logger.info("lookup %s", who.replace("\n", "\\n"))
    return HttpResponse("<b>" + escape(who) + "</b>")


def go(request):
    target = request.GET.get("to", "/")
    if request.GET.get("checked"):
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("/")
    return HttpResponseRedirect(target)  # BST210


def import_catalog(request):
    svc = services.CatalogService(request.user.username)
    skus = svc.import_xml(request.body)  # BST211
    skus2 = svc.import_xml_safe(request.body)
    feed = services.fetch_supplier_feed(request.POST["feed_url"], timeout=5)  # BST213
    feed2 = services.fetch_supplier_feed_safe(request.POST["supplier"])
    return JsonResponse({"skus": skus + skus2, "size": len(feed) + len(feed2)})


def thumbnail(request):
    services.make_thumbnail(request.GET["src"], request.GET.get("size", "64x64"))  # BST202
    services.make_thumbnail_safe(request.GET["src"], request.GET.get("size", "64x64"))  # BST217
    return render(request, "thumb.html", {"src": request.GET["src"]})


def notify(request):
    code = request.POST.get("code", "")
    exec(code, {"__builtins__": {}})  # BST206
    return JsonResponse({"ok": True})
''',
    'shopsite/shopsite/__init__.py': r'''
''',
    'django_cbv.py': r'''import json
import logging
import subprocess
import xml.sax

import requests
from django.http import HttpResponse, JsonResponse
from django.views.generic import TemplateView, View
from lxml import etree

log = logging.getLogger(__name__)


class PingView(View):
    def post(self, request, *args, **kwargs):
        payload = json.loads(request.body)
        target = payload.get("target", "localhost")
        result = subprocess.run(f"ping -c 2 {target}", shell=True, capture_output=True, text=True)  # BST202
        return JsonResponse({"out": result.stdout})


class WebhookTester(View):
    def post(self, request):
        url = request.POST["url"]
        headers = {"User-Agent": "tester"}
        r = requests.post(url, data=request.POST.get("body", ""), headers=headers, timeout=5)  # BST213
        return JsonResponse({"status": r.status_code})


class XmlUpload(View):
    def post(self, request):
        upload = request.FILES["doc"]
        parser = etree.XMLParser(resolve_entities=True)
        doc = etree.parse(upload, parser)  # BST211
        handler = xml.sax.ContentHandler()
        xml.sax.parseString(request.body, handler)
        return JsonResponse({"root": doc.getroot().tag})


class SearchPage(TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["q"] = self.request.GET.get("q", "")
        log.info("search for " + ctx["q"])  # BST207
        return ctx


def raw_html(request):
    resp = HttpResponse()
    resp.write("<p>" + request.GET.get("msg", "") + "</p>")  # BST203
    return resp


def raw_text(request):
    resp = HttpResponse(content_type="text/plain")
    resp.write(request.GET.get("msg", ""))
    return resp
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
