"""Issue 13 item 4: a baseline must not let anyone test guesses of a hard-coded secret.

Fingerprints of the secret rules hash the literal's redacted form, so every value of the same
length and ends gives the same fingerprint; baselines written before that (clear-text message,
fingerprint hashed from the clear text) still apply, show no secret, and `baseline update`
rewrites them. Each check greps the files and outputs for the planted value.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.baseline.fingerprint import fingerprints, legacy_fingerprints
from bastion.config import Config
from bastion.engine.registry import create_engine

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq7-planted-Secret-91x"
SOURCE = f'DB_PASSWORD = "{SECRET}"\n'


def _prints(source: str) -> dict:
    analysis = create_engine().analyse(source, "app.py", Config())
    found = [f for f in analysis.findings if f.rule_id == "B105"]
    assert found, analysis.findings
    return fingerprints(found, source), legacy_fingerprints(found, source)


def test_a_guess_of_the_same_length_and_ends_gives_the_same_fingerprint():
    new, old = _prints(SOURCE)
    guess = "Z" + "a" * (len(SECRET) - 2) + "x"
    new_guess, old_guess = _prints(SOURCE.replace(SECRET, guess))
    assert list(new.values()) == list(new_guess.values())  # nothing to test a guess against
    assert list(old.values()) != list(old_guess.values())  # the old form told them apart
    shorter, _ = _prints(SOURCE.replace(SECRET, SECRET[:-1]))
    assert list(shorter.values()) != list(new.values())


def test_the_fingerprint_stays_stable_across_reformatting():
    new, _ = _prints(SOURCE)
    moved, _ = _prints("import os\n\n\n" + SOURCE.replace('"', "'"))
    assert list(new.values()) == list(moved.values())


def _bastion(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "BASTION_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "server"),
                                                       os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=180)


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    (root / "app.py").write_text(SOURCE, encoding="utf-8")
    return root


def test_a_new_baseline_holds_neither_the_secret_nor_its_old_fingerprint(project, tmp_path):
    created = _bastion("baseline", "create", "app.py", cwd=project, cache=tmp_path / "c")
    assert created.returncode == 0, created.stderr
    text = (project / ".bastion-baseline.json").read_text(encoding="utf-8")
    _, old = _prints(SOURCE)
    assert SECRET not in text
    assert list(old.values())[0].split(":")[0] not in text
    assert _bastion("check", "app.py", cwd=project, cache=tmp_path / "c").returncode == 0


def test_an_old_baseline_still_applies_shows_no_secret_and_update_rewrites_it(project, tmp_path):
    _, old = _prints(SOURCE)
    (project / ".bastion-baseline.json").write_text(json.dumps({
        "version": 1, "tool": "bastion", "root": ".", "findings": [{
            "path": "app.py", "line": 1, "rule": "B105",
            "message": f"Possible hardcoded password: '{SECRET}'",
            "fingerprint": list(old.values())[0]}]}), encoding="utf-8")
    for fmt in ("text", "json", "sarif"):
        checked = _bastion("check", "--format", fmt, "app.py", cwd=project,
                           cache=tmp_path / "c")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert SECRET not in checked.stdout + checked.stderr
    updated = _bastion("baseline", "update", "app.py", cwd=project, cache=tmp_path / "c")
    assert updated.returncode == 0, updated.stderr
    text = (project / ".bastion-baseline.json").read_text(encoding="utf-8")
    assert SECRET not in text and list(old.values())[0].split(":")[0] not in text
    assert len(json.loads(text)["findings"]) == 1  # kept, in the new form
    assert _bastion("check", "app.py", cwd=project, cache=tmp_path / "c").returncode == 0
