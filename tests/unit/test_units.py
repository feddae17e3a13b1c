"""split_document: the units the engine parses, analyses and caches one by one."""

from __future__ import annotations

import ast

import pytest

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.config import Config
from bastion.engine.engine import Engine
from bastion.engine.splitter import lines_in_strings, split_document
from bastion.engine.units import Unit

ENGINE = Engine([BanditAdapter()])
CONFIG = Config()


def spans(text: str) -> list[tuple[int, int, bool]]:
    return [(u.start, u.end, u.indented) for u in split_document(text).units]


def found(text: str) -> set[tuple[str, int]]:
    return {(f.rule_id, f.span.start_line) for f in ENGINE.analyse(text, "x.py", CONFIG).findings}


# ---- valid documents ----------------------------------------------------------------------

CLASS_DOC = """\
import os

@dec
@dec2(1)
class A(Base,
        metaclass=Meta):
    '''doc'''
    x = 1; y = 2

    @property
    def f(self):
        return 1

    class C:
        z = 3

a = 1; b = 2
class D: pass
"""


def test_top_level_statements_and_class_members():
    split = split_document(CLASS_DOC)
    assert split.broken == ()
    assert spans(CLASS_DOC) == [
        (0, 0, False),  # import os
        (2, 5, False),  # decorators + class header over two lines
        (6, 6, True),  # docstring
        (7, 7, True),  # x = 1; y = 2 (same line: one unit)
        (9, 10, True),  # decorated method's header, decorator included
        (11, 11, True),  # the method's body statement
        (13, 13, True),  # nested class header
        (14, 14, True),  # nested class member
        (16, 16, False),  # a = 1; b = 2
        (17, 17, False),  # class with its body on the header line: not split
    ]


def test_class_header_gets_a_pass_body():
    header = split_document(CLASS_DOC).units[1]
    assert header.text == "@dec\n@dec2(1)\nclass A(Base,\n        metaclass=Meta):\n"
    assert header.suffix == "    pass\n"
    tree = header.parse()
    (cls,) = tree.body
    assert isinstance(cls, ast.ClassDef) and cls.lineno == 5 and cls.decorator_list[0].lineno == 3
    nested = split_document(CLASS_DOC).units[6]
    assert nested.suffix == "        pass\n" and nested.indented


def test_members_parse_with_document_lines_and_columns():
    header, body = split_document(CLASS_DOC).units[4:6]
    func = next(n for n in ast.walk(header.parse()) if isinstance(n, ast.FunctionDef))
    assert (func.lineno, func.col_offset) == (11, 4)
    assert func.decorator_list[0].lineno == 10
    assert header.suffix == "        pass\n" and not header.in_function and body.in_function
    ret = next(n for n in ast.walk(body.parse()) if isinstance(n, ast.Return))
    assert (ret.lineno, ret.col_offset) == (12, 8)


def test_unit_texts_cover_their_lines():
    lines = CLASS_DOC.split("\n")
    for unit in split_document(CLASS_DOC).units:
        assert unit.text == "".join(line + "\n" for line in lines[unit.start : unit.end + 1])


def test_same_line_statements_are_one_unit():
    assert spans("import os; import sys\nx = 1\n") == [(0, 0, False), (1, 1, False)]
    # a compound statement followed by another on its last line
    text = "if x:\n    y = 1; z = 2\nw = 3\n"
    assert spans(text) == [(0, 1, False), (2, 2, False)]


def test_multi_line_statement_is_one_unit():
    text = "x = foo(\n    1,\n    2,\n)\ny = 3\n"
    assert spans(text) == [(0, 3, False), (4, 4, False)]


def test_decorated_function_includes_decorators():
    text = "@a\n@b(\n    1)\ndef f():\n    pass\n"
    assert spans(text) == [(0, 3, False), (4, 4, True)]


def test_functions_are_split_into_statements_compound_statements_are_not():
    text = (
        "def f():\n    class Inner:\n        x = 1\n    return Inner\n\nif x:\n    class B:\n"
        "        y = 2\n"
    )
    assert spans(text) == [(0, 0, False), (1, 1, True), (2, 2, True), (3, 3, True), (5, 7, False)]
    assert [u.in_function for u in split_document(text).units] == [False, True, True, True, False]


@pytest.mark.parametrize("text", [
    "def f(): return 1\n",  # the body on the header's line
    "def f(a,\n      b): return 1\n",  # ... on the last line of a long signature
    "def f(x):\n    y = x\n    return mark_safe(y)\n",  # B703 reads the whole function
])
def test_functions_that_stay_whole(text):
    assert len(split_document(text).units) == 1


def test_long_signature_stays_in_the_header():
    text = "def f(\n    a,\n    b=1,\n) -> int:\n    return a\n"
    assert spans(text) == [(0, 3, False), (4, 4, True)]


def test_empty_and_comment_only_documents():
    assert split_document("").units == ()
    assert split_document("# just a comment\n\n").units == ()
    assert split_document("").broken == ()


def test_digest_depends_on_text_and_kind_not_position():
    a = Unit(0, 0, "x = 1\n", False)
    b = Unit(7, 7, "x = 1\n", False)
    c = Unit(7, 7, "x = 1\n", True)
    d = Unit(0, 0, "x = 2\n", False)
    e = Unit(0, 0, "class A:\n", False, "    pass\n")
    f = Unit(0, 0, "class A:\n", False, "\tpass\n")
    assert a.digest == b.digest
    assert len({a.digest, c.digest, d.digest, e.digest, f.digest}) == 5


def test_tab_indented_class_is_split():
    text = "class A:\n\tdef f(self):\n\t\treturn 1\n\tdef g(self):\n\t\treturn 2\n"
    split = split_document(text)
    assert spans(text) == [(0, 0, False), (1, 1, True), (2, 2, True), (3, 3, True), (4, 4, True)]
    assert split.units[0].suffix == "\tpass\n"
    for unit in split.units:
        unit.parse()


def test_comments_between_header_and_body_are_in_neither():
    text = "class A:\n    # a comment\n\n    x = 1\n"
    assert spans(text) == [(0, 0, False), (3, 3, True)]
    text = "def f(\n    a,  # the first\n    # the last\n):\n    # why\n    return a\n"
    assert spans(text) == [(0, 3, False), (5, 5, True)]


# ---- broken documents ---------------------------------------------------------------------

BROKEN_METHOD = """\
import yaml
import subprocess as sp

class Store:
    def ok(self, x):
        return yaml.load(x)

    def bad(self):
        foo(

    def also_ok(self, cmd):
        sp.call(cmd, shell=True)

z = eval(q)
"""


def test_broken_member_goes_quiet_alone():
    split = split_document(BROKEN_METHOD)
    assert split.broken == ((8, 8),)
    assert spans(BROKEN_METHOD) == [
        (0, 0, False),
        (1, 1, False),
        (3, 3, False),
        (4, 4, True),
        (5, 5, True),
        (7, 7, True),  # the broken method's header still parses
        (10, 10, True),
        (11, 11, True),
        (13, 13, False),
    ]


def test_findings_of_other_members_survive_a_broken_method():
    with pytest.raises(SyntaxError):
        ast.parse(BROKEN_METHOD)
    analysis = ENGINE.analyse(BROKEN_METHOD, "x.py", CONFIG)
    assert analysis.broken == ((8, 8),)
    # the import context still applies: `sp.call` is B602 (not B604) and yaml.load is B506
    assert found(BROKEN_METHOD) == {("B404", 1), ("B506", 5), ("B602", 11), ("B307", 13)}


def test_fixing_the_method_gives_the_whole_file_result():
    fixed = BROKEN_METHOD.replace("foo(\n", "foo()\n")
    assert found(fixed) == {("B404", 1), ("B506", 5), ("B602", 11), ("B307", 13)}
    assert ENGINE.analyse(fixed, "x.py", CONFIG).broken == ()


def test_broken_top_level_chunk_goes_quiet_alone():
    text = (
        "import subprocess\n\ndef f(:\n    eval(a)\n\ndef g(cmd):\n"
        "    subprocess.call(cmd, shell=True)\n"
    )
    analysis = ENGINE.analyse(text, "x.py", CONFIG)
    assert analysis.broken == ((2, 2),)  # the header; the body's statements are still checked
    assert found(text) == {("B404", 0), ("B307", 3), ("B602", 6)}


def test_broken_class_header_keeps_its_members():
    text = (
        "import subprocess as sp\n\nclass A(:\n    def f(self, c):\n"
        "        sp.call(c, shell=True)\n"
    )
    split = split_document(text)
    assert split.broken == ((2, 2),)
    assert found(text) == {("B404", 0), ("B602", 4)}


def test_broken_member_in_tab_indented_class():
    text = (
        "import subprocess as sp\nclass A:\n\tdef f(self, c):\n\t\tsp.call(c, shell=True)\n"
        "\tdef g(self):\n\t\tx = [\n\tdef h(self, x):\n\t\teval(x)\n"
    )
    assert split_document(text).broken == ((5, 5),)
    assert found(text) == {("B404", 0), ("B602", 3), ("B307", 7)}


def test_decorators_join_their_definition_in_broken_documents():
    text = "@app.route('/')\n@login\ndef index(:\n    pass\n\n@cache\ndef f():\n    eval(x)\n"
    split = split_document(text)
    assert split.broken == ((0, 2),)
    assert [(u.start, u.end) for u in split.units] == [(3, 3), (5, 6), (7, 7)]
    assert found(text) == {("B307", 7)}


def test_continuation_keywords_and_closing_brackets_do_not_start_chunks():
    text = (
        "try:\n    eval(a)\nexcept Exception:\n    pass\nelse:\n    pass\nfinally:\n    pass\n"
        "x = [\n    1,\n]\nbroken(\n"
    )
    split = split_document(text)
    assert [(u.start, u.end) for u in split.units] == [(0, 7), (8, 10)]
    assert split.broken == ((11, 11),)
    assert ("B307", 1) in found(text)


def test_column_zero_text_in_triple_quoted_string_does_not_start_a_chunk():
    text = (
        'import subprocess\nHELP = """\ndef not_code(:\nclass Nope\n"""\n'
        "def f(:\n    pass\nsubprocess.call(cmd, shell=True)\n"
    )
    split = split_document(text)
    assert split.broken == ((5, 5),)
    assert [(u.start, u.end) for u in split.units] == [(0, 0), (1, 4), (6, 6), (7, 7)]
    assert found(text) == {("B404", 0), ("B602", 7)}


def test_column_zero_text_in_single_quoted_triple_string():
    text = "x = '''\nimport os\n'''\ny = (\n"
    split = split_document(text)
    assert [(u.start, u.end) for u in split.units] == [(0, 2)]
    assert split.broken == ((3, 3),)


def test_unclosed_string_swallows_the_rest():
    text = 'eval(a)\ns = """\ndef f():\n    eval(b)\n'
    split = split_document(text)
    assert [(u.start, u.end) for u in split.units] == [(0, 0)]
    assert split.broken == ((1, 3),)
    assert found(text) == {("B307", 0)}


def test_trailing_blank_and_comment_lines_are_not_in_chunks():
    text = "x = (\n\n# comment\n\ny = 1\n"
    split = split_document(text)
    assert split.broken == ((0, 0),)
    assert [(u.start, u.end) for u in split.units] == [(4, 4)]


def test_lines_in_strings():
    text = 's = """a\nb\nc"""\nt = \'\'\'\nx\'\'\'\n# """ not a string\nu = "\\"\\"\\""\n'
    assert lines_in_strings(text) == {1, 2, 4}
    assert lines_in_strings('a = "# """\nb = 1\n') == set()
    assert lines_in_strings('s = """x\\"""\ny"""\nz\n') == {1}


@pytest.mark.parametrize(("newline", "blank"), [("\r\n", ""), ("\n", "\x0c")],
                         ids=["crlf", "formfeed"])
def test_blank_lines_do_not_split_functions_in_broken_documents(newline, blank):
    lines = [
        "import subprocess",
        "",
        "def f(cmd):",
        "    x = 1",
        blank,
        "    subprocess.call(cmd, shell=True)",
        "",
        "broken = (",
    ]
    text = newline.join(lines) + newline
    analysis = ENGINE.analyse(text, "x.py", CONFIG)
    assert analysis.broken == ((7, 7),)
    assert {(f.rule_id, f.span.start_line) for f in analysis.findings} == {("B404", 0), ("B602", 5)}


def test_crlf_valid_document_matches_lf():
    lf = "import subprocess\n\ndef f(cmd):\n    x = 1\n\n    subprocess.call(cmd, shell=True)\n"
    crlf = lf.replace("\n", "\r\n")
    assert spans(lf) == spans(crlf)
    assert found(lf) == found(crlf) == {("B404", 0), ("B602", 5)}
    crlf_finding = next(
        f for f in ENGINE.analyse(crlf, "x.py", CONFIG).findings if f.rule_id == "B602"
    )
    assert crlf_finding.span.end_col == len("    subprocess.call(cmd, shell=True)")


@pytest.mark.parametrize("first", ["    eval(x)", ")", "else:"])
def test_leading_lines_are_reported_broken(first):
    text = first + "\nimport os\n"
    with pytest.raises(SyntaxError):
        ast.parse(text)
    assert split_document(text).broken == ((0, 0),)


def test_comment_like_line_inside_a_string_stays_in_its_chunk():
    text = 'class A:\n    """doc\n#   """\n    def f(self):\n        x = (\n'
    split = split_document(text)
    assert (1, 2) in [(u.start, u.end) for u in split.units]
    assert split.broken == ((4, 4),)


def test_a_document_split_again_parses_only_the_chunks_that_changed(monkeypatch):
    methods = "".join(f"    def m{i}(self):\n        return {i}\n\n" for i in range(60))
    text = "class A:\n" + methods + "    def broken(self):\n        x = (\n\nclass B:\n" + methods
    first = split_document(text)
    parsed = []
    original = Unit.parse
    monkeypatch.setattr(Unit, "parse", lambda unit: parsed.append(unit.start) or original(unit))
    assert split_document(text) == first
    assert parsed == [0, 181]  # the headers of the class and the method that do not parse
    parsed.clear()
    edited = text.replace("return 7\n", "return 7 + 1\n", 1)
    again = split_document(edited)
    assert again.broken == first.broken and len(again.units) == len(first.units)
    assert len(parsed) <= 4  # class A, its header, m7, the broken method's header: not all 120


@pytest.mark.parametrize("stray", ["else:\n        y = 2\n", "else: os.system(cmd)\n",
                                   "except ValueError:\n    pass\n"])
def test_a_line_placed_in_no_unit_is_reported_broken(stray):
    # An `else:` left at column 0 after a class is no statement start and no member of the
    # class: it was in no unit and no broken range, so the file "parsed" and its code went quiet.
    text = "import os\nclass A:\n    def f(self):\n        x = 1\n\n" + stray
    with pytest.raises(SyntaxError):
        ast.parse(text)
    split = split_document(text)
    placed = {i for u in split.units for i in range(u.start, u.end + 1)}
    placed |= {i for lo, hi in split.broken for i in range(lo, hi + 1)}
    assert {i for i, line in enumerate(text.split("\n")) if line.strip()} <= placed
    assert any(lo <= 5 <= hi for lo, hi in split.broken)


def test_a_line_placed_in_no_unit_is_broken_after_an_edit_too():
    from bastion.engine.incremental import IncrementalSplitter

    lines = "import os\nclass A:\n    def f(self):\n        x = 1\n\nprint(1)\n".split("\n")
    splitter = IncrementalSplitter()
    splitter.update(lines, None, None)
    edited = lines[:5] + ["else: os.system(cmd)"] + lines[5:]  # typed at column 0
    got = splitter.update(edited, 5, len(lines) - 5)
    assert got.broken == split_document("\n".join(edited)).broken
    assert any(lo <= 5 <= hi for lo, hi in got.broken)
