"""A large text document's whole analysis runs on the second deep worker (engine/deep.py): the
caller's worker, the language server's analyses of other documents, is free meanwhile."""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from tests.unit.test_text_documents import _Recorder

from bastion.engine.deep import run_deep, run_deep_apart
from bastion.engine.engine import Engine
from bastion.engine.text_documents import APART_MIN_CHARS
from bastion.filekinds import FileKind
from bastion.limits import ANALYSIS_RECURSION_LIMIT
from bastion.lsp.scheduler import STEP_S, _advance


class _Slow(_Recorder):
    """The recorder of YAML documents, which answers once `gate` is set."""

    kinds = frozenset({FileKind.YAML})

    def __init__(self) -> None:
        super().__init__()
        self.entered, self.gate = threading.Event(), threading.Event()

    def analyse_text(self, text, path, kind, root):
        self.entered.set()
        assert self.gate.wait(20)
        return super().analyse_text(text, path, kind, root)


def test_python_documents_are_analysed_while_a_large_text_document_is():
    slow = _Slow()
    engine = Engine([], text_analyzers=[slow])
    text = "".join(f"key{n}: {'bad' if n % 1000 == 7 else 'fine'}\n" for n in range(30_000))
    assert len(text) >= APART_MIN_CHARS
    worker = ThreadPoolExecutor(max_workers=1)  # the scheduler's one analysis worker
    steps = engine.analysis_steps(text, "big.yaml")
    try:
        done, raw = worker.submit(run_deep, _advance, steps, STEP_S).result(timeout=10)
        assert slow.entered.is_set() and not done  # the worker is back while the analysis runs
        python = worker.submit(engine.analyse_raw, "import os\n", "app.py").result(timeout=10)
        assert python.findings == () and not python.errors
    finally:
        slow.gate.set()
    while not done:
        done, raw = worker.submit(run_deep, _advance, steps, STEP_S).result(timeout=20)
    worker.shutdown()
    alone = Engine([], text_analyzers=[_Slow()])
    alone.text_analyzers[0].gate.set()
    assert raw == alone.analyse_raw(text, "big.yaml")
    assert [f.line for f in raw.findings] == list(range(7, 30_000, 1000))
    assert raw.findings[0].message == "yaml line"


def test_the_recursion_limit_stays_raised_while_either_worker_runs():
    inside, release = threading.Event(), threading.Event()

    def apart_job() -> int:
        inside.set()
        assert release.wait(10)
        return sys.getrecursionlimit()

    future = run_deep_apart(apart_job)
    assert inside.wait(10)
    assert run_deep(sys.getrecursionlimit) >= ANALYSIS_RECURSION_LIMIT  # starts and ends meanwhile
    release.set()
    assert future.result(timeout=10) >= ANALYSIS_RECURSION_LIMIT
