"""Issue 13 item 3: the lesson fields after "How to fix" (exceptions, verification, framework
variants, dated versions, the attack harness status), their validation and where they show."""

from __future__ import annotations

import pytest
from test_catalog_schema import VALID

from bastion.catalog.index import RuleCatalog
from bastion.catalog.loader import tomllib  # tomli below Python 3.11
from bastion.catalog.render import render_terminal
from bastion.catalog.schema import InvalidRule, parse_rule

EXTRA = '''
when_fine = "The command is a constant and `path` comes from `os.listdir`."
how_to_test = "Call `run` with `; touch /tmp/x` and assert the file does not appear."
affected_versions = ["CVE-2099-0001 (2099-01): frobnicate < 2.0 runs `;`, fixed in 2.0"]
attack = "runs"

[lesson.variants]
flask = "Use `flask.safe_join`."
django = "Use `django.utils._os.safe_join`."
'''


def rule(extra: str = EXTRA):
    data = tomllib.loads(VALID.format(id="B602", name="subprocess_popen_with_shell_equals_true")
                         + extra)
    return parse_rule(data, "B602.toml")


def problems(extra: str) -> str:
    with pytest.raises(InvalidRule) as caught:
        rule(extra)
    return str(caught.value)


def test_the_new_fields_load_with_variants_in_a_fixed_order():
    lesson = rule().lesson
    assert lesson.when_fine.startswith("The command is a constant")
    assert lesson.how_to_test.startswith("Call `run`")
    assert [key for key, _ in lesson.variants] == ["django", "flask"]
    assert lesson.affected_versions == (
        "CVE-2099-0001 (2099-01): frobnicate < 2.0 runs `;`, fixed in 2.0",)
    assert lesson.attack_runs


def test_an_unknown_framework_an_undated_version_and_an_empty_field_are_refused():
    text = problems('when_fine = " "\naffected_versions = ["frobnicate < 2.0"]\n'
                    '[lesson.variants]\nrails = "no"\n')
    assert "lesson.when_fine: is empty" in text
    assert "'frobnicate < 2.0' has no date" in text
    assert "unknown framework 'rails'" in text


def test_every_view_of_a_lesson_shows_the_new_sections():
    catalog = RuleCatalog([rule()])
    markdown = catalog.markdown("B602")
    for heading in ("## When this is fine", "## How to test", "## Framework variants",
                    "## Affected versions"):
        assert heading in markdown
    assert markdown.index("## How to fix") < markdown.index("## When this is fine") \
        < markdown.index("## Vulnerable")
    assert "- **Django:** Use `django.utils._os.safe_join`." in markdown
    terminal = render_terminal(catalog.get("B602"))
    assert "When this is fine\n-----------------" in terminal
    assert "CVE-2099-0001 (2099-01)" in terminal
    hover = catalog.hover_markdown("B602")
    assert "**Fine when:** The command is a constant and `path` comes from `os.listdir`." in hover
    payload = catalog.explain_payload("B602")
    assert payload["howToTest"].startswith("Call `run`")
    assert payload["variants"][1] == {"framework": "flask", "name": "Flask",
                                      "text": "Use `flask.safe_join`."}
    assert payload["attack"] == {"runs": True, "reason": ""}


def test_a_lesson_whose_attack_cannot_run_says_why():
    payload = RuleCatalog([rule(EXTRA.replace('"runs"', '"needs a live AWS account"'))]) \
        .explain_payload("B602")
    assert payload["attack"] == {"runs": False, "reason": "needs a live AWS account"}
