"""`bastion check` on files that are not Python: discovered by kind, reported in every format,
baselined, gated by --diff-base, and never showing a planted secret's value (issue 15)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEY = "AKIAZ3MDTQ7WLX5RJ4NB"  # not the lesson's example key, which SARIF carries
SHOWN = "[redacted: 20 characters, A...B]"
ENV = f"DEBUG=1\nAWS_ACCESS_KEY_ID={KEY}\n"


def bastion(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "BASTION_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "server"),
                                                       os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=env, timeout=180)


def git(*args: str, cwd: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "proj"
    (root / "deploy").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    (root / "app.py").write_text("import os\n\nKEY = os.environ['KEY']\n", encoding="utf-8")
    (root / ".env").write_text(ENV, encoding="utf-8")
    (root / "deploy" / "values.yaml").write_text("replicas: 2\n", encoding="utf-8")
    (root / "requirements.txt").write_text("requests==2.32.3\n", encoding="utf-8")
    (root / "README.md").write_text(f"not scanned: {KEY}\n", encoding="utf-8")
    return root


def _no_secret_anywhere(outputs: list[str], cache: Path) -> None:
    for text in outputs:
        assert KEY not in text
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files, "no result cache to check"
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_text_files_are_scanned_and_reported_redacted(project, fmt, tmp_path):
    cache = tmp_path / "cache"
    proc = bastion("check", "--format", fmt, cwd=project, cache=cache)
    assert proc.returncode == 1, proc.stderr
    assert "BST301" in proc.stdout and SHOWN in proc.stdout and ".env" in proc.stdout
    assert "README.md" not in proc.stdout
    again = bastion("check", "--format", fmt, cwd=project, cache=cache)  # from the result cache
    assert again.returncode == 1 and SHOWN in again.stdout
    _no_secret_anywhere([proc.stdout, proc.stderr, again.stdout, again.stderr], cache)


def test_json_names_the_line_and_counts_the_text_files(project, tmp_path):
    proc = bastion("check", "--format", "json", cwd=project, cache=tmp_path / "c")
    report = json.loads(proc.stdout)
    found = [(r["path"], r["rule_id"], r["line"]) for r in report["results"]]
    assert found == [(".env", "BST301", 2)]
    text = bastion("check", cwd=project, cache=tmp_path / "c").stdout
    assert "in 1 of 5 files" in text, text  # app.py, .env, values.yaml, requirements, pyproject


def test_suppression_comment_and_baseline_work_for_a_dotenv(project, tmp_path):
    cache = tmp_path / "cache"
    created = bastion("baseline", "create", cwd=project, cache=cache)
    assert created.returncode == 0, created.stderr
    baseline = (project / ".bastion-baseline.json").read_text(encoding="utf-8")
    assert "BST301" in baseline and KEY not in baseline
    clean = bastion("check", cwd=project, cache=cache)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (project / ".env").write_text(ENV.replace("\nAWS", "\nEXTRA=2\nAWS"), encoding="utf-8")
    assert bastion("check", cwd=project, cache=cache).returncode == 0  # moved, still known
    (project / ".bastion-baseline.json").unlink()
    (project / ".env").write_text(ENV.rstrip("\n") + "  # nosec BST301\n", encoding="utf-8")
    proc = bastion("check", "--format", "json", cwd=project, cache=cache)
    assert proc.returncode == 0, proc.stdout
    assert json.loads(proc.stdout)["suppressed"][0]["rule_id"] == "BST301"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_base_reports_only_the_new_secret(project, tmp_path):
    git("init", "-q", "-b", "main", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-q", "-m", "initial", cwd=project)
    cache = tmp_path / "cache"
    assert bastion("check", "--diff-base", "HEAD", cwd=project, cache=cache).returncode == 0
    (project / "deploy" / "values.yaml").write_text(
        "replicas: 2\nenv:\n  AWS_ACCESS_KEY_ID: ASIAZ7LQ3MW5TXR2KB6D\n", encoding="utf-8")
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=project, cache=cache)
    assert proc.returncode == 1
    assert [(r["path"], r["line"]) for r in json.loads(proc.stdout)["results"]] == [
        ("deploy/values.yaml", 3)]


def test_an_earlier_json_report_in_the_folder_is_scanned_so_never_overwritten(project, tmp_path):
    """JSON files are scanned now: a report written into the scanned folder is refused the next
    time, as any scanned file is (it could be a project's own JSON)."""
    cache = tmp_path / "cache"
    first = bastion("check", "--format", "json", "-o", "report.json", cwd=project, cache=cache)
    assert first.returncode == 1, first.stderr
    kept = (project / "report.json").read_text()
    second = bastion("check", "--format", "json", "-o", "report.json", cwd=project, cache=cache)
    assert second.returncode == 2
    assert "refusing to write the report over a file that is being scanned" in second.stderr
    assert (project / "report.json").read_text() == kept
