"""The persistent result cache under attack: crafted rows, a cache others can read or write, a
read-only cache. `bastion check` runs as a child with its own BASTION_CACHE_DIR; rows are edited
with sqlite3 the way anyone able to write the file could.

A crafted row must never change what is reported: it is ignored and the file analysed again.
That holds for any row that does not belong to the text (another file's row, a span outside
the file, wrong types, deep nesting); a forged row for the very same text cannot be told from a
real one, which is why the cache must stay private to the user (the permission tests).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.engine.cache_entry import InvalidEntry, decode, encode, text_key
from bastion.engine.disk_cache import SCHEMA, DiskCache
from bastion.engine.registry import create_engine, default_rule_ids

ROOT = Path(__file__).resolve().parents[2]
VULNERABLE = "import subprocess; subprocess.call(cmd, shell=True)\n"
CLEAN = "x = 1\n"


def check(cwd: Path, cache: Path, *args: str, umask: int = 0o022,
          user: int | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "BASTION_CACHE_DIR": str(cache),
           "PYTHONPATH": str(ROOT / "server")}
    env.pop("BASTION_NO_CACHE", None)

    def start() -> None:
        os.umask(umask)
        if user is not None:
            os.setgid(user)
            os.setuid(user)

    return subprocess.run([sys.executable, "-m", "bastion", "check", "--format", "json", *args],
                          capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env,
                          timeout=180, preexec_fn=start)


def results(proc: subprocess.CompletedProcess) -> list[tuple[str, str, int]]:
    return sorted((Path(r["path"]).name, r["rule_id"], r["line"])
                  for r in json.loads(proc.stdout)["results"])


def database(cache: Path) -> Path:
    (found,) = cache.glob("results-v*.sqlite3")
    return found


def rows(cache: Path) -> dict[str, str]:
    with sqlite3.connect(database(cache)) as db:
        return dict(db.execute("SELECT key, value FROM results"))


def write_row(cache: Path, key: str, value: str) -> None:
    db = sqlite3.connect(database(cache))
    with db:
        db.execute("UPDATE results SET value = ? WHERE key = ?", (value, key))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


@pytest.fixture
def one_file(tmp_path):
    """A project with one vulnerable one-line file, analysed once so that its row exists."""
    project, cache = tmp_path / "p", tmp_path / "cache"
    project.mkdir()
    (project / "app.py").write_text(VULNERABLE, encoding="utf-8")
    first = check(project, cache, "app.py")
    assert first.returncode == 1, first.stderr
    (key,) = rows(cache)
    return project, cache, key, results(first)


# ---- crafted rows (issue 11) -------------------------------------------------------------------

def test_a_row_cannot_inject_a_finding_beyond_the_file(one_file):
    project, cache, key, expected = one_file
    row = json.loads(rows(cache)[key])
    forged = [*row["findings"][0]]
    forged[6] = [999_999, 0, 999_999, 4]
    forged[8] = [999_999]
    row["findings"].append(forged)
    write_row(cache, key, json.dumps(row))
    again = check(project, cache, "app.py")
    assert results(again) == expected, again.stdout


def test_another_files_row_cannot_hide_the_findings(one_file):
    """The row of a clean file, copied under the vulnerable file's key, hid every finding and
    made the run pass (exit 0)."""
    project, cache, key, expected = one_file
    (project / "clean.py").write_text(CLEAN, encoding="utf-8")
    check(project, cache, "clean.py")
    clean_key = next(k for k in rows(cache) if k != key)
    write_row(cache, key, rows(cache)[clean_key])
    again = check(project, cache, "app.py")
    assert again.returncode == 1, again.stderr
    assert results(again) == expected


@pytest.mark.parametrize("damage", ["message", "level", "nested", "span"])
def test_a_malformed_row_crashes_no_format(one_file, damage):
    project, cache, key, expected = one_file
    row = json.loads(rows(cache)[key])
    if damage == "message":
        row["findings"][0][5] = {"not": "a string"}  # TypeError in every format
    elif damage == "level":
        row["findings"][0][2] = 9
    elif damage == "span":
        row["findings"][0][6] = [0, "0", 0, 4]
    value = json.dumps(row)
    if damage == "nested":
        value = "[" * 200_000 + "]" * 200_000  # RecursionError while decoding
    write_row(cache, key, value)
    for output in ("text", "json", "sarif", "github"):
        proc = check(project, cache, "app.py", "--format", output)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, (output, proc.stderr)
    assert results(check(project, cache, "app.py")) == expected


# ---- a cache private to the user ---------------------------------------------------------------

def modes(cache: Path) -> dict[str, int]:
    return {path.name: stat.S_IMODE(path.stat().st_mode) for path in [cache, *cache.iterdir()]}


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_cache_folder_and_files_are_private_whatever_the_umask(tmp_path):
    (tmp_path / "app.py").write_text(VULNERABLE, encoding="utf-8")
    cache = tmp_path / "new" / "cache"
    assert check(tmp_path, cache, "app.py", umask=0o000).returncode == 1
    found = modes(cache)
    assert found.pop("cache") == 0o700
    assert found and set(found.values()) == {0o600}, found
    assert any(name.endswith("-wal") for name in found), found  # SQLite's own files too


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_cache_left_readable_is_made_private_and_old_formats_removed(tmp_path):
    (tmp_path / "app.py").write_text(VULNERABLE, encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o755)
    os.chmod(cache, 0o755)
    old = cache / "results-v2.sqlite3"
    old.write_text("secrets of an older format")
    os.chmod(old, 0o644)
    assert check(tmp_path, cache, "app.py").returncode == 1
    found = modes(cache)
    assert found.pop("cache") == 0o700 and set(found.values()) == {0o600}, found
    assert not old.exists()
    # Left world-readable and -writable: anyone could have written rows, so they all go.
    db = database(cache)
    write_row(cache, rows(cache).popitem()[0], '{"forged": true}')
    os.chmod(db, 0o666)
    again = check(tmp_path, cache, "app.py")
    assert again.returncode == 1 and '"forged"' not in db.read_text(errors="replace")
    assert set(modes(cache).values()) <= {0o600, 0o700}


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("kind", ["symlinked folder", "folder of another user",
                                  "symlinked database"])
def test_a_cache_others_control_is_refused_with_one_warning(tmp_path, kind):
    project = tmp_path / "p"
    project.mkdir()
    for n in range(30):  # enough files for worker processes
        (project / f"m{n}.py").write_text(VULNERABLE, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache = tmp_path / "cache"
    if kind == "symlinked folder":
        cache.symlink_to(elsewhere)
    else:
        cache.mkdir(mode=0o700)
    if kind == "folder of another user":
        if os.geteuid() != 0:
            pytest.skip("needs root to give a folder away")
        os.chown(cache, 4242, 4242)
    if kind == "symlinked database":
        (cache / f"results-v{SCHEMA}.sqlite3").symlink_to(elsewhere / "db")
    proc = check(project, cache, ".", "--jobs", "2")
    assert proc.returncode == 1 and len(results(proc)) == 60, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "result cache" in line]
    assert len(warnings) == 1, proc.stderr
    assert list(elsewhere.iterdir()) == []


def _immutable(paths: list[Path], on: bool) -> bool:
    flag = "+i" if on else "-i"
    return all(subprocess.run(["chattr", flag, str(p)], capture_output=True).returncode == 0
               for p in paths)


@pytest.mark.skipif(os.name != "posix", reason="chattr")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_read_only_cache_warns_once_per_run(tmp_path, jobs):
    """It printed one warning per file. Permissions do not stop root, so the database is made
    immutable (chattr +i) where the test runs as root."""
    project, cache = tmp_path / "p", tmp_path / "cache"
    project.mkdir()
    for n in range(30):  # enough files for worker processes
        (project / f"m{n}.py").write_text(VULNERABLE + f"# {n}\n", encoding="utf-8")
    assert check(project, cache, ".").returncode == 1
    for n in range(30):  # nothing cached for these texts: every file is analysed and stored
        (project / f"m{n}.py").write_text(VULNERABLE + f"# changed {n}\n", encoding="utf-8")
    locked = list(cache.glob("*.sqlite3"))
    try:
        if os.geteuid() == 0:
            if not _immutable(locked, True):
                pytest.skip("chattr +i is not available here")
        else:
            for path in locked:
                os.chmod(path, 0o400)
        proc = check(project, cache, ".", "--jobs", jobs)
    finally:
        if os.geteuid() == 0:
            _immutable(locked, False)
    assert proc.returncode == 1 and len(results(proc)) == 60, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "result cache" in line]
    assert len(warnings) == 1, proc.stderr


# ---- the row schema ----------------------------------------------------------------------------

SOURCE = ("import subprocess  # nosec B404\n\n\ndef run(cmd):\n"
          "    return subprocess.call(cmd, shell=True)\nx = (\n")


@pytest.fixture(scope="module")
def engine():
    return create_engine()


@pytest.fixture(scope="module")
def stored(engine):
    raw = engine.analyse_raw(SOURCE, "app.py", use_disk=False)
    assert raw.findings and raw.directives and raw.broken
    key = text_key(SOURCE, engine.version_key)
    return key, encode(key, SOURCE, raw.findings, raw.directives, raw.broken), raw


def test_rows_read_back_whole(engine, stored):
    key, value, raw = stored
    assert decode(value, key, SOURCE, engine.rule_names) == (raw.findings, raw.directives,
                                                             raw.broken)


def test_every_example_reads_back(engine):
    """Validation is strict: if it refused real results, every file would be analysed every
    time. Every example and fixture round-trips."""
    files = sorted((ROOT / "examples").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))
    assert len(files) > 50
    checked = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        raw = engine.analyse_raw(text, str(path), use_disk=False)
        if raw.errors:
            continue
        key = text_key(text, engine.version_key)
        value = encode(key, text, raw.findings, raw.directives, raw.broken)
        assert decode(value, key, text, engine.rule_names) == (
            raw.findings, raw.directives, raw.broken), path
        checked += bool(raw.findings)
    assert checked > 20


def test_the_catalog_names_every_rule_the_engine_has(engine):
    assert default_rule_ids() == frozenset(engine.rule_names)


def _edit(value: str, change) -> str:
    row = json.loads(value)
    change(row)
    return json.dumps(row)


def _set(path, new):
    def change(row):
        target = row
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = new
    return change


@pytest.mark.parametrize(("name", "change"), [
    ("another key", _set(["key"], "0" * 40)),
    ("another line count", _set(["lines"], 99)),
    ("line count as bool", _set(["lines"], True)),
    ("an extra field", _set(["extra"], 1)),
    ("unknown rule", _set(["findings", 0, 0], "B999")),
    ("line beyond the file", _set(["findings", 0, 6], [1_000_000, 0, 1_000_000, 1])),
    ("column beyond the line", _set(["findings", 0, 6, 3], 10_000)),
    ("negative column", _set(["findings", 0, 6, 1], -1)),
    ("span ending before it starts", _set(["findings", 0, 6], [4, 10, 4, 2])),
    ("span of three numbers", _set(["findings", 0, 6], [4, 10, 4])),
    ("float line", _set(["findings", 0, 6, 0], 4.0)),
    ("bool level", _set(["findings", 0, 2], True)),
    ("unknown level", _set(["findings", 0, 3], 7)),
    ("cwe as a string", _set(["findings", 0, 4], "78")),
    ("message as an object", _set(["findings", 0, 5], {"a": 1})),
    ("huge message", _set(["findings", 0, 5], "m" * 200_000)),
    ("statement line beyond the file", _set(["findings", 0, 8], [4, 50])),
    ("suppression comment not in the file", _set(["directives", 0, 1], "# nosec")),
    ("suppression comment on another line", _set(["directives", 0, 0], 4)),
    ("suppression ids not strings", _set(["directives", 0, 2], [1])),
    ("broken range outside the file", _set(["broken", 0], [5, 90])),
    ("findings not a list", _set(["findings"], {"0": 1})),
])
def test_a_row_that_does_not_fit_the_text_is_refused(engine, stored, name, change):
    key, value, _raw = stored
    with pytest.raises(InvalidEntry):
        decode(_edit(value, change), key, SOURCE, engine.rule_names)


@pytest.mark.parametrize("value", [None, 3, "", "not json", "[1]", "NaN", "{" * 100_000,
                                   '{"key": 1e999}'])
def test_a_row_that_is_not_a_row_is_refused(engine, stored, value):
    with pytest.raises(InvalidEntry):
        decode(value, stored[0], SOURCE, engine.rule_names)


def test_a_cache_that_cannot_be_used_warns_once_per_process(tmp_path, caplog):
    path = tmp_path / "c" / f"results-v{SCHEMA}.sqlite3"
    path.parent.mkdir(mode=0o700)
    path.write_bytes(b"not a database" * 100)
    for _ in range(3):
        cache = DiskCache(path)
        for _ in range(5):
            assert cache.get("k") is None
            cache.put("k", "v")
        cache.close()
    assert len([r for r in caplog.records if "result cache" in r.getMessage()]) == 1
