"""Rule-file validation: each failure names the file and the field; the shipped rules are clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bastion.catalog.loader import load_rule_files, validate_catalog
from bastion.catalog.schema import InvalidRule, SchemaError
from bastion.catalog.validate import parse_rule, sentence_count

REPO = Path(__file__).resolve().parents[2]

VALID = '''\
id = "{id}"
name = "{name}"
title = "subprocess call with shell=True"
severity = "high"
confidence = "high"
owasp = "A03:2021"
tags = ["subprocess", "injection"]

[cwe]
id = 78
name = "OS Command Injection"

[lesson]
summary = "A shell parses the command line. Untrusted input can add commands."
why = """The shell runs `;` separated commands."""
how_to_fix = """
1. Pass a list of arguments and drop `shell=True`.
2. Validate the input.
"""
vulnerable = """
import subprocess
subprocess.run(f"ls {{path}}", shell=True)
"""
fixed = """
import subprocess
subprocess.run(["ls", path])
"""
references = ["https://cwe.mitre.org/data/definitions/78.html"]
when_fine = "The command is a constant."
how_to_test = "Pass `; id` and check nothing else runs."
attack = "runs"
'''


def write_rule(root: Path, rule_id: str = "B602",
               name: str = "subprocess_popen_with_shell_equals_true", text: str | None = None,
               folder: str = "bandit") -> Path:
    path = root / folder / f"{rule_id}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else VALID.format(id=rule_id, name=name),
                    encoding="utf-8")
    return path


def errors_for(tmp_path: Path, text: str) -> list[SchemaError]:
    write_rule(tmp_path, text=text)
    specs, errors = load_rule_files(tmp_path)
    assert not specs
    return errors


def assert_reported(errors: list[SchemaError], field: str, words: str = "",
                    file: str = "B602.toml") -> None:
    shown = [str(e) for e in errors]
    assert any(e.field == field and file in e.file and words in e.message for e in errors), shown
    assert any(file in s and f": {field}: " in s for s in shown), shown


def test_valid_rule_loads(tmp_path):
    write_rule(tmp_path)
    specs, errors = load_rule_files(tmp_path)
    assert errors == []
    (spec,) = specs
    assert spec.id == "B602" and spec.cwe.id == 78 and spec.tags == ("subprocess", "injection")
    assert spec.lesson.references == ("https://cwe.mitre.org/data/definitions/78.html",)
    assert spec.source_file.endswith("B602.toml")


def test_error_string_is_file_field_message():
    assert str(SchemaError("rules/x.toml", "owasp", "bad")) == "rules/x.toml: owasp: bad"
    assert str(SchemaError("rules/x.toml", "toml", "bad", line=3)) == "rules/x.toml:3: toml: bad"


@pytest.mark.parametrize("field", ["title", "severity", "owasp", "tags", "cwe", "lesson"])
def test_missing_field(tmp_path, field):
    text = VALID.format(id="B602", name="n")
    kept = []
    skipping = False
    for line in text.splitlines():
        if line.startswith("["):
            skipping = line == f"[{field}]"
        elif line.startswith(f"{field} ="):
            continue
        if not skipping:
            kept.append(line)
    assert_reported(errors_for(tmp_path, "\n".join(kept)), field, "missing")


@pytest.mark.parametrize(("before", "after", "field"), [
    ('title = "subprocess call with shell=True"', 'title = "  "', "title"),
    ('tags = ["subprocess", "injection"]', "tags = []", "tags"),
    ('why = """The shell runs `;` separated commands."""', 'why = ""', "lesson.why"),
    ('references = ["https://cwe.mitre.org/data/definitions/78.html"]', "references = []",
     "lesson.references"),
])
def test_empty_field(tmp_path, before, after, field):
    text = VALID.format(id="B602", name="n")
    assert before in text
    assert_reported(errors_for(tmp_path, text.replace(before, after)), field, "empty")


@pytest.mark.parametrize(("before", "after", "field", "words"), [
    ('id = "B602"', 'id = "X602"', "id", "X602"),
    ('severity = "high"', 'severity = "critical"', "severity", "critical"),
    ('confidence = "high"', 'confidence = 3', "confidence", "string"),
    ('owasp = "A03:2021"', 'owasp = "A11:2021"', "owasp", "A11:2021"),
    ('owasp = "A03:2021"', 'owasp = "A03:2017"', "owasp", "OWASP"),
    ('tags = ["subprocess", "injection"]', 'tags = ["Sub Process"]', "tags", "lower-case"),
    ("id = 78", 'id = "CWE-78"', "cwe", "positive integer"),
    ("id = 78", "id = -4", "cwe", "positive integer"),
    ('name = "OS Command Injection"', 'name = ""', "cwe", "name"),
    ('summary = "A shell parses the command line. Untrusted input can add commands."',
     'summary = "One. Two. Three."', "lesson.summary", "3 sentences"),
    ('["https://cwe.mitre.org/data/definitions/78.html"]', '["cwe.mitre.org/78"]',
     "lesson.references", "URL"),
    ('subprocess.run(["ls", path])', 'subprocess.run(["ls", path)', "lesson.fixed", "Python"),
    ('title = "subprocess call with shell=True"', 'title = "Shell."', "title", "period"),
    ('[cwe]', 'tilte = "typo"\n[cwe]', "tilte", "unknown"),
    ('why = ', 'wy = "typo"\nwhy = ', "lesson.wy", "unknown"),
])
def test_invalid_value(tmp_path, before, after, field, words):
    text = VALID.format(id="B602", name="n")
    assert before in text
    assert_reported(errors_for(tmp_path, text.replace(before, after, 1)), field, words)


def test_fix_steps_must_be_numbered(tmp_path):
    text = VALID.format(id="B602", name="n").replace("1. Pass", "Pass").replace("2. Valid", "Valid")
    assert_reported(errors_for(tmp_path, text), "lesson.how_to_fix", "numbered")


def test_malformed_cwe_table(tmp_path):
    text = VALID.format(id="B602", name="n").replace(
        '[cwe]\nid = 78\nname = "OS Command Injection"\n', "")
    assert_reported(errors_for(tmp_path, "cwe = 78\n" + text), "cwe", "table")


@pytest.mark.parametrize("broader", ["94", "[0]", "[78]", '["94"]', "[true]"])
def test_broader_cwes_must_be_other_cwe_ids(tmp_path, broader):
    text = VALID.format(id="B602", name="n").replace(
        'name = "OS Command Injection"\n', f'name = "OS Command Injection"\nbroader = {broader}\n')
    assert_reported(errors_for(tmp_path, text), "cwe", "broader must be an array of other CWE ids")


def test_broader_cwes_are_read(tmp_path):
    text = VALID.format(id="B602", name="n").replace(
        'name = "OS Command Injection"\n', 'name = "OS Command Injection"\nbroader = [77]\n')
    write_rule(tmp_path, text=text)
    specs, errors = load_rule_files(tmp_path)
    assert errors == [] and specs[0].cwe.broader == (77,)


def test_toml_syntax_error_has_line(tmp_path):
    text = VALID.format(id="B602", name="n").replace('severity = "high"', "severity = high")
    (error,) = errors_for(tmp_path, text)
    assert error.field == "toml" and error.line == 4
    assert "B602.toml:4: toml: " in str(error)


def test_all_errors_reported_at_once(tmp_path):
    text = VALID.format(id="B602", name="n").replace('"high"', '"huge"')
    fields = {e.field for e in errors_for(tmp_path, text)}
    assert {"severity", "confidence"} <= fields


def test_parse_rule_raises_invalid_rule():
    with pytest.raises(InvalidRule) as caught:
        parse_rule({"id": "B602"}, "x.toml")
    assert "x.toml: name: missing" in str(caught.value)


def test_duplicate_id_names_both_files(tmp_path):
    write_rule(tmp_path)
    (tmp_path / "B602.toml").write_text(VALID.format(id="B602", name="other"), encoding="utf-8")
    specs, errors = load_rule_files(tmp_path)
    assert len(specs) == 1
    (error,) = errors
    assert error.field == "id" and "duplicate" in error.message
    named = {Path(error.file), Path(error.message.rsplit(" ", 1)[-1])}
    assert {p.as_posix()[-len("bandit/B602.toml"):] for p in named} == {
        "bandit/B602.toml", str(tmp_path / "B602.toml")[-len("bandit/B602.toml"):]}


def test_file_name_must_match_id(tmp_path):
    write_rule(tmp_path, rule_id="B603", text=VALID.format(id="B602", name="n"))
    _, errors = load_rule_files(tmp_path)
    assert_reported(errors, "id", "B602.toml", file="B603.toml")


def test_own_rule_needs_match_or_check(tmp_path):
    write_rule(tmp_path, "BST001", "shell_injection", folder="bastion")
    _, errors = load_rule_files(tmp_path)
    assert_reported(errors, "match", "[match]", file="BST001.toml")


def test_own_rule_with_check_loads(tmp_path):
    text = VALID.format(id="BST001", name="shell_injection").replace(
        "[cwe]", 'check = "python:shell_injection"\n[cwe]')
    write_rule(tmp_path, "BST001", text=text, folder="bastion")
    specs, errors = load_rule_files(tmp_path)
    assert errors == [] and specs[0].check == "python:shell_injection"


def test_bandit_rule_cannot_have_match(tmp_path):
    text = VALID.format(id="B602", name="n") + '\n[match]\ncall = "os.system"\n'
    assert_reported(errors_for(tmp_path, text), "match", "bandit")


def test_reportable_id_without_file(tmp_path):
    write_rule(tmp_path)
    reportable = {"B602": "subprocess_popen_with_shell_equals_true", "B101": "assert_used"}
    errors = validate_catalog(tmp_path, reportable)
    (error,) = errors
    assert "B101.toml" in error.file and error.field == "id" and "no rule file" in error.message


def test_file_for_unreportable_id(tmp_path):
    write_rule(tmp_path)
    write_rule(tmp_path, "B999", "made_up")
    errors = validate_catalog(tmp_path, {"B602": "subprocess_popen_with_shell_equals_true"})
    (error,) = errors
    assert error.file.endswith("B999.toml") and error.field == "id"
    assert "no analyzer" in error.message


def test_name_differs_from_check_name(tmp_path):
    write_rule(tmp_path, name="shell_true")
    errors = validate_catalog(tmp_path, {"B602": "subprocess_popen_with_shell_equals_true"})
    (error,) = errors
    assert error.file.endswith("B602.toml") and error.field == "name"
    assert "subprocess_popen_with_shell_equals_true" in error.message


def test_sentence_count_ignores_code_and_abbreviations():
    assert sentence_count("Calls `os.system()` e.g. in scripts. It runs a shell.") == 2
    assert sentence_count("One! Two? Three.") == 3


def test_validate_command_on_bad_folder_exits_1(tmp_path):
    write_rule(tmp_path, name="wrong_name")
    done = subprocess.run([sys.executable, "-m", "bastion", "rules", "validate", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "B602.toml: name: " in done.stdout
    assert "problem" in done.stdout.splitlines()[-1]


def test_shipped_rules_validate():
    done = subprocess.run([sys.executable, "-m", "bastion", "rules", "validate"],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all valid" in done.stdout


def test_own_rule_match_checked_by_the_matcher(tmp_path):
    pytest.importorskip("bastion.analyzers.toml_rules")
    text = VALID.format(id="BST001", name="shell_injection").replace(
        "[cwe]", "[match]\nbogus = 1\n\n[cwe]")
    write_rule(tmp_path, "BST001", text=text, folder="bastion")
    _, errors = load_rule_files(tmp_path)
    assert_reported(errors, "match", "bogus", file="BST001.toml")
