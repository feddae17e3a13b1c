"""The pre-commit hook, run by the real `pre-commit` tool.

pre-commit installs a hook repository from a git commit, so the test clones this repository
into a temp folder, copies the working tree over it (uncommitted work included) and commits
it; a second temp repository uses that clone and commit as `repo:`/`rev:` in its
.pre-commit-config.yaml. The hook must fail on a vulnerable file and pass on a clean one.

`pre-commit` comes from the `test` extras; when missing it is pip-installed into the running
environment. Installing the hook's own environment needs the package index (like any
pre-commit user), so the test is marked slow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")]

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

VULNERABLE = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
CLEAN = "def add(a, b):\n    return a + b\n"


def git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, timeout=120)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


def pre_commit_executable() -> Path:
    """pre-commit of the running environment, installed there when missing."""
    name = "pre-commit.exe" if os.name == "nt" else "pre-commit"
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return candidate
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pre-commit"],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"pip install pre-commit failed:\n{proc.stderr}")
        pytest.skip("pre-commit is not installed and pip could not install it: "
                    f"{proc.stderr[-300:]}")
    assert candidate.exists(), "pip installed pre-commit but its script is missing"
    return candidate


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """A clone of this repository with the working tree committed: (path, commit)."""
    clone = tmp_path_factory.mktemp("hook") / "bastion"
    git("clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone), cwd=ROOT)
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source, target = ROOT / name, clone / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        elif target.exists() and not source.exists():
            target.unlink()  # deleted in the working tree
    git("add", "-A", cwd=clone)
    git("commit", "--quiet", "--allow-empty", "--no-verify", "-m", "working tree", cwd=clone)
    return clone, git("rev-parse", "HEAD", cwd=clone).strip()


@pytest.fixture(scope="module")
def pre_commit(tmp_path_factory):
    exe = pre_commit_executable()
    home = tmp_path_factory.mktemp("pre-commit-home")

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1",
               "PRE_COMMIT_COLOR": "never"}
        env.pop("PYTHONPATH", None)  # the hook runs from its own environment, not this one
        return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True,
                              env=env, timeout=900)
    return run


def test_manifest_is_valid(pre_commit):
    proc = pre_commit("validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"), cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "bastion" and hook["entry"] == "bastion check"
    assert hook["language"] == "python" and hook["types"] == ["file"]
    # The hook's files are exactly those of a kind Bastion reads (bastion/filekinds.py).
    import re

    from bastion.filekinds import discovered_kind

    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name in ("app.py", "gui.pyw", "requirements.txt", "requirements-dev.txt", "dev-requirements.txt",
                 "reqs/base.in", "pyproject.toml", "uv.lock", "poetry.lock", "pdm.lock", "pylock.toml",
                 "pylock.dev.toml", "Pipfile.lock", ".env", "deploy/.env.prod", "prod.env", "ci.yml",
                 "a.yaml", "a.json", "ruff.toml", "setup.cfg", "tox.ini", "run.sh", "Dockerfile",
                 "docker/Dockerfile.prod", "api.dockerfile", "Containerfile", "README.md",
                 "MANIFEST.in", "x-requirements-y.txt", "yarn.lock", "Cargo.lock", "notes.txt", "Makefile"):
        hooked = bool(files.search(name)) and not exclude.search(name)
        assert hooked == (discovered_kind(name) is not None), name
    assert hook["pass_filenames"] is True


def test_hook_fails_on_vulnerable_code_and_passes_on_clean_code(tmp_path, hook_repo, pre_commit):
    clone, rev = hook_repo
    project = tmp_path / "project"
    project.mkdir()
    git("init", "--quiet", "-b", "main", cwd=project)
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {clone.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: bastion\n",
        encoding="utf-8")
    (project / "app.py").write_text(VULNERABLE, encoding="utf-8")
    (project / "notes.txt").write_text("eval(x)  # not Python: not checked\n", encoding="utf-8")
    git("add", "-A", cwd=project)

    failing = pre_commit("run", "--all-files", cwd=project)
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "bastion (security check)" in output and "Failed" in output
    assert "app.py:5:12: B602 high/high" in output
    assert "notes.txt" not in output

    (project / "app.py").write_text(CLEAN, encoding="utf-8")
    git("add", "-A", cwd=project)
    passing = pre_commit("run", "--all-files", cwd=project)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout

    # with a committed baseline, known findings pass and a new one fails
    (project / "app.py").write_text(VULNERABLE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server")}
    created = subprocess.run([sys.executable, "-m", "bastion", "baseline", "create"], cwd=project,
                             capture_output=True, text=True, env=env, timeout=180)
    assert created.returncode == 0, created.stderr
    git("add", "-A", cwd=project)
    assert pre_commit("run", "--all-files", cwd=project).returncode == 0
    (project / "app.py").write_text(VULNERABLE + "\n\ndef ev(x):\n    return eval(x)\n",
                                    encoding="utf-8")
    git("add", "-A", cwd=project)
    again = pre_commit("run", "--all-files", cwd=project)
    assert again.returncode == 1
    assert "B307" in again.stdout and "B602" not in again.stdout
