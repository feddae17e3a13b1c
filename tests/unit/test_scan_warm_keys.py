"""A warm scan finds in the result cache the files whose taint key depends on more than their
text (scan_key.py): modules naming lxml (the version their project declares), their importers,
modules rendering templates; and still analyses again what a manifest edit changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import bastion.scan
from bastion.analyzers import rule_tables, versions
from bastion.analyzers.taint.model_files import load_models
from bastion.analyzers.taint.scan_key import ScanKeys, versioned_packages
from bastion.analyzers.versions import taint_models_dir, toml_files
from bastion.config import Config
from bastion.engine.registry import default_version_key
from bastion.scan import ScanItem, scan

SOURCES = {
    # lxml's default parser resolved external entities before 5.0
    "xml_view.py": ("from flask import Flask, request\nfrom lxml import etree\n\napp = Flask(__name__)\n\n\n"
                    "@app.post('/parse')\ndef parse():\n"
                    "    return etree.tostring(etree.fromstring(request.get_data()))\n"),
    "xmlutil.py": "from lxml import etree\n\n\ndef load(data):\n    return etree.fromstring(data)\n",
    "importer.py": ("from flask import Flask, request\nfrom xmlutil import load\n\n"
                    "app = Flask(__name__)\n\n\n@app.post('/load')\ndef view():\n"
                    "    return str(load(request.get_data()))\n"),
    "page.py": ("from flask import Flask, render_template, request\n\napp = Flask(__name__)\n\n\n"
                "@app.get('/')\ndef page():\n"
                "    return render_template('page.html', name=request.args.get('name'))\n"),
    "templates/page.html": "<p>{{ name|safe }}</p>\n",
    "plain.py": "def add(a, b):\n    return a + b\n",
}


def _project(root: Path) -> list[ScanItem]:
    for name, text in SOURCES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "requirements.txt").write_text("lxml==4.9.1\nflask\n")
    return [ScanItem(str(root / name), name, Config()) for name in sorted(SOURCES) if name.endswith(".py")]


def _findings(outcomes) -> dict[str, list[tuple[str, str]]]:
    return {o.item.shown: sorted((f.rule_id, f.confidence.name) for f in o.analysis.findings)
            for o in outcomes}


def test_a_warm_scan_analyses_nothing_and_follows_a_manifest_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(bastion.scan, "_ENGINE", None)  # a new one, with this test's cache
    root = tmp_path / "project"
    items = _project(root)
    roots = [str(root)]
    cold = _findings(scan(items, jobs=1, roots=roots))
    assert cold["xml_view.py"] and cold["importer.py"] and cold["page.py"]  # what the keys guard
    analysed: list[str] = []
    analyse = bastion.scan.analyse_item

    def counted(item, *args):
        analysed.append(item.shown)
        return analyse(item, *args)

    monkeypatch.setattr(bastion.scan, "analyse_item", counted)
    assert _findings(scan(items, jobs=1, roots=roots)) == cold
    assert analysed == []
    manifest = root / "requirements.txt"
    manifest.write_text("lxml==5.2.0\nflask\n")
    stamp = manifest.stat().st_mtime_ns + 2_000_000_000  # a stamp other than the first one's
    os.utime(manifest, ns=(stamp, stamp))
    # a new check's process: this one's summary store keeps xmlutil's summary (the editor's
    # store is told of manifest edits, test_taint_lxml_versions.py)
    monkeypatch.setattr(bastion.scan, "_ENGINE", None)
    edited = _findings(scan(items, jobs=1, roots=roots))
    assert sorted(analysed) == ["importer.py", "xml_view.py", "xmlutil.py"]
    assert edited["xml_view.py"] != cold["xml_view.py"]
    assert edited["importer.py"] != cold["importer.py"]
    assert {k: v for k, v in edited.items() if k not in ("xml_view.py", "importer.py")} == \
        {k: v for k, v in cold.items() if k not in ("xml_view.py", "importer.py")}


def test_the_versioned_packages_read_without_the_models_are_the_models(tmp_path):
    assert versioned_packages() == frozenset(load_models().versioned) != frozenset()


def test_a_warm_scan_reads_the_taint_models_once_and_keys_the_bytes_it_parses(tmp_path, monkeypatch):
    """The version key hashes, and the taint keys parse (the versioned packages), one read of
    the models folder: the keys told from it are those told without it, and follow its bytes."""
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    models = toml_files(taint_models_dir())
    assert default_version_key(models) == default_version_key()
    assert ScanKeys((), models).versioned == versioned_packages() != frozenset()
    edited = [(path, data + b"\n# edited\n" if index == 0 else data)
              for index, (path, data) in enumerate(models)]
    assert default_version_key(edited) != default_version_key()
    monkeypatch.setattr(bastion.scan, "_ENGINE", None)
    root = tmp_path / "project"
    items = _project(root)
    cold = _findings(scan(items, jobs=1, roots=[str(root)]))
    reads: list[str] = []

    def counted(directory):
        reads.append(Path(directory).name)
        return toml_files(directory)

    monkeypatch.setattr(versions, "toml_files", counted)
    monkeypatch.setattr(rule_tables, "toml_files", counted)
    assert _findings(scan(items, jobs=1, roots=[str(root)])) == cold
    assert reads.count("taint") == 1


def test_a_warm_check_of_modules_importing_each_other_loads_no_taint_analysis(tmp_path):
    """Their keys read the imported modules' texts (modules.py, workspace_closure.py), not the
    analysis nor the models: a warm check is served without importing them, with the cold
    check's report."""
    package = tmp_path / "project" / "app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "util.py").write_text("import subprocess\n\n\ndef run(cmd):\n"
                                      "    return subprocess.call(cmd, shell=True)\n")
    (package / "main.py").write_text("from lxml import etree\nfrom app import util\n\n\n"
                                     "def go(x):\n    return util.run(x), etree.fromstring(x)\n")
    env = {**os.environ, "BASTION_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2] / "server"),
                                                       os.environ.get("PYTHONPATH")]))}
    code = ("import json, sys\nfrom bastion.cli.main import main\n"
            f"main(['check', {str(tmp_path / 'project')!r}, '--format', 'json', '--fail-on', 'never'])\n"
            "sys.stderr.write(json.dumps(sorted(sys.modules)))\n")
    reports, loaded = [], set()
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env, timeout=120, check=True)
        reports.append(json.loads(done.stdout))
        reports[-1]["summary"].pop("seconds")
        loaded = set(json.loads(done.stderr.splitlines()[-1]))
    assert reports[0] == reports[1] and reports[0]["results"]
    assert "bastion.analyzers.taint.workspace_closure" in loaded  # the imported modules were read
    assert {"bastion.engine.engine", "bastion.analyzers.taint.analysis",
            "bastion.analyzers.taint.workspace_entries", "bastion.analyzers.taint.specs"} & loaded == set()
