"""The analyzers a default engine runs."""

from __future__ import annotations

import os

from bastion.engine.disk_cache import DiskCache
from bastion.engine.engine import Engine


def default_analyzers() -> list:
    # Imported here: loading bandit's plugins is the slowest import, and a scan served from the
    # result cache (see default_version_key) never needs it.
    from bastion.analyzers.bandit_adapter import BanditAdapter
    from bastion.analyzers.toml_rules import TomlRulesAnalyzer

    return [BanditAdapter(), TomlRulesAnalyzer.from_catalog()]


def default_version_key() -> str:
    """`create_engine().version_key` without loading bandit's plugins or compiling the rules."""
    from importlib.metadata import version

    from bastion.analyzers.toml_rules import catalog_version
    from bastion.catalog.paths import rules_dir

    return f"bandit={version('bandit')}|bastion={catalog_version(rules_dir() / 'bastion')}"


def create_engine(disk_cache: bool = False, unit_caches: bool = True) -> Engine:
    """`disk_cache`: share whole-file results across runs (off when BASTION_NO_CACHE is set).
    `unit_caches`: keep per-unit results for documents that will be edited (the editor)."""
    use_disk = disk_cache and not os.environ.get("BASTION_NO_CACHE")
    return Engine(default_analyzers(), disk_cache=DiskCache() if use_disk else None,
                  unit_caches=unit_caches)
