"""The analyzers a default engine runs."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from bastion.engine.disk_cache import DiskCache

if TYPE_CHECKING:
    from bastion.engine.engine import Engine


def default_analyzers(incremental: bool = True) -> list:
    # Imported here: loading bandit's plugins is the slowest import, and a scan served from the
    # result cache (see default_version_key) never needs it.
    from bastion.analyzers.bandit_adapter import BanditAdapter
    from bastion.analyzers.rule_tables import folder_tables
    from bastion.analyzers.secrets.analyzer import SecretsAnalyzer
    from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
    from bastion.analyzers.toml_rules import TomlRulesAnalyzer
    from bastion.analyzers.versions import toml_files
    from bastion.catalog.paths import rules_dir

    # The own rules and the taint rules are the files of one folder: read and parsed once for
    # both (read again and hashed to find the parsed tables, ~3.5 ms of every cold start).
    folder = rules_dir() / "bastion"
    files = toml_files(folder)
    tables = folder_tables(folder, files)
    # The secrets analyzer reads Python files whole (analyse_file) and is a text analyzer too.
    return [BanditAdapter(), TomlRulesAnalyzer.from_catalog(folder, files, tables),
            TaintAnalyzer(rules=load_taint_rules(folder, tables), incremental=incremental),
            SecretsAnalyzer()]


def default_text_analyzers() -> list:
    from bastion.analyzers.text_registry import text_analyzers

    return text_analyzers()


def default_version_key(taint_models: list | None = None) -> str:
    """`create_engine().version_key` without loading bandit's plugins or compiling the rules;
    `taint_models`: the taint models folder's `toml_files`, when the caller has read them."""
    from bastion.analyzers.bandit_cwe import cwe_digest
    from bastion.analyzers.bandit_metadata import bandit_version
    from bastion.analyzers.text_registry import versions_key
    from bastion.analyzers.versions import catalog_version, models_digest, taint_version
    from bastion.catalog.paths import rules_dir

    return (f"bandit={bandit_version()}+cwe{cwe_digest()}"
            f"|bastion={catalog_version(rules_dir() / 'bastion')}"
            f"|taint={taint_version(models_digest(files=taint_models))}{versions_key()}")


def default_rule_ids() -> frozenset[str]:
    """The ids of `create_engine().rule_names` without loading bandit's plugins: the catalog
    has a rule file, named by its id, for every rule (tests/unit/test_result_cache.py)."""
    from bastion.catalog.paths import rules_dir

    # rules/taint holds the taint analyzer's models (sources, sinks ...), not rules.
    return frozenset(path.stem for folder in ("bandit", "bastion")
                     for path in (rules_dir() / folder).glob("*.toml"))


def create_engine(disk_cache: bool = False, unit_caches: bool = True) -> Engine:
    """`disk_cache`: share whole-file results across runs (off when BASTION_NO_CACHE is set).
    `unit_caches`: keep per-unit results for documents that will be edited (the editor)."""
    from bastion.engine.engine import Engine  # not for a scan served from the cache

    use_disk = disk_cache and not os.environ.get("BASTION_NO_CACHE")
    return Engine(default_analyzers(incremental=unit_caches),
                  disk_cache=DiskCache() if use_disk else None,
                  unit_caches=unit_caches, text_analyzers=default_text_analyzers())
