"""Taint analysis on a realistic Django project's middleware written as Django's documentation
writes it, importing nothing of Django (`__init__(self, get_response)`, `__call__(self,
request)`, `process_view`), or as a function (a factory of `get_response` returning the
function Django calls with the request, the form the documentation writes first), listed in the
settings; a WSGI-style wrapper of another module (`__init__(self, app)`), a factory of another
name and a nested function the factory does not return are not middleware and stay silent.
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a
safe twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'shop/middleware.py': r'''import logging
import shlex
import subprocess

logger = logging.getLogger(__name__)


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        who = request.headers.get("X-User", "anon")
        subprocess.run("logger -t shop " + who, shell=True)  # BST202
        subprocess.run("logger -t shop " + shlex.quote(who), shell=True)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        logger.info("view %s for %r", view_func.__name__, request.path)
        logger.info(f"view for {request.path}")  # BST207
        return None
''',
    'shop/settings.py': r'''MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop.middleware.AuditMiddleware",
    "shop.functions.tag_middleware",
]
''',
    'shop/functions.py': r'''import logging
import shlex
import subprocess

logger = logging.getLogger(__name__)


def tag_middleware(get_response):
    def note(request):
        subprocess.run("logger " + request.GET.get("note", ""), shell=True)

    def middleware(request):
        tag = request.headers.get("X-Tag", "")
        subprocess.run("logger " + shlex.quote(tag), shell=True)
        subprocess.run("logger " + tag, shell=True)  # BST202
        return get_response(request)

    return middleware


def timing_middleware(get_response):
    async def middleware(request):
        logger.info(f"path {request.path}")  # BST207
        return await get_response(request)

    return middleware


def retry(func):
    def wrapper(request):
        subprocess.run("logger " + request.GET.get("who", ""), shell=True)
        return func(request)

    return wrapper
''',
    'shop/wrappers.py': r'''import subprocess


class Runner:
    def __init__(self, app):
        self.app = app

    def __call__(self, request):
        subprocess.run("logger " + request.GET.get("who", ""), shell=True)
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)


EDITED = '''import subprocess


class AuditMiddleware:
    def __init__(self, {param}):
        self.next = {param}

    def __call__(self, request):
        subprocess.run("logger " + request.GET.get("who", ""), shell=True)
        return self.next(request)
'''


EDITED_FUNCTION = '''import subprocess


def audit_middleware({param}):
    def middleware(request):
        subprocess.run("logger " + request.GET.get("who", ""), shell=True)
        return {param}(request)

    return middleware
'''


@pytest.mark.parametrize("text", [EDITED, EDITED_FUNCTION], ids=["class", "function"])
def test_an_edit_of_the_handed_parameter_alone_reclassifies_the_module_analysed_before(text):
    """The classifications are kept (as in the editor): renaming `__init__`'s parameter, or the
    factory's, alone makes the class or the returned function middleware or not, both ways."""
    from bastion.analyzers.taint.analyzer import TaintAnalyzer

    analyzer = TaintAnalyzer()
    middleware, wrapper = text.format(param="get_response"), text.format(param="app")
    for _ in range(2):
        assert [f.rule_id for f in analyzer.analyse_file(middleware, "middleware.py")] == ["BST202"]
        assert analyzer.analyse_file(wrapper, "middleware.py") == []
