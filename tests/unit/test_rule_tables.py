"""The parsed rule and model files kept in the result cache (analyzers/rule_tables.py): what is
read back equals what tomllib gives for the files on disk, a stored entry that is not a parse
of such files is refused and replaced, an edited file misses the old entry, and the entry lives
in the user-private database.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import sys
from pathlib import Path

import attrs
import pytest

from bastion.analyzers import rule_tables
from bastion.analyzers.toml_rules import TomlRulesAnalyzer

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def rules(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped own rules, a private cache folder, and no tables parsed yet."""
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "bastion", folder)
    monkeypatch.setenv("BASTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BASTION_NO_CACHE", raising=False)
    monkeypatch.setattr(rule_tables, "_PARSED", {})
    return folder


def parsed_from_disk(folder: Path) -> dict[str, dict]:
    return {path.name: tomllib.loads(path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.toml"))}


def tables(folder: Path) -> dict[str, dict]:
    found = rule_tables.folder_tables(folder)
    assert all(error is None for _, _, error in found)
    return {path.name: table for path, table, _ in found}


def stored(tmp_path: Path) -> dict[str, str]:
    (database,) = (tmp_path / "cache").glob("rule-tables-v*.sqlite3")
    with sqlite3.connect(database) as db:
        return dict(db.execute("SELECT key, value FROM results WHERE key LIKE 'toml-tables:%'"))


def rewrite(tmp_path: Path, value: str) -> None:
    (database,) = (tmp_path / "cache").glob("rule-tables-v*.sqlite3")
    with sqlite3.connect(database) as db:
        db.execute("UPDATE results SET value = ? WHERE key LIKE 'toml-tables:%'", (value,))


def no_parsing(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("parsed although the tables were stored")

    monkeypatch.setattr(tomllib, "loads", refuse)  # the module rule_tables imports when parsing


def test_stored_tables_are_read_back_without_parsing(rules, tmp_path, monkeypatch):
    expected = parsed_from_disk(rules)
    assert tables(rules) == expected
    (value,) = stored(tmp_path).values()
    assert json.loads(value) == {"tables": expected}
    (database,) = (tmp_path / "cache").glob("rule-tables-v*.sqlite3")
    assert stat.S_IMODE(os.stat(database).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(database.parent).st_mode) == 0o700
    monkeypatch.setattr(rule_tables, "_PARSED", {})  # a new process
    no_parsing(monkeypatch)
    assert tables(rules) == expected
    # Each call hands out its own objects: a caller changing one changes nothing for the next.
    first = tables(rules)
    first["BST101.toml"]["id"] = "changed"
    assert tables(rules) == expected


@pytest.mark.parametrize("value", [
    "not json",
    json.dumps({"tables": {}}),  # other files
    json.dumps({"tables": {"BST101.toml": {"id": "BST101"}}, "extra": 1}),
    json.dumps({"tables": "BST101"}),
    json.dumps({"tables": {"BST101.toml": {"id": None}}}),  # TOML has no null
    json.dumps({"tables": {"BST101.toml": ["id"]}}),  # a file is a table
    "[" * 100_000 + "]" * 100_000,
])
def test_stored_tables_that_are_no_parse_of_the_files_are_refused_and_replaced(
        rules, tmp_path, monkeypatch, value, caplog):
    for path in sorted(rules.glob("*.toml"))[1:]:
        path.unlink()  # one file: the crafted values name the one left, BST101.toml
    expected = parsed_from_disk(rules)
    assert list(expected) == ["BST101.toml"]
    tables(rules)
    rewrite(tmp_path, value)
    monkeypatch.setattr(rule_tables, "_PARSED", {})
    assert tables(rules) == expected
    assert "not valid" in caplog.text
    (value,) = stored(tmp_path).values()
    assert json.loads(value) == {"tables": expected}


def test_deep_nesting_is_refused(rules, tmp_path, monkeypatch):
    for path in sorted(rules.glob("*.toml"))[1:]:
        path.unlink()
    tables(rules)
    deep: object = "x"
    for _ in range(200):
        deep = [deep]
    rewrite(tmp_path, json.dumps({"tables": {"BST101.toml": {"id": deep}}}))
    monkeypatch.setattr(rule_tables, "_PARSED", {})
    assert tables(rules) == parsed_from_disk(rules)


def test_an_edited_rule_file_misses_the_stored_tables(rules, tmp_path, monkeypatch):
    tables(rules)
    path = rules / "BST101.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('severity = "', 'severity = "LOW"\n'
                                                             'old_severity = "', 1),
                    encoding="utf-8")
    monkeypatch.setattr(rule_tables, "_PARSED", {})
    assert tables(rules)["BST101.toml"]["severity"] == "LOW"
    assert len(stored(tmp_path)) == 2  # the old entry is never read again (pruned as unused)
    for _ in range(rule_tables.MAX_ENTRIES + 2):
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        tables(rules)
    assert len(stored(tmp_path)) <= rule_tables.MAX_ENTRIES
    # In the same process too: the memo is keyed by the files' bytes.
    path.write_text(path.read_text(encoding="utf-8").replace('severity = "LOW"', 'severity = "HIGH"'),
                    encoding="utf-8")
    assert tables(rules)["BST101.toml"]["severity"] == "HIGH"
    # A file added (or removed) changes the key as well.
    shutil.copy(path, rules / "BST999.toml")
    assert "BST999.toml" in tables(rules)


def test_a_file_that_does_not_parse_is_reported_and_nothing_is_stored(rules, tmp_path):
    (rules / "BST999.toml").write_text('id = "BST999\n', encoding="utf-8")
    (rules / "BST998.toml").write_bytes(b'id = "\xff"\n')
    found = {path.name: (table, error) for path, table, error in rule_tables.folder_tables(rules)}
    assert isinstance(found["BST999.toml"][1], tomllib.TOMLDecodeError)
    assert isinstance(found["BST998.toml"][1], UnicodeDecodeError)
    assert found["BST101.toml"][0] == tomllib.loads((rules / "BST101.toml").read_text("utf-8"))
    assert not (tmp_path / "cache").exists() or not stored(tmp_path)
    # The analyzer skips the bad files, keeps the others.
    analyzer = TomlRulesAnalyzer.from_catalog(rules)
    assert "BST999" not in analyzer.rule_ids() and analyzer.rule_ids()


def test_no_cache_when_caching_is_off(rules, tmp_path, monkeypatch):
    monkeypatch.setenv("BASTION_NO_CACHE", "1")
    assert tables(rules) == parsed_from_disk(rules)
    assert not (tmp_path / "cache").exists()


def test_the_analyzers_rules_are_the_same_from_stored_tables(rules, monkeypatch):
    parsed = TomlRulesAnalyzer.from_catalog(rules)
    monkeypatch.setattr(rule_tables, "_PARSED", {})
    no_parsing(monkeypatch)
    again = TomlRulesAnalyzer.from_catalog(rules)
    assert again.rule_ids() == parsed.rule_ids() and again.version == parsed.version
    assert [attrs.evolve(rule, patterns=len(rule.patterns)) for rule in again.rules] == \
        [attrs.evolve(rule, patterns=len(rule.patterns)) for rule in parsed.rules]
