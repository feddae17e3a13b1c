"""The taint analyzer's source check, answered per edit (taint/gate.py), equals the whole-text
check (`Models.may_read_sources`) on every text of a document edited at random."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.analyzers.taint.gate import SourceGate
from bastion.analyzers.taint.specs import load_models
from bastion.model.text import common_ends

MODELS = load_models()
# pieces that make and break the words the check looks for, and their surroundings
PIECES = ["argv", "sys.", "arg", "v", "import flask", "flask", "fla", "sk", "input", "input (",
          "(", " ", "\n", "  ", "def", "def handler", "handler", "_", "x", "environ", "getenv",
          "os.", "# ", "'", "django", "tornado", "b"]


@st.composite
def edits(draw):
    text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=30)))
    steps = []
    for _ in range(draw(st.integers(1, 12))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 8)))
        text = text[:start] + "".join(draw(st.lists(st.sampled_from(PIECES), max_size=3))) + text[end:]
        steps.append(text)
    return steps


@settings(max_examples=600, deadline=None)
@given(texts=edits())
def test_each_edit_is_answered_as_the_whole_text(texts):
    gate = SourceGate(MODELS)
    for text in texts:
        assert gate.may_read_sources(text) == MODELS.may_read_sources(text), text


def test_texts_of_other_documents_in_turn():
    gate = SourceGate(MODELS)
    reads = "import sys\n" + "x = 1\n" * 2000 + "y = sys.argv\n"
    plain = "z = 2\n" * 2000
    for text in [reads, plain, reads + "w = 3\n", plain.replace("z", "q", 1), reads]:
        assert gate.may_read_sources(text) == MODELS.may_read_sources(text)


def test_a_match_kept_outside_the_edit_and_one_the_edit_breaks():
    gate = SourceGate(MODELS)
    text = "import sys\nx = sys.argv\n" + "y = 1\n" * 100
    assert gate.may_read_sources(text)
    assert gate.may_read_sources(text + "z = 2\n")  # the witness is before the edit
    assert not gate.may_read_sources(text.replace("argv", "argz") + "z = 2\n")
    assert gate.may_read_sources(text.replace("argv", "argz").replace("y = 1", "v = input()", 1))


@given(old=st.text(alphabet="ab\n", max_size=20), new=st.text(alphabet="ab\n", max_size=20))
def test_the_changed_stretch_is_what_differs(old, new):
    """The stretch the gate searches around (`common_ends`, shared with the other incremental
    readers)."""
    start, tail = common_ends(old, new)
    old_end, new_end = len(old) - tail, len(new) - tail
    assert old[:start] == new[:start] and old[old_end:] == new[new_end:]
    assert start <= old_end and start <= new_end
