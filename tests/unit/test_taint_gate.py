"""The taint analyzer's source check and its check for a judged call or SQL text, answered per
edit (taint/gate.py), equal the whole-text checks (`Models.may_read_sources`,
`may_hold_judged` below) on every text of a document edited at random."""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.gate import (
    _UNBOUNDED,
    JudgedGate,
    TextGate,
    first_match,
    registrar_gate,
    source_gate,
    words_gate,
)
from bastion.analyzers.taint.model_files import load_models
from bastion.analyzers.taint.specs import whole_name
from bastion.analyzers.taint.verdicts import NEEDLES, SQL_NEEDLES, SQL_TEXT, find_sql_text
from bastion.model.text import common_ends

MODELS = load_models()
# pieces that make and break the words the check looks for, and their surroundings
PIECES = ["argv", "sys.", "arg", "v", "import flask", "flask", "fla", "sk", "input", "input (",
          "(", " ", "\n", "  ", "def", "def handler", "handler", "_", "x", "environ", "getenv",
          "os.", "# ", "'", "django", "tornado", "b", "event", "e", ", ", "context", "env",
          "start_response", ": dict", ")", "ws", "ne", "path", "x", "."]


@st.composite
def edits(draw, pieces=PIECES, size=30):
    text = "".join(draw(st.lists(st.sampled_from(pieces), max_size=size)))
    steps = []
    for _ in range(draw(st.integers(1, 12))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 8)))
        text = text[:start] + "".join(draw(st.lists(st.sampled_from(pieces), max_size=4))) + text[end:]
        steps.append(text)
    return steps


@settings(max_examples=examples(600), deadline=None)
@given(texts=edits())
def test_each_edit_is_answered_as_the_whole_text(texts):
    gate = source_gate(MODELS)
    for text in texts:
        assert gate.match(text) == MODELS.may_read_sources(text), text


def test_words_in_nearly_every_text_gate_nothing():
    """A URL (`http` is the package of some sources' classes) or a one-letter parameter (`e`,
    a name a WSGI environ may have): no source, no entry. (`event` is checked: an annotation
    or a default may stand between a Lambda handler's two names, so the word alone counts.)"""
    for text in ['"""See https://example.com/x"""\ndef f(e, start):\n    return e\n']:
        assert not MODELS.may_read_sources(text), text
    for text in ["from http.server import BaseHTTPRequestHandler\n",
                 "def app(environ, start_response):\n", "def get_item(event, ctx):\n",
                 "def get_item(\n    event: dict[str, Any],\n    context: object,\n) -> dict:\n"]:
        assert MODELS.may_read_sources(text), text


def test_a_name_inside_another_word_gates_nothing():
    """A module, class or parameter name counts as a whole word only: the websockets handler's
    `ws` in `news` or `rows`, `flask` in `myflask`, `argv` in `_argv` read nothing (12 of the
    email package's 20 modules were analysed for `ws`); the same names whole still count, also
    at the start of a text and after a dot."""
    for text in ["news = rows + allows\n", "import myflask\n", "x = my_argv\n",
                 "class A(MyResource2):\n    pass\n", "def f(news, xpath):\n    pass\n"]:
        assert not MODELS.may_read_sources(text), text
        assert not source_gate(MODELS).match(text), text
    for text in ["ws", "def handler(ws, path):\n", "import flask\n", "x = sys.argv\n",
                 "class A(flask_restful.Resource):\n", "é = 1\nws.send(x)\n"]:
        assert MODELS.may_read_sources(text), text
        assert source_gate(MODELS).match(text), text


def test_a_name_broken_and_made_whole_by_an_edit_next_to_it():
    gate = source_gate(MODELS)
    body = "x = 1\n" * 2000
    for text in [body + "def f(ws):\n", body + "def f(news):\n", body + "def f(ws):\n",
                 "news = 1\n" + body, "ws = 1\n" + body]:
        assert gate.match(text) == MODELS.may_read_sources(text) == ("(ws" in text or
                                                                      text.startswith("ws"))


def searched_one_by_one(text: str) -> tuple[int, int] | None:
    """`Models.source_match` as each word's substring test and expression answer it."""
    for needle, check in MODELS.gate():
        if needle in text and (match := check.search(text)) is not None:
            return match.span()
    return None


@settings(max_examples=examples(1500), deadline=None)
@given(text=st.lists(st.sampled_from(PIECES + ["\u00e9", "\u00e9ws", "ws\u00e9", "9", "\u212a",
                                                 "View", "My", "handler(", "input("]),
                     max_size=30).map("".join))
def test_words_looked_up_among_the_text_s_words_match_as_searched(text):
    """In an ASCII text the gate's whole-word names are looked up among its words, found once;
    the first match is the one each word's search finds (other texts are searched)."""
    assert MODELS.source_match(text) == searched_one_by_one(text), text


def _compiled(models) -> set[str]:
    """The gate's words whose expression is compiled (each a `deferred_patterns.deferred`)."""
    return {word for word, pattern in models._gate_words() if pattern.cache_info().currsize}


def test_whole_texts_compile_only_the_words_they_hold():
    """A scan asks of whole texts only: building the gate compiles none of its ~90 expressions
    (5 ms of every start), a text compiles those of the words it holds; an editor's gate makes
    the per-edit checks at its first text (a document's open), which answer as before, with
    every expression compiled once."""
    models = load_models()
    scan = source_gate(models, edits=False)
    assert not _compiled(models)
    text = "import sys\n" + "x = 1\n" * 300 + "y = sys.argv\n"
    assert scan.match(text) and scan.match("z = 2\n") is False
    assert _compiled(models) <= {"argv", "input"}
    gate = source_gate(models)
    assert gate.match(text) and len(_compiled(models)) == len(models._gate_words())
    edited = "z = 2\nw = sys.argv\n"
    assert gate.match("z = 2\n") is False and gate.match(edited) == models.may_read_sources(edited) is True
    held = dict(models._gate_words())
    assert all(check is held[word]() for word, check in models.gate())  # the same, shared


def test_a_words_gate_makes_its_expressions_at_the_first_text_and_a_scan_never():
    """An editor's gate makes the expressions an edit's check searches at its first text (a
    document's open, no keystroke), and they answer as the whole check; a scan checks whole
    texts (`str.find`) and makes none."""
    scan = words_gate(("render", "Template"), edits=False)
    assert scan.match("x = render(t)\n") and scan.match("y = 1\n") is False
    assert callable(scan._checks)
    gate = words_gate(("render", "Template"))
    assert callable(gate._checks)
    assert gate.match("x = render(t)\n")
    assert not callable(gate._checks) and [check.pattern for _, check, _ in gate._checks] == [
        "render", "Template"]
    assert gate.match("y = 1\n") is False and gate.match("y = 1\nz = Template(s)\n") is True


def test_texts_of_other_documents_in_turn():
    gate = source_gate(MODELS)
    reads = "import sys\n" + "x = 1\n" * 2000 + "y = sys.argv\n"
    plain = "z = 2\n" * 2000
    for text in [reads, plain, reads + "w = 3\n", plain.replace("z", "q", 1), reads]:
        assert gate.match(text) == MODELS.may_read_sources(text)


def test_a_match_kept_outside_the_edit_and_one_the_edit_breaks():
    gate = source_gate(MODELS)
    text = "import sys\nx = sys.argv\n" + "y = 1\n" * 100
    assert gate.match(text)
    assert gate.match(text + "z = 2\n")  # the witness is before the edit
    assert not gate.match(text.replace("argv", "argz") + "z = 2\n")
    assert gate.match(text.replace("argv", "argz").replace("y = 1", "v = input()", 1))


@given(old=st.text(alphabet="ab\n", max_size=20), new=st.text(alphabet="ab\n", max_size=20))
def test_the_changed_stretch_is_what_differs(old, new):
    """The stretch the gate searches around (`common_ends`, shared with the other incremental
    readers)."""
    start, tail = common_ends(old, new)
    old_end, new_end = len(old) - tail, len(new) - tail
    assert old[:start] == new[:start] and old[old_end:] == new[new_end:]
    assert start <= old_end and start <= new_end


def may_hold_judged(text: str) -> bool:
    """The whole-text check the judged gate answers per edit."""
    return any(n in text for n in NEEDLES) or (
        any(n in text for n in SQL_NEEDLES) and SQL_TEXT.search(text) is not None)


# pieces that make and break the judged calls' names and the SQL text across lines
SQL_PIECES = ["select", "SELECT", "Select", "sel", "ect", " ", "\n", "\n\n", "  \n", "\t", "x", "*",
              "from", "FROM", "fr", "om", "delete", "insert", "into", "update", "set", "values",
              "sys", "tem", "system", "eval", "os.", "(", "pickle", "# ", "'", "elect", "ELECT"]


@settings(max_examples=examples(1000), deadline=None)
@given(texts=edits(SQL_PIECES, 40))
def test_the_judged_check_is_answered_per_edit_as_the_whole_text(texts):
    gate = JudgedGate(NEEDLES, SQL_NEEDLES, SQL_TEXT)
    for text in texts:
        assert gate.match(text) == may_hold_judged(text), text
    fast = JudgedGate(NEEDLES, SQL_NEEDLES, SQL_TEXT, find_sql_text)  # as the analyzer's
    for text in texts:
        assert fast.match(text) == may_hold_judged(text), text


# besides SQL_PIECES: what case-folds to an ASCII letter (the long s, the Kelvin sign), other
# letters and word characters before and after a keyword
FOLDED_PIECES = SQL_PIECES + ["\u017felect", "\u212a", "\u00e9", "_", "9", "sets", "xupdate", "UPDATE",
                              "Delete", "INTO", "SeLeCt", "\u00a0", "."]


@settings(max_examples=examples(1500), deadline=None)
@given(text=st.lists(st.sampled_from(FOLDED_PIECES), max_size=24).map("".join))
def test_the_fast_sql_search_finds_what_the_expression_finds(text):
    """`find_sql_text` (lowercased ASCII, one keyword at a time) gives SQL_TEXT's first match."""
    match = SQL_TEXT.search(text)
    assert find_sql_text(text) == (match.span() if match is not None else None), text


def test_sql_text_across_blank_lines_found_from_an_edit_far_below_its_start():
    gate = JudgedGate(NEEDLES, SQL_NEEDLES, SQL_TEXT)
    text = "x = 1\n" * 50 + "q = 'delete" + "\n" * 30 + "   fro" + "\n" + "y = 2\n" * 50
    assert not gate.match(text)
    edited = text.replace("   fro\n", "   from\n")
    assert gate.match(edited) == may_hold_judged(edited) is True


def test_sql_text_completed_by_a_keyword_typed_far_above_the_rest():
    gate = JudgedGate(NEEDLES, SQL_NEEDLES, SQL_TEXT)
    text = "x = 1\n" * 50 + "q = 'delet" + "\n" * 30 + "   from t'\n" + "y = 2\n" * 50
    assert not gate.match(text)
    edited = text.replace("'delet\n", "'delete\n")
    assert gate.match(edited) == may_hold_judged(edited) is True


def test_sql_text_without_the_words_the_whole_check_needs_first():
    """The whole check runs the SQL expression only in a text holding one of its words
    (`elect`, `ELECT`, ...): a query spelled `SeLeCt` alone does not count, per edit either."""
    gate = JudgedGate(NEEDLES, SQL_NEEDLES, SQL_TEXT)
    text = "q = 'SeLeCt a FrOm t'\n" + "y = 2\n" * 10
    assert gate.match(text) == may_hold_judged(text) is False
    edited = text + "z = 3\n"
    assert gate.match(edited) == may_hold_judged(edited) is False


REGISTRAR_PIECES = ["Depends", "Dep", "ends", "Security", "Secur", "ity", "add_url_rule", "add_",
                    "url_rule", "Route", "Rou", "te", "WebSocket", "add_route", "x", " ", "\n", "(",
                    "_", "add_api_route", "api", "serve", "pre", "s", "1", ".", "é"]


@settings(max_examples=examples(600), deadline=None)
@given(texts=edits(REGISTRAR_PIECES, 30))
def test_the_registrar_check_is_answered_per_edit_as_the_whole_text(texts):
    gate, names = registrar_gate(MODELS), MODELS.registrar_names()
    for text in texts:
        assert gate.match(text) == any(re.search(whole_name(name), text) for name in names), text


def test_a_registrar_gate_compiles_only_the_names_a_text_holds(monkeypatch):
    """Building the gate compiles none of its names' expressions; a whole text compiles those of
    the names it holds (a scan's, never the per-edit checks); an editor's gate makes the per-edit
    checks at its first text, a document's open, not at its first key."""
    compiled: list[str] = []
    eager = re.compile
    monkeypatch.setattr(re, "compile", lambda p, flags=0: compiled.append(p) or eager(p, flags))
    gate, names = registrar_gate(MODELS, edits=False), MODELS.registrar_names()
    assert gate.match("x = 1\n") is False and compiled == [] and callable(gate._checks)
    text = "x = 1\napp.add_url_rule('/', view_func=f)\n"
    held = {name for name in names if name in text}
    assert gate.match(text) is True and 0 < len(compiled) <= len(held) < len(names)
    assert gate.match(text.replace("add_url_rule", "add_url_rul")) is False and callable(gate._checks)
    editor = registrar_gate(MODELS)
    assert callable(editor._checks) and editor.match("x = 1\n") is False
    assert not callable(editor._checks) and len(editor._checks) == len(names)
    assert editor.match(text) is True  # from the edit, with the checks made at the open


def test_a_registrar_is_named_by_a_whole_word_only():
    gate = registrar_gate(MODELS)
    assert not gate.match("x = 1\n\ndef preserve(self, reserved=None):\n    return Depends_on\n")
    assert gate.match("import websockets\nwebsockets.serve(handler)\n")
    assert gate.match("def f(user=Depends(current)):\n    pass\n")


def test_a_registrar_named_far_from_a_keystroke_is_kept_and_one_broken_is_not():
    gate = registrar_gate(MODELS)
    text = "from fastapi import Depends\n" + "x = 1\n" * 3000
    assert gate.match(text)
    assert gate.match(text + "y")
    assert not gate.match(text.replace("Depends", "Depend", 1) + "y")
    assert not gate.match(text.replace("Depends", "Depend", 1) + "yRoute")
    assert gate.match(text + "\nRoute")


# The source gate's checks no edit window bounds, and expressions whose matches may start
# elsewhere than their word (an alternation, a case-insensitive or a preceding part).
UNBOUNDED = [(needle, check) for needle, check, reach in source_gate(MODELS)._checks()
             if reach >= _UNBOUNDED]
OTHERS = [("input", re.compile(r"input\s*\(|x")), ("input", re.compile(r"(?i)input\s*\(")),
          ("input", re.compile(r"(?<=x)input")), ("put", re.compile(r"put\s*\(\s*\)"))]


@settings(max_examples=examples(300), deadline=None)
@example(text="Input (x")
@example(text="def handler")
@given(text=st.lists(st.sampled_from(PIECES + ["Input", "inputinput", "xinput", "put()", "\t"]),
                     max_size=24).map("".join))
def test_a_whole_text_search_from_the_word_finds_what_the_expression_finds(text):
    assert {needle for needle, _ in UNBOUNDED} >= {"input", "handler"}
    for needle, check in UNBOUNDED + OTHERS:
        found = first_match(check, needle, text)
        expected = check.search(text)
        assert (found and found.span()) == (expected and expected.span()), (needle, check.pattern)


def _small_gate() -> tuple[TextGate, Callable[[str], bool]]:
    checks = [("ab(", re.compile(r"ab\(\s*\)"), _UNBOUNDED), ("ba", re.compile(r"x?ba"), _UNBOUNDED),
              ("c", re.compile(r"c\s*\("), _UNBOUNDED)]

    def whole(text: str) -> tuple[int, int] | None:
        return next((m.span() for _, check, _ in checks if (m := check.search(text))), None)
    return TextGate(whole, checks), lambda text: whole(text) is not None


# A needle the last text did not hold is looked for around the edit only: occurrences the edit
# makes from characters on both sides of it, or by deleting what stood between them.
@settings(max_examples=examples(400), deadline=None)
@example(texts=["a(x", "ab(x", "ab(x)", "a(x)"])
@example(texts=["bxa", "ba", "bxa", "b!a"])
@given(texts=edits(["a", "b", "(", ")", "x", " ", "\n", "c", "ab(", "ba"], 12))
def test_needles_absent_before_an_edit_are_found_where_it_made_them(texts):
    gate, whole = _small_gate()
    for text in texts:
        assert gate.match(text) == whole(text), text
