"""Taint analysis on realistic apps written from the frameworks' documentation and everyday idioms:
Django: function and class-based views, a form's validated choice, DRF APIView / ViewSet actions /
@api_view, serializers, raw SQL, template engines.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'blog/__init__.py': r'''
''',
    'blog/forms.py': r'''from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(max_length=100)
    page = forms.IntegerField(min_value=1)
    sort = forms.ChoiceField(choices=[("title", "Title"), ("date", "Date")])
''',
    'blog/views.py': r'''import logging
import os
import subprocess
import yaml

import ldap
import requests
from django.conf import settings
from django.db import connection
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import Context, Engine, Template
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import ListView
from lxml import etree
from rest_framework.response import Response
from rest_framework.views import APIView

from .forms import SearchForm

logger = logging.getLogger("blog")


class ArticleSearch(ListView):
    template_name = "blog/list.html"

    def get_queryset(self):
        form = SearchForm(self.request.GET)
        if form.is_valid():
            sort = form.cleaned_data["sort"]
            with connection.cursor() as cur:
                cur.execute("SELECT id FROM blog_article ORDER BY " + sort)
                return cur.fetchall()
        q = self.request.GET.get("q", "")
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM blog_article WHERE title LIKE '%%" + q + "%%'")  # BST204
            cur.execute("SELECT id FROM blog_article WHERE title LIKE %s", ["%" + q + "%"])
            return cur.fetchall()


class AttachmentView(View):
    media_root = settings.MEDIA_ROOT

    def get(self, request, filename):
        path = os.path.join(self.media_root, filename)
        return FileResponse(open(path, "rb"))  # BST201

    def head(self, request, filename):
        path = os.path.join(self.media_root, os.path.basename(filename))
        return FileResponse(open(path, "rb"))


def preview(request):
    title = request.GET.get("title", "")
    html = mark_safe("<h2>%s</h2>" % title)  # BST203
    html2 = format_html("<h2>{}</h2>", title)
    return HttpResponse(html + html2)  # BST203


def comment(request):
    body = request.POST.get("body", "")
    return HttpResponse(f"<p>{body}</p>")  # BST203


def comment_safe(request):
    body = request.POST.get("body", "")
    return HttpResponse(f"<p>{escape(body)}</p>")


def ping(request):
    host = request.GET["host"]
    out = subprocess.check_output("ping -c 1 " + host, shell=True)  # BST202
    out2 = subprocess.check_output(["ping", "-c", "1", host])  # BST217
    return HttpResponse(out + out2)  # BST203


def directory(request):
    uid = request.GET["uid"]
    conn = ldap.initialize("ldap://ldap.example.com")
    res = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=%s)" % uid)  # BST205
    from ldap.filter import escape_filter_chars
    flt = "(uid=%s)" % escape_filter_chars(uid)
    res2 = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, flt)
    return JsonResponse({"n": len(res) + len(res2)})


def set_lang(request):
    lang = request.POST.get("lang", "en")
    request.session["lang"] = lang  # BST208
    request.session["seen"] = True
    nxt = request.POST.get("next", "/")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return HttpResponseRedirect(nxt)  # BST210


def import_config(request):
    data = request.body
    cfg = yaml.load(data, Loader=yaml.Loader)  # BST209
    cfg2 = yaml.safe_load(data)
    return JsonResponse({"a": cfg, "b": cfg2})


def render_snippet(request):
    src = request.POST["template"]
    out = Template(src).render(Context({}))  # BST214
    out2 = Engine.get_default().from_string("Hi {{ n }}").render(Context({"n": src}))
    return HttpResponse(out + out2)  # BST203


def audit(request):
    action = request.GET.get("action", "")
    logger.info("user action: %s" % action)  # BST207
    logger.info("user action: %r", action)
    return HttpResponse("ok")


class FeedProxy(APIView):
    def get(self, request):
        feed = request.query_params.get("feed")
        r = requests.get(feed, timeout=3)  # BST213
        r2 = requests.get("https://feeds.example.com/main.xml", params={"f": feed}, timeout=3)
        return Response({"a": r.text, "b": r2.text})


class XmlImport(APIView):
    def post(self, request):
        name = request.data.get("name")
        tree = etree.parse("users.xml")
        nodes = tree.xpath(f"//user[name='{name}']")  # BST212
        nodes2 = tree.xpath("//user[name=$n]", n=name)
        return Response({"n": len(nodes) + len(nodes2)})


class ExprView(APIView):
    def post(self, request):
        code = request.data["code"]
        exec(code)  # BST206
        allowed = {"sum": sum, "max": max}
        fn = allowed.get(request.data["fn"], sum)
        return Response({"r": fn([1, 2])})
''',
    'django2.py': r'''import json
import logging
import subprocess

import requests
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import engines
from django.views.generic import DetailView, FormView, View
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from .models import Article

logger = logging.getLogger(__name__)


class ArticleSerializer(serializers.Serializer):
    title = serializers.CharField()
    order = serializers.ChoiceField(choices=["title", "created"])
    source = serializers.URLField()


class ArticleDetail(DetailView):
    model = Article

    def get_object(self):
        slug = self.kwargs["slug"]
        return Article.objects.raw("SELECT * FROM blog_article WHERE slug = '%s'" % slug)[0]  # BST204

    def get_queryset(self):
        slug = self.kwargs["slug"]
        return Article.objects.raw("SELECT * FROM blog_article WHERE slug = %s", [slug])


class ArticleViewSet(viewsets.ViewSet):
    def list(self, request):
        ser = ArticleSerializer(data=request.query_params)
        ser.is_valid(raise_exception=True)
        order = ser.validated_data["order"]
        qs = Article.objects.extra(order_by=[order])
        title = ser.validated_data["title"]
        qs2 = Article.objects.extra(where=["title = '%s'" % title])  # BST204
        qs3 = Article.objects.annotate(x=RawSQL("SELECT 1 FROM t WHERE n = '" + title + "'", []))  # BST204
        return Response({"n": len(qs) + len(qs2) + len(qs3)})

    @action(detail=False, methods=["post"])
    def mirror(self, request):
        ser = ArticleSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        r = requests.get(ser.validated_data["source"], timeout=5)  # BST213
        return Response({"len": len(r.content)})

    @action(detail=False, methods=["post"])
    def convert(self, request):
        name = request.data.get("name", "")
        res = subprocess.run("pandoc " + name, shell=True, capture_output=True)  # BST202
        return Response({"rc": res.returncode})


@api_view(["POST"])
def render_view(request):
    tpl = request.data.get("tpl", "")
    django_engine = engines["django"]
    out = django_engine.from_string(tpl).render({})  # BST214
    out2 = django_engine.from_string("{{ t }}").render({"t": tpl})
    return Response({"a": out, "b": out2})


@api_view(["GET"])
def legacy(request):
    return HttpResponsePermanentRedirect(request.GET["u"])  # BST210


class SearchView(View):
    # Django calls `dispatch` before the handler: the field it stores is the request's
    def dispatch(self, request, *args, **kwargs):
        self.term = request.GET.get("term", "")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        with connection.cursor() as c:
            c.execute("SELECT id FROM t WHERE name LIKE '%" + self.term + "%'")  # BST204
            rows = c.fetchall()
        return HttpResponse("<ul>%s</ul>" % "".join("<li>%s</li>" % self.term for _ in rows))  # BST203


def meta_log(request):
    ua = request.META.get("HTTP_USER_AGENT", "")
    logger.warning("bad agent: {}".format(ua))  # BST207
    return JsonResponse({"ua": ua})


def json_view(request):
    payload = json.loads(request.body)
    cols = ", ".join(c for c in payload["cols"])
    with connection.cursor() as c:
        c.execute(f"SELECT {cols} FROM items")  # BST204
    return JsonResponse({})
''',
    'models.py': r'''class Article:
    objects = None
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
