"""`may_define_forms`, the text test by which the summary store parses no imported module for
its form classes that cannot define one, is False only for modules where `validated_forms`
(through `class_facts`) finds none: on every tree of the fixtures, Bastion's analyzers and a part
of the standard library, and on generated modules that spell a form model's base every way an
import allows."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples
from tests.unit.test_taint_workspace_forms import FORMS, SCHEMAS
from tests.unit.test_taint_workspace_records import RECORDS

from bastion.analyzers.taint.context import class_facts
from bastion.analyzers.taint.forms import may_define_forms
from bastion.analyzers.taint.model_files import load_models
from bastion.parsing import parse_code

ROOT = Path(__file__).resolve().parents[2]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
MODELS = load_models()


def _texts():
    yield from (FORMS, SCHEMAS, RECORDS)
    for folder in (ROOT / "tests" / "fixtures", ROOT / "server" / "bastion" / "analyzers",
                   STDLIB / "email", STDLIB / "http", STDLIB / "logging"):
        for path in sorted(folder.rglob("*.py")):
            try:
                yield path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue


def _forms(text: str) -> dict | None:
    try:
        return class_facts(parse_code(text), MODELS, text).forms
    except (SyntaxError, ValueError, RecursionError):
        return None


def test_a_module_the_test_passes_over_defines_no_form():
    passed = defining = 0
    for text in _texts():
        forms = _forms(text)
        if forms is None:
            continue
        if not may_define_forms(text, MODELS):
            passed += 1
            assert forms == {}
        defining += bool(forms)
    assert passed > 200 and defining >= 3  # most are passed over; the form modules are not


# (import statement, how a class names the base) for each spelling of a form model's base
SPELLINGS = [
    ("from pydantic import BaseModel", "BaseModel"),
    ("from pydantic import BaseModel as Schema", "Schema"),
    ("import pydantic", "pydantic.BaseModel"),
    ("import pydantic as pd", "pd.BaseModel"),
    ("from pydantic import v1", "v1.BaseModel"),
    ("from django import forms", "forms.Form"),
    ("from django import forms as f", "f.ModelForm"),
    ("import django.forms", "django.forms.Form"),
    ("from django.forms import Form as F", "F"),
    ("from rest_framework import serializers as s", "s.Serializer"),
    ("from rest_framework.serializers import ModelSerializer", "ModelSerializer"),
]


@settings(max_examples=examples(200), deadline=None)
@given(st.sampled_from(SPELLINGS), st.booleans(), st.sampled_from(["x: int", "x = 1", "pass"]))
def test_every_spelling_of_a_form_base_is_searched(spelling, through_local, body):
    imported, base = spelling
    if through_local:  # a form of this module's own form class
        text = f"{imported}\n\nclass Base({base}):\n    {body}\n\nclass Item(Base):\n    {body}\n"
    else:
        text = f"{imported}\n\nclass Item({base}):\n    {body}\n"
    assert _forms(text), text  # every spelling defines a form
    assert may_define_forms(text, MODELS)
