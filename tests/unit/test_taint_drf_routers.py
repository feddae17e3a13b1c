"""Django REST framework's routers (issue 12): `router.register(r"items", views.ItemViewSet)` in a
`urls.py` routes the viewset's detail methods with DRF's lookup regex, `(?P<pk>[^/.]+)`, named
by the viewset's `lookup_url_kwarg` or `lookup_field` and matching its `lookup_value_regex`
(DRF's routers guide and SimpleRouter.get_lookup_regex). A viewset declaring
`lookup_value_regex = "[0-9]+"` hands `retrieve` and its `@action(detail=True)` methods a `pk` of
digits; the default regex keeps a `name` text in a shell line; a regex prefix's group is
captured as well. Main took every such parameter as the request's text. A viewset deriving
from a class of the project, which may set another regex, and a router built with
`use_regex_path=False` say nothing of the lookup."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

VIEWS = '''import os

from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response


class ItemViewSet(viewsets.ViewSet):
    lookup_value_regex = "[0-9]+"

    def retrieve(self, request, pk=None):
        os.system("show-item " + pk)
        return Response({})

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        os.system("archive-item " + pk)
        return Response({})


class TagViewSet(viewsets.ViewSet):
    lookup_field = "name"

    def retrieve(self, request, name=None):
        os.system("show-tag " + name)  # BST202
        return Response({})


class NoteViewSet(viewsets.ViewSet):
    def list(self, request, user_pk=None):
        os.system("list-notes " + user_pk)
        return Response([])

    def retrieve(self, request, user_pk=None, pk=None):
        os.system("show-note " + pk)  # BST202
        return Response({})


class BaseViewSet(viewsets.ViewSet):
    lookup_value_regex = ".+"


class AccountViewSet(BaseViewSet):
    def retrieve(self, request, pk=None):
        os.system("show-account " + pk)  # BST202
        return Response({})
'''

URLS = '''from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register(r"items", views.ItemViewSet, basename="item")
router.register(r"tags", views.TagViewSet, basename="tag")
router.register(r"users/(?P<user_pk>[0-9]+)/notes", views.NoteViewSet, basename="note")
router.register(r"accounts", views.AccountViewSet, basename="account")

urlpatterns = [
    path("api/", include(router.urls)),
]
'''

PATH_URLS = URLS.replace("router = DefaultRouter()", "router = DefaultRouter(use_regex_path=False)")
UNTYPED = VIEWS.replace('os.system("show-item " + pk)', 'os.system("show-item " + pk)  # BST202') \
    .replace('os.system("archive-item " + pk)', 'os.system("archive-item " + pk)  # BST202') \
    .replace('os.system("list-notes " + user_pk)', 'os.system("list-notes " + user_pk)  # BST202')


def test_a_routers_lookup_types_the_viewsets_parameters(tmp_path):
    apps = {"api/__init__.py": "", "api/views.py": VIEWS, "api/urls.py": URLS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)


def test_a_router_of_path_converters_says_nothing(tmp_path):
    apps = {"api/__init__.py": "", "api/views.py": UNTYPED, "api/urls.py": PATH_URLS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
