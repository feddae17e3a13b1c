"""The form a generic view's hook is handed, field by field (issue 12): Django's FormView calls
`form_valid(self, form)` with the bound, validated instance of its `form_class`, DRF's
CreateAPIView `perform_create(self, serializer)` with one of its `serializer_class`. A field
declared `IntegerField` holds an int there, as in `AgeForm(request.POST).cleaned_data`; a
`CharField` holds the request's text. Written from the Django and DRF documentation's views."""

from __future__ import annotations

from bastion.analyzers.taint.analyzer import TaintAnalyzer

DJANGO = """from django import forms
from django.db import connection
from django.views.generic.edit import FormView


class AgeForm(forms.Form):
    age = forms.{field}()


class AgeView(FormView):
    form_class = AgeForm

    def form_valid(self, form):
        with connection.cursor() as cur:
            cur.execute("SELECT name FROM people WHERE age = '%s'" % form.cleaned_data["age"])
        return super().form_valid(form)
"""

DRF = """from django.db import connection
from rest_framework import generics, serializers


class AgeSerializer(serializers.Serializer):
    age = serializers.{field}()


class AgeCreate(generics.CreateAPIView):
    serializer_class = AgeSerializer

    def perform_create(self, serializer):
        with connection.cursor() as cur:
            cur.execute("DELETE FROM people WHERE age = '%s'" % serializer.validated_data["age"])
"""


def sql_lines(source: str, analyzer: TaintAnalyzer | None = None) -> list[int]:
    return [f.line for f in (analyzer or TaintAnalyzer()).analyse_file(source, "views.py")
            if f.rule_id == "BST204"]


def test_an_integer_field_of_the_views_form_is_no_injection():
    assert not sql_lines(DJANGO.format(field="IntegerField"))
    assert sql_lines(DJANGO.format(field="CharField")) == [14]


def test_an_integer_field_of_the_views_serializer_is_no_injection():
    assert not sql_lines(DRF.format(field="IntegerField"))
    assert sql_lines(DRF.format(field="CharField")) == [13]


def test_a_view_without_form_class_keeps_the_whole_form_tainted():
    source = DJANGO.format(field="IntegerField").replace("    form_class = AgeForm\n", "")
    assert sql_lines(source) == [13]


def test_changing_the_form_class_reanalyses_the_hook():
    """The hook's text is unchanged: its cached outcome must not be reused."""
    source = DJANGO.format(field="IntegerField") \
        + "\n\nclass NameForm(forms.Form):\n    age = forms.CharField()\n"
    warm = TaintAnalyzer()
    assert not sql_lines(source, warm)
    changed = source.replace("form_class = AgeForm", "form_class = NameForm")
    assert sql_lines(changed, warm) == sql_lines(changed) == [14]
