"""The user model a Django project's settings name (`AUTH_USER_MODEL = "accounts.Member"`),
declared in that installed app's `models.py`, keyed by text (a `CharField` primary key: the name
the user chose at sign-up): a view of another app writing `request.user.pk` into a query keeps
bandit's B608, as where the view module declares the model itself (user_models.py). Keyed by a
number (Django's default `AutoField`, a `BigAutoField`), or no user model named, the key is the
database's number and B608 is retracted. An edit of the model file changes the answer. Layouts
from Django's "Customizing authentication" topic (`AUTH_USER_MODEL`, `AbstractBaseUser`)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.unit.taint_marked import check_results

from bastion.config import Config
from bastion.engine.registry import create_engine

MANAGE = ("import os\n"
          "def main():\n"
          "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n")
SETTINGS = ("INSTALLED_APPS = ['django.contrib.auth', 'accounts.apps.AccountsConfig', 'shop']\n"
            "{user}")
MODELS = ("from django.contrib.auth.base_user import AbstractBaseUser\n"
          "from django.db import models\n\n\n"
          "class Member(AbstractBaseUser):\n"
          "    {key}\n"
          "    USERNAME_FIELD = 'handle'\n")
VIEW = ("from django.db import connection\n"
        "from django.http import JsonResponse\n\n\n"
        "def orders(request):\n"
        "    with connection.cursor() as cursor:\n"
        "        cursor.execute(f\"SELECT * FROM shop_order WHERE buyer_id = '{request.user.pk}'\")\n"
        "        return JsonResponse({'rows': cursor.fetchall()})\n")
TEXT_KEY = "handle = models.CharField(max_length=40, primary_key=True)"
NUMBER_KEY = "id = models.BigAutoField(primary_key=True)"


def _project(root: Path, user: str, key: str) -> Path:
    files = {"manage.py": MANAGE, "mysite/__init__.py": "",
             "mysite/settings.py": SETTINGS.format(user=user),
             "accounts/__init__.py": "", "accounts/models.py": MODELS.format(key=key),
             "shop/__init__.py": "", "shop/views.py": VIEW}
    for name, text in files.items():
        target = root.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root / "shop" / "views.py"


def _queries(engine, view: Path) -> set[tuple[str, int]]:
    findings = engine.analyse(view.read_text(encoding="utf-8"), str(view), Config()).findings
    return {(f.rule_id, f.line + 1) for f in findings if f.rule_id in ("B608", "BST206")}


def test_a_user_model_of_another_app_keyed_by_text(tmp_path: Path) -> None:
    view = _project(tmp_path, "AUTH_USER_MODEL = 'accounts.Member'\n", TEXT_KEY)
    assert _queries(create_engine(), view) == {("B608", 7)}


def test_a_user_model_of_another_app_keyed_by_a_number(tmp_path: Path) -> None:
    view = _project(tmp_path, "AUTH_USER_MODEL = 'accounts.Member'\n", NUMBER_KEY)
    assert _queries(create_engine(), view) == set()
    plain = _project(tmp_path / "plain", "AUTH_USER_MODEL = 'accounts.Member'\n",
                     "nickname = models.CharField(max_length=40)")
    assert _queries(create_engine(), plain) == set()


def test_no_user_model_named_is_djangos_own(tmp_path: Path) -> None:
    view = _project(tmp_path, "", TEXT_KEY)
    assert _queries(create_engine(), view) == set()
    other = _project(tmp_path / "other", "AUTH_USER_MODEL = 'shop.Member'\n", TEXT_KEY)
    assert _queries(create_engine(), other) == set()


def test_an_edited_user_model_changes_the_answer(tmp_path: Path) -> None:
    view = _project(tmp_path, "AUTH_USER_MODEL = 'accounts.Member'\n", NUMBER_KEY)
    engine = create_engine()
    assert _queries(engine, view) == set()
    (tmp_path / "accounts" / "models.py").write_text(MODELS.format(key=TEXT_KEY + "  # the handle"),
                                                     encoding="utf-8")
    assert _queries(engine, view) == {("B608", 7)}


def test_a_user_model_file_that_cannot_be_read_keeps_the_finding(tmp_path: Path) -> None:
    """A models.py that is a FIFO or does not parse says nothing of the key: B608 stays."""
    view = _project(tmp_path, "AUTH_USER_MODEL = 'accounts.Member'\n", NUMBER_KEY)
    models = tmp_path / "accounts" / "models.py"
    models.write_text("class Member(:\n", encoding="utf-8")
    assert _queries(create_engine(), view) == {("B608", 7)}
    models.unlink()
    os.mkfifo(models)
    assert _queries(create_engine(), view) == {("B608", 7)}


APPS = ("from django.apps import AppConfig\n\n\n"
        "class PeopleConfig(AppConfig):\n"
        "    default_auto_field = 'django.db.models.BigAutoField'\n"
        "    name = 'people'\n"
        "{label}")


def _labelled(root: Path, installed: str, label: str) -> Path:
    """The user model's app in the folder `people`, its AppConfig labelling it (Django's
    `AppConfig.label`, which `AUTH_USER_MODEL` names): `installed` in INSTALLED_APPS."""
    view = _project(root, "AUTH_USER_MODEL = 'accounts.Member'\n", TEXT_KEY)
    (root / "accounts").rename(root / "people")
    (root / "people" / "apps.py").write_text(APPS.format(label=label), encoding="utf-8")
    settings = root / "mysite" / "settings.py"
    settings.write_text(settings.read_text(encoding="utf-8").replace("'accounts.apps.AccountsConfig'",
                                                                      repr(installed)), encoding="utf-8")
    return view


def test_a_user_model_of_an_app_labelled_apart_from_its_folder(tmp_path: Path) -> None:
    for installed in ("people.apps.PeopleConfig", "people"):  # the config named, or found alone
        view = _labelled(tmp_path / installed, installed, "    label = 'accounts'\n")
        assert _queries(create_engine(), view) == {("B608", 7)}
        found = {(r["rule_id"], r["line"]) for r in check_results(tmp_path / installed)}
        assert found == {("B608", 7)}
    # the twin: no label, the app is `people`, and `accounts.Member` names none of the project's
    view = _labelled(tmp_path / "plain", "people.apps.PeopleConfig", "")
    engine = create_engine()
    assert _queries(engine, view) == set()
    # the label typed in: the answer changes
    (tmp_path / "plain" / "people" / "apps.py").write_text(APPS.format(label="    label = 'accounts'\n"),
                                                           encoding="utf-8")
    assert _queries(engine, view) == {("B608", 7)}
