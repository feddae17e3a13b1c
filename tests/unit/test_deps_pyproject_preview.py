"""The lines in view of a pyproject.toml read on their own (deps/pyproject_preview.py, for the
editor's first look at a large file) give the findings the whole file gives on them: random valid
files of PEP 621 arrays, dependency groups, Poetry tables (entries, inline tables, constraints
arrays, sub-tables, dotted keys), other tables and multi-line strings, and random ranges; a
preview (when there is one) is exactly the whole analysis' findings that start in the range."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.deps.analyzer import DepsAnalyzer
from bastion.deps import analysis, pyproject_preview
from bastion.deps.toml_text import TOMLDecodeError, loads
from bastion.filekinds import FileKind

ELEMENTS = ['"django==3.2.5",', '"reqeusts==2.31.0",', '"flask",', "'jinja2>=2.10,<3',",
            '"requests[socks]==2.19.0 ; python_version > \'3.8\'",', '"numpy==1.26.4"  # pinned',
            "# a comment", "", '{include-group = "dev"},', "[1979-05-27],"]
ENTRIES = ['django = "3.2.5"', 'reqeusts = "^2.19"', 'python = "^3.10"', "# note", "# more", "",
           'requests = { version = "2.19.0", extras = ["socks"] }', 'flask = "^0.12"',
           'djnago = [\n  {version = "2.10", python = "<3.8"},\n  {version = "3.2.5"}\n]',
           'flaks.python = "<3.8"\nflaks.version = "0.12"', 'pyaml.version = "5.3.1"',
           'numpy = {git = "https://example.org/numpy.git"}']


def _array(draw, key):
    items = draw(st.lists(st.sampled_from(ELEMENTS), max_size=6))
    return f"{key} = [\n" + "\n".join(items) + "\n]"


@st.composite
def sections(draw):
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return "[project]\nname = \"x\"\n" + _array(draw, "dependencies").replace("{include-group", "#")
    if kind == 1:
        return "[project.optional-dependencies]\n" + _array(draw, "web").replace("{include-group", "#")
    if kind == 2:
        return "[dependency-groups]\n" + _array(draw, "dev")
    if kind in (3, 4):
        table = draw(st.sampled_from(["dependencies", "dev-dependencies", "group.dev.dependencies"]))
        entries = draw(st.lists(st.sampled_from(ENTRIES), max_size=6, unique=True))
        return f"[tool.poetry.{table}]\n" + "\n".join(entries)
    if kind == 5:
        return '[tool.poetry.dependencies.urllib3]\nversion = "1.26.0"\noptional = true'
    if kind == 6:
        return '[tool.ruff]\nline-length = 110\nselect = [\n  "E",\n  [1979-05-27],\n]'
    if kind == 7:
        return '[tool.poetry]\nname = "x"\ndependencies.flask = "0.12"'
    if kind == 8:
        return '[tool.notes]\ntext = """\n[project]\ndependencies = [\n"django==3.2.5",\n"""'
    return '[build-system]\nrequires = ["setuptools==40.0"]'


def _agrees(text: str, first: int, last: int) -> bool:
    """Whether the preview of lines `first` to `last` is none or the whole analysis' there."""
    found = pyproject_preview.findings_on(text, text.split("\n"), first, last)
    whole = analysis.analyse("pyproject.toml", text).findings
    return found is None or sorted(found, key=repr) == sorted(
        (f for f in whole if first <= f.span.start_line <= last), key=repr)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(sections(), min_size=1, max_size=6), st.data())
def test_a_preview_is_the_whole_analysis_on_its_lines(parts, data):
    text = "\n\n".join(parts) + "\n"
    try:
        loads(text)
    except TOMLDecodeError:
        assume(False)
    count = text.count("\n") + 1
    first = data.draw(st.integers(0, count - 1))
    assert _agrees(text, first, data.draw(st.integers(first, count - 1)))


# Half-typed lines and keys written twice: the text is not valid TOML.
BROKEN = ['  "requ', 'x = ', "[tool.", '"django==3.2.5",', '[project]\nname = "again"', "]"]


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(sections(), min_size=1, max_size=6), st.sampled_from(BROKEN), st.data())
def test_a_file_that_is_not_valid_toml_shows_no_finding_early(parts, broken, data):
    lines = ("\n\n".join(parts) + "\n").split("\n")
    lines.insert(data.draw(st.integers(0, len(lines))), broken)
    text = "\n".join(lines)
    try:
        loads(text)
    except TOMLDecodeError:
        pass
    else:
        assume(False)
    first = data.draw(st.integers(0, len(lines) - 1))
    last = data.draw(st.integers(first, len(lines) - 1))
    assert not pyproject_preview.findings_on(text, lines, first, last)


def test_a_line_half_typed_below_the_view_leaves_the_file_to_the_whole_read():
    lines = ["[project]", 'name = "big"', "dependencies = ["] + ['  "django==3.2.5",'] * 3000 \
        + ['  "requ', "]"]
    text = "\n".join(lines)
    assert pyproject_preview.findings_on(text, lines, 0, 299) is None
    whole = analysis.analyse("pyproject.toml", text)
    assert not whole.findings and [p.reason[:15] for p in whole.not_analysed] == ["not valid TOML "]


def test_the_whole_analysis_and_the_settings_read_use_the_preview_s_parse(monkeypatch, tmp_path):
    from bastion import config
    from bastion.deps import toml_text

    lines = ["[project]", 'name = "big"', "dependencies = ["] + ['  "django==3.2.5",'] * 20_000 + ["]"]
    text = "\n".join(lines) + "\n"
    parsed = []
    original = toml_text.tomllib.loads
    monkeypatch.setattr(toml_text.tomllib, "loads", lambda t: parsed.append(len(t)) or original(t))
    assert len(pyproject_preview.findings_on(text, lines, 0, 299)) == 297
    assert len(DepsAnalyzer().analyse_text(text, "pyproject.toml", FileKind.PYPROJECT)) == 20_000
    (tmp_path / "pyproject.toml").write_text(text)
    assert config.load_pyproject(tmp_path / "pyproject.toml").values == {}
    assert parsed.count(len(text)) == 1  # the others: the sections in view, read alone
    DepsAnalyzer().forget()  # no document open any more: the values are not kept
    assert toml_text.loads(text) and parsed.count(len(text)) == 2


# Cuts that a looser reading gets wrong: a name above its version, a nested array's line that
# reads as a header, a header in a multi-line string.
HARD = ['[tool.poetry.dependencies]\nflaks.python = "<3.8"\nflaks.version = "0.12"\n',
        '[tool.poetry.dependencies]\ndjnago = [\n  {version = "2.10", python = "<3.8"},\n'
        '  {version = "3.2.5"}\n]\n',
        '[project]\ndependencies = [\n  [1979-05-27]\n  , "reqeusts==2.19.0",\n]\n',
        '[project]\ndependencies = [\n  [true]\n  , "reqeusts==2.19.0",\n]\n',
        'a = """\n[project]\ndependencies = [\n"django==3.2.5",\n"""\n']


def test_hard_cuts_are_read_whole():
    for text in HARD:
        count = text.count("\n")
        assert all(_agrees(text, first, last) for first in range(count) for last in range(first, count))


def test_the_top_of_a_large_file_is_previewed():
    lines = ["[project]", 'name = "big"', "dependencies = ["] + ['  "django==3.2.5",'] * 50_000 + ["]"]
    found = pyproject_preview.findings_on("\n".join(lines), lines, 0, 299)
    assert [(f.rule_id, f.span.start_line) for f in found] == [("BST401", n) for n in range(3, 300)]


def test_the_analyzer_previews_pyproject_files():
    lines = ['[project]', 'dependencies = ["django==3.2.5"]']
    found = DepsAnalyzer().preview("\n".join(lines), lines, 0, 1,
                                   "pyproject.toml", FileKind.PYPROJECT)
    assert [(f.rule_id, f.span.start_line) for f in found] == [("BST401", 1)]


def test_whether_a_pyproject_declares_dependencies_derives_none(monkeypatch):
    # Asked when the editor opens a manifest, ahead of its first analysis on the same thread.
    from bastion.deps import pyproject

    monkeypatch.setattr(pyproject, "_pep508", None)
    monkeypatch.setattr(pyproject, "_poetry_dependency", None)
    for text, declared in (('[project]\ndependencies = ["flask"]\n', True),
                           ('[tool.poetry.group.dev.dependencies]\nx = "1"\n', True),
                           ('[tool.poetry.dependencies]\npython = "^3.9"\n', False),
                           ('[project]\ndependencies = ["flask"]\n[x\n', False)):
        assert analysis.declares_dependencies("pyproject.toml", text) is declared
