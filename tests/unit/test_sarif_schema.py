"""`bastion check --format sarif` validates against the official SARIF 2.1.0 JSON schema.

The schema comes from the npm package @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json),
fetched once with `npm pack` into .tools/sarif/ (git-ignored) and reused. Without npm the schema
tests skip with the reason; CI (.ci/run) has npm, so there they run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "examples/vulnerable-app"
NPM_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"
MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"
CACHE = ROOT / ".tools" / "sarif"
SCHEMA_FILE = CACHE / "sarif-2.1.0-rtm.5.json"


def _fetch_schema() -> Path:
    if SCHEMA_FILE.is_file():
        return SCHEMA_FILE
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(f"npm not found: cannot fetch the SARIF 2.1.0 schema ({NPM_PACKAGE}); "
                    "install Node.js + npm (as .ci/run expects) to run this test")
    CACHE.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([npm, "pack", NPM_PACKAGE, "--pack-destination", str(CACHE), "--json"],
                          capture_output=True, text=True, timeout=300, cwd=CACHE)
    assert proc.returncode == 0, f"npm pack {NPM_PACKAGE} failed:\n{proc.stderr}"
    tarball = CACHE / json.loads(proc.stdout)[0]["filename"].replace("@", "").replace("/", "-")
    if not tarball.is_file():  # npm's naming of scoped tarballs: scope-name-version.tgz
        tarball = next(CACHE.glob("microsoft-jest-sarif-*.tgz"))
    with tarfile.open(tarball, "r:gz") as archive:
        data = archive.extractfile(MEMBER).read()
    tmp = SCHEMA_FILE.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(SCHEMA_FILE)
    tarball.unlink()
    return SCHEMA_FILE


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(_fetch_schema().read_text(encoding="utf-8"))


def run_sarif(*paths: str, cwd: Path = ROOT) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "bastion", "check", "--format", "sarif", *paths],
                          capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env,
                          timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def sarif() -> dict:
    return run_sarif(EXAMPLE)


def _validate(document: dict, schema: dict) -> None:
    import jsonschema

    validator_cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
    validator_cls.check_schema(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:20])


def test_schema_is_the_official_one(schema):
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_example_report_validates(sarif, schema):
    _validate(sarif, schema)
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) >= 15


def test_report_with_errors_and_suppressions_validates(tmp_path, schema):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    (tmp_path / "a.py").write_text("import pickle  # nosec\nimport subprocess\n", encoding="utf-8")
    (tmp_path / "bad.py").write_bytes(b"# caf\xe9\n")
    (tmp_path / "empty.py").write_text("", encoding="utf-8")
    document = run_sarif(".", cwd=tmp_path)
    _validate(document, schema)
    run = document["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert any(r.get("suppressions") for r in run["results"])


def test_clean_report_validates(tmp_path, schema):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    (tmp_path / "ok.py").write_text("x = 1\n", encoding="utf-8")
    document = run_sarif(".", cwd=tmp_path)
    _validate(document, schema)
    assert document["runs"][0]["results"] == []


def test_columns_are_unicode_code_points(sarif):
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    path = ROOT / EXAMPLE / "src" / "shopfront" / "auth.py"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if "hashlib.md5(" in line)
    line = lines[number - 1]
    assert not line.isascii() and any(ord(ch) > 0xFFFF for ch in line)  # accents, CJK, emoji
    # count code points by hand: everything before the call, one per character
    prefix = line.split("hashlib.md5(")[0]
    expected = 1
    for _ in prefix:
        expected += 1
    utf16 = len(prefix.encode("utf-16-le")) // 2 + 1
    utf8 = len(prefix.encode("utf-8")) + 1
    assert len({expected, utf16, utf8}) == 3  # the line tells the three encodings apart
    hits = [r for r in run["results"] if r["ruleId"] == "B324"
            and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("auth.py")
            and r["locations"][0]["physicalLocation"]["region"]["startLine"] == number]
    assert len(hits) == 1, hits
    region = hits[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == expected
    call = "hashlib.md5((label + user).encode())"
    assert call in line
    assert region["endLine"] == number and region["endColumn"] == expected + len(call)


def test_rules_and_locations_are_consistent(sarif):
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith(f"{EXAMPLE}/src/") or \
            location["artifactLocation"]["uri"].startswith(f"{EXAMPLE}/tests/")
        assert location["artifactLocation"].get("uriBaseId") == "%SRCROOT%"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
