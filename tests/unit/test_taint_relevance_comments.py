"""A source named only in comments does not make a function relevant (needles.matches_in_code),
and one named in code or in a string still does: `#` inside strings, f-strings holding code,
triple-quoted strings holding comment-like lines, words next to a comment, texts that do not
tokenize. Random lines are built from labelled fragments; the answer must be whether a
fragment naming the source in code or a string was used."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.needles import matches_in_code

CHECK = re.compile(r"\b(?:input|sys\s*\.\s*argv)\b")
# (code, whether it names a source outside a comment)
CODE = [("x = input()", True), ("y = f'#{input()}'", True), ("s = '#'; v = input()", True),
        ('z = """\n# input\n"""', True), ("a = sys .argv", True), ("t = 'a#b' + input", True),
        ("w = '# input'", True), ("x = 1", False), ("s = '#'", False), ("inputs = 2", False),
        ("u = '''#\n'''", False), ("", False)]
COMMENTS = ["", "# input here", "#input", "# sys.argv", "# nothing", "#"]


@settings(max_examples=examples(300), deadline=None)
@example([(0, 1)], "")
@example([(7, 1), (9, 2)], "    ")
@given(st.lists(st.tuples(st.sampled_from(range(len(CODE))), st.sampled_from(range(len(COMMENTS)))),
                max_size=5), st.sampled_from(["", "    "]))
def test_only_code_and_strings_count(lines, indent):
    """`indent`: a method's text starts indented."""
    text = f"{indent}def f():\n" + "\n".join(
        f"{indent}    if 1:\n{indent}        {CODE[c][0]}  {COMMENTS[m]}".rstrip()
        for c, m in lines) + f"\n{indent}    pass"
    assert matches_in_code(CHECK, text) == any(CODE[c][1] for c, _ in lines), text


def test_comment_words_alone_do_not_match():
    text = "def parse(self):\n    # read the input\n    line = self._input.readline()  # input\n"
    assert CHECK.search(text) is not None
    assert not matches_in_code(CHECK, text)


def test_a_text_that_does_not_tokenize_is_read_whole():
    assert matches_in_code(CHECK, 'def f():\n    s = """\n    # input\n')
