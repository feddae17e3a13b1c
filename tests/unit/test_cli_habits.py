"""CLI habits from ruff and bandit (issue 14 item 3): usage errors from the sub-command that
has them, `explain` with ruff's `Sxxx` ids, ruff-spelled options layered over pyproject.toml."""

from __future__ import annotations

import json

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
