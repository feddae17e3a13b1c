"""model/finding.py: a Finding keeps its hash once computed (the editor's diagnostic memo looks
each finding up at every keystroke: 167 hashes of findings with their paths in views.py). The
kept hash is the fields' hash: equal findings built afresh, moved, or sent to another process
(where strings hash differently) and back hash as a fresh equal finding does there."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import attrs

from bastion.model.finding import Finding, FlowStep, Level, Span

SERVER = str(Path(__file__).resolve().parents[2] / "server")


def _findings() -> list[Finding]:
    steps = (FlowStep(Span(3, 4, 3, 20), "request.args read"), FlowStep(Span(5, 4, 5, 30), "into run"))
    return [Finding("B602", "subprocess_popen_with_shell_equals_true", Level.HIGH, Level.HIGH, 78,
                    "shell=True", Span(5, 4, 5, 30)),
            Finding("BST001", "taint", Level.HIGH, Level.MEDIUM, 78, "flows", Span(5, 4, 5, 30),
                    source="taint", lines=(5,), steps=steps)]


def _fresh(finding: Finding) -> Finding:
    return Finding(**{a.name: getattr(finding, a.name) for a in attrs.fields(Finding)})


def test_the_kept_hash_is_the_fields_hash():
    for finding in _findings():
        assert hash(finding) == hash(finding) == hash(_fresh(finding))
        moved = finding.shifted(3)
        assert hash(moved) == hash(_fresh(moved)) and moved != finding
        assert {finding: 1}[_fresh(finding)] == 1


def test_a_finding_from_another_process_hashes_as_one_made_here():
    # hashed there first, under another string hash seed: a hash kept in the pickle is stale here
    made = (f"import pickle, sys; sys.path.insert(0, {SERVER!r}); "
            "sys.path.insert(0, {tests!r}); from test_finding_hash import _findings; "
            "f = _findings(); [hash(x) for x in f]; sys.stdout.buffer.write(pickle.dumps(f))"
            ).replace("{tests!r}", repr(str(Path(__file__).parent)))
    env = {**os.environ, "PYTHONHASHSEED": "7" if os.environ.get("PYTHONHASHSEED") != "7" else "8"}
    data = subprocess.run([sys.executable, "-c", made], capture_output=True, check=True, env=env).stdout
    for there, here in zip(pickle.loads(data), _findings(), strict=True):
        assert there == here and hash(there) == hash(here)
