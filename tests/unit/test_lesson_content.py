"""Issue 13 item 3: the lesson fields after "How to fix" (exceptions, verification, framework
variants, dated versions, the attack harness status), their validation and where they show."""

from __future__ import annotations

import re

import pytest
from test_catalog_schema import VALID

from bastion.catalog.index import RuleCatalog
from bastion.catalog.loader import load_rule_files, tomllib  # tomli below Python 3.11
from bastion.catalog.paths import rules_dir
from bastion.catalog.render import render_terminal
from bastion.catalog.schema import InvalidRule
from bastion.catalog.validate import parse_rule

EXTRA = '''
affected_versions = ["CVE-2099-0001 (2099-01): frobnicate < 2.0 runs `;`, fixed in 2.0"]

[lesson.variants]
flask = "Use `flask.safe_join`."
django = "Use `django.utils._os.safe_join`."
'''


def rule(extra: str = EXTRA):
    text = VALID.format(id="B602", name="subprocess_popen_with_shell_equals_true")
    text = text.replace('when_fine = "The command is a constant."',
                        'when_fine = "The command is a constant and `path` comes from `os.listdir`."')
    text = text.replace('how_to_test = "Pass `; id` and check nothing else runs."',
                        'how_to_test = "Call `run` with `; touch /tmp/x` and assert the file does '
                        'not appear."')
    return parse_rule(tomllib.loads(text + extra), "B602.toml")


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
    text = problems('affected_versions = ["frobnicate < 2.0"]\n'
                    '[lesson.variants]\nrails = "no"\n')
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
    # not in the hover, which must stay within VS Code's 250 px: the panel shows it
    assert "The command is a constant" not in catalog.hover_markdown("B602")
    payload = catalog.explain_payload("B602")
    assert payload["howToTest"].startswith("Call `run`")
    assert payload["variants"][1] == {"framework": "flask", "name": "Flask",
                                      "text": "Use `flask.safe_join`."}
    assert payload["attack"] == {"runs": True, "reason": ""}


def test_each_required_field_is_refused_when_missing_or_empty():
    text = VALID.format(id="B602", name="subprocess_popen_with_shell_equals_true")
    for line, field in (('when_fine = "The command is a constant."', "lesson.when_fine"),
                        ('how_to_test = "Pass `; id` and check nothing else runs."',
                         "lesson.how_to_test"),
                        ('attack = "runs"', "lesson.attack")):
        for broken, message in (("", "missing"), (f'{line.split(" = ")[0]} = " "', "is empty")):
            with pytest.raises(InvalidRule) as caught:
                parse_rule(tomllib.loads(text.replace(line, broken)), "B602.toml")
            assert f"{field}: {message}" in str(caught.value)


def test_a_lesson_whose_attack_cannot_run_says_why():
    text = VALID.format(id="B602", name="subprocess_popen_with_shell_equals_true")
    spec = parse_rule(tomllib.loads(text.replace('attack = "runs"',
                                                 'attack = "needs a live AWS account"')), "B.toml")
    payload = RuleCatalog([spec]).explain_payload("B602")
    assert payload["attack"] == {"runs": False, "reason": "needs a live AWS account"}


SHIPPED, SHIPPED_ERRORS = load_rule_files(rules_dir())
CVE = re.compile(r"CVE-\d{4}-\d{4,}")


def test_every_shipped_lesson_has_the_required_fields():
    # The schema refuses a lesson without them, so every file must load.
    assert not SHIPPED_ERRORS, "\n".join(map(str, SHIPPED_ERRORS))
    assert len(SHIPPED) >= 122
    for spec in SHIPPED:
        assert spec.lesson.when_fine and spec.lesson.how_to_test and spec.lesson.attack, spec.id


@pytest.mark.parametrize("spec", SHIPPED, ids=[s.id for s in SHIPPED])
def test_every_cve_a_lesson_names_has_a_dated_affected_versions_line(spec):
    lesson = spec.lesson
    prose = "\n".join([lesson.summary, lesson.why, lesson.how_to_fix, lesson.when_fine,
                       lesson.how_to_test, *(text for _, text in lesson.variants)])
    listed = set(CVE.findall("\n".join(lesson.affected_versions)))
    assert set(CVE.findall(prose)) <= listed, (
        f"{spec.source_file}: CVEs named without an affected_versions line: "
        f"{sorted(set(CVE.findall(prose)) - listed)}")


@pytest.mark.parametrize("spec", SHIPPED, ids=[s.id for s in SHIPPED])
def test_how_to_test_says_what_to_run_and_is_not_the_fix_again(spec):
    lesson = spec.lesson
    assert lesson.how_to_test != lesson.how_to_fix
    # A verification names something to call or run: code in backticks or a command.
    assert "`" in lesson.how_to_test, f"{spec.source_file}: how_to_test names nothing to run"
