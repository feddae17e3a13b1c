"""`bastion explain` and `bastion rules list`, on a small catalog and on the shipped one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.catalog import index
from bastion.catalog.index import RuleCatalog
from bastion.catalog.render import first_step, plain_text, render_terminal
from bastion.cli.main import main

RULE = '''\
id = "{id}"
name = "{name}"
title = "{title}"
severity = "{severity}"
confidence = "high"
owasp = "A03:2021"
tags = {tags}

[cwe]
id = 78
name = "OS Command Injection"

[lesson]
summary = "A shell parses the command line. Untrusted input can add commands."
why = """
The shell runs `;` separated commands, so a file name such as `x; rm -rf ~` runs two commands
and the second one deletes the home folder.
"""
how_to_fix = """
1. Pass a **list** of arguments and drop `shell=True`; see [the docs](https://docs.python.org/3/).
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


@pytest.fixture
def catalog(tmp_path, monkeypatch) -> RuleCatalog:
    rules = [("B602", "subprocess_popen_with_shell_equals_true", "Shell command with shell=True",
              "high", '["subprocess", "injection"]'),
             ("B603", "subprocess_without_shell_equals_true", "Subprocess without a shell",
              "low", '["subprocess"]'),
             ("B101", "assert_used", "Use of assert", "low", '["assert"]')]
    for rule_id, name, title, severity, tags in rules:
        path = tmp_path / "bandit" / f"{rule_id}.toml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(RULE.format(id=rule_id, name=name, title=title, severity=severity,
                                    tags=tags), encoding="utf-8")
    loaded = RuleCatalog.from_directory(tmp_path)
    assert len(loaded) == 3
    monkeypatch.setattr(index, "load_catalog", lambda: loaded)
    return loaded


def test_explain_text_has_headings_and_code(catalog, capsys):
    assert main(["explain", "B602", "--color", "never"]) == 0
    out = capsys.readouterr().out
    for heading in ("B602: Shell command with shell=True", "Why it matters", "How to fix",
                    "Vulnerable", "Fixed", "References"):
        assert heading in out
    assert '    subprocess.run(f"ls {path}", shell=True)' in out
    assert '    subprocess.run(["ls", path])' in out
    assert "CWE-78" in out and "A03:2021" in out
    assert "\033[" not in out
    assert all(len(line) <= 100 for line in out.splitlines() if not line.startswith("CWE-"))


def test_explain_colour_only_when_asked(catalog, capsys):
    assert main(["explain", "B602", "--color", "always"]) == 0
    assert "\033[1m" in capsys.readouterr().out


def test_explain_accepts_lower_case_id_and_check_name(catalog, capsys):
    assert main(["explain", "b602", "--format", "markdown"]) == 0
    assert main(["explain", "assert_used", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "# B602: " in out and "# B101: " in out


def test_explain_markdown(catalog, capsys):
    assert main(["explain", "B602", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# B602: Shell command with shell=True\n")
    assert "## Why it matters" in out and "## How to fix" in out
    assert '```python\nimport subprocess\nsubprocess.run(["ls", path])\n```' in out
    assert "[CWE-78: OS Command Injection](https://cwe.mitre.org/data/definitions/78.html)" in out


def test_explain_json(catalog, capsys):
    assert main(["explain", "B602", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["id"] == "B602"
    assert payload["cwe"] == {"id": 78, "name": "OS Command Injection",
                              "url": "https://cwe.mitre.org/data/definitions/78.html", "broader": []}
    assert payload["owasp"]["id"] == "A03:2021" and payload["owasp"]["name"] == "Injection"
    assert payload["tags"] == ["subprocess", "injection"]
    assert payload["howToFix"].startswith("1. Pass")
    assert payload["markdown"].startswith("# B602")
    for key in ("name", "title", "severity", "confidence", "summary", "why", "vulnerable",
                "fixed", "references"):
        assert payload[key]


def test_explain_unknown_id_suggests_close_ids(catalog, capsys):
    assert main(["explain", "B62"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown rule 'B62'" in captured.err and "B602" in captured.err


def test_explain_unknown_id_with_nothing_close(catalog, capsys):
    assert main(["explain", "zzzz"]) == 2
    assert "bastion rules list" in capsys.readouterr().err


def test_rules_list_text(catalog, capsys):
    assert main(["rules", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "SEVERITY", "CWE", "TITLE"]
    assert [line.split()[0] for line in lines[1:]] == ["B101", "B602", "B603"]
    assert "CWE-78" in lines[2] and "Shell command with shell=True" in lines[2]


def test_rules_list_filters(catalog, capsys):
    assert main(["rules", "list", "--tag", "subprocess", "--format", "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["B602", "B603"]
    assert main(["rules", "list", "--severity", "low", "--format", "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["B101", "B603"]
    assert main(["rules", "list", "--tag", "subprocess", "--severity", "high"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["B602"]


def test_rules_without_action_is_usage_error(capsys):
    assert main(["rules"]) == 2


def test_hover_and_hints(catalog):
    hover = catalog.hover_markdown("B602", "subprocess call with shell=True identified",
                                   learn_more_uri="command:bastion.explain?B602")
    assert hover.startswith("**Shell command with shell=True** (B602) · high severity · "
                            "[CWE-78](https://cwe.mitre.org/data/definitions/78.html)")
    assert "Pass a **list** of arguments" in hover and "Validate the input" not in hover
    assert hover.rstrip().endswith("[Learn more](command:bastion.explain?B602)")
    # three paragraphs: a hover taller than VS Code's 250 px cap scrolls and cuts its last row
    assert hover.count("\n\n") == 2 and "subprocess call with shell=True identified" not in hover
    assert "Learn more" not in catalog.hover_markdown("B602")
    hint = catalog.hints()["B602"]
    assert hint == "Pass a list of arguments and drop shell=True; see the docs."
    assert catalog.hover_markdown("B999", "odd") == "**B999**: odd"


def test_markdown_helpers():
    assert first_step("Intro.\n\n1. First\n   continued.\n2. Second") == "First continued."
    assert first_step("Just do it.") == "Just do it."
    assert plain_text("Use `snake_case_name` and **bold** or *em* [x](http://y)") == (
        "Use snake_case_name and bold or em x")


def test_terminal_render_wraps(catalog):
    text = render_terminal(catalog.get("B602"), width=50)
    why = text.split("Why it matters")[1].split("How to fix")[0]
    assert all(len(line) <= 50 for line in why.splitlines())


def test_explain_shipped_rule_in_subprocess():
    done = subprocess.run([sys.executable, "-m", "bastion", "explain", "B602", "--format", "json"],
                          capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["name"] == "subprocess_popen_with_shell_equals_true"
