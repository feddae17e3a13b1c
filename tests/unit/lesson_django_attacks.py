"""Lesson attacks on Django code (for tests/unit/test_lesson_attacks.py), with the real Django
configured once for the test process: an in-memory sqlite database holding the auth tables. An
example imports Django models at load time, so each attack's `around` context (entered before the
example is loaded) makes Django ready. Without Django the attacks skip.
"""

from __future__ import annotations

import contextlib
import os
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.lesson_web import MARKER


def _ready() -> None:
    django = pytest.importorskip("django")
    from django.conf import settings
    if settings.configured:
        return
    settings.configure(
        SECRET_KEY="bastion lesson attacks", USE_TZ=True, ALLOWED_HOSTS=[],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"])
    django.setup()
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    with connection.schema_editor() as editor:
        for model in (ContentType, Permission, Group, User):
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
