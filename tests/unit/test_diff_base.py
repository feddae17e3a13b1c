"""`bastion check --diff-base REF`: only findings on lines changed since a git ref.

A real git repository in a temp folder: commit vulnerable code, change it, and only the new
lines are reported; untracked files count as new; renames do not; an unknown ref or a folder
outside git is exit status 2 with a message. The line comparison is tested on its own too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.gitdiff import FileChanges, GitError, changed_lines, line_changes

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OLD = """\
import subprocess


def deploy(target):
    subprocess.call("deploy " + target, shell=True)
"""


def bastion(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=180)


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "deploy.py").write_text(OLD, encoding="utf-8")
    (tmp_path / "app" / "store.py").write_text(
        "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n", encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-q", "-m", "initial", cwd=tmp_path)
    return tmp_path


def findings(proc: subprocess.CompletedProcess) -> list[tuple[str, str, int]]:
    assert proc.returncode in (0, 1), proc.stderr
    return sorted((r["path"].replace(os.sep, "/"), r["rule_id"], r["line"])
                  for r in json.loads(proc.stdout)["results"])


def test_only_the_new_line_is_reported(repo):
    assert findings(bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=repo)) == []
    (repo / "app" / "deploy.py").write_text(
        '"""Deploy."""\n' + OLD + "\n\ndef evaluate(expr):\n    return eval(expr)\n",
        encoding="utf-8")
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=repo)
    assert proc.returncode == 1
    assert findings(proc) == [("app/deploy.py", "B307", 10)]
    assert "--diff-base HEAD: 4 findings on unchanged lines not reported" in proc.stderr
    # without the gate, everything is there
    assert len(findings(bastion("check", "--format", "json", cwd=repo))) == 5


HELPER = """\
from flask import Flask, request

app = Flask(__name__)


def read(name):
    with open(name) as fh:
        return fh.read()
"""


def test_a_new_flow_into_an_unchanged_sink_is_reported(repo):
    """The flow is reported at the helper's `open`, a line the change did not touch: the new
    view's lines are steps of its path, so the finding is the change's."""
    (repo / "app" / "files.py").write_text(HELPER, encoding="utf-8")
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "helper", cwd=repo)
    assert findings(bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=repo)) == []
    (repo / "app" / "files.py").write_text(
        HELPER + '\n\n@app.route("/f")\ndef show():\n    return read(request.args["f"])\n',
        encoding="utf-8")
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=repo)
    assert findings(proc) == [("app/files.py", "BST201", 7)]


def test_a_flow_made_by_a_change_in_another_module_is_reported(repo):
    """The view did not change; the helper it calls now opens its argument. The finding is at
    the view's call (a sink in another module), and its path's sink step is the change."""
    (repo / "app" / "helpers.py").write_text("def read(name):\n    return name.upper()\n",
                                            encoding="utf-8")
    (repo / "app" / "views.py").write_text(
        "from flask import Flask, request\n\nfrom app import helpers\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/f")\ndef show():\n    return helpers.read(request.args["f"])\n', encoding="utf-8")
    (repo / "app" / "__init__.py").write_text("", encoding="utf-8")
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "views", cwd=repo)
    (repo / "app" / "helpers.py").write_text(
        "def read(name):\n    with open(name) as fh:\n        return fh.read()\n", encoding="utf-8")
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=repo)
    assert findings(proc) == [("app/views.py", "BST201", 10)]


def test_staged_and_committed_changes_count(repo):
    (repo / "app" / "store.py").write_text(
        "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n\n\n"
        "def load2(blob):\n    return pickle.loads(blob)\n", encoding="utf-8")
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "second", cwd=repo)
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD~1", cwd=repo)
    assert findings(proc) == [("app/store.py", "B301", 9)]
    base = git("rev-parse", "HEAD~1", cwd=repo).strip()
    assert findings(bastion("check", "--format", "json", "--diff-base", base, cwd=repo)) == \
        [("app/store.py", "B301", 9)]
    assert findings(bastion("check", "--format", "json", "--diff-base", "main", cwd=repo)) == []


def test_a_change_inside_a_multiline_statement_counts(repo):
    (repo / "app" / "deploy.py").write_text(OLD.replace(
        'subprocess.call("deploy " + target, shell=True)',
        'subprocess.call(\n        "deploy " + target,\n        shell=True,\n    )'),
        encoding="utf-8")
    git("commit", "-q", "-am", "multi-line", cwd=repo)
    (repo / "app" / "deploy.py").write_text(OLD.replace(
        'subprocess.call("deploy " + target, shell=True)',
        'subprocess.call(\n        "deploy --force " + target,\n        shell=True,\n    )'),
        encoding="utf-8")
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=repo)
    assert [r for _, r, _ in findings(proc)] == ["B602"]


def test_untracked_files_are_all_new_and_ignored_ones_are_not(repo):
    (repo / ".gitignore").write_text("generated/\n", encoding="utf-8")
    (repo / "generated").mkdir()
    (repo / "generated" / "gen.py").write_text("eval(x)\n", encoding="utf-8")
    (repo / "app" / "fresh.py").write_text("import pickle\npickle.loads(b)\n", encoding="utf-8")
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=repo)
    assert findings(proc) == [("app/fresh.py", "B301", 2), ("app/fresh.py", "B403", 1)]


def test_a_renamed_file_is_not_all_new(repo):
    git("mv", "app/store.py", "app/storage.py", cwd=repo)
    assert findings(bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=repo)) == []


def test_a_renamed_and_edited_file_reports_the_edit_and_a_staged_new_file_is_all_new(repo):
    git("mv", "app/deploy.py", "app/ship.py", cwd=repo)
    (repo / "app" / "ship.py").write_text(OLD + "\n\ndef check(expr):\n    eval(expr)\n",
                                          encoding="utf-8")
    (repo / "app" / "staged.py").write_text("eval(y)\n", encoding="utf-8")
    git("add", "app/staged.py", cwd=repo)
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=repo)
    assert findings(proc) == [("app/ship.py", "B307", 9), ("app/staged.py", "B307", 1)]


def test_file_arguments_and_subfolders(repo):
    (repo / "app" / "store.py").write_text(
        "import pickle\nimport shelve\n\n\ndef load(blob):\n    return pickle.loads(blob)\n",
        encoding="utf-8")
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD", "store.py",
                   cwd=repo / "app")
    assert findings(proc) == [("store.py", "B403", 2)]
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD", "app/deploy.py", cwd=repo)
    assert findings(proc) == []


def test_unknown_ref_is_exit_2_with_a_message(repo):
    proc = bastion("check", "--diff-base", "no-such-branch", cwd=repo)
    assert proc.returncode == 2
    assert "unknown git ref 'no-such-branch'" in proc.stderr
    assert proc.stdout == ""
    assert bastion("check", "--diff-base", "--oops", cwd=repo).returncode == 2


def test_outside_a_git_repository_is_exit_2(tmp_path):
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "a.py").write_text("eval(x)\n", encoding="utf-8")
    # a ceiling keeps git from finding a repository above the temp folder
    env_ceiling = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "bastion", "check", "--diff-base", "HEAD", "."],
        capture_output=True, text=True, cwd=outside, timeout=120,
        env={**os.environ, **env_ceiling, "PYTHONPATH": str(ROOT / "server")})
    assert proc.returncode == 2
    assert "not inside a git repository" in proc.stderr


def test_api_errors(repo, tmp_path_factory):
    with pytest.raises(GitError, match="unknown git ref"):
        changed_lines("nope", ["."], cwd=repo)
    other = tmp_path_factory.mktemp("elsewhere")
    with pytest.raises(GitError, match="outside the git repository"):
        changed_lines("HEAD", [str(repo), str(other)], cwd=repo)


# ---- the line comparison ---------------------------------------------------------------------

def test_line_changes_added_replaced_and_deleted():
    old = "".join(f"{n}\n" for n in range(1, 31))
    lines = old.split("\n")[:-1]
    new_lines = lines[:3] + ["a = 1", "b = 2"] + lines[3:9] + ["new"] + lines[10:19] + lines[22:]
    changes = line_changes(old, "\n".join(new_lines) + "\n")
    assert changes.added == {4, 5, 12}
    assert changes.deleted_after == {21}  # old lines 20-22 deleted after new line 21
    assert not changes.whole
    assert line_changes(old, old) == FileChanges()
    assert line_changes("", "a\nb\nc").added == {1, 2, 3}


def test_odd_file_names_are_compared(repo):
    odd = repo / "app" / "odd\tname é.py"
    odd.write_text("x = 1\n", encoding="utf-8")
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "odd", cwd=repo)
    odd.write_text("x = 1\neval(y)\n", encoding="utf-8")
    proc = bastion("check", "--format", "json", "--diff-base", "HEAD", cwd=repo)
    assert findings(proc) == [("app/odd\tname é.py", "B307", 2)]


def test_touches():
    changes = FileChanges(frozenset({5}), frozenset({9}))
    assert changes.touches([5]) and changes.touches([4, 5, 6])
    assert not changes.touches([6]) and not changes.touches([])
    assert changes.touches([9, 10])  # lines deleted between 9 and 10 of one statement
    assert not changes.touches([9]) and not changes.touches([10])
    assert FileChanges(whole=True).touches([1])


def test_line_changes_on_repetitive_files_stay_exact_or_cover_the_change():
    same = ["pass"] * 100_000
    inserted = same[:50_000] + ["eval(x)"] + same[50_000:]
    assert line_changes("\n".join(same), "\n".join(inserted)).added == {50_001}
    # no unique line to anchor on and edits at both ends: the middle counts as changed (never
    # missed), without the quadratic cost of exact matching on 100k identical lines
    inserted[3], inserted[-3] = "x = 1", "y = 2"
    changes = line_changes("\n".join(same), "\n".join(inserted))
    assert {4, 50_001, 100_000 - 1} <= changes.added
