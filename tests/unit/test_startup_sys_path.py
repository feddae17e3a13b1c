"""Starting Bastion in a hostile folder never imports (runs) the folder's modules.

The workspace holds a module named after every top-level module the server and `bastion check`
import (json.py, attrs.py, pygls.py, bandit.py, platformdirs.py, sqlite3.py, …); importing any
of them creates a marker file. `python -m bastion` puts its working directory first on sys.path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Imported by the interpreter before any Bastion code runs (runpy's own imports): only -P or a
# safe working directory keeps a workspace copy of these out.
_BEFORE_BASTION = "import sys; import runpy; print(' '.join(sys.modules))"
# Every top-level module a full `bastion check` and the server's start-up import.
_IMPORTED = """\
import atexit, sys
atexit.register(lambda: print(' '.join(sorted({m.split('.')[0] for m in sys.modules}))))
import bastion.lsp.server
from bastion.cli.main import main
main(["check", "--jobs", "1", sys.argv[1]])
"""
ISSUE_NAMES = {"json", "sqlite3", "attrs", "pygls", "bandit", "platformdirs"}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "server")}


def _python(code: str, *args: str, cwd: Path, cache: Path | None = None) -> str:
    env = _env() if cache is None else {**_env(), "BASTION_CACHE_DIR": str(cache)}
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)
    return proc.stdout.split("\n")[-2] if proc.stdout.strip() else ""


@pytest.fixture(scope="module")
def module_names(tmp_path_factory) -> tuple[set[str], set[str]]:
    """(names imported after Bastion's first line, names imported before it)."""
    clean = tmp_path_factory.mktemp("clean")
    (clean / "a.py").write_text("import subprocess\nsubprocess.call(x, shell=True)\n")
    # an empty result cache: a file of this text checked before by this interpreter (another run
    # of this test) is answered from the cache, without importing bandit
    imported = set(_python(_IMPORTED, str(clean / "a.py"), cwd=clean,
                           cache=tmp_path_factory.mktemp("cache")).split())
    before = set(_python(_BEFORE_BASTION, cwd=clean).split())
    assert {"json", "attrs", "pygls", "bandit"} <= imported, imported
    names = {n for n in imported | ISSUE_NAMES
             if n.isidentifier() and n not in sys.builtin_module_names}
    return names - before - {"bastion", "__main__"}, (before & names) | {"bastion"}


def _plant(folder: Path, names: set[str]) -> Path:
    markers = folder / "markers"
    markers.mkdir()
    code = f"open({str(markers)!r} + '/' + __name__, 'w').close()\n"
    for name in names:
        if name == "bastion":  # a package that shadows Bastion itself
            (folder / name).mkdir()
            (folder / name / "__init__.py").write_text(code)
        else:
            (folder / f"{name}.py").write_text(code)
    (folder / "app.py").write_text("import subprocess\nsubprocess.call(x, shell=True)\n")
    # Bandit's metadata, where its version and its plugins' entry points are read (without
    # importlib.metadata: analyzers/bandit_metadata.py): a planted copy names a module of the
    # folder as every plugin.
    info = folder / "bandit-99.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bandit\nVersion: 99.0\n\n")
    (info / "entry_points.txt").write_text("".join(
        f"[bandit.{group}]\nplanted = planted_plugin:check\n\n"
        for group in ("blacklists", "formatters", "plugins")))
    (folder / "planted_plugin.py").write_text(code + "def check(context):\n    return None\n")
    return markers


def _message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _lsp_session(args: list[str], cwd: Path, workspace: Path) -> list[dict]:
    """initialize / initialized / shutdown / exit over stdio; the responses received."""
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "capabilities": {}, "rootUri": workspace.as_uri(),
                    "workspaceFolders": [{"uri": workspace.as_uri(), "name": "ws"}]}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    proc = subprocess.run([sys.executable, *args], input=b"".join(map(_message, messages)),
                          capture_output=True, cwd=cwd, env=_env(), timeout=120)
    responses, data = [], proc.stdout
    while b"\r\n\r\n" in data:
        header, _, rest = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in header.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")))
        responses.append(json.loads(rest[:length]))
        data = rest[length:]
    return [r for r in responses if "id" in r]


def test_python_m_bastion_in_a_hostile_folder_imports_nothing_from_it(module_names, tmp_path):
    after, _ = module_names
    markers = _plant(tmp_path, after)
    for args in (["--version"], ["check", "--no-cache", "app.py"]):
        proc = subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True,
                              text=True, cwd=tmp_path, env=_env(), timeout=120)
        assert sorted(p.name for p in markers.iterdir()) == [], (args, proc.stderr)
        assert proc.returncode == (0 if args == ["--version"] else 1), proc.stderr
    responses = _lsp_session(["-m", "bastion", "lsp"], cwd=tmp_path, workspace=tmp_path)
    assert sorted(p.name for p in markers.iterdir()) == []
    assert [r["id"] for r in responses] == [1, 2] and "capabilities" in responses[0]["result"]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="-P is new in Python 3.11")
def test_the_server_started_as_the_extension_starts_it_imports_nothing_from_the_workspace(
        module_names, tmp_path):
    """The extension runs `<python> -P -m bastion lsp` (3.11+) with its own folder as working
    directory; here even modules imported before Bastion's code, and a `bastion` package, are
    planted in the workspace."""
    after, before = module_names
    workspace = tmp_path / "ws"
    workspace.mkdir()
    markers = _plant(workspace, after | before)
    extension_folder = ROOT / "client-vscode"
    responses = _lsp_session(["-P", "-m", "bastion", "lsp"], cwd=extension_folder,
                             workspace=workspace)
    assert sorted(p.name for p in markers.iterdir()) == []
    assert [r["id"] for r in responses] == [1, 2] and "capabilities" in responses[0]["result"]
