"""Taint analysis on realistic apps: a field of `self` checked where the framework sets it up
(Tornado's `prepare`, Django's `setup` / `dispatch`) against an allowlist of hosts reaches the
handler checked; the field is named `host`, which is also the name of a parsed URL's host field.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'pinger.py': r'''import subprocess
from urllib.parse import urlparse

import tornado.web

ALLOWED = {"a.example.com", "b.example.com"}


class Ping(tornado.web.RequestHandler):
    def prepare(self):
        self.host = self.get_argument("h")
        if self.host not in ALLOWED:
            raise tornado.web.HTTPError(400)

    def get(self):
        subprocess.run("ping -c1 " + self.host, shell=True)


class PingAny(tornado.web.RequestHandler):
    def prepare(self):
        self.host = self.get_argument("h")

    def get(self):
        subprocess.run("ping -c1 " + self.host, shell=True)  # BST202


class Fetch(tornado.web.RequestHandler):
    def get(self):
        url = self.get_argument("u")
        parts = urlparse(url)
        if parts.host not in ALLOWED:
            raise tornado.web.HTTPError(400)
        subprocess.run("curl " + parts.host, shell=True)
        subprocess.run("curl " + url, shell=True)  # BST202
''',
    'views.py': r'''import subprocess

from django.http import HttpResponse, HttpResponseBadRequest
from django.views import View

ALLOWED = {"a.example.com", "b.example.com"}


class Ping(View):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.host = request.GET.get("h", "")
        if self.host not in ALLOWED:
            raise ValueError("unknown host")

    def get(self, request):
        subprocess.run("ping -c1 " + self.host, shell=True)
        return HttpResponse("ok")


class Trace(View):
    def dispatch(self, request, *args, **kwargs):
        self.host = request.GET.get("h", "")
        if self.host not in ALLOWED:
            return HttpResponseBadRequest()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        subprocess.run("traceroute " + self.host, shell=True)
        return HttpResponse("ok")


class TraceLate(View):
    def dispatch(self, request, *args, **kwargs):
        self.host = request.GET.get("h", "")
        response = super().dispatch(request, *args, **kwargs)
        if self.host not in ALLOWED:
            return HttpResponseBadRequest()
        return response

    def get(self, request):
        subprocess.run("traceroute " + self.host, shell=True)  # BST202
        return HttpResponse("ok")
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
