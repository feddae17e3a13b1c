"""`torch.load` of request data by the PyTorch version the project declares (issue 12, CWE-502):
`weights_only` defaults to True since 2.6 (only tensors and plain containers load), before that
to False (any pickled object, so any code). A call that leaves it out reports for a declared
version below 2.6 at high confidence, without a declaration at medium, not at all for 2.6 or
later; `weights_only=True` never, `weights_only=False` always. A FastAPI upload, as its
documentation writes one."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.model import Level

APP = """from fastapi import FastAPI, UploadFile
import torch

app = FastAPI()


@app.post("/weights")
async def weights(f: UploadFile):
    state = torch.load(f.file{keywords})
    return {{"n": len(state)}}
"""


def deserialize(tmp_path, keywords: str, requirements: str | None):
    """The BST209 findings of APP as app.py of a project whose requirements.txt is given."""
    if requirements is not None:
        (tmp_path / "requirements.txt").write_text(requirements)
    source = APP.format(keywords=keywords)
    module = tmp_path / "app.py"
    module.write_text(source)
    return [f for f in TaintAnalyzer().analyse_file(source, str(module)) if f.rule_id == "BST209"]


@pytest.mark.parametrize("requirements, confidence", [
    ("fastapi==0.110.0\ntorch==2.5.1\n", Level.HIGH), (None, Level.MEDIUM),
])
def test_the_default_before_2_6_unpickles_request_data(tmp_path, requirements, confidence):
    found = deserialize(tmp_path, "", requirements)
    assert [(f.line, f.confidence) for f in found] == [(8, confidence)]


def test_the_default_since_2_6_and_weights_only_true_are_safe(tmp_path):
    assert not deserialize(tmp_path, "", "torch==2.6.0\n")
    assert not deserialize(tmp_path, ", weights_only=True", "torch==2.5.1\n")


def test_weights_only_false_unpickles_whatever_the_version(tmp_path):
    assert [f.line for f in deserialize(tmp_path, ", weights_only=False", "torch==2.7.0\n")] == [8]
