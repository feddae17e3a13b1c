"""Django's path converters declared in the app's `urls.py` (issue 12): a view parameter a route
captures with `int` or `uuid`, or a `re_path` group of digits, holds no text an injection fits
in; `str`, `path`, the default converter and an unknown (registered) one hand the view the
request's text. A `slug` or a `[-\\w]+` group is safe in a path, a shell line or a quoted SQL
string, but may start with `-`: an option to the program it is handed to. A view routed with
`int` and with `str` keeps `str`'s; what a route including others captures goes to their views
(the project's `<str:pk>` reaches `details`; `item`'s own `<int:pk>` wins). Through `bastion check` on
a small project (the app's `urls.py` and the project's beside it, as `startproject` lays them
out) and through the editor's store across edits of `urls.py`, saved and unsaved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.unit.taint_marked import ROOT, RULE_CWE, assert_checked_and_stored

from bastion.analyzers.taint.analyzer import TaintAnalyzer

VIEWS = '''import os
import subprocess

from django.db import connection
from django.http import HttpResponse
from django.views import View


def item(request, pk):
    os.system("show-item " + str(pk))
    return HttpResponse("ok")


def token(request, key):
    os.system("revoke " + str(key))
    return HttpResponse("ok")


def archive(request, year):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM posts WHERE year = " + year)
    return HttpResponse("ok")


def by_slug(request, slug):
    with open("/srv/pages/" + slug + ".txt") as handle:
        return HttpResponse(handle.read(), content_type="text/plain")


class ItemView(View):
    def get(self, request, pk):
        os.system("show-item " + str(pk))
        return HttpResponse("ok")


def page(request, name):
    with open("/srv/pages/" + name) as handle:  # BST201
        return HttpResponse(handle.read(), content_type="text/plain")


def search(request, term):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM items WHERE name = '" + term + "'")  # BST204
    return HttpResponse("ok")


def run(request, tool):
    os.system("run " + tool)  # BST202
    return HttpResponse("ok")


def twice(request, ref):
    os.system("show " + str(ref))  # BST202
    return HttpResponse("ok")


def custom(request, code):
    os.system("lookup " + str(code))  # BST202
    return HttpResponse("ok")


def revisions(request, rev):
    subprocess.run(["git", "log", rev], check=True)  # BST217
    return HttpResponse("ok")


def by_slug_log(request, slug):
    subprocess.run(["git", "log", slug], check=True)  # BST217
    return HttpResponse("ok")


def details(request, pk):
    os.system("details " + str(pk))  # BST202
    return HttpResponse("ok")


def listed(request, number):
    subprocess.run(f"list {number}", shell=True, check=True)
    return HttpResponse("ok")


def project(request, number):
    return HttpResponse(os.popen("show %s" % number).read(), content_type="text/plain")
'''

APP_URLS = r'''from django.urls import path, re_path, register_converter

from . import views
from .converters import FourDigitYearConverter

register_converter(FourDigitYearConverter, "yyyy")

urlpatterns = [
    path("items/<int:pk>/", views.item),
    path("tokens/<uuid:key>/", views.token),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", views.archive),
    path("pages/by-slug/<slug:slug>/", views.by_slug),
    path("cbv/<int:pk>/", views.ItemView.as_view()),
    path("pages/<path:name>", views.page),
    path("search/<str:term>/", views.search),
    path("run/<tool>/", views.run),
    path("a/<int:ref>/", views.twice),
    path("b/<str:ref>/", views.twice),
    path("codes/<yyyy:code>/", views.custom),
    re_path(r"^revisions/(?P<rev>[-\w]+)/$", views.revisions),
    path("log/<slug:slug>/", views.by_slug_log),
    path("details/", views.details),
]
'''

CONVERTERS = '''class FourDigitYearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return "%04d" % value
'''

# the project's urls.py, in the folder beside the app's, routes a view of the app directly
PROJECT_URLS = '''from django.urls import include, path

from shop import views

urlpatterns = [
    path("shop/<str:pk>/", include("shop.urls")),
    path("project/<int:number>/", views.project),
    path("lists/<int:number>/", include([path("all/", views.listed)])),
]
'''


def test_converters_of_the_urls_modules_type_the_views_parameters(tmp_path):
    apps = {"shop/__init__.py": "", "shop/views.py": VIEWS, "shop/urls.py": APP_URLS,
            "shop/converters.py": CONVERTERS, "mysite/__init__.py": "", "mysite/urls.py": PROJECT_URLS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)


EDITED_VIEWS = '''import os

from django.http import HttpResponse


def item(request, pk):
    os.system("show-item " + str(pk))
    return HttpResponse("ok")
'''

EDITED_URLS = '''from django.urls import path

from . import views

urlpatterns = [
    path("items/<{converter}:pk>/", views.item),
]
'''


def _store_findings(analyzer: TaintAnalyzer, views: Path) -> list[str]:
    text = views.read_text(encoding="utf-8")
    analyzer.workspace.prepare(text, str(views))  # the background's work after any change
    return [f.rule_id for f in analyzer.analyse_file(text, str(views))]


def test_an_edit_of_urls_py_changes_what_the_view_module_reports(tmp_path):
    """The editor's rule: a change of `urls.py` (saved, or its unsaved buffer) is told to the
    store (`changed`); the background then prepares every open document again, the view module
    too, whose routes are read again from the current text of the `urls.py` files near it; its
    external digest changes with them, so it is analysed again."""
    from bastion.analyzers.taint.workspace import SummaryStore

    app = tmp_path / "shop"
    app.mkdir()
    (app / "__init__.py").write_text("", encoding="utf-8")
    views = app / "views.py"
    views.write_text(EDITED_VIEWS, encoding="utf-8")
    urls = app / "urls.py"
    urls.write_text(EDITED_URLS.format(converter="int"), encoding="utf-8")
    buffers: dict[str, str] = {}
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version, False,
                                      overlay=buffers.get)
    assert _store_findings(analyzer, views) == []
    for _ in range(2):
        urls.write_text(EDITED_URLS.format(converter="str"), encoding="utf-8")  # saved
        analyzer.workspace.changed(str(urls))
        assert _store_findings(analyzer, views) == ["BST202"]
        buffers[str(urls.resolve())] = EDITED_URLS.format(converter="uuid")  # typed, unsaved
        analyzer.workspace.changed(str(urls))
        assert _store_findings(analyzer, views) == []
        buffers.clear()  # the buffer closed unsaved: the file's text again
        analyzer.workspace.changed(str(urls))
        assert _store_findings(analyzer, views) == ["BST202"]
        urls.write_text(EDITED_URLS.format(converter="int"), encoding="utf-8")
        analyzer.workspace.changed(str(urls))
        assert _store_findings(analyzer, views) == []


def test_a_cached_check_follows_an_edit_of_urls_py(tmp_path):
    """The view module's result-cache key holds the `urls.py` files near it (urls_files.py): a
    warm check served from the cache, before the analyzers load, reads the edited route."""
    project = tmp_path / "project"
    (project / "shop").mkdir(parents=True)
    (project / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (project / "shop" / "views.py").write_text(EDITED_VIEWS, encoding="utf-8")
    urls = project / "shop" / "urls.py"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT / "server")}

    def found() -> list[str]:
        done = subprocess.run([sys.executable, "-m", "bastion", "check", "--format", "json", "."],
                              capture_output=True, text=True, encoding="utf-8", cwd=project, env=env,
                              timeout=120)
        assert done.returncode in (0, 1), done.stderr
        return [r["rule_id"] for r in json.loads(done.stdout)["results"]]

    for converter, expected in [("int", []), ("int", []), ("str", ["BST202"]), ("str", ["BST202"]),
                                ("uuid", [])]:
        urls.write_text(EDITED_URLS.format(converter=converter), encoding="utf-8")
        assert found() == expected


def test_the_editor_analyses_the_view_module_again_after_an_edit_of_urls_py(tmp_path):
    """Through the engine's workspace summaries (engine/workspace_summaries.py), as the language
    server drives them: an edit of the open `urls.py`, its close unsaved and a save on disk
    each make `compute` name the open view module, whose analysis then reads the new routes."""
    from bastion.engine.engine import Engine

    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("", encoding="utf-8")
    views = tmp_path / "shop" / "views.py"
    views.write_text(EDITED_VIEWS, encoding="utf-8")
    urls = tmp_path / "shop" / "urls.py"
    urls.write_text(EDITED_URLS.format(converter="int"), encoding="utf-8")
    taint = TaintAnalyzer()
    engine = Engine([taint])
    engine.summaries.open([str(tmp_path)])
    document = ("views", str(views), EDITED_VIEWS)

    def compute() -> list:
        return engine.summaries.compute(engine.summaries.stale(), [document])

    def found() -> list[str]:
        return [f.rule_id for f in taint.analyse_file(EDITED_VIEWS, str(views))]

    try:
        engine.summaries.module_changed(str(views), EDITED_VIEWS)
        compute()
        assert found() == []
        engine.summaries.module_changed(str(urls), EDITED_URLS.format(converter="path"))  # typed
        assert compute() == ["views"] and found() == ["BST202"]
        engine.summaries.module_changed(str(urls), None)  # closed unsaved: int again
        assert compute() == ["views"] and found() == []
        urls.write_text(EDITED_URLS.format(converter="str"), encoding="utf-8")  # saved elsewhere
        engine.summaries.disk_changed(str(urls))
        assert compute() == ["views"] and found() == ["BST202"]
        assert compute() == []  # nothing changed since
    finally:
        engine.summaries.open([])


def test_a_route_regex_too_long_to_read_proves_nothing(tmp_path):
    """A `re_path` regex over 4,096 characters is not compiled (a hostile `urls.py`: a 2 MB one
    takes seconds, again at each edit): its groups type nothing, the view's parameter stays text."""
    padding = "(?:" + "|".join(f"x{i}" for i in range(1200)) + ")?"
    project = tmp_path / "project"
    (project / "shop").mkdir(parents=True)
    (project / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (project / "shop" / "views.py").write_text(VIEWS, encoding="utf-8")
    urls = project / "shop" / "urls.py"
    reported = []
    for route in (r"^archive/(?P<year>[0-9]{4})/$", r"^archive/(?P<year>[0-9]{4})/" + padding + "$"):
        urls.write_text("from django.urls import re_path\n\nfrom . import views\n\n"
                        f"urlpatterns = [re_path(r\"{route}\", views.archive)]\n", encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "bastion", "check", "--no-cache", "--format", "json",
                               str(project)], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "server")}, check=False)
        reported.append(sorted(r["line"] for r in json.loads(done.stdout)["results"]
                               if r["rule_id"] == "BST204" and r["path"].endswith("views.py")))
    line = VIEWS.splitlines().index('        cursor.execute("SELECT * FROM posts WHERE year = " + year)') + 1
    assert [line in lines for lines in reported] == [False, True]


# Django's "Including other URLconfs": what a route captures reaches every view the URLconf it
# includes routes, also through that URLconf's own includes (two levels here: the project's
# urls.py includes the shop's, which includes the catalog's)
CATALOG_VIEWS = '''import os

from django.http import HttpResponse


def category(request, shop_id, slug):
    os.system("ls /srv/shops/" + str(shop_id))
    return HttpResponse("ok")


def region_report(request, region, slug):
    os.system("report " + region)  # BST202
    return HttpResponse("ok")
'''

CATALOG_URLS = '''from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/", views.category),
    path("<slug:slug>/report/", views.region_report),
]
'''

SHOP_URLS = '''from django.urls import include, path

urlpatterns = [
    path("catalog/", include("shop.catalog.urls")),
]
'''

SITE_URLS = '''from django.urls import include, path

urlpatterns = [
    path("shops/<int:shop_id>/", include("shop.urls")),
    path("regions/<str:region>/", include("shop.urls")),
]
'''


def test_what_an_include_captures_reaches_the_views_two_includes_down(tmp_path):
    """`shop_id` is digits on every route reaching `category` (main read only the catalog's own
    routes and the shop's include, which captures nothing: `shop_id` was text); `region` is
    text on the one route reaching `region_report`."""
    apps = {"shop/__init__.py": "", "shop/urls.py": SHOP_URLS, "shop/catalog/__init__.py": "",
            "shop/catalog/views.py": CATALOG_VIEWS, "shop/catalog/urls.py": CATALOG_URLS,
            "mysite/__init__.py": "", "mysite/urls.py": SITE_URLS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)


# A project whose root URLconf is no `urls.py` near the views: the settings `manage.py` names set
# `ROOT_URLCONF` (Django's "How Django processes a request": the root URLconf module is that
# setting's), here in the base settings the named module star-imports
MANAGE = '''import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
'''

ROUTING = '''from django.urls import path

from apps.shop import views

urlpatterns = [
    path("items/<int:pk>/", views.item),
    path("run/<str:tool>/", views.run),
]
'''

ROUTED_VIEWS = '''import os

from django.http import HttpResponse


def item(request, pk):
    os.system("show-item " + str(pk))
    return HttpResponse("ok")


def run(request, tool):
    os.system("run " + tool)  # BST202
    return HttpResponse("ok")
'''


def test_the_root_urlconf_the_settings_name_types_the_views_parameters(tmp_path):
    """Main read only the `urls.py` files near the view: `pk` was text."""
    apps = {"manage.py": MANAGE, "project/__init__.py": "", "project/settings/__init__.py": "",
            "project/settings/base.py": 'ROOT_URLCONF = "project.routing.main"\n',
            "project/settings/local.py": "from .base import *  # noqa: F403\n\nDEBUG = True\n",
            "project/routing/__init__.py": "", "project/routing/main.py": ROUTING,
            "apps/__init__.py": "", "apps/shop/__init__.py": "", "apps/shop/views.py": ROUTED_VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
