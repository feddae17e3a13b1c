"""Whether a class sets a Content-Type (media_types.py judges a handler's `write` by it) is kept per
member node of the class across texts (`CalleeMemo.sets_content_type`): the block parser hands
back the members an edit left alone. Each version of a replay of edits, in the member that sets
the header, in the one that writes and elsewhere, has the findings a fresh analysis gives."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# a handler longer than the block parser's split (blocks.SPLIT_CLASS_LINES): parsed by member
PADDING = "".join(f"\n    def helper{n}(self):\n        return {n}\n" for n in range(30))
HANDLER = ("import tornado.web\n\n\nclass H(tornado.web.RequestHandler):\n"
           "    def set_default_headers(self):\n        self.set_header('Content-Type', '{kind}')\n"
           + PADDING
           + "\n    def get(self):\n        self.write(self.get_argument('name'))\n")


def described(findings) -> list[tuple]:
    return [(f.rule_id, f.span, f.message, f.confidence, f.steps) for f in findings]


def test_the_header_edited_in_another_member_changes_the_write_at_each_key():
    warm = TaintAnalyzer()
    kinds = ["application/json", "text/html", "application/json", "text/plain", "text/html"]
    found = [[f.rule_id for f in warm.analyse_file(HANDLER.replace("{kind}", kind), "h.py")]
             for kind in kinds]
    assert found == [[], ["BST203"], [], [], ["BST203"]]


def _edits(text: str, rng: random.Random, count: int):
    """Line edits, half of them on or next to a line that sends a header or writes."""
    lines = text.split("\n")
    marked = [n for n, line in enumerate(lines)
              if "_header(" in line or ".write(" in line]
    for _ in range(count):
        n = rng.choice(marked) if rng.random() < 0.5 else rng.randrange(len(lines))
        n = min(n, len(lines) - 1)
        action = rng.randrange(4)
        if action == 0:
            lines[n] = lines[n].replace("Content-Type", "Content-Length").replace("html", "json")
        elif action == 1:
            lines[n] = lines[n] + "  # edit"
        elif action == 2:
            lines.insert(n, lines[n][:len(lines[n]) - len(lines[n].lstrip())] + "pass")
        else:
            lines[n] = lines[n].replace("text/plain", "text/html").replace("json", "html")
        yield "\n".join(lines)


@pytest.mark.parametrize(("source", "seed"), [("handler", 0), ("handler", 1), ("http/server.py", 0)])
def test_warm_analysis_equals_fresh_analysis(source, seed):
    text = HANDLER.replace("{kind}", "application/json") if source == "handler" else \
        "import subprocess\n" + (STDLIB / source).read_text(encoding="utf-8")
    warm = TaintAnalyzer()
    warm.analyse_file(text, "m.py")
    for version in _edits(text, random.Random(seed), 12):
        assert described(warm.analyse_file(version, "m.py")) == described(
            TaintAnalyzer().analyse_file(version, "m.py")), version


def test_a_key_in_one_method_walks_that_member_not_the_class(monkeypatch):
    """The long class is a new node at each keystroke in one of its methods; its other members
    are the last text's, and are not walked again (argparse.py's classes cost 5 ms a key)."""
    from bastion.analyzers.taint import callees, media_types

    walked = []

    def counting(node):
        walked.append(node)
        return media_types.sets_content_type(node)

    monkeypatch.setattr(callees, "sets_content_type", counting)
    text = HANDLER.replace("{kind}", "text/html")  # no member answers: each is asked
    warm = TaintAnalyzer()
    warm.analyse_file(text, "h.py")
    walked.clear()
    edited = text.replace("self.write(self.get_argument('name'))",
                          "self.write(self.get_argument('name') + 'x')")
    assert [f.rule_id for f in warm.analyse_file(edited, "h.py")] == ["BST203"]
    # the class's base (its header) and the edited method
    assert [type(node).__name__ for node in walked] == ["Attribute", "FunctionDef"], walked
    assert walked[1].name == "get"
