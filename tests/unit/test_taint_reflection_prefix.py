"""Unsafe reflection (issue 12, BST206) with a prefix the developer wrote: the method name
`getattr(self, ...)` looks up starts with constant text however the string is built (`+`,
`.format`, an f-string, `%`), as `cmd.Cmd` dispatches `"do_" + command`, and picks only the
methods named so; a name whose built text starts with the request's data (`"{}".format(x)`,
`f"{x}"`, `x + "_do"`) picks any method. The same walk tells a command line that starts with a
constant program word (argv.starts_with_word)."""

from __future__ import annotations

import ast
import itertools
import re

import pytest
from tests.unit.taint_marked import assert_marked

from bastion.analyzers.taint.argv import leading_text, starts_with_word

DISPATCH = '''import cmd
import http.server
import urllib.parse


class Shell(cmd.Cmd):
    def do_status(self, arg):
        print("ok")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        shell = Shell()
        verb = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["verb"][0]
        getattr(shell, "do_" + verb)("")
        getattr(shell, "do_{}".format(verb))("")
        getattr(shell, f"do_{verb}")("")
        getattr(shell, "do_%s" % verb)("")
        getattr(shell, "do_%s" % (verb,))("")
        getattr(shell, "{}".format(verb))("")  # BST206
        getattr(shell, f"{verb}")("")  # BST206
        getattr(shell, verb + "_do")("")  # BST206
        getattr(shell, "%s" % verb)("")  # BST206
'''

# built text -> the constant text it starts with
LEADING = {
    '"do_" + x': "do_", '"do_{}".format(x)': "do_", 'f"do_{x}"': "do_", '"do_%s" % x': "do_",
    '"{}".format(x)': "", 'f"{x}"': "", 'x + "_do"': "", '"%s" % x': "",
    '"convert " + x': "convert ", 'f"convert {x} out.png"': "convert ",
    '"convert %s out.png" % x': "convert ", '"convert {} out.png".format(x)': "convert ",
    '"con%sert " % x': "con", '"{}convert ".format(x)': "",
}


def test_a_prefix_however_built_picks_the_developer_s_methods():
    assert_marked(DISPATCH)


@pytest.mark.parametrize("text", sorted(LEADING))
def test_the_constant_text_a_built_string_starts_with(text):
    node = ast.parse(text, mode="eval").body
    assert leading_text(node) == LEADING[text]
    assert starts_with_word(node) is LEADING[text].startswith("convert ")


def test_a_command_word_is_read_as_from_the_whole_text():
    """Cutting the text at its first placeholder keeps argv's answer: its first word holds
    neither `%` nor a brace, so a word and a space end before any of them (every text of up to
    five characters from the ones that matter)."""
    whole = re.compile(r"\s*[^\s%{}]+\s")
    for size in range(6):
        for chars in itertools.product("a %{}\t", repeat=size):
            text = "".join(chars)
            assert starts_with_word(ast.Constant(text)) is (whole.match(text) is not None), text
