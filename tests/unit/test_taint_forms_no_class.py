"""`validated_forms` returns at once when no base of any class is a form model's base (most
modules, at each keystroke): what it returns is what the field-by-field pass returns, on the
fixtures, the form modules and a part of the standard library, with bases a class inherits from
its module and from another module (`bases_of`), as the module context resolves them."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest
from tests.unit.test_taint_workspace_forms import FORMS, SCHEMAS

from bastion.analyzers.taint import forms as forms_module
from bastion.analyzers.taint.classes import class_shapes
from bastion.analyzers.taint.model_files import load_models
from bastion.analyzers.taint.module_level import module_level
from bastion.parsing import parse_code

ROOT = Path(__file__).resolve().parents[2]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
MODELS = load_models()
# a form of this module only through another module's form class (its bases given by `bases_of`)
ELSEWHERE = '''
from .base import Base


class Search(Base):
    q: int
    page = Field()
'''
ELSEWHERE_BASES = {"Base": ("django.forms.Form",), "base.Base": ("django.forms.Form",)}


def _texts():
    yield from (FORMS, SCHEMAS, ELSEWHERE)
    for folder in (ROOT / "tests" / "fixtures", STDLIB / "email", STDLIB / "json"):
        for path in sorted(folder.rglob("*.py"))[:60]:
            try:
                yield path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue


def _both(text: str, monkeypatch: pytest.MonkeyPatch):
    """`validated_forms` of `text`, then the same with the early return never taken."""
    tree = parse_code(text)
    level = module_level(tree, None, text)
    shapes = class_shapes(level.definitions, level.env, level.kinds,
                          lambda name: ELSEWHERE_BASES.get(name, ()))
    quick = forms_module.validated_forms(shapes, level.env, level.kinds, MODELS)
    with monkeypatch.context() as patched:  # every module seems to have a form model's base
        patched.setattr(forms_module, "_all_bases", lambda _: {"django.forms.Form"})
        full = forms_module.validated_forms(shapes, level.env, level.kinds, MODELS)
    return quick, full


def test_the_early_return_changes_no_module_forms(monkeypatch):
    compared = defining = 0
    for text in _texts():
        try:
            quick, full = _both(text, monkeypatch)
        except (SyntaxError, ValueError, RecursionError):
            continue
        assert quick == full
        compared += 1
        defining += bool(full)
    assert compared > 60 and defining >= 3  # the form modules, including one through `bases_of`


def test_a_form_only_through_another_module_is_found(monkeypatch):
    quick, full = _both(ELSEWHERE, monkeypatch)
    assert set(quick) == {"Search"} and quick == full
