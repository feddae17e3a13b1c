"""The editor-side fix service: per-version caching, models from the engine's split, fix-all."""

from __future__ import annotations

from bastion.engine.splitter import split_document
from bastion.fixes import DocModel
from bastion.fixes.service import FixService
from bastion.fixes.testing import CONFIG, engine, findings

TEXT = ("import subprocess\nimport yaml\n\n\ndef load(p):\n"
        "    return yaml.load(open(p), Loader=yaml.Loader)\n\n\n"
        "def run(cmd):\n    subprocess.run(cmd, shell=True)\n")


def test_fixes_are_cached_per_version():
    service = FixService(engine())
    finding = findings(TEXT, "B506")[0]
    first = service.fixes("u", 1, TEXT, "t.py", CONFIG, finding)
    assert [f.key for f in first] == ["safe-load"]
    assert service.fixes("u", 1, TEXT, "t.py", CONFIG, finding) is first
    edited = "# edited\n" + TEXT
    moved = findings(edited, "B506")[0]
    second = service.fixes("u", 2, edited, "t.py", CONFIG, moved)
    assert second is not first and second[0].statement.start == first[0].statement.start + 1
    assert service.has_model("u", 2) and not service.has_model("u", 1)


def test_model_from_the_engine_split_equals_a_fresh_build():
    split = split_document(TEXT)
    from_split = DocModel.from_split(TEXT, split, engine())
    built = DocModel.build(TEXT, engine())
    assert [u.text for u in from_split.units] == [u.text for u in built.units]
    assert from_split.facts == built.facts
    assert DocModel.from_split("x = 1\n" + TEXT, split, engine()) is None  # does not fit


def test_fix_all_applies_safe_fixes_only_and_reports_them():
    service = FixService(engine())
    result = service.fix_all("u", 1, TEXT, "t.py", CONFIG)
    assert result.applied == [] and result.text == TEXT  # both fixes here are review
    both = service.fix_all("u", 1, TEXT, "t.py", CONFIG,
                           safeties=frozenset({"safe", "review"}))
    assert sorted(f.rule_id for f in both.applied) == ["B506", "B602"]
    assert "import shlex\n" in both.text and both.text.count("import shlex") == 1
    service.shutdown()
