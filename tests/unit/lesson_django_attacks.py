"""Lesson attacks on Django code (for tests/unit/test_lesson_attacks.py), with the real Django
configured once for the test process: an in-memory sqlite database holding the auth tables. An
example imports Django models at load time, so each attack's `around` context (entered before the
example is loaded) makes Django ready. Without Django the attacks skip.
"""

from __future__ import annotations

import atexit
import contextlib
import email.message
import http.cookiejar
import logging
import os
import shutil
import sys
import tempfile
import types
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.lesson_web import MARKER

# The `shop` app B611's example imports its models from, written to a temporary folder on
# sys.path before Django loads its apps.
SHOP_MODELS = """from django.db import models


class Coupon(models.Model):
    code = models.CharField(max_length=20)
    percent = models.IntegerField()


class Order(models.Model):
    total = models.IntegerField()
"""


def _shop_app() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bastion-lesson-shop-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "shop").mkdir()
    (folder / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (folder / "shop" / "models.py").write_text(SHOP_MODELS, encoding="utf-8")
    sys.path.insert(0, str(folder))


def _ready() -> None:
    django = pytest.importorskip("django")
    from django.conf import settings
    if settings.configured:
        return
    _shop_app()
    settings.configure(
        SECRET_KEY="bastion lesson attacks", USE_TZ=True, ALLOWED_HOSTS=[],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "shop"])
    django.setup()
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from shop.models import Coupon, Order
    with connection.schema_editor() as editor:
        for model in (ContentType, Permission, Group, User, Coupon, Order):
            editor.create_model(model)


@contextlib.contextmanager
def django_ready(tmp: Path) -> Iterator[None]:
    _ready()
    yield


@contextlib.contextmanager
def settings_environment(tmp: Path) -> Iterator[None]:
    """A settings module reads its secret key from the environment when it is loaded."""
    _ready()
    saved = os.environ.get("DJANGO_SECRET_KEY")
    os.environ["DJANGO_SECRET_KEY"] = "a key from the environment"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["DJANGO_SECRET_KEY"]
        else:
            os.environ["DJANGO_SECRET_KEY"] = saved


def marked_safe(function: str, attribute: str):
    """A name with a script in it, in HTML the code vouches for."""
    def attack(code: dict, tmp: Path) -> bool:
        user = types.SimpleNamespace(**{attribute: f"<script>{MARKER}</script>"})
        return "<script>" in str(code[function](user))
    attack.around = django_ready
    return attack


def extra_where(code: dict, tmp: Path) -> bool:
    """The name closes the string literal in the WHERE fragment and adds a condition that is
    always true: every user comes back."""
    from django.contrib.auth.models import User
    User.objects.all().delete()
    User.objects.create(username="admin", first_name="Admin")
    User.objects.create(username="alice", first_name="Alice")
    assert [user.username for user in code["users_named"]("Alice")] == ["alice"]
    return len(code["users_named"]("nobody' OR '1'='1")) > 0


extra_where.around = django_ready


def host_header(code: dict, tmp: Path) -> bool:
    """The "forgot password" request carries `Host: evil.example`; the reset link Django builds
    for the e-mail points there."""
    from django.core.exceptions import DisallowedHost
    from django.http import HttpRequest
    from django.test import override_settings

    def reset_link(host: str) -> str:
        request = HttpRequest()
        request.META = {"HTTP_HOST": host, "SERVER_NAME": "shop.example.com", "SERVER_PORT": "443"}
        with override_settings(ALLOWED_HOSTS=code["ALLOWED_HOSTS"], DEBUG=code["DEBUG"]):
            return request.build_absolute_uri("/reset/token/")

    assert reset_link("shop.example.com") == "http://shop.example.com/reset/token/"
    try:
        return reset_link("evil.example").startswith("http://evil.example/")
    except DisallowedHost:
        return False


host_header.around = settings_environment


@contextlib.contextmanager
def _quiet(*loggers: str) -> Iterator[None]:
    """Django logs the error or refusal an attack provokes; the test only wants the answer."""
    saved = {name: logging.getLogger(name).level for name in loggers}
    for name in loggers:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _connect_to_mail_server(host: str, password: str) -> None:
    raise ConnectionRefusedError(f"{host}: connection refused")


def _send_receipt(request):
    smtp_password = MARKER  # the e-mail password the view holds when it fails
    return _connect_to_mail_server("mail.internal", smtp_password)


def debug_error_page(code: dict, tmp: Path) -> bool:
    """A request that raises: with the example's DEBUG, the error page shows the view's local
    variables, here the mail password."""
    from django.test import Client, override_settings
    from django.urls import path
    urls = types.ModuleType("lesson_attack_urls")
    urls.urlpatterns = [path("receipt/", _send_receipt)]
    sys.modules[urls.__name__] = urls
    try:
        with override_settings(DEBUG=code["DEBUG"], ALLOWED_HOSTS=code["ALLOWED_HOSTS"],
                               ROOT_URLCONF=urls.__name__), _quiet("django.request"):
            answer = Client(raise_request_exception=False).get("/receipt/", HTTP_HOST="shop.example.com")
    finally:
        del sys.modules[urls.__name__]
    assert answer.status_code == 500
    return MARKER in answer.content.decode()


debug_error_page.around = settings_environment


def cross_site_post(code: dict, tmp: Path) -> bool:
    """A form on evil.example posts a new e-mail address with the victim's session (no CSRF
    token: the attacker's page cannot read it); the view is called only if Django's CSRF check
    lets the request through."""
    from django.middleware.csrf import CsrfViewMiddleware
    from django.test import RequestFactory, override_settings
    view = code["change_email"]
    user = types.SimpleNamespace(email="victim@example.com", save=lambda: None)
    request = RequestFactory().post("/account/email", {"email": "attacker@evil.example"},
                                    HTTP_HOST="shop.example.com", HTTP_ORIGIN="https://evil.example")
    request.user = user
    with override_settings(ALLOWED_HOSTS=["shop.example.com"]), _quiet("django.security.csrf"):
        middleware = CsrfViewMiddleware(view)
        answer = middleware.process_view(request, view, (), {}) or view(request)
    return answer.status_code == 200 and user.email == "attacker@evil.example"


cross_site_post.around = django_ready


def raw_sql_subquery(code: dict, tmp: Path) -> bool:
    """The coupon code closes the string literal and picks the staff coupon: 90 % off."""
    from shop.models import Coupon, Order
    Coupon.objects.all().delete()
    Order.objects.all().delete()
    Coupon.objects.create(code="WELCOME10", percent=10)
    Coupon.objects.create(code="STAFF90", percent=90)
    Order.objects.create(total=100)
    assert [order.discount for order in code["orders_with_coupon"]("WELCOME10")] == [10]
    return [order.discount for order in code["orders_with_coupon"]("nope' OR code = 'STAFF90")] == [90]


raw_sql_subquery.around = django_ready


class _Answer:
    """A Django response as http.cookiejar reads it (an urllib response's `info()`)."""

    def __init__(self, response) -> None:
        self.headers = email.message.Message()
        for morsel in response.cookies.values():
            self.headers["Set-Cookie"] = morsel.OutputString()

    def info(self) -> email.message.Message:
        return self.headers


def cookie_over_http(code: dict, tmp: Path) -> bool:
    """The user logs in over HTTPS; later the browser opens http://shop.example.com (a typed URL,
    an old link) and a sniffer on the network reads what it sends. The browser's cookie rules
    are the standard library's (http.cookiejar honours `Secure`); the cookie is set by Django's
    SessionMiddleware under the example's settings."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory, override_settings

    def login(request):
        request.session["user"] = "alice"
        return HttpResponse("welcome")

    with override_settings(SESSION_COOKIE_SECURE=code["SESSION_COOKIE_SECURE"],
                           SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
                           ALLOWED_HOSTS=["shop.example.com"]):
        answer = SessionMiddleware(login)(
            RequestFactory().post("/login", secure=True, HTTP_HOST="shop.example.com"))
    browser = http.cookiejar.CookieJar()
    browser.extract_cookies(_Answer(answer), urllib.request.Request("https://shop.example.com/login"))
    assert [cookie.name for cookie in browser] == ["sessionid"]
    plain = urllib.request.Request("http://shop.example.com/")
    browser.add_cookie_header(plain)
    return "sessionid=" in (plain.get_header("Cookie") or "")


cookie_over_http.around = settings_environment
