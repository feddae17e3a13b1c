"""The engine's per-unit cache, and the incremental splitter, never change a result.

Random edit sequences (characters and lines inserted or deleted anywhere, including states that
do not parse) are applied to real stdlib files and to a synthetic file full of aliased imports.
After every edit the analysis of one long-lived engine (whose cache holds the units of every
earlier state) must equal a from-scratch analysis by a fresh engine, and, when the text parses,
bandit's own whole-file result.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import sysconfig
import tokenize
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bandit_contract import bandit_whole_file
from tests.hypothesis_budget import examples

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.config import Config
from bastion.engine.engine import Engine, apply_config, run_to_end
from bastion.engine.incremental import IncrementalSplitter, analyse_edit

STDLIB = Path(sysconfig.get_paths()["stdlib"])
ADAPTER = BanditAdapter()
INCREMENTAL = Engine([ADAPTER])  # lives across examples: its cache is the thing under test
CONFIG = Config()
PATH = "pkg/module.py"

SYNTHETIC = '''\
"""A module that leans on aliased imports: every finding below depends on the import context."""
import subprocess as sp
from subprocess import Popen as P, check_output
import os, yaml
from os import system as run_shell
import requests as rq
import xml.etree.ElementTree as ET


class Service(Base, metaclass=Meta):
    """Doc."""

    token = "x"
    password = "hunter2"

    def start(self, cmd):
        sp.call(cmd, shell=True)
        P(cmd, shell=True)  # nosec B602
        check_output(["ls", cmd])

    def load(self, path):
        with open(path) as fh:
            return yaml.load(fh)

    @staticmethod
    def fetch(url):
        return rq.get(
            url,
            verify=False,
        )

    class Inner:
        def parse(self, data):
            return ET.fromstring(data)

        query = "SELECT * FROM t WHERE id = %s" % data_id


def shell(cmd):
    run_shell(cmd)
    try:
        os.system("tar cf backup.tar *")
    except Exception:
        pass


HELP = """
class NotAClass:
def not_a_function(
"""

if __name__ == "__main__":
    import pickle as pk
    pk.loads(b"")
    assert os.path.exists("/tmp/x")
'''


def _read(name: str) -> str:
    return (STDLIB / name).read_text(encoding="utf-8")


REAL = [
    n
    for n in ("subprocess.py", "tempfile.py", "ftplib.py", "multiprocessing/connection.py")
    if (STDLIB / n).exists()
]
LARGE = [n for n in ("pydoc.py", "tarfile.py") if (STDLIB / n).exists()]
SOURCES = {name: _read(name) for name in REAL + LARGE}
SOURCES["<synthetic>"] = SYNTHETIC


def _interesting_lines(text: str) -> list[int]:
    """Lines near findings and imports, where edits change results most."""
    lines = set()
    for _rule_id, line, *_ in bandit_whole_file(text):
        lines.update(range(max(line - 2, 0), line + 3))
    for number, line in enumerate(text.split("\n")):
        if line.lstrip().startswith(("import ", "from ", "class ", "def ", "@")):
            lines.add(number)
    return sorted(lines)


INTERESTING = {name: _interesting_lines(text) for name, text in SOURCES.items()}

FRAGMENTS = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "#",
    "\n",
    "\n    ",
    "    ",
    "\t",
    " ",
    "x = 1; ",
    ", shell=True",
    "eval(x)",
    "yaml.load(f)",
    "'/tmp/x'",
    "password = 'x'",
    "é☕漢😀",
    "sp.call(cmd, shell=True)",
    "lambda: ",
    "async ",
    "else:",
    "0.0.0.0",
    "if x:",
    "try:",
    "except Exception:\n    pass",
]
LINES = [
    "",
    "import subprocess as sp",
    "from subprocess import Popen as P",
    "import yaml",
    "import os as sp",
    "    sp.call(cmd, shell=True)",
    "        P(cmd, shell=True)",
    "sp.call(cmd, shell=True)",
    "def f(",
    "class K:",
    "    def g(self):",
    "        return yaml.load(f)",
    '"""',
    "    '''",
    "@decorator",
    "    @staticmethod",
    ")",
    "]",
    "else:",
    "x = f(",
    "    x = 1; eval(y)",
    "password = 'hunter2'",
    "\ttab_indented = 1",
    "# a comment",
    "try:",
    "except:",
    "    pass",
    "import requests as rq",
    "rq.get(url, verify=False)",
]
COMMENTS = [
    "  # nosec",
    "  # nosec B602",
    "  # nosec B506, B602",
    "  # nosec: yaml_load",
    "  # nosec B404",
    "  # comment",
]


@st.composite
def edit(draw, text: str, interesting: list[int]):
    lines = text.split("\n")
    if interesting and draw(st.booleans()):
        line = min(draw(st.sampled_from(interesting)), len(lines) - 1)
    else:
        line = draw(st.integers(0, len(lines) - 1))
    current = lines[line]
    col = draw(st.integers(0, len(current)))
    kind = draw(
        st.sampled_from(
            [
                "insert",
                "insert",
                "delete",
                "insert_line",
                "delete_lines",
                "duplicate",
                "indent",
                "dedent",
                "comment",
            ]
        )
    )
    if kind == "insert":
        fragment = draw(
            st.one_of(
                st.sampled_from(FRAGMENTS),
                st.text(alphabet="abcxyz_0123 ()[]{}:.,=+'\"#\\\n\t", min_size=1, max_size=4),
            )
        )
        lines[line] = current[:col] + fragment + current[col:]
    elif kind == "delete":
        flat_start = sum(len(other) + 1 for other in lines[:line]) + col
        length = draw(st.integers(1, 40))
        flat = "\n".join(lines)
        return flat[:flat_start] + flat[flat_start + length :]
    elif kind == "insert_line":
        lines.insert(line, draw(st.sampled_from(LINES)))
    elif kind == "delete_lines":
        del lines[line : line + draw(st.integers(1, 3))]
    elif kind == "duplicate":
        lines.insert(line, current)
    elif kind == "indent":
        lines[line] = "    " + current
    elif kind == "dedent":
        lines[line] = current[4:] if current.startswith("    ") else current.lstrip(" \t")
    else:
        lines[line] = current + draw(st.sampled_from(COMMENTS))
    return "\n".join(lines)


def findings_key(analysis) -> list[tuple]:
    return sorted(
        (f.rule_id, f.span.start_line, f.span.start_col, f.severity.name, f.confidence.name)
        for f in analysis.findings
    )


def check(text: str) -> None:
    cached = INCREMENTAL.analyse(text, PATH, CONFIG)
    fresh = Engine([ADAPTER]).analyse(text, PATH, CONFIG)
    assert cached == fresh  # findings (with spans and lines), suppressed, broken, errors
    assert cached.directives == fresh.directives
    assert cached.errors == ()
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        # A document that does not parse has a broken range, except for the known bug of leading
        # lines that cannot start a chunk (test_units.py::test_leading_lines_are_reported_broken).
        first = next(
            (
                line
                for line in text.split("\n")
                if line.strip() and not line.lstrip().startswith("#")
            ),
            "",
        )
        assert cached.broken != () or re.match(r"[ \t]|(else|elif|except|finally)\b|[)\]}]", first)
        return
    assert cached.broken == ()
    assert findings_key(cached) == bandit_whole_file(text, PATH)


def run_edits(data, names: list[str], max_edits: int) -> None:
    name = data.draw(st.sampled_from(names), label="file")
    text = SOURCES[name]
    for _ in range(data.draw(st.integers(1, max_edits), label="edits")):
        text = data.draw(edit(text, INTERESTING[name]), label="edit")
        check(text)


COMMON = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@settings(max_examples=examples(30), **COMMON)
@given(st.data())
def test_random_edits_on_real_and_synthetic_files(data):
    run_edits(data, REAL + ["<synthetic>", "<synthetic>"], max_edits=3)


@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@settings(max_examples=examples(4), **COMMON)
@given(st.data())
def test_random_edits_on_large_files(data):
    run_edits(data, LARGE, max_edits=2)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_unedited_sources_equal_bandit(name):
    check(SOURCES[name])


def test_a_backslash_alone_on_a_blank_line_before_a_method():
    """The parser joins it to the indented line below; the pure-Python tokenizer of Python
    3.11 and before refuses it (IndentationError; 3.12's reads it as the parser does): a random
    edit of the test above found it. The nosec comment after it still counts."""
    text = SYNTHETIC.replace("\n\n    def start(self, cmd):", "\n\\\n    def start(self, cmd):", 1)
    assert text != SYNTHETIC
    ast.parse(text)
    if sys.version_info < (3, 12):
        with pytest.raises(IndentationError):
            list(tokenize.generate_tokens(io.StringIO(text).readline))
    check(text)


def test_synthetic_file_findings_need_the_import_context():
    found = {
        (f.rule_id, f.span.start_line)
        for f in INCREMENTAL.analyse(SYNTHETIC, PATH, CONFIG).findings
    }
    assert {
        ("B602", 16),
        ("B603", 18),
        ("B607", 18),
        ("B506", 22),
        ("B501", 28),
        ("B314", 33),
        ("B605", 39),
        ("B609", 41),
        ("B110", 42),
        ("B301", 53),
    } <= found
    assert not any(rule == "B604" for rule, _ in found)
    suppressed = INCREMENTAL.analyse(SYNTHETIC, PATH, CONFIG).suppressed
    assert [(f.rule_id, f.span.start_line) for f in suppressed] == [("B602", 17)]


def test_typing_a_method_character_by_character():
    """Every prefix of a typed method, most of which do not parse (the DESIGN's typing replay)."""
    anchor = "    def load(self, path):\n"
    typed = (
        "    def added(self, c):\n        sp.call(c, shell=True)  # nosec B604\n"
        "        yaml.load(c)\n\n"
    )
    position = SYNTHETIC.index(anchor)
    for end in range(0, len(typed) + 1, 3):
        check(SYNTHETIC[:position] + typed[:end] + SYNTHETIC[position:])


def test_editing_an_import_reanalyses_every_unit():
    before = {
        (f.rule_id, f.span.start_line)
        for f in INCREMENTAL.analyse(SYNTHETIC, PATH, CONFIG).findings
    }
    assert ("B602", 16) in before
    edited = SYNTHETIC.replace("import subprocess as sp\n", "import os as sp\n")
    check(edited)
    after = {
        (f.rule_id, f.span.start_line) for f in INCREMENTAL.analyse(edited, PATH, CONFIG).findings
    }
    assert ("B602", 16) not in after and ("B604", 16) in after
    check(SYNTHETIC)


def test_moving_units_keeps_results():
    shifted = "\n\n\n" + SYNTHETIC
    check(SYNTHETIC)
    check(shifted)
    a = INCREMENTAL.analyse(SYNTHETIC, PATH, CONFIG)
    b = INCREMENTAL.analyse(shifted, PATH, CONFIG)
    assert [f.shifted(3) for f in a.findings] == list(b.findings)


# ---- cache keys: everything a unit's result depends on --------------------------------------


# ---- the server's path: one splitter across edits, every intermediate version ----------------


@st.composite
def reshape(draw, text: str) -> str:
    """Edits that change indentation or line structure: indent or dedent a block of lines,
    a space at a line's start, two lines joined, a line split."""
    lines = text.split("\n")
    line = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["indent_block", "dedent_block", "space", "join", "split"]))
    if kind in ("indent_block", "dedent_block"):
        end = min(len(lines), line + draw(st.integers(1, 8)))
        for k in range(line, end):
            if kind == "indent_block":
                lines[k] = "    " + lines[k] if lines[k] else lines[k]
            elif lines[k].startswith("    "):
                lines[k] = lines[k][4:]
    elif kind == "space":
        lines[line] = " " + lines[line]
    elif kind == "join" and line + 1 < len(lines):
        lines[line:line + 2] = [lines[line] + lines[line + 1].lstrip()]
    else:
        col = draw(st.integers(0, len(lines[line])))
        lines[line:line + 1] = [lines[line][:col], lines[line][col:]]
    return "\n".join(lines)


def _unchanged(old: list[str], new: list[str]) -> tuple[int, int]:
    """Lines equal at the start and at the end (what the document store reports)."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def run_versions(data, names: list[str], max_edits: int) -> None:
    """Every version analysed as the server analyses it (a long-lived splitter and engine, the
    records of the version before reused) equals a fresh analysis of that text."""
    name = data.draw(st.sampled_from(names), label="file")
    text = SOURCES[name]
    splitter, lines = IncrementalSplitter(), text.split("\n")
    run_to_end(analyse_edit(INCREMENTAL, splitter, text, PATH, lines, None, None))
    for _ in range(data.draw(st.integers(1, max_edits), label="edits")):
        if data.draw(st.booleans(), label="reshape"):
            text = data.draw(reshape(text), label="reshape edit")
        else:
            text = data.draw(edit(text, INTERESTING[name]), label="edit")
        new_lines = text.split("\n")
        prefix, suffix = _unchanged(lines, new_lines)
        lines = new_lines
        raw = run_to_end(analyse_edit(INCREMENTAL, splitter, text, PATH, lines, prefix, suffix))
        fresh = Engine([ADAPTER]).analyse(text, PATH, CONFIG)
        assert apply_config(raw, PATH, CONFIG) == fresh
        assert raw.directives == Engine([ADAPTER]).analyse_raw(text, PATH).directives


@pytest.mark.filterwarnings("ignore:invalid escape sequence")
@settings(max_examples=examples(40), **COMMON)
@given(st.data())
def test_every_intermediate_version_equals_a_fresh_analysis(data):
    run_versions(data, REAL + ["<synthetic>", "<synthetic>"], max_edits=6)


@pytest.mark.parametrize("edited", [
    "def f(x):\n        eval(a)\n        eval(b)\n",  # the body indented as a whole: valid
    "def f(x):\n    eval(a)\n     eval(b)\n",  # one space more: does not parse
    "def f(x):\n    eval(a)\neval(b)\n",  # dedented out of the body
    "def f(x):\n    eval(a); eval(b)\n",  # joined
])
def test_reshaping_a_function_body_equals_a_fresh_analysis(edited):
    original = "def f(x):\n    eval(a)\n    eval(b)\n"
    splitter, lines = IncrementalSplitter(), original.split("\n")
    run_to_end(analyse_edit(Engine([ADAPTER]), splitter, original, PATH, lines, None, None))
    new_lines = edited.split("\n")
    raw = run_to_end(analyse_edit(Engine([ADAPTER]), splitter, edited, PATH, new_lines,
                                  *_unchanged(lines, new_lines)))
    fresh = Engine([ADAPTER]).analyse_raw(edited, PATH)
    assert (raw.findings, raw.broken) == (fresh.findings, fresh.broken)
