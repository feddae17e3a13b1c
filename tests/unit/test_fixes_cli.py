"""`bastion check --fix / --unsafe-fixes / --diff`: real processes on tmp projects, plus the
atomic write that never replaces a file changed since it was read."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.fixes.files import ChangedOnDisk, read_snapshot, write_atomic

ROOT = Path(__file__).resolve().parents[2]
APP = '''import subprocess

import requests
import yaml


def load(path):
    with open(path) as fh:
        return yaml.load(fh, Loader=yaml.Loader)


def build():
    subprocess.run("make all", shell=True)


def fetch(url):
    return requests.get(url)
'''


def bastion(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=180)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    # bandit's findings as bandit reports them: otherwise B602 on the constant command is retracted
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "t"\n\n[tool.bastion]\nbandit_exact = true\n', encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


def test_no_fix_is_applied_without_unsafe_fixes(project):
    """Every fix here can change behaviour (yaml.safe_load refuses custom tags, a command without
    a shell raises FileNotFoundError for a missing program): none is safe."""
    proc = bastion("check", "--diff", ".", cwd=project)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout
    assert "Would fix 0 issues in 0 files (safe fixes)" in proc.stderr
    fixed = bastion("check", "--fix", ".", cwd=project)
    assert "Fixed 0 issues" in fixed.stderr and fixed.returncode == 1
    assert (project / "app.py").read_text(encoding="utf-8") == APP


def test_diff_marks_each_fix_and_prints_what_to_check(project):
    proc = bastion("check", "--diff", "--unsafe-fixes", ".", cwd=project)
    assert proc.returncode == 1, proc.stderr
    notes, _, diff = proc.stdout.partition("--- a/app.py\n+++ b/app.py\n")
    assert diff, proc.stdout
    assert "-        return yaml.load(fh, Loader=yaml.Loader)\n" \
           "+        return yaml.safe_load(fh)\n" in diff
    assert '+    subprocess.run(["make", "all"])\n' in diff
    titles = [line for line in notes.splitlines() if line.startswith("# Fix ")]
    assert len(titles) == 3 and all("(review: check " in t for t in titles), notes
    assert "# Fix B506: use yaml.safe_load (review: check custom tags" in notes
    assert "#     yaml.safe_load builds plain types only" in notes
    assert "FileNotFoundError" in notes and "Timeout" in notes
    assert "Would fix 3 issues in 1 file (safe and review fixes)" in proc.stderr
    assert (project / "app.py").read_text(encoding="utf-8") == APP
    applied = subprocess.run(["git", "apply", "--check", "-"], input=proc.stdout, text=True,
                             cwd=project, capture_output=True)
    assert applied.returncode == 0, applied.stderr  # the notes do not break the patch


def test_unsafe_fixes_also_apply_review_fixes(project):
    proc = bastion("check", "--fix", "--unsafe-fixes", "--format", "json", ".", cwd=project)
    text = (project / "app.py").read_text(encoding="utf-8")
    assert "requests.get(url, timeout=10)" in text
    assert "yaml.safe_load(fh)" in text and 'subprocess.run(["make", "all"])' in text
    assert "Fixed 3 issues in 1 file (safe and review fixes)" in proc.stderr
    assert sorted(p.name for p in project.iterdir()) == ["app.py", "pyproject.toml"]
    again = bastion("check", "--diff", "--unsafe-fixes", ".", cwd=project)
    assert again.returncode == 0 and again.stdout == ""


def test_encoding_bom_and_crlf_are_kept(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    latin = "# -*- coding: latin-1 -*-\nimport yaml\nNAME = 'café'\ndata = yaml.load(s)\n"
    (tmp_path / "latin.py").write_bytes(latin.encode("latin-1"))
    crlf = "import yaml\r\n\r\ndata = yaml.load(s)  # é\r\n"
    (tmp_path / "crlf.py").write_bytes(codecs.BOM_UTF8 + crlf.encode("utf-8"))
    bastion("check", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert (tmp_path / "latin.py").read_bytes() == latin.replace(
        "yaml.load(s)", "yaml.safe_load(s)").encode("latin-1")
    assert (tmp_path / "crlf.py").read_bytes() == codecs.BOM_UTF8 + crlf.replace(
        "yaml.load(s)", "yaml.safe_load(s)").encode("utf-8")


def test_a_file_changed_since_it_was_read_is_left_alone(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(APP, encoding="utf-8")
    snapshot = read_snapshot(path)
    path.write_text(APP + "# edited meanwhile\n", encoding="utf-8")
    with pytest.raises(ChangedOnDisk):
        write_atomic(snapshot, APP.replace("yaml.load", "yaml.safe_load"))
    assert path.read_text(encoding="utf-8") == APP + "# edited meanwhile\n"
    assert [p.name for p in tmp_path.iterdir()] == ["app.py"]  # no temp file left behind


def test_atomic_write_keeps_the_mode(tmp_path):
    path = tmp_path / "tool.py"
    path.write_text(APP, encoding="utf-8")
    path.chmod(0o750)
    write_atomic(read_snapshot(path), APP.replace("yaml.load", "yaml.safe_load"))
    assert (path.stat().st_mode & 0o777) == 0o750
    assert "safe_load" in path.read_text(encoding="utf-8")
