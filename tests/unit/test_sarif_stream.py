"""`write_sarif` encodes each result as it is made: the text is `dump_report(sarif_document)`'s,
indented for a small report and compact for a large one, and a large report's results never
exist together in memory (8,000 taint findings with seven-step paths: 21 MB of SARIF, whose
results took some 100 MB as dicts)."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

from bastion.engine.analysis import Analysis
from bastion.model import Finding, FlowStep, Level, Span
from bastion.report.results import CheckResults, FileResult, dump_report
from bastion.report.sarif import sarif_document, write_sarif


class _Counting(io.TextIOBase):
    """A stream that keeps only how much was written."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def _finding(n: int) -> Finding:
    steps = tuple(FlowStep(Span(n * 8 + i, 4, n * 8 + i, 20), f"assigned to `v{i}`",
                           "app/helpers.py" if i > 4 else None) for i in range(7))
    return Finding("BST202", "tainted_command", Level.HIGH, Level.HIGH, 78,
                   f"Request data (`request.args`, line {n * 8 + 1}) reaches `subprocess.call`: "
                   "OS command injection", Span(n * 8 + 6, 16, n * 8 + 6, 49), "bastion",
                   steps=steps)


def _results(files: int, per_file: int = 200) -> CheckResults:
    return CheckResults([FileResult(f"app/views {m}.py", Analysis(
        tuple(_finding(n) for n in range(per_file)), (), ())) for m in range(files)])


def _written(results: CheckResults) -> str:
    out = io.StringIO()
    write_sarif(results, out, None, Path.cwd(), fingerprints={})
    return out.getvalue()


def test_the_text_is_the_documents_small_and_large():
    for files, indented in ((1, True), (3, False)):
        results = _results(files)
        text = _written(results)
        assert text == dump_report(sarif_document(results, None, Path.cwd(), fingerprints={}))
        assert text.startswith('{\n  "$schema"') == indented


def test_a_large_report_is_written_in_bounded_memory():
    results, out = _results(40), _Counting()  # 8,000 findings, 60,000 steps
    tracemalloc.start()
    try:
        write_sarif(results, out, None, Path.cwd(), fingerprints={})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out.chars > 15_000_000
    assert peak < out.chars / 2, (peak, out.chars)  # 118 MB before, under 4 MB now
