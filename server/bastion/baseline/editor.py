"""The language server's view of the project's baseline: which findings of an open document are
already known, computed in the worker thread."""

from __future__ import annotations

import os
from collections.abc import Sequence

import attrs

from bastion.baseline.match import apply_baseline
from bastion.baseline.store import Baseline, BaselineError, configured_path, load_baseline

BASELINE_MODES = ("hint", "hide")


def baseline_for_config(config) -> Baseline | None:
    """For the language server: the baseline that applies, or None (missing or broken files
    are ignored here; `bastion check` reports them)."""
    path, _explicit = configured_path(config)
    if path is None:
        return None
    try:
        return load_baseline(path)
    except BaselineError:
        return None


def split_baselined(analysis, path: str | os.PathLike, text: str | Sequence[str],
                    baseline: Baseline | None):
    """For the language server: (analysis with only new findings, baselined findings)."""
    new, known = apply_baseline(analysis.findings, path, baseline, text, analysis.suppressed)
    if not known:
        return analysis, ()
    return attrs.evolve(analysis, findings=new), known


def editor_split(analysis, path: str | os.PathLike | None, text: str | Sequence[str], config):
    """For the language server, in the worker thread: (analysis with only the findings that are
    not in the project's baseline, the baselined findings). The caller shows the second part as
    hints when `config.baseline_mode == "hint"` and drops it when "hide"."""
    if not path or not analysis.findings:
        return analysis, ()
    return split_baselined(analysis, path, text, baseline_for_config(config))


def listed_in_baseline(config, path: str | os.PathLike | None) -> bool:
    """Whether the project's baseline has entries for this file (a cheap check: no tokenizing)."""
    baseline = baseline_for_config(config) if path else None
    if baseline is None:
        return False
    rel = baseline.relative(path)
    return rel is not None and baseline.has_path(rel)
