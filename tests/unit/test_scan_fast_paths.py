"""The fast paths of a scan give what the plain ones give: batched cache reads, worker
processes, the version key without importlib.metadata, the CLI loading only its command."""

from __future__ import annotations

import importlib.metadata
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import bastion.scan
from bastion.analyzers.bandit_metadata import bandit_version, entry_points, parse_entry_points
from bastion.cli.main import _COMMANDS, build_parser
from bastion.config import Config
from bastion.engine.disk_cache import USED_PRECISION, DiskCache, default_path
from bastion.files import UnreadableSource, read_limited
from bastion.scan import PARALLEL_MIN_FILES, ScanItem, scan

ROOT = Path(__file__).resolve().parents[2]


def test_get_many_returns_the_hits_and_marks_them_used(tmp_path):
    cache = DiskCache(tmp_path / "cache.sqlite3")
    keys = [f"k{i}" for i in range(1200)]  # more than one batch of bound parameters
    for key in keys[::2]:
        cache.put(key, f"value of {key}")
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE results SET used = 0")
    found = cache.get_many(keys)
    assert found == {key: f"value of {key}" for key in keys[::2]}
    with sqlite3.connect(cache.path) as db:
        assert db.execute("SELECT COUNT(*) FROM results WHERE used = 0").fetchone() == (0,)
    cache.close()


def test_reads_within_the_hour_leave_the_rows_as_they_were(tmp_path):
    """A row marked used less than USED_PRECISION seconds ago is not written again (a warm scan
    and the rule tables' read are then read-only); an older mark, one from the future and a
    value that is no time are renewed."""
    cache = DiskCache(tmp_path / "cache.sqlite3")
    cache.put_many([(f"k{i}", f"v{i}") for i in range(5)])
    now = int(time.time())
    marks = {"k0": now - 60, "k1": now - USED_PRECISION - 1, "k2": now + 3 * USED_PRECISION,
             "k3": "yesterday", "k4": now - 60}
    with sqlite3.connect(cache.path) as db:
        db.executemany("UPDATE results SET used = ? WHERE key = ?", [(v, k) for k, v in marks.items()])
    changes = cache._connect().total_changes
    assert cache.get_many(["k0", "k1", "k2", "k3"]) == {f"k{i}": f"v{i}" for i in range(4)}
    assert cache.get("k4") == "v4"
    assert cache._connect().total_changes == changes + 3
    with sqlite3.connect(cache.path) as db:
        used = dict(db.execute("SELECT key, used FROM results"))
    assert used["k0"] == now - 60 and used["k4"] == now - 60
    assert all(isinstance(used[k], int) and 0 <= used[k] - now < 5 for k in ("k1", "k2", "k3"))
    assert cache.get_many(["k0", "k4"]) == {"k0": "v0", "k4": "v4"}
    assert cache._connect().total_changes == changes + 3  # nothing written
    cache.close()


def test_get_many_on_an_unusable_cache_finds_nothing(tmp_path):
    (tmp_path / "file").write_text("")
    cache = DiskCache(tmp_path / "file" / "cache.sqlite3")  # its folder cannot be made
    assert cache.get_many(["a", "b"]) == {}


def test_bandit_version_is_the_installed_metadata_version():
    assert bandit_version() == importlib.metadata.version("bandit")


def test_bandit_entry_points_are_read_as_importlib_metadata_reads_them():
    installed = {group: [(e.name, e.value) for e in importlib.metadata.entry_points(group=group)
                         if e.dist is not None and e.dist.name == "bandit"]
                 for group in ("bandit.plugins", "bandit.blacklists", "bandit.formatters")}
    assert {group: entry_points()[group] for group in installed} == installed
    text = ("# a comment\n\n[console_scripts]\nbandit = bandit.cli.main:main\n"
            "[bandit.plugins]\n  a = pkg.mod:attr.sub [extra]  \n; another comment\n")
    assert parse_entry_points(text) == {"console_scripts": [("bandit", "bandit.cli.main:main")],
                                        "bandit.plugins": [("a", "pkg.mod:attr.sub [extra]")]}
    assert parse_entry_points("a = b:c\n") is None  # before any group: not understood
    assert parse_entry_points("[g]\nno equals sign\n") is None


def _project(root: Path, count: int) -> list[ScanItem]:
    root.mkdir()
    sources = {
        "shell.py": "import subprocess\nsubprocess.call(cmd, shell=True)\n",
        "quiet.py": "import subprocess\nsubprocess.call(cmd, shell=True)  # nosec\n",
        "broken.py": "import os\nos.system(x)\ndef f(:\n",
        "blob.py": b"\x00\x01binary",
        "latin.py": "# -*- coding: latin-1 -*-\npassword = 'caf\xe9'\n".encode("latin-1"),
    }
    for i in range(count - len(sources)):  # of growing sizes
        body = f"import pickle\n\ndef load{i}(data):\n    return pickle.loads(data)\n"
        sources[f"m{i:02}.py"] = body + "x = 1\n" * i
    items = []
    for name, content in sorted(sources.items()):
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        items.append(ScanItem(str(path), name, Config()))
    return items


def _summary(outcomes) -> list:
    return [(o.item.shown, o.lines, o.error,
             None if o.analysis is None else
             ([(f.rule_id, f.span) for f in o.analysis.findings],
              [(f.rule_id, f.span) for f in o.analysis.suppressed], o.analysis.broken))
            for o in outcomes]


def test_worker_processes_and_the_cache_give_the_in_process_outcomes(tmp_path, monkeypatch):
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(bastion.scan, "_ENGINE", None)  # a new one, with this test's cache
    items = _project(tmp_path / "project", PARALLEL_MIN_FILES + 6)
    in_process = _summary(scan(items, jobs=1, use_cache=False))
    assert _summary(scan(items, jobs=2, use_cache=False)) == in_process  # workers, in order
    assert _summary(scan(items, jobs=2)) == in_process  # workers, filling the cache
    wal = default_path().with_name(default_path().name + "-wal")  # copied into the database file
    assert not wal.exists() or wal.stat().st_size == 0

    def analyse(*args):
        raise AssertionError("a cached file was analysed")

    monkeypatch.setattr(bastion.scan, "analyse_item", analyse)
    monkeypatch.setattr(bastion.scan, "_in_processes", analyse)
    assert _summary(scan(items, jobs=2)) == in_process  # every file from the cache
    errors = {o[0]: o[2] for o in in_process if o[2]}
    assert errors == {"blob.py": "skipped: binary file (contains NUL bytes)"}


def test_scan_workers_send_their_cache_rows_to_the_parent(tmp_path, monkeypatch):
    """Workers do not open the result cache (each committing a row per file, they waited for
    each other's commits): the parent writes the rows they send back."""
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(bastion.scan, "_ENGINE", None)  # a new one, with this test's cache
    items = _project(tmp_path / "project", PARALLEL_MIN_FILES + 6)
    parent, connect = os.getpid(), sqlite3.connect

    def parent_only(path, *args, **kwargs):
        if os.getpid() != parent and Path(path) == default_path():
            raise AssertionError("a worker opened the result cache")
        return connect(path, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", parent_only)
    outcomes = scan(items, jobs=2)
    assert [o.error for o in outcomes if o.error] == ["skipped: binary file (contains NUL bytes)"]
    assert not any(o.analysis.errors for o in outcomes if o.analysis)
    assert sum(o is not None and o.analysis is not None
               for o in bastion.scan._from_cache(items)) == len(items) - 1  # all but the binary


def test_read_limited_refuses_folders_and_large_files(tmp_path, monkeypatch):
    with pytest.raises(UnreadableSource, match=r"not a regular file \(folder\)"):
        read_limited(tmp_path)
    big = tmp_path / "big.py"
    big.write_bytes(b"x = 1\n" * 400)
    monkeypatch.setattr("bastion.files.MAX_BYTES", 1024)
    with pytest.raises(UnreadableSource, match=r"too large \(2 KiB > 1 KiB\)"):
        read_limited(big)


def _commands(parser) -> set[str]:
    return set(next(a for a in parser._actions if a.dest == "command").choices)


def test_parser_has_every_command_for_help_and_typos_but_only_the_one_run():
    assert _commands(build_parser(["--help"])) == set(_COMMANDS)
    assert _commands(build_parser(["chek"])) == set(_COMMANDS)
    assert _commands(build_parser(["check", "--format", "json"])) == {"check"}
    assert _commands(build_parser(["--help", "check"])) == set(_COMMANDS)


def test_a_cached_check_loads_no_analyzer_worker_or_other_command(tmp_path):
    project = tmp_path / "project"
    _project(project, 4)
    env = {**os.environ, "BASTION_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "server"),
                                                       os.environ.get("PYTHONPATH")]))}
    code = ("import json, sys\nfrom bastion.cli.main import main\n"
            f"main(['check', {str(project)!r}, '--format', 'json', '--fail-on', 'never'])\n"
            "sys.stderr.write(json.dumps(sorted(sys.modules)))\n")

    def run() -> tuple[dict, set[str]]:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env, timeout=120, check=True)
        return json.loads(done.stdout), set(json.loads(done.stderr.splitlines()[-1]))

    cold, _ = run()
    warm, modules = run()
    for report in (cold, warm):
        report["summary"].pop("seconds")
    assert warm == cold
    loaded = {m for m in modules if m.split(".")[0] == "bandit" or m in (
        "concurrent.futures.process", "bastion.lsp", "bastion.cli.lsp_cmd",
        "bastion.cli.rules_cmd", "bastion.cli.explain_cmd", "bastion.cli.baseline_cmd",
        "bastion.gitdiff", "bastion.report.sarif")}
    assert loaded == set()


def _loaded_after(code: str, tmp_path: Path) -> set[str]:
    env = {**os.environ, "BASTION_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "server"),
                                                       os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code + "\nprint(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, env=env, timeout=120, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_a_small_check_loads_nothing_it_does_not_use_and_deferred_modules_still_work(tmp_path):
    """A cold check runs bandit without its scan manager (rich) or PyYAML, and no libcst when
    every file parses; a warm one loads no analyzer, nor the engine. Once the rule tables are
    stored parsed, a check of files analysed in-process imports no worker pool, no TOML parser
    (bandit's configuration module's is deferred), no configparser run (bandit's utilities') and
    no packaging.utils (for the taint models' package names), no shutil. The deferred modules load when
    something reads them."""
    project = tmp_path / "project"
    project.mkdir()
    for i in range(3):
        (project / f"m{i}.py").write_text("import subprocess\nsubprocess.call(cmd, shell=True)\n")
    check = ("import contextlib, io, json, sys\nfrom bastion.cli.main import main\n"
             "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
             f"    main(['check', {str(project)!r}, '--format', 'json', '--fail-on', 'never'])\n"
             "assert len(json.loads(out.getvalue())['results']) == 6, out.getvalue()")
    cold = _loaded_after(check, tmp_path)
    assert "bastion.analyzers.bandit_adapter" in cold
    assert {m for m in cold if m.split(".")[0] in ("rich", "libcst")} == set()
    assert "yaml.loader" not in cold and "bandit.core.manager" in cold  # in place, not run
    # Bandit's plugins without stevedore; hmac for temporary names and difflib for "did you
    # mean" only when used (no -o, no baseline written, no unknown key).
    assert {"importlib.metadata", "stevedore", "email.parser", "secrets", "difflib"} & cold == set()
    # nor hashlib's OpenSSL module: the secrets scanner's fingerprints (PBKDF2) need it only
    # for a secret found
    assert {"hashlib", "_hashlib"} & cold == set()
    warm = _loaded_after(check, tmp_path)
    assert {m for m in warm if m.split(".")[0] in ("bandit", "libcst", "rich", "yaml")} == set()
    assert "tomllib" not in warm  # no pyproject.toml to read (bandit's config module imports it)
    assert "bastion.engine.engine" not in warm
    # nor hashlib's OpenSSL module: blake2b and sha256 are CPython's own (bastion/digests.py)
    assert {"hashlib", "_hashlib"} & warm == set()
    # nor, without a baseline, the modules that match one (bastion/baseline/__init__.py)
    assert {f"bastion.baseline.{m}" for m in ("match", "fingerprint", "editor", "store")} & warm == set()
    # nor, in files without a suppression comment and without rule options, the comments' reader
    assert "bastion.engine.suppress" not in warm
    # nor, where no module changes another's names, the reader of changes (taint/bindings.py)
    assert "bastion.analyzers.taint.bindings" not in warm
    # the result cache, the stored rule tables and the workspace keys take their loggers when
    # they warn (bastion/lazy_log.py): logging, traceback and string are no warm start-up cost;
    # the advisory index's folder is told without platformdirs (bastion/user_dirs.py)
    plain = sys.platform == "linux" and os.environ.get("HOME", "").startswith("/") and not {
        "XDG_DATA_HOME", "ANDROID_DATA"} & os.environ.keys()
    assert {"logging", "traceback", *(["platformdirs"] if plain else [])} & warm == set()
    # nor compiles the patterns of suppression comments, line ends, fingerprints or includes,
    # of secret references, of -o targets, of control characters (text output), of retracted
    # findings, or of rule and severity-map options (each compiled when first used:
    # deferred_patterns.py)
    _loaded_after(check + (
        "\nfrom bastion.baseline import fingerprint\nfrom bastion.deps import include_lines"
        "\nfrom bastion.engine import suppress\nfrom bastion.model import finding, text"
        "\nfrom bastion.analyzers.secrets import allow\nfrom bastion.cli import output"
        "\nfrom bastion.report import escape\nfrom bastion import config"
        "\nmodules = (fingerprint, include_lines, suppress, text, allow, output, escape, finding, config)"
        "\ngetters = [v for m in modules for v in vars(m).values()"
        "\n           if hasattr(v, 'cache_info') and v.__qualname__ == 'deferred.<locals>.<lambda>']"
        "\nassert len(getters) == 27 and not any(g.cache_info().currsize for g in getters)"), tmp_path)
    uncached = check.replace("main(['check'", "main(['check', '--no-cache'")
    toml = "tomllib" if sys.version_info >= (3, 11) else "tomli"
    # nor shutil (bz2, lzma): argparse's formatters read the terminal's width through it, and
    # the parser's are given one while it is built (cli/main.py's _Parser)
    assert {"multiprocessing", "concurrent.futures.process", "packaging.utils", "packaging.tags",
            f"{toml}._parser", "shutil", "bz2", "lzma"} & _loaded_after(uncached, tmp_path) == set()
    used = _loaded_after(uncached + (
        "\nassert 'RawConfigParser' not in vars(sys.modules['configparser'])"  # in place, not run
        "\nfrom bandit.core import utils\nassert utils.configparser.ConfigParser().sections() == []"
        "\nimport yaml\nassert yaml.safe_load('a: [1]') == {'a': [1]}"
        f"\nimport {toml}\nassert {toml}.loads('a = [1]') == {{'a': [1]}}"
        "\nfrom bandit.core import config\nassert config.tomllib.TOMLDecodeError"
        "\nfrom bandit.core import manager\nassert manager.BanditManager.__name__ == 'BanditManager'"),
        tmp_path)
    assert {"yaml.loader", "rich", f"{toml}._parser"} <= used


@pytest.mark.skipif(sys.platform != "linux", reason="workers start by fork only on Linux")
def test_few_files_go_to_workers_when_they_are_large_enough(tmp_path, monkeypatch):
    sent: list[int] = []

    def record(items, jobs, use_cache):
        sent.append(len(items))
        return [bastion.scan.analyse_item(item, use_cache) for item in items]

    monkeypatch.setattr(bastion.scan, "_in_processes", record)
    monkeypatch.setattr(bastion.scan, "default_jobs", lambda: 2)
    body = "import pickle\n\ndef load(data):\n    return pickle.loads(data)\n"
    small = []
    for i in range(3):
        path = tmp_path / f"small{i}.py"
        path.write_text(body)
        small.append(ScanItem(str(path), path.name, Config()))
    scan(small, use_cache=False)
    assert sent == []  # 3 small files: analysed in-process
    large = []
    for i in range(3):
        path = tmp_path / f"large{i}.py"
        path.write_text(body + "x = 1\n" * (bastion.scan.PARALLEL_MIN_BYTES // 12))
        large.append(ScanItem(str(path), path.name, Config()))
    outcomes = scan(large, use_cache=False)
    assert sent == [3]
    assert [sorted(f.rule_id for f in o.analysis.findings) for o in outcomes] == [["B301", "B403"]] * 3


def test_a_one_off_analysis_parses_the_file_once(monkeypatch):
    """The taint analyzer reads the tree the engine parsed (bandit and the rules read it first),
    not a second parse of its own; its flow is still found."""
    import ast

    from bastion.engine.registry import create_engine

    engine = create_engine(unit_caches=False)
    text = ("import subprocess\nfrom flask import request\n\n"
            "def run():\n    subprocess.call(request.args['cmd'], shell=True)\n")
    parses: list[int] = []
    real = ast.parse

    def counted(source, *args, **kwargs):
        parses.append(len(source))
        return real(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counted)
    raw = engine.analyse_raw(text, "app.py", use_disk=False)
    assert parses == [len(text)]
    assert {"B602", "BST202"} <= {f.rule_id for f in raw.findings}
