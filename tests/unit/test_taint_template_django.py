"""Template files found where a Django project's settings say (taint/django_settings.py): the
`TEMPLATES` `DIRS` of the settings module `manage.py` names, and the `templates` folder of each
installed app. Settings are read, never run; their edits change the result and the dependency
key. Layouts written from Django's "Templates" topic and its startproject template."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bastion.analyzers.taint import django_settings
from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore

VIEW = ("from django.shortcuts import render\n"
        "def post(request):\n"
        "    return render(request, 'blog/post.html', {'body': request.POST['body']})\n")
MANAGE = ("import os, sys\n"
          "def main():\n"
          "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{module}')\n")
PATHLIB = ("from pathlib import Path\n"
           "BASE_DIR = Path(__file__).resolve().parent.parent\n")
OS_PATH = "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _found(root: Path, analyzer: TaintAnalyzer | None = None) -> set:
    analyzer = analyzer or TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(root)], analyzer.models, analyzer.version)
    path = root / "blog" / "views.py"
    return {(f.rule_id, f.line + 1)
            for f in analyzer.analyse_file(path.read_text(encoding="utf-8"), str(path))}


def _templates(dirs: str, base: str = PATHLIB, apps: str = "['blog']") -> str:
    return (f"{base}INSTALLED_APPS = {apps}\n"
            f"TEMPLATES = [{{'BACKEND': 'django.template.backends.django.DjangoTemplates',\n"
            f"              'DIRS': [{dirs}], 'APP_DIRS': True}}]\n")


# (settings files, template files, findings): each vulnerable layout has a silent twin
LAYOUTS = [
    ({"mysite/settings.py": _templates("BASE_DIR / 'frontend' / 'pages'")},
     {"frontend/pages/blog/post.html": "<div>{{ body|safe }}</div>\n"}, {("BST203", 3)}),
    ({"mysite/settings.py": _templates("BASE_DIR / 'frontend' / 'pages'")},
     {"frontend/pages/blog/post.html": "<div>{{ body }}</div>\n"}, set()),
    ({"mysite/settings.py": _templates("os.path.join(BASE_DIR, 'ui')", base=OS_PATH)},
     {"ui/blog/post.html": "{% autoescape off %}{{ body }}{% endautoescape %}\n"}, {("BST203", 3)}),
    ({"mysite/settings.py": _templates("os.path.join(BASE_DIR, 'ui')", base=OS_PATH)},
     {"ui/blog/post.html": "{{ body }}\n"}, set()),
    # a settings package: the module manage.py names star-imports the one configuring templates
    ({"mysite/settings/__init__.py": "",
      "mysite/settings/base.py": _templates("str(BASE_DIR.joinpath('site_templates'))",
                                            base="from pathlib import Path\n"
                                                 "BASE_DIR = Path(__file__).resolve().parents[2]\n"),
      "mysite/settings/local.py": "from .base import *\nDEBUG = True\n"},
     {"site_templates/blog/post.html": "{{ body|safe }}\n"}, {("BST203", 3)}),
    # Django looks in DIRS before the apps' folders
    ({"mysite/settings.py": _templates("BASE_DIR / 'frontend'")},
     {"frontend/blog/post.html": "{{ body }}\n", "blog/templates/blog/post.html": "{{ body|safe }}\n"},
     set()),
    # an installed app's templates folder holds what the page includes
    ({"mysite/settings.py": _templates("", apps="['django.contrib.admin'] + ['blog', "
                                                "'core.apps.CoreConfig']")},
     {"blog/templates/blog/post.html": "{% include 'core/row.html' %}\n",
      "core/templates/core/row.html": "<td>{{ body|safe }}</td>\n", "core/apps.py": ""},
     {("BST203", 3)}),
    ({"mysite/settings.py": _templates("", apps="['blog', 'core.apps.CoreConfig']")},
     {"blog/templates/blog/post.html": "{% include 'core/row.html' %}\n",
      "core/templates/core/row.html": "<td>{{ body }}</td>\n"}, set()),
]


@pytest.mark.parametrize(("settings", "templates", "expected"), LAYOUTS)
def test_a_template_is_found_where_the_settings_say(tmp_path, settings, templates, expected):
    module = "mysite.settings.local" if "mysite/settings/local.py" in settings else "mysite.settings"
    _write(tmp_path, {"manage.py": MANAGE.replace("{module}", module), "blog/views.py": VIEW,
                      "blog/__init__.py": "", **settings, **templates})
    assert _found(tmp_path) == expected


def test_a_settings_py_beside_the_project_is_read_without_manage_py(tmp_path):
    _write(tmp_path, {"blog/views.py": VIEW, "settings.py": _templates("BASE_DIR / 'site' / 'pages'")
                      .replace("parent.parent", "parent"),
                      "site/pages/blog/post.html": "{{ body|safe }}\n"})
    assert _found(tmp_path) == {("BST203", 3)}


def test_an_edited_settings_module_changes_the_result_and_the_dependency_key(tmp_path):
    settings = tmp_path / "mysite" / "settings.py"
    _write(tmp_path, {"manage.py": MANAGE.replace("{module}", "mysite.settings"), "blog/views.py": VIEW,
                      "mysite/settings.py": _templates("BASE_DIR / 'a'"),
                      "a/blog/post.html": "{{ body }}\n", "b/blog/post.html": "{{ body|safe }}\n"})
    analyzer = TaintAnalyzer()
    assert _found(tmp_path, analyzer) == set()
    path = tmp_path / "blog" / "views.py"
    before = analyzer.dependency_key(VIEW, str(path))
    settings.write_text(_templates("BASE_DIR / 'b'"), encoding="utf-8")
    os.utime(settings, ns=(1, 1))
    analyzer.disk_changed([str(settings)])
    assert analyzer.dependency_key(VIEW, str(path)) != before
    assert _found(tmp_path, analyzer) == {("BST203", 3)}


def test_an_open_settings_module_is_read_before_the_file_on_disk(tmp_path, monkeypatch):
    """The editor's unsaved text of settings.py and manage.py (TaintAnalyzer.read_open_texts),
    with the disk's limits (a size cap); closed, the disk copy again."""
    settings = tmp_path / "mysite" / "settings.py"
    _write(tmp_path, {"manage.py": MANAGE.replace("{module}", "mysite.settings"), "blog/views.py": VIEW,
                      "mysite/settings.py": _templates("BASE_DIR / 'a'"),
                      "other/settings.py": _templates("BASE_DIR / 'b'"),
                      "a/blog/post.html": "{{ body }}\n", "b/blog/post.html": "{{ body|safe }}\n"})
    texts: dict[str, str] = {}
    analyzer = TaintAnalyzer()
    analyzer.read_open_texts(texts.get)
    path = tmp_path / "blog" / "views.py"
    assert _found(tmp_path, analyzer) == set()
    before = analyzer.dependency_key(VIEW, str(path))
    texts[os.path.normpath(settings)] = _templates("BASE_DIR / 'b'")
    analyzer.disk_changed([str(settings)])
    assert _found(tmp_path, analyzer) == {("BST203", 3)}
    assert analyzer.dependency_key(VIEW, str(path)) != before
    del texts[os.path.normpath(settings)]
    texts[os.path.normpath(tmp_path / "manage.py")] = MANAGE.replace("{module}", "other.settings")
    analyzer.disk_changed([str(tmp_path / "manage.py")])
    assert _found(tmp_path, analyzer) == {("BST203", 3)}
    texts.clear()
    analyzer.disk_changed([str(tmp_path / "manage.py")])
    assert _found(tmp_path, analyzer) == set()
    # an open text past the size cap is not read, as a file past it is not
    monkeypatch.setattr(django_settings, "_MAX_SETTINGS_BYTES", settings.stat().st_size + 64)
    texts[os.path.normpath(settings)] = _templates("BASE_DIR / 'b'") + "#" * 128 + "\n"
    analyzer.disk_changed([str(settings)])
    assert _found(tmp_path, analyzer) == set()
    texts[os.path.normpath(settings)] = _templates("BASE_DIR / 'b'")
    analyzer.disk_changed([str(settings)])
    assert _found(tmp_path, analyzer) == {("BST203", 3)}


def test_a_folder_the_settings_name_outside_the_root_is_not_looked_in(tmp_path):
    root = tmp_path / "proj"
    _write(tmp_path, {"outside/blog/post.html": "{{ body|safe }}\n"})
    _write(root, {"manage.py": MANAGE.replace("{module}", "mysite.settings"), "blog/views.py": VIEW,
                  "mysite/settings.py": _templates(f"{str(tmp_path / 'outside')!r}, "
                                                   "BASE_DIR.parent / 'outside'")})
    assert _found(root) == set()


def test_the_settings_are_read_not_run(tmp_path):
    marker = tmp_path / "ran"
    _write(tmp_path, {"manage.py": MANAGE.replace("{module}", "mysite.settings"), "blog/views.py": VIEW,
                      "mysite/settings.py": f"open({str(marker)!r}, 'w').close()\n"
                                            + _templates("BASE_DIR / 'pages'"),
                      "pages/blog/post.html": "{{ body|safe }}\n"})
    assert _found(tmp_path) == {("BST203", 3)}
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_as_the_settings_is_not_opened(tmp_path):
    _write(tmp_path, {"manage.py": MANAGE.replace("{module}", "mysite.settings"), "blog/views.py": VIEW,
                      "mysite/__init__.py": "", "pages/blog/post.html": "{{ body|safe }}\n"})
    os.mkfifo(tmp_path / "mysite" / "settings.py")
    assert _found(tmp_path) == set()  # returns: nothing waits for a writer


def test_settings_with_an_invalid_escape_are_read_where_warnings_are_errors(tmp_path):
    """`"\\d+"` in a settings module: the compiler's warning about the user's code is not
    Bastion's to raise (parsing.parse_code); with warnings as errors the folders were lost."""
    import warnings

    from bastion.analyzers.taint.django_settings import _evaluate

    path = str(tmp_path / "mysite" / "settings.py")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dirs, _apps, _imported, _user = _evaluate('PAT = "\\d+"\nTEMPLATES = [{"DIRS": ["templates"]}]\n',
                                           path, str(tmp_path))
    assert dirs == (str(tmp_path / "templates"),)
