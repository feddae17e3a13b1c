"""`write_json` encodes each list's items as they are made: the text is
`dump_report(json_document)`'s (indented small, compact large; the document the JSON writer
built whole before), and a large report's items never exist together in memory (32,000 taint
findings took 190 MB at peak)."""

from __future__ import annotations

import io
import json
import tracemalloc
from datetime import date

import attrs
from tests.unit.test_sarif_stream import _Counting, _finding, _results

from bastion.engine.analysis import Analysis
from bastion.engine.suppress_govern import SuppressionHint
from bastion.model import NotAnalysed, Suppression
from bastion.report.json_report import json_document, write_json
from bastion.report.results import CheckResults, FileResult, dump_report


def _every_list(files: int, per_file: int) -> CheckResults:
    """Findings, suppressed ones, hints and what was not analysed in every file, and errors:
    each of the document's lists has items, and a large one crosses the indentation limit in
    the middle of its suppressed findings."""
    silenced = Suppression("bastion", 3, "# bastion: ignore[BST202]", "tested", date(2030, 1, 2))
    results = CheckResults([FileResult(f"app/v{m}.py", Analysis(
        tuple(_finding(n) for n in range(per_file)),
        tuple(attrs.evolve(_finding(n), suppressed_by=silenced) for n in range(per_file * 2)),
        (), (NotAnalysed("too deep", 4, 9, "bandit"), NotAnalysed("binary")),
        hints=(SuppressionHint(3, 2, 9, "unused", "nothing to silence here"),)))
        for m in range(files)], errors=[("gone.py", "not found")], scanned_lines=77, seconds=1.25)
    return results


def _written(results: CheckResults) -> str:
    out = io.StringIO()
    write_json(results, out)
    return out.getvalue()


def test_the_text_is_the_documents_small_and_large():
    for results, indented in ((_every_list(2, 10), True), (_every_list(3, 300), False),
                              (_results(1), True), (_results(8), False)):
        text = _written(results)
        assert text == dump_report(json_document(results))
        assert text.startswith('{\n  "tool"') == indented
        assert json.loads(text)["summary"]["files"] == len(results.files)


def test_a_large_report_is_written_in_bounded_memory():
    results, out = _results(80), _Counting()  # 16,000 findings, 112,000 steps
    tracemalloc.start()
    try:
        write_json(results, out)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out.chars > 10_000_000
    assert peak < out.chars / 2, (peak, out.chars)
