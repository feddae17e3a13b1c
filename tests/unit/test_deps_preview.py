"""The lines in view of a requirements file read on their own (deps/preview.py, for the
editor's first look at a large file) give the findings the whole file gives on them: random
files of requirement lines (continuations, comments, includes, bad lines) and random ranges;
every finding of the preview is the whole analysis' own, and every whole-analysis finding that
starts in the range is in the preview, but those of included files (not read: a file included
twice is read at its first include line only)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples
from tests.unit.test_deps_lines import PIECES

from bastion.analyzers.deps.analyzer import DepsAnalyzer
from bastion.deps import analysis, preview
from bastion.filekinds import FileKind

# A version on the line after its name: its finding starts on a continuation line.
LINES = [*PIECES, "django \\", "==3.2.5", "requests\\", "[socks]==2.19.0"]


def _workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("preview")
    (folder / "base.txt").write_text("requests==2.19.0\nnot valid ===\n")
    (folder / "constraints.txt").write_text("django==3.2.5\n")
    return folder


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=40), st.data())
def test_a_preview_is_the_whole_analysis_on_its_lines(tmp_path_factory, pieces, data):
    folder = _workspace(tmp_path_factory)
    path = str(folder / "requirements.txt")
    text = "\n".join(pieces) + "\n"
    lines = text.split("\n")
    first = data.draw(st.integers(0, len(lines) - 1))
    last = data.draw(st.integers(first, len(lines) - 1))
    whole = analysis.analyse(path, text, str(folder)).findings
    found = preview.findings_on(lines, first, last, path, str(folder))
    assert set(found) <= set(whole)
    assert {f for f in whole if first <= f.span.start_line <= last
            and "(pinned in " not in f.message} <= set(found)


def test_the_analyzer_previews_requirements_files(tmp_path):
    analyzer = DepsAnalyzer()
    lines = ["flask", "django==3.2.5", ""]
    found = analyzer.preview("\n".join(lines), lines, 1, 1, str(tmp_path / "requirements.txt"),
                             FileKind.REQUIREMENTS)
    assert [(f.rule_id, f.span.start_line) for f in found] == [("BST401", 1)]
    uv_lock = str(tmp_path / "uv.lock")
    assert analyzer.preview("version = 1", ["version = 1"], 0, 0, uv_lock, FileKind.LOCK) == []
