"""Jinja macros a rendered template calls with a context variable (taint/template_macros.py):
the variable is printed as the macro prints its parameter, the macro defined in the template or
in one it imports (`{% import %}`, `{% from ... import %}`). Cases written from Jinja's
"Template Designer Documentation" (Macros, Import)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore

FLASK = ("from flask import Flask, render_template, request\napp = Flask(__name__)\n"
         "@app.route('/h')\ndef h():\n"
         "    return render_template('page.html', name=request.args['n'])\n")
FIELD_RAW = "{% macro field(value, label='') %}<b>{{ label }}</b>{{ value|safe }}{% endmacro %}\n"
CELL_RAW = "{% macro cell(v) %}{{ v|safe }}{% endmacro %}\n"
CELL = "{% macro cell(v) %}{{ v }}{% endmacro %}\n"
FIELD_ESCAPED = "{% macro field(value, label='') %}<b>{{ label|safe }}</b>{{ value }}{% endmacro %}\n"


def _found(root: Path, templates: dict[str, str]) -> list:
    (root / "app.py").write_text(FLASK, encoding="utf-8")
    for name, text in templates.items():
        target = root / "templates" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(root)], analyzer.models, analyzer.version)
    return analyzer.analyse_file(FLASK, str(root / "app.py"))


# (templates, reported): each vulnerable case has a silent twin
CASES = [
    ({"page.html": "{% import 'forms.html' as forms %}<p>{{ forms.field(name) }}</p>\n",
      "forms.html": FIELD_RAW}, True),
    ({"page.html": "{% import 'forms.html' as forms %}<p>{{ forms.field(name) }}</p>\n",
      "forms.html": FIELD_ESCAPED}, False),
    ({"page.html": "{% from 'forms.html' import field as f with context %}{{ f(label=name) }}\n",
      "forms.html": FIELD_ESCAPED}, True),
    ({"page.html": "{% from 'forms.html' import field as f %}{{ f(name, label='Name') }}\n",
      "forms.html": FIELD_ESCAPED}, False),
    ({"page.html": "{% from \"lib/forms.html\" import other, field %}{{ field(name) }}\n",
      "lib/forms.html": "{% macro other(v) %}{{ v }}{% endmacro %}" + FIELD_RAW}, True),
    ({"page.html": "{% from \"lib/forms.html\" import other, field %}{{ other(name) }}\n",
      "lib/forms.html": "{% macro other(v) %}{{ v }}{% endmacro %}" + FIELD_RAW}, False),
    # a macro of the rendered template itself
    ({"page.html": FIELD_RAW + "<p>{{ field(name) }}</p>\n"}, True),
    ({"page.html": FIELD_RAW + "<p>{{ field('x', label=name) }}</p>\n"}, False),
    # a macro an included template imports
    ({"page.html": "{% include 'row.html' %}\n",
      "row.html": "{% import 'forms.html' as forms %}{{ forms.field(name) }}\n",
      "forms.html": FIELD_RAW}, True),
    # the macro file is read with its own extension: Flask does not escape a .txt
    ({"page.html": "{% import 'mail.txt' as mail %}{{ mail.line(name) }}\n",
      "mail.txt": "{% macro line(text) %}{{ text }}{% endmacro %}\n"}, True),
    ({"page.html": "{% import '../forms.html' as forms %}{{ forms.field(name) }}\n",
      "../forms.html": FIELD_RAW}, False),
    # the names up to the tag's end, its `without context` and whitespace control left out
    ({"page.html": "{%- from 'forms.html' import row,\n   field without context -%}{{ field(name) }}\n",
      "forms.html": FIELD_RAW}, True),
    ({"page.html": "{%- from 'forms.html' import row,\n   field without context -%}{{ field(name) }}\n",
      "forms.html": FIELD_ESCAPED}, False),
    # a macro passing its parameter to another of its file, defined before or after it
    ({"page.html": "{% import 'forms.html' as forms %}{{ forms.row(name) }}\n",
      "forms.html": "{% macro row(value) %}<td>{{ cell(value) }}</td>{% endmacro %}\n" + CELL_RAW}, True),
    ({"page.html": "{% import 'forms.html' as forms %}{{ forms.row(name) }}\n",
      "forms.html": "{% macro row(value) %}<td>{{ cell(value) }}</td>{% endmacro %}\n" + CELL}, False),
    ({"page.html": "{% from 'forms.html' import table %}{{ table(title='T', rows=name) }}\n",
      "forms.html": CELL_RAW + "{% macro row(value) %}{{ cell(v=value) }}{% endmacro %}\n"
      "{% macro table(title, rows) %}<h1>{{ title }}</h1>{{ row(rows) }}{% endmacro %}\n"}, True),
    ({"page.html": "{% from 'forms.html' import table %}{{ table(title=name, rows='x') }}\n",
      "forms.html": CELL_RAW + "{% macro row(value) %}{{ cell(v=value) }}{% endmacro %}\n"
      "{% macro table(title, rows) %}<h1>{{ title }}</h1>{{ row(rows) }}{% endmacro %}\n"}, False),
    # a call block: `{% call %}` passes its arguments as `{{ }}` does
    ({"page.html": "{% import 'forms.html' as forms %}{% call forms.field(name) %}x{% endcall %}\n",
      "forms.html": FIELD_RAW}, True),
    ({"page.html": "{% import 'forms.html' as forms %}{% call forms.field(name) %}x{% endcall %}\n",
      "forms.html": FIELD_ESCAPED}, False),
    ({"page.html": FIELD_RAW + "{%- call(item) field(name, label='L') -%}{{ item }}{% endcall %}\n"}, True),
    ({"page.html": FIELD_RAW + "{%- call(item) field('x', label=name) -%}{{ item }}{% endcall %}\n"},
     False),
]


@pytest.mark.parametrize(("templates", "reported"), CASES)
def test_a_context_variable_a_called_macro_prints_unescaped_is_reported(tmp_path, templates,
                                                                         reported):
    assert [f.rule_id for f in _found(tmp_path, templates)] == (["BST203"] if reported else [])


def test_the_path_shows_the_print_in_the_macro_file(tmp_path):
    finding, = _found(tmp_path, {"page.html": "{% import 'forms.html' as forms %}{{ forms.field(name) }}\n",
                                 "forms.html": "\n" + FIELD_RAW})
    step = next(s for s in finding.steps if s.path is not None)
    assert (step.path, step.span.start_line) == (str(tmp_path / "templates" / "forms.html"), 1)
    assert step.message == "printed unescaped: `{{ value|safe }}`"
