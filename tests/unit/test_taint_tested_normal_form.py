"""Taint analysis: a path whose normal form is tested inside a base
(`os.path.realpath(full).startswith(BASE + os.sep)`, also `abspath` / `normpath`, or
`Path(full).resolve().is_relative_to(BASE)`) is inside it as given: the file opened by `full` is
the one its normal form names. A test of another path's normal form, or one a sibling passes
(no separator after the base), proves nothing. Each line that must report ends with its rule."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

APP = '''import os
from pathlib import Path

from django.http import HttpResponse

BASE = "/srv/media"


def real(request, path):
    full = os.path.join(BASE, path)
    if not os.path.realpath(full).startswith(BASE + os.sep):
        return HttpResponse(status=403)
    with open(full, "rb") as fh:
        return HttpResponse(fh.read(), content_type="application/octet-stream")


def absolute(request, path):
    full = os.path.join(BASE, path)
    if os.path.abspath(full).startswith(os.path.join(BASE, "")):
        return HttpResponse(open(full, "rb").read(), content_type="application/octet-stream")
    return HttpResponse(status=403)


def resolved(request, path):
    full = os.path.join(BASE, path)
    if not Path(full).resolve().is_relative_to(BASE):
        return HttpResponse(status=403)
    return HttpResponse(open(full, "rb").read(), content_type="application/octet-stream")


def sibling(request, path):
    full = os.path.join(BASE, path)
    if not os.path.realpath(full).startswith(BASE):
        return HttpResponse(status=403)
    return HttpResponse(open(full, "rb").read(), content_type="application/octet-stream")  # BST201


def another(request, path):
    full = os.path.join(BASE, path)
    other = os.path.join(BASE, "index.html")
    if not os.path.realpath(other).startswith(BASE + os.sep):
        return HttpResponse(status=403)
    return HttpResponse(open(full, "rb").read(), content_type="application/octet-stream")  # BST201


def unchecked(request, path):
    full = os.path.join(BASE, path)
    os.path.realpath(full).startswith(BASE + os.sep)
    return HttpResponse(open(full, "rb").read(), content_type="application/octet-stream")  # BST201
'''


def test_a_path_whose_normal_form_is_tested_inside_the_base_is_inside_it():
    assert_marked(APP)
