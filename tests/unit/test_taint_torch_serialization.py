"""`torch.serialization.load` is the function `torch.load` names (PyTorch's `torch/__init__.py`
imports it from `torch.serialization`): called by that name, or imported from the module, it
unpickles request data as `torch.load` does (issue 12, CWE-502), `weights_only=True` being the
safe twin, and a left-out `weights_only` judged by the declared PyTorch version."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

APP = """from fastapi import FastAPI, UploadFile
{imports}

app = FastAPI()


@app.post("/weights")
async def weights(f: UploadFile):
    state = {call}(f.file{keywords})
    return {{"n": len(state)}}
"""
FORMS = [
    ("import torch", "torch.serialization.load"),
    ("import torch.serialization", "torch.serialization.load"),
    ("from torch.serialization import load", "load"),
    ("from torch import serialization", "serialization.load"),
    ("from torch.serialization import load as load_checkpoint", "load_checkpoint"),
]


def lines(tmp_path, form: tuple[str, str], keywords: str, requirements: str | None) -> list[int]:
    """The (0-based) lines of APP's BST209 findings, as app.py of a project with that requirements.txt."""
    if requirements is not None:
        (tmp_path / "requirements.txt").write_text(requirements)
    source = APP.format(imports=form[0], call=form[1], keywords=keywords)
    module = tmp_path / "app.py"
    module.write_text(source)
    return [f.line for f in TaintAnalyzer().analyse_file(source, str(module)) if f.rule_id == "BST209"]


@pytest.mark.parametrize("form", FORMS, ids=[f[0] for f in FORMS])
def test_weights_only_false_unpickles_the_upload(tmp_path, form):
    assert lines(tmp_path, form, ", weights_only=False", "torch==2.7.0\n") == [8]


@pytest.mark.parametrize("form", FORMS, ids=[f[0] for f in FORMS])
def test_weights_only_true_is_the_safe_twin(tmp_path, form):
    assert lines(tmp_path, form, ", weights_only=True", "torch==2.5.1\n") == []


@pytest.mark.parametrize("requirements, found", [("torch==2.5.1\n", [8]), ("torch==2.6.0\n", [])])
def test_a_left_out_weights_only_by_the_declared_version(tmp_path, requirements, found):
    assert lines(tmp_path, FORMS[2], "", requirements) == found


def test_a_constant_checkpoint_is_not_request_data(tmp_path):
    source = APP.format(imports=FORMS[2][0], call="load", keywords=", weights_only=False").replace(
        "f.file", "'/srv/model.pt'")
    module = tmp_path / "app.py"
    module.write_text(source)
    assert not [f for f in TaintAnalyzer().analyse_file(source, str(module)) if f.rule_id == "BST209"]
