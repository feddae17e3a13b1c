"""Bandit's B614 (`torch.load` without `weights_only=True`) judged by the taint analysis (issue 12
item 4): a request's upload reaching `torch.load` is reported once, by BST209 with its path; a
constant path is no proof the checkpoint is trusted (a downloaded model file is the usual attack),
so B614 stays there; `bandit_exact` shows both. A FastAPI upload, as its documentation writes one."""

from __future__ import annotations

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()
EXACT = Config(bandit_exact=True)

APP = """from fastapi import FastAPI, UploadFile
import torch

app = FastAPI()


@app.post("/weights")
async def weights(f: UploadFile):
    state = torch.load({argument})
    return {{"n": len(state)}}
"""


def reported(argument: str, config: Config | None = None) -> list[tuple[str, int]]:
    source = APP.format(argument=argument)
    return sorted((f.rule_id, f.line + 1)
                  for f in ENGINE.analyse(source, "app.py", config or Config()).findings)


def test_a_tainted_load_is_reported_once_by_the_taint_rule():
    assert reported("f.file") == [("BST209", 9)]
    assert reported("f.file", EXACT) == [("B614", 9), ("BST209", 9)]


def test_a_constant_path_keeps_bandits_finding():
    assert reported("'model.pt'") == [("B614", 9)]
    assert reported("'model.pt', weights_only=False") == [("B614", 9)]


def test_weights_only_true_is_reported_by_neither():
    assert reported("f.file, weights_only=True") == []
