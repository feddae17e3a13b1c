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
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


def test_diff_shows_safe_fixes_and_writes_nothing(project):
    proc = bastion("check", "--diff", ".", cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("--- a/app.py\n+++ b/app.py\n")
    assert "-        return yaml.load(fh, Loader=yaml.Loader)\n" \
           "+        return yaml.safe_load(fh)\n" in proc.stdout
    assert '+    subprocess.run(["make", "all"])\n' in proc.stdout
    assert "timeout" not in proc.stdout  # review fixes need --unsafe-fixes
    assert "Would fix 2 issues in 1 file (safe fixes)" in proc.stderr
    assert (project / "app.py").read_text(encoding="utf-8") == APP


def test_fix_writes_safe_fixes_then_reports_the_rest(project):
    proc = bastion("check", "--fix", ".", cwd=project)
    text = (project / "app.py").read_text(encoding="utf-8")
    assert "yaml.safe_load(fh)" in text and 'subprocess.run(["make", "all"])' in text
    assert "requests.get(url)" in text
    assert "Fixed 2 issues in 1 file (safe fixes)" in proc.stderr
    assert "B113" in proc.stdout and "B506" not in proc.stdout and "B602" not in proc.stdout
    assert proc.returncode == 1  # B113 is left
    assert sorted(p.name for p in project.iterdir()) == ["app.py", "pyproject.toml"]
    again = bastion("check", "--diff", ".", cwd=project)
    assert again.returncode == 0 and again.stdout == ""


def test_unsafe_fixes_also_apply_review_fixes(project):
    proc = bastion("check", "--fix", "--unsafe-fixes", "--format", "json", ".", cwd=project)
    text = (project / "app.py").read_text(encoding="utf-8")
    assert "requests.get(url, timeout=10)" in text
    assert "safe and review fixes" in proc.stderr


def test_encoding_bom_and_crlf_are_kept(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    latin = "# -*- coding: latin-1 -*-\nimport yaml\nNAME = 'café'\ndata = yaml.load(s)\n"
    (tmp_path / "latin.py").write_bytes(latin.encode("latin-1"))
    crlf = "import yaml\r\n\r\ndata = yaml.load(s)  # é\r\n"
    (tmp_path / "crlf.py").write_bytes(codecs.BOM_UTF8 + crlf.encode("utf-8"))
    bastion("check", "--fix", ".", cwd=tmp_path)
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
