"""The language server's view of the project's baseline: which findings of an open document are
already known, computed in the worker thread. A baseline that cannot be used is a problem the
editor shows (`editor_split`'s third value), never a reason to drop or hide findings."""

from __future__ import annotations

import os
from collections.abc import Sequence

import attrs

from bastion.baseline.locate import configured_path
from bastion.baseline.match import apply_baseline
from bastion.baseline.store import Baseline, BaselineError, load_baseline

BASELINE_MODES = ("hint", "hide")


def baseline_for_config(config) -> Baseline | None:
    """The baseline that applies, or None (none, or one that cannot be used)."""
    return editor_baseline(config)[0]


def editor_baseline(config) -> tuple[Baseline | None, str | None]:
    """(the baseline that applies, or None; why the configured one cannot be used)."""
    path, _explicit = configured_path(config)
    if path is None:
        return None, None
    try:
        return load_baseline(path), None
    except BaselineError as exc:
        return None, f"Bastion: the baseline is not used: {exc}"


def split_baselined(analysis, path: str | os.PathLike, text: str | Sequence[str],
                    baseline: Baseline | None):
    """For the language server: (analysis with only new findings, baselined findings)."""
    new, known = apply_baseline(analysis.findings, path, baseline, text, analysis.suppressed)
    if not known:
        return analysis, ()
    return attrs.evolve(analysis, findings=new), known


def editor_split(analysis, path: str | os.PathLike | None, text: str | Sequence[str], config):
    """For the language server, in the worker thread: (analysis with only the findings that are
    not in the project's baseline, the baselined findings, the problem with the baseline or
    None). The caller shows the second part as hints when `config.baseline_mode == "hint"` and
    drops it when "hide"; it shows the problem to the user."""
    if not path or not analysis.findings:
        return analysis, (), None
    baseline, problem = editor_baseline(config)
    return (*split_baselined(analysis, path, text, baseline), problem)


def listed_in_baseline(config, path: str | os.PathLike | None) -> bool:
    """Whether the project's baseline has entries for this file (a cheap check: no tokenizing)."""
    baseline = baseline_for_config(config) if path else None
    if baseline is None:
        return False
    rel = baseline.relative(path)
    return rel is not None and baseline.has_path(rel)
