"""`bastion db import/update/info`: OSV archives and folders in, a validated private index out.
`update` downloads from a local HTTP server serving a fixture zip: never the internet."""

from __future__ import annotations

import http.server
import io
import json
import os
import stat
import threading
import zipfile

import pytest
from packaging.version import Version

from bastion.cli.main import main
from bastion.deps import location, store

RECORDS = [
    {"id": "TEST-2026-1", "modified": "2026-11-30T10:00:00Z", "aliases": ["CVE-2026-0001"],
     "summary": "requests test advisory", "severity": [
         {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
     "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
                   "ranges": [{"type": "ECOSYSTEM",
                               "events": [{"introduced": "0"}, {"fixed": "2.40.0"}]}]}]},
    {"id": "TEST-2026-2", "modified": "2026-11-29T10:00:00Z", "withdrawn": "2026-11-30T00:00:00Z",
     "affected": [{"package": {"ecosystem": "PyPI", "name": "flask"},
                   "versions": ["2.0.0"]}]},
    {"id": "TEST-2026-3", "modified": "2026-11-29T10:00:00Z",
     "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"}, "versions": ["1.0.0"]}]},
]


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data" / "bastion"
    monkeypatch.setenv("BASTION_DATA_DIR", str(folder))
    return folder


def fixture_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for record in RECORDS:
            archive.writestr(f"{record['id']}.json", json.dumps(record))
    return buffer.getvalue()


def test_import_zip_then_info(tmp_path, data_dir, capsys):
    archive = tmp_path / "all.zip"
    archive.write_bytes(fixture_zip())
    assert main(["db", "import", str(archive), "--source", "fixture"]) == 0
    assert "imported 1 advisories on 1 packages (1 withdrawn" in capsys.readouterr().out
    path = data_dir / location.FILE_NAME
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    index = store.load()
    (affected,) = index.affected("requests")
    assert affected.advisory.severity == "high" and affected.affects(Version("2.39"))
    assert main(["db", "info", "--format", "json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["source"] == "fixture" and facts["advisories"] == 1 and not facts["shipped"]
    assert facts["data_up_to"] == "2026-11-30"


def test_import_a_folder_of_yaml_and_json(tmp_path, capsys):
    folder = tmp_path / "osv"
    (folder / "requests").mkdir(parents=True)
    (folder / "requests" / "TEST-2026-1.yaml").write_text(
        "id: TEST-2026-1\nmodified: 2026-11-30T10:00:00Z\naffected:\n- package:\n"
        "    name: requests\n    ecosystem: PyPI\n  versions: ['2.0.0']\n")
    (folder / "TEST-2026-3.json").write_text(json.dumps(RECORDS[2]))
    assert main(["db", "import", str(folder)]) == 0
    assert store.load().affected("requests")[0].affects(Version("2.0.0"))


def test_import_of_nothing_useful_keeps_the_index(tmp_path, data_dir, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["db", "import", str(empty)]) == 1
    assert "no PyPI advisory" in capsys.readouterr().err
    assert not (data_dir / location.FILE_NAME).exists()
    assert main(["db", "import", str(tmp_path / "missing.zip")]) == 1


def test_a_corrupted_stored_index_is_reported_not_used(data_dir, capsys):
    data_dir.mkdir(parents=True)
    (data_dir / location.FILE_NAME).write_bytes(b"\x1f\x8b garbage")
    assert main(["db", "info"]) == 1
    assert "not a gzip file" in capsys.readouterr().err


def test_info_on_the_shipped_index_hints_that_it_is_old(capsys):
    assert main(["db", "info"]) == 0
    out, err = capsys.readouterr()
    assert "shipped with Bastion" in out and "advisories: 2651 on 660 packages" in out and "CC-BY-4.0" in out
    assert "hint: The advisory index is" in err and "bastion db update" in err


@pytest.fixture
def server():
    payload = fixture_zip()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            if self.path != "/PyPI/all.zip":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_update_downloads_from_the_configured_url(server, data_dir, capsys, monkeypatch):
    monkeypatch.setenv("BASTION_OSV_URL", f"{server}/PyPI/all.zip")
    assert main(["db", "update"]) == 0
    assert "imported 1 advisories" in capsys.readouterr().out
    assert store.load().source.startswith(f"{server}/PyPI/all.zip (downloaded ")


def test_update_failure_keeps_the_index(server, data_dir, capsys):
    assert main(["db", "update", "--url", f"{server}/missing.zip"]) == 1
    assert "404" in capsys.readouterr().err
    assert not (data_dir / location.FILE_NAME).exists()
    assert main(["db", "update", "--url", "file:///etc/passwd"]) == 1


def test_check_reports_the_pin_on_its_line_and_hints_once(tmp_path, capsys, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("flask==3.0.3\nrequests==2.19.0  # client\n")
    (project / "requirements-dev.txt").write_text("jinja2==2.10\n")
    monkeypatch.chdir(project)
    assert main(["check", "--no-cache", "--format", "sarif", "."]) == 1
    out, err = capsys.readouterr()
    results = json.loads(out)["runs"][0]["results"]
    located = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results}
    assert located == {("BST401", "requirements.txt", 2), ("BST401", "requirements-dev.txt", 1)}
    assert err.count("advisory index is") == 1


@pytest.mark.parametrize(("pyproject", "hinted"), [
    ('[tool.bastion]\nseverity = "low"\n', False),
    ('[project]\nname = "t"\ndependencies = ["requests>=2.31"]\n', True),
])
def test_the_age_hint_only_when_a_manifest_declares_dependencies(tmp_path, capsys, monkeypatch,
                                                                  pyproject, hinted):
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (tmp_path / "ok.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "."]) == 0
    assert ("advisory index is" in capsys.readouterr().err) is hinted


def test_a_corrupted_index_makes_manifests_not_analysed(data_dir):
    from bastion.deps import analysis

    data_dir.mkdir(parents=True)
    (data_dir / location.FILE_NAME).write_bytes(b"\x1f\x8b garbage")
    result = analysis.analyse("requirements.txt", "requests==2.19.0\nreqeusts==1.0\n")
    (problem,) = result.not_analysed
    assert "advisory index unusable" in problem.reason and "not a gzip file" in problem.reason
    assert [f.rule_id for f in result.findings] == ["BST403"]  # needs no index
