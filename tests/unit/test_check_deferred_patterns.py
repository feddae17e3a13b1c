"""A cold check of plain modules compiles none of the taint analysis' patterns that only some
projects need (templates, URL routes, Django settings, one module changing another's names,
format strings, regex character sets, ...): each is compiled on its first use
(deferred_patterns.py), in a fresh process, so that a small project's start-up does not pay for
them. The patterns still match as compiled at import (their modules' own tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# module -> its patterns compiled on first use
DEFERRED = {
    "argv": 2, "block_starts": 2, "charsets": 2, "class_constants": 2, "concatenation": 2,
    "container_changes": 2, "declared_versions": 1, "entry_params": 2, "folding": 3,
    "foreign_changes": 14, "scoped_hooks": 1, "templates": 2, "url_paths": 1, "url_routes": 2,
    "urls_files": 2, "workspace_entries": 1, "workspace_gate": 2,
}


def test_a_cold_check_of_plain_modules_compiles_no_deferred_taint_pattern(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for i in range(3):
        (project / f"m{i}.py").write_text(
            f"import subprocess\nfrom . import m{(i + 1) % 3}\n\n"
            "def run(cmd):\n    subprocess.call(cmd, shell=True)\n")
    code = (
        "import contextlib, importlib, io, json, sys\nfrom bastion.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    main(['check', '--no-cache', '-j', '1', {str(project)!r}, '--format', 'json',"
        " '--fail-on', 'never'])\n"
        "assert len(json.loads(out.getvalue())['results']) == 6, out.getvalue()\n"
        f"deferred = {DEFERRED!r}\n"
        "found = {}\n"
        "for name in deferred:\n"
        "    module = importlib.import_module('bastion.analyzers.taint.' + name)\n"
        "    getters = [v for v in vars(module).values() if hasattr(v, 'cache_info')\n"
        "               and v.__qualname__ == 'deferred.<locals>.<lambda>']\n"
        "    getters += [g for v in vars(module).values() if isinstance(v, tuple)\n"
        "                for item in v if isinstance(item, tuple) for g in item\n"
        "                if getattr(g, '__qualname__', '') == 'deferred.<locals>.<lambda>']\n"
        "    found[name] = (len(getters), sum(g.cache_info().currsize for g in getters))\n"
        "print(json.dumps(found))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                               "PYTHONPATH": str(ROOT / "server"),
                               "BASTION_CACHE_DIR": str(tmp_path / "cache")}, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert {name: count for name, (count, _) in found.items()} == DEFERRED
    assert {name: compiled for name, (_, compiled) in found.items() if compiled} == {}
