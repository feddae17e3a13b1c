"""Files that are not Python: their kinds, the text-analyzer registry and the engine's handling
(whole text, suppression comments of the kind, failures as "not analysed", caches)."""

from __future__ import annotations

import pytest

from bastion.analyzers.text_base import TextAnalyzer
from bastion.analyzers.text_registry import text_analyzers, versions_key
from bastion.config import Config
from bastion.engine.cache_entry import cache_key, text_key
from bastion.engine.disk_cache import DiskCache
from bastion.engine.engine import Engine
from bastion.engine.registry import create_engine, default_version_key
from bastion.engine.text_documents import text_directives
from bastion.filekinds import FileKind, discovered_kind, kind_of
from bastion.model import Finding, Level, Span

KEY = "AKIAQ4NRT6ZLMJ2H7XWB"


@pytest.mark.parametrize(("name", "kind"), [
    ("requirements.txt", FileKind.REQUIREMENTS), ("requirements-dev.txt", FileKind.REQUIREMENTS),
    ("dev-requirements.txt", FileKind.REQUIREMENTS), ("reqs/base.in", FileKind.REQUIREMENTS),
    ("pyproject.toml", FileKind.PYPROJECT), ("uv.lock", FileKind.LOCK),
    ("poetry.lock", FileKind.LOCK), ("pdm.lock", FileKind.LOCK), ("pylock.toml", FileKind.LOCK),
    ("pylock.dev.toml", FileKind.LOCK), ("Pipfile.lock", FileKind.LOCK),
    (".env", FileKind.DOTENV), (".env.production", FileKind.DOTENV), ("prod.env", FileKind.DOTENV),
    ("ci.yml", FileKind.YAML), ("k8s/secret.yaml", FileKind.YAML), ("a.json", FileKind.JSON),
    ("ruff.toml", FileKind.TOML), ("setup.cfg", FileKind.INI), ("tox.ini", FileKind.INI),
    ("deploy.sh", FileKind.SHELL), ("Dockerfile", FileKind.DOCKERFILE),
    ("Dockerfile.prod", FileKind.DOCKERFILE), ("api.dockerfile", FileKind.DOCKERFILE),
    ("app.py", FileKind.PYTHON), ("gui.pyw", FileKind.PYTHON),
])
def test_kinds_by_name(name, kind):
    assert discovered_kind(name) is kind
    assert kind_of(f"/some/where/{name}") is kind


def test_unknown_names_are_not_discovered_but_analysed_as_python():
    for name in ("README.md", "MANIFEST.in", "Makefile", "notes.txt", "script"):
        assert discovered_kind(name) is None
        assert kind_of(name) is FileKind.PYTHON
    assert kind_of(None) is FileKind.PYTHON and kind_of("untitled:Untitled-1") is FileKind.PYTHON


def test_registry_builds_the_text_analyzers_and_keys_the_cache_with_them():
    analyzers = text_analyzers()
    assert [a.id for a in analyzers] == ["secrets", "deps"]
    assert versions_key() == "".join(f"|{a.id}={a.version}" for a in analyzers)
    assert create_engine().version_key == default_version_key()


def test_every_text_analyzer_declares_the_protocol_whose_preview_is_none_by_default():
    analyzers = {a.id: a for a in text_analyzers()}
    assert all(TextAnalyzer in type(a).__mro__ for a in analyzers.values())
    assert analyzers["secrets"].preview("KEY=1", ["KEY=1"], 0, 0, ".env", FileKind.DOTENV, None) is None
    assert _Recorder().preview("bad", ["bad"], 0, 0, "a.yaml", FileKind.YAML, None) is None


class _Recorder(TextAnalyzer):
    """A text analyzer that reports every line holding "bad", and counts its runs."""

    id, version = "recorder", "1"
    kinds = frozenset({FileKind.YAML, FileKind.DOTENV})

    def __init__(self, fail: bool = False) -> None:
        self.runs, self.fail = 0, fail

    def rule_ids(self):
        return {"BST999": "recorded"}

    def dependency_key(self, text, path):
        return ""

    def analyse_text(self, text, path, kind, root):
        self.runs += 1
        if self.fail:
            raise ValueError("broken on purpose")
        return [Finding("BST999", "recorded", Level.HIGH, Level.HIGH, None, f"{kind.value} line",
                        Span(n, 0, n, len(line)), source="bastion")
                for n, line in enumerate(text.split("\n")) if "bad" in line]

    def fixes(self, text, path, kind, finding, root):
        return []

    def forget(self):
        pass


def test_engine_runs_the_kinds_analyzers_whole_with_suppressions_of_the_kind():
    recorder = _Recorder()
    engine = Engine([], text_analyzers=[recorder])
    text = "a: bad\nb: bad  # nosec BST999\nc: fine\nd: 'x#nosec' bad\n"
    analysis = engine.analyse(text, "conf/app.yaml", Config())
    assert [(f.line, f.message) for f in analysis.findings] == [(0, "yaml line"), (3, "yaml line")]
    assert [f.line for f in analysis.suppressed] == [1]
    assert engine.analyse(text, "app.json", Config()).findings == ()  # not one of its kinds
    engine.analyse(text, "conf/app.yaml", Config())
    assert recorder.runs == 1  # the same text of the same kind is answered from memory


def test_a_failing_text_analyzer_makes_the_file_not_analysed():
    engine = Engine([], text_analyzers=[_Recorder(fail=True)])
    analysis = engine.analyse("a: bad\n", "x.yml", Config())
    assert analysis.findings == ()
    assert [str(e) for e in analysis.errors] == [
        "not analysed: recorder failed: ValueError: broken on purpose"]


def test_disk_cache_rows_are_keyed_by_kind(tmp_path, monkeypatch):
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path))
    recorder = _Recorder()
    engine = Engine([], disk_cache=DiskCache(), text_analyzers=[recorder])
    text = "bad: 1\n"
    assert len(engine.analyse_raw(text, "a.yaml").findings) == 1
    assert cache_key(text, engine.version_key, FileKind.PYTHON) == text_key(text, engine.version_key)
    assert cache_key(text, engine.version_key, FileKind.YAML) != text_key(text, engine.version_key)
    again = Engine([], disk_cache=DiskCache(), text_analyzers=[recorder])
    assert len(again.analyse_raw(text, "b.yaml").findings) == 1
    assert recorder.runs == 1  # the second engine read the row
    assert again.cached_raw(text, cache_key(text, again.version_key, FileKind.YAML)) is not None
    assert again.cached_raw(text) is None  # as Python, that text was never analysed


def test_python_files_keep_their_path_and_text_kinds_get_the_secrets_rule():
    engine = create_engine()
    for path in ("deploy/.env", "ci.yaml", "Dockerfile", "run.sh", "app.py"):
        text = f"AWS_ACCESS_KEY_ID={KEY}\n" if path != "app.py" else f'KEY = "{KEY}"\n'
        analysis = engine.analyse(text, path, Config())
        assert [f.rule_id for f in analysis.findings] == ["BST301"], path
        assert KEY not in repr(analysis), path


def test_vscode_selector_names_the_kinds_the_server_reads():
    """client-vscode/src/common/documents.ts selects files by name; every name it selects must
    be one the server reads as a text kind (else it would be analysed as Python)."""
    import re
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "client-vscode/src/common/documents.ts").read_text()
    body = "".join(re.findall(r"'([^']*)'", source.split("TEXT_FILE_PATTERN =")[1].split(";")[0]))
    names = body.removeprefix("**/{").removesuffix("}").split(",")
    assert len(names) > 20
    for name in names:
        kind = discovered_kind(name.replace("*", "x"))
        assert kind is not None and kind is not FileKind.PYTHON, name


def test_suppression_comments_start_a_line_or_follow_a_blank():
    text = ("# nosec BST301\nKEY=a#nosec\nKEY=b\t#noqa: BST301\nKEY=c # bastion: ignore[BST301]\n"
            "KEY=d#\tnosec\n#nosec\n")
    found = text_directives(text, FileKind.DOTENV, {})
    assert sorted(found) == [0, 2, 3, 5]
    assert [found[line].col for line in sorted(found)] == [0, 6, 6, 0]
