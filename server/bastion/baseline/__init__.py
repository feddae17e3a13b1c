"""Stable fingerprints for findings, and the baseline of known findings that CI does not fail on.

By layer: `fingerprint` names a finding without its line number; `locate` finds the baseline
file, `store` reads and writes it, `schema` checks its content; `match` splits one file's
findings into new and known; `editor` is the language server's view of it.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.baseline.editor import (
        BASELINE_MODES,
        baseline_for_config,
        editor_split,
        listed_in_baseline,
        split_baselined,
    )
    from bastion.baseline.fingerprint import FINGERPRINT_KEY, fingerprints
    from bastion.baseline.locate import DEFAULT_NAME, configured_path, discover
    from bastion.baseline.match import apply_baseline, entries_for, legacy_prints, split_known
    from bastion.baseline.schema import MAX_BYTES, MAX_ENTRIES
    from bastion.baseline.store import (
        FORMAT_VERSION,
        Baseline,
        BaselineError,
        Entry,
        dumps,
        load_baseline,
        parse_baseline,
        project_root,
        root_field,
        write_baseline,
    )

# Each name is imported from its module when first asked for: a check without a baseline
# needs `configured_path` alone (locate.py), not the store, matching and fingerprinting modules.
_MODULES = {
    "BASELINE_MODES": "editor", "baseline_for_config": "editor", "editor_split": "editor",
    "listed_in_baseline": "editor", "split_baselined": "editor", "FINGERPRINT_KEY": "fingerprint",
    "fingerprints": "fingerprint", "apply_baseline": "match", "entries_for": "match",
    "legacy_prints": "match", "split_known": "match", "MAX_BYTES": "schema", "MAX_ENTRIES": "schema",
    "Baseline": "store", "BaselineError": "store", "DEFAULT_NAME": "locate", "Entry": "store",
    "FORMAT_VERSION": "store", "configured_path": "locate", "discover": "locate", "dumps": "store",
    "load_baseline": "store", "parse_baseline": "store", "project_root": "store", "root_field": "store",
    "write_baseline": "store",
}

__all__ = [
    "BASELINE_MODES", "DEFAULT_NAME", "FINGERPRINT_KEY", "FORMAT_VERSION", "MAX_BYTES",
    "MAX_ENTRIES", "Baseline",
    "BaselineError", "Entry", "apply_baseline", "baseline_for_config", "configured_path",
    "discover", "dumps", "editor_split", "entries_for", "fingerprints", "listed_in_baseline",
    "load_baseline", "parse_baseline", "project_root", "root_field", "split_baselined",
    "legacy_prints", "split_known", "write_baseline",
]


def __getattr__(name: str):
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
