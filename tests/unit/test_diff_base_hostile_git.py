"""`bastion check --diff-base` in a hostile repository: git must never run a program.

Each case plants one way to make git run a command (repository config, attributes, an included
config file, hooks, the user's global config, GIT_* environment variables); the command creates
a marker file in a temporary HOME. The check must still report the one changed line and the
marker must never exist.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.test_diff_base import OLD, ROOT, git

pytestmark = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
    reason="git is not installed")


def _marker_command(home: Path, name: str, then: str) -> str:
    return f'touch "{home / name}"; {then}'


def _config(*pairs: tuple[str, str]):
    def plant(repo: Path, home: Path, marker) -> dict[str, str]:
        for key, value in pairs:
            git("config", key, marker(value), cwd=repo)
        return {}
    return plant


def _attributes(line: str, *pairs: tuple[str, str]):
    def plant(repo: Path, home: Path, marker) -> dict[str, str]:
        (repo / ".gitattributes").write_text(line + "\n", encoding="utf-8")
        return _config(*pairs)(repo, home, marker)
    return plant


def _included(kind: str):
    def plant(repo: Path, home: Path, marker) -> dict[str, str]:
        extra = repo.parent / "included.gitconfig"
        extra.write_text(f"[core]\n\tfsmonitor = {marker('false #')}\n", encoding="utf-8")
        key = "include.path" if kind == "include" else f"includeIf.gitdir:{repo}/.path"
        git("config", key, str(extra), cwd=repo)
        return {}
    return plant


def _hook(repo: Path, home: Path, marker) -> dict[str, str]:
    hooks = repo.parent / "hooks"
    hooks.mkdir()
    for name in ("post-index-change", "pre-auto-gc", "reference-transaction", "post-checkout"):
        script = hooks / name
        script.write_text(f"#!/bin/sh\n{marker('exit 0')}\n", encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    git("config", "core.hooksPath", str(hooks), cwd=repo)
    return {}


def _global(repo: Path, home: Path, marker) -> dict[str, str]:
    (home / ".gitconfig").write_text(
        f"[core]\n\tfsmonitor = {marker('false #')}\n\tpager = {marker('cat')}\n",
        encoding="utf-8")
    return {}


def _env(**variables: str):
    def plant(repo: Path, home: Path, marker) -> dict[str, str]:
        return {key: marker(value) if "{cmd}" not in value else value.format(cmd=marker("cat"))
                for key, value in variables.items()}
    return plant


def _git_dir_elsewhere(repo: Path, home: Path, marker) -> dict[str, str]:
    other = repo.parent / "other"
    other.mkdir()
    git("init", "-q", cwd=other)
    git("config", "core.fsmonitor", marker("false #"), cwd=other)
    return {"GIT_DIR": str(other / ".git"), "GIT_WORK_TREE": str(repo)}


VECTORS = {
    "fsmonitor": _config(("core.fsmonitor", "false #")),
    "diff-external": _config(("diff.external", "false #")),
    "textconv": _attributes("*.py diff=evil", ("diff.evil.textconv", "cat")),
    "diff-command": _attributes("*.py diff=evil", ("diff.evil.command", "false #")),
    "filter-clean": _attributes("*.py filter=evil", ("filter.evil.clean", "cat")),
    "filter-smudge": _attributes("*.py filter=evil", ("filter.evil.smudge", "cat")),
    "filter-process": _attributes("*.py filter=evil", ("filter.evil.process", "exit 1")),
    "pager": _config(("core.pager", "cat"), ("pager.diff", "cat")),
    "ssh-askpass-credential": _config(("core.sshCommand", "false #"),
                                      ("core.askPass", "false #"),
                                      ("credential.helper", "!false #")),
    "include": _included("include"),
    "include-if": _included("includeIf"),
    "hooks": _hook,
    "global-config": _global,
    "env-config-count": _env(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="core.fsmonitor",
                             GIT_CONFIG_VALUE_0="{cmd}"),
    "env-config-parameters": _env(GIT_CONFIG_PARAMETERS="'core.fsmonitor'='{cmd}'"),
    "env-external-diff-pager": _env(GIT_EXTERNAL_DIFF="false #", GIT_PAGER="cat",
                                    GIT_PAGER_IN_USE="1"),
    "env-git-dir": _git_dir_elsewhere,
}


@pytest.mark.parametrize("vector", VECTORS)
def test_diff_base_runs_no_program_from_git_config(vector, tmp_path):
    home, repo = tmp_path / "home", tmp_path / "repo"
    home.mkdir()
    repo.mkdir()
    (repo / "app.py").write_text(OLD, encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "initial", cwd=repo)
    markers: list[Path] = []

    def marker(then: str) -> str:
        markers.append(home / f"pwned-{len(markers)}")
        return _marker_command(home, markers[-1].name, then)

    extra_env = VECTORS[vector](repo, home, marker)
    # a changed file whose stat differs from the index: git diff would refresh (and filter) it
    (repo / "app.py").write_text(OLD + "\n\ndef run(expr):\n    return eval(expr)\n",
                                 encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), NO_COLOR="1",
               PYTHONPATH=str(ROOT / "server"), **extra_env)
    proc = subprocess.run([sys.executable, "-m", "bastion", "check", "--format", "json",
                           "--diff-base", "HEAD", "."], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=180)
    assert markers and not [m.name for m in markers if m.exists()], proc.stderr
    assert proc.returncode == 1, proc.stderr
    assert [(r["rule_id"], r["line"]) for r in json.loads(proc.stdout)["results"]] == \
        [("B307", 9)]


def test_git_missing_is_exit_2_with_a_message(tmp_path):
    (tmp_path / "a.py").write_text("eval(x)\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "bastion", "check", "--diff-base", "HEAD", "."],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PATH": str(tmp_path / "empty"),
                               "PYTHONPATH": str(ROOT / "server")})
    assert proc.returncode == 2
    assert "git is not installed" in proc.stderr
