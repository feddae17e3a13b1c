"""Taint analysis on a Django app whose model has methods (the "fat models" layout Django's
documentation shows: `Model` methods for row-level work, here one running raw SQL through
`connection.cursor()`), called by views on the row a query selected: `get_object_or_404(Post,
pk=pk)`, `Post.objects.get(...)`, `Post.objects.filter(...).first()`. The row is an instance of
the model class of `models.py`, so its methods' summaries apply: request data handed to one
reaching `cursor.execute` reports at the call, a parameterised twin does not.
Each line that must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent, in `bastion check` and in the editor's store."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

MODELS = r'''from django.db import connection, models


class Post(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    tags = models.CharField(max_length=200, blank=True)

    def related_by_tag(self, tag):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM blog_post WHERE tags LIKE '%%%s%%'" % tag)
            return cursor.fetchall()

    def related_by_tag_safe(self, tag):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM blog_post WHERE tags LIKE %s", ["%" + tag + "%"])
            return cursor.fetchall()
'''

VIEWS = r'''from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Post


def related(request, pk):
    post = get_object_or_404(Post, pk=pk)
    rows = post.related_by_tag(request.GET["tag"])  # BST204
    safe = post.related_by_tag_safe(request.GET["tag"])
    return JsonResponse({"rows": rows, "safe": safe})


def related_by_slug(request, slug):
    post = Post.objects.get(slug=slug)
    return JsonResponse({"rows": post.related_by_tag(request.GET["tag"])})  # BST204


def newest_related(request):
    post = Post.objects.filter(tags__contains="news").order_by("-id").first()
    fixed = post.related_by_tag("news")
    return JsonResponse({"rows": post.related_by_tag(request.GET["tag"]), "fixed": fixed})  # BST204
'''


def test_a_row_a_query_selects_runs_its_model_classes_methods(tmp_path):
    (tmp_path / "blog").mkdir()
    apps = {"blog/__init__.py": "", "blog/models.py": MODELS, "blog/views.py": VIEWS}
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)
