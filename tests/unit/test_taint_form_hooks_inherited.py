"""A generic view's hook handed the form or serializer its base class names (issue 12): Django's
class-based views and DRF's generic views read `form_class` / `serializer_class` as class
attributes, so `class Base(FormView): form_class = AgeForm` then `class AgeView(Base): def
form_valid(self, form)` hands the hook a validated AgeForm: an `IntegerField` holds an int, a
`CharField` the request's text. The nearest class of the lineage naming one wins; one naming it
otherwise (`form_class = form_for(...)`) hides its ancestors' (the hook's form is then unknown
request data)."""

from __future__ import annotations

import pytest
from tests.unit.test_taint_form_hooks import DRF as DRF_OWN

from bastion.analyzers.taint.analyzer import TaintAnalyzer

DJANGO = """from django import forms
from django.db import connection
from django.views.generic.edit import FormView


class IntForm(forms.Form):
    age = forms.IntegerField()


class TextForm(forms.Form):
    age = forms.CharField()


class BaseAgeView(FormView):
    template_name = "age.html"
    form_class = {base}


class MiddleView(BaseAgeView):
{middle}


class AgeView(MiddleView):
    success_url = "/thanks/"

    def form_valid(self, form):
        with connection.cursor() as cur:
            cur.execute("SELECT name FROM people WHERE age = '%s'" % form.cleaned_data["age"])
        return super().form_valid(form)
"""
# the documentation's CreateAPIView of test_taint_form_hooks.py, its serializer_class on a base
DRF = DRF_OWN.replace("class AgeCreate(generics.CreateAPIView):\n    serializer_class = AgeSerializer\n",
                      "class PeopleBase(generics.GenericAPIView):\n    serializer_class = AgeSerializer\n\n\n"
                      "class AgeCreate(generics.CreateAPIView, PeopleBase):\n{middle}\n")
PASS = "    pass"


def sql_lines(source: str, analyzer: TaintAnalyzer | None = None) -> list[int]:
    return [f.line for f in (analyzer or TaintAnalyzer()).analyse_file(source, "views.py")
            if f.rule_id == "BST204"]


@pytest.mark.parametrize(("base", "middle", "line"), [
    ("IntForm", PASS, None),  # two classes up
    ("TextForm", PASS, 27),
    ("TextForm", "    form_class = IntForm", None),  # the nearest wins
    ("IntForm", "    form_class = TextForm", 27),
    ("IntForm", "    form_class = forms.Form", 27),  # named otherwise: not IntForm's fields
])
def test_a_django_hook_reads_the_form_its_ancestors_name(base, middle, line):
    assert sql_lines(DJANGO.format(base=base, middle=middle)) == ([] if line is None else [line])


@pytest.mark.parametrize(("field", "middle", "line"), [
    ("IntegerField", "    queryset = None", None),
    ("CharField", "    queryset = None", 17),
    ("IntegerField", "    serializer_class = serializers.Serializer", 17),
])
def test_a_drf_hook_reads_the_serializer_its_base_names(field, middle, line):
    assert sql_lines(DRF.format(field=field, middle=middle)) == ([] if line is None else [line])


def test_the_hooks_result_follows_its_bases_form_in_one_analyzer():
    """The hook's text is the same: what its base names is part of its cache key."""
    analyzer = TaintAnalyzer()
    assert sql_lines(DJANGO.format(base="IntForm", middle=PASS), analyzer) == []
    assert sql_lines(DJANGO.format(base="TextForm", middle=PASS), analyzer) == [27]
    assert sql_lines(DJANGO.format(base="IntForm", middle=PASS), analyzer) == []
