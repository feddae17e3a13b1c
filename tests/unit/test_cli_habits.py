"""CLI habits from ruff and bandit (issue 14 item 3): usage errors from the sub-command that
has them, `explain` with ruff's `Sxxx` ids, ruff-spelled options layered over pyproject.toml."""

from __future__ import annotations

import json
import re

import pytest

from bastion.cli.main import main

# ---- usage errors come from the sub-command ----------------------------------------------------

@pytest.mark.parametrize("argv, prog", [
    (["check", "--foo"], "bastion check"),
    (["explain", "--foo", "B602"], "bastion explain"),
    (["baseline", "create", "--foo"], "bastion baseline create"),
])
def test_unknown_option_prints_the_sub_command_usage(capsys, argv, prog):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: {prog} [-h]"), err
    assert f"{prog}: error: unrecognized arguments: --foo" in err


def test_unknown_top_level_option_keeps_the_top_level_usage(capsys):
    with pytest.raises(SystemExit):
        main(["--foo"])
    assert capsys.readouterr().err.startswith("usage: bastion [-h] [--version] COMMAND")


def test_lsp_help_has_a_description(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["lsp", "--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the description
    assert "Language Server Protocol" in out and "--tcp" in out


# ---- explain accepts ruff's flake8-bandit codes --------------------------------------------------

@pytest.mark.parametrize("code, rule", [("S602", "B602"), ("s105", "B105"), ("S608", "B608")])
def test_explain_ruff_code_shows_the_bandit_rule(capsys, code, rule):
    assert main(["explain", "--format", "json", code]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == rule


def test_explain_ruff_only_code_says_why_it_is_unknown(capsys):
    assert main(["explain", "S320"]) == 2
    assert "S320 is ruff's; bandit 1.9 has no B320" in capsys.readouterr().err


# ---- "did you mean" for unknown config keys -----------------------------------------------------

def test_check_suggests_the_config_key_meant(tmp_path, capsys, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.bastion]\nseverty = "high"\nper-path-ignore = {}\nfoo = 1\n', encoding="utf-8")
    (tmp_path / "ok.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "."]) == 0
    err = capsys.readouterr().err.splitlines()
    path = tmp_path / "pyproject.toml"
    assert err == [
        f"bastion: warning: {path}:2: [tool.bastion] unknown setting 'severty' ignored; "
        "did you mean 'severity'?",
        f"bastion: warning: {path}:3: [tool.bastion] unknown setting 'per-path-ignore' ignored; "
        "did you mean 'per_path_ignores'?",
        f"bastion: warning: {path}:4: [tool.bastion] unknown setting 'foo' ignored",
    ]


def test_editor_settings_suggest_the_camel_case_key():
    from bastion.config import validate_layer

    assert validate_layer({"perPathIgnore": {}}, camel=True)[1] == [
        "unknown setting 'perPathIgnore' ignored; did you mean 'perPathIgnores'?"]


# ---- ruff-spelled options over pyproject.toml ---------------------------------------------------

CODE = "import subprocess\ncmd = build()\nsubprocess.call(cmd, shell=True)\npassword = \"hunter2\"\n"


@pytest.fixture
def app(tmp_path, monkeypatch):
    """a.py: B404 (low/high), B602 (high/high), B105 (low/medium); tests/t.py: B101."""
    (tmp_path / "a.py").write_text(CODE, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "t.py").write_text("assert True\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def configure(app, settings: str) -> None:
    (app / "pyproject.toml").write_text(f"[tool.bastion]\n{settings}\n", encoding="utf-8")


def found(capsys, *options: str) -> set[str]:
    code = main(["check", "--no-cache", "--output-format", "json", *options, "."])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return {r["rule_id"] for r in json.loads(out)["results"]}


def test_select_replaces_config_select_and_ignore_adds(app, capsys):
    configure(app, 'select = ["B1"]\nignore = ["B404"]')
    assert found(capsys) == {"B101", "B105"}
    assert found(capsys, "--select", "B6,B4") == {"B602"}  # B404 still ignored by the config
    assert found(capsys, "--select", "S105") == {"B105"}  # ruff's code for B105
    assert found(capsys, "--ignore", "B101") == {"B105"}
    assert found(capsys, "--extend-select", "B6", "--extend-select", "B4") == {"B101", "B105", "B602"}


def test_extend_select_with_every_rule_selected_changes_nothing(app, capsys):
    configure(app, "")
    assert found(capsys, "--extend-select", "B6") == {"B101", "B105", "B404", "B602"}


def test_severity_and_confidence_replace_the_thresholds(app, capsys):
    configure(app, 'severity = "high"')
    assert found(capsys) == {"B602"}
    assert found(capsys, "--severity", "low") == {"B101", "B105", "B404", "B602"}
    assert found(capsys, "--severity", "low", "--confidence", "high") == {"B101", "B404", "B602"}


def test_exclude_replaces_and_extend_exclude_adds(app, capsys):
    configure(app, 'exclude = ["a.py"]')
    assert found(capsys) == {"B101"}
    assert found(capsys, "--exclude", "tests") == {"B105", "B404", "B602"}
    assert found(capsys, "--extend-exclude", "tests") == set()


def test_bad_rule_id_on_the_command_line_is_a_usage_error(app, capsys):
    configure(app, "")
    assert main(["check", "--ignore", "B602,X1", "."]) == 2
    assert "bastion: error: --ignore: must be a list of rule ids" in capsys.readouterr().err


def test_statistics_counts_per_rule_most_frequent_first(app, capsys):
    configure(app, "")
    (app / "b.py").write_text('token = "x"\npassword = "y"\n', encoding="utf-8")
    assert main(["check", "--no-cache", "--statistics", "."]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "3\tB105\thardcoded_password_string",
        "1\tB101\tassert_used",
        "1\tB404\tblacklist",
        "1\tB602\tsubprocess_popen_with_shell_equals_true",
    ]


def test_statistics_says_it_does_not_change_json(app, capsys):
    configure(app, "")
    assert found(capsys, "--statistics") == {"B101", "B105", "B404", "B602"}
    assert main(["check", "--no-cache", "--statistics", "--output-format", "sarif", "."]) == 1
    assert "--statistics has no effect on --output-format sarif" in capsys.readouterr().err


def test_quiet_and_concise(app, capsys):
    configure(app, "")
    assert main(["check", "--no-cache", "-q", "."]) == 1
    quiet = capsys.readouterr().out.splitlines()
    assert len(quiet) == 4 and all(re.match(r"^\S+:\d+:\d+: B\d+ ", line) for line in quiet)
    assert main(["check", "--no-cache", "--output-format", "concise", "."]) == 1
    concise = capsys.readouterr().out.splitlines()
    assert concise[:4] == quiet and concise[4] == "" and concise[5].startswith("Found 4 issues")
    assert main(["check", "--no-cache", "--format", "concise", "."]) == 1  # the older spelling
    assert capsys.readouterr().out.splitlines()[:4] == quiet
