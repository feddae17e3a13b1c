"""The name and module matchers of a module's foreign changes (foreign_changes.py,
container_changes.py) find by `str.find` and fixed patterns what the per-name regular
expressions they replaced found: kept here as the reference, and both run on hostile texts
(names with dots and spaces, spaces and newlines around dots, `\\b` boundaries, non-ASCII
words and digits, overlapping occurrences) and on random texts of those pieces."""

from __future__ import annotations

import random
import re

import pytest

from bastion.analyzers.taint import foreign_changes as fc
from bastion.analyzers.taint.container_changes import name_occurrences

HOSTILE = [
    "", "ALLOWED", "xALLOWED.append(1)\nALLOWED += [2]\n", "aa aaa a.a a_a a1 1a é.a aé a",
    "checks.ALLOWED.add(u)\nchecks . ALLOWED = []\nchecks\n.\nALLOWED += x\nmy_checks.ALLOWED = 1",
    "os.path.join = f\nos .path. sep = '/'\nos. path .sep += 'x'\npos.path.x = 1\nos.pathx.y = 2",
    "a..b.c = 1\na. .b.c = 2\na.b.c == 3\na.b.c <<= 4\n.a.b.c = 5\n_a.b.c = 6",
    "é.ß = 1\né . ß += 2\nxé.ß = 3\n中.文 = 4\nß٣.x = 5\nٍé.y = 6",
    "setattr(checks, 'CMD', x)\ndelattr( checks ,\"CMD\")\npatch.object(checks, name)\n",
    "xsetattr(checks, 'A', 1)\nsetattr\n(\n checks ,\n'CMD')",
    "vars(checks)['A'] = 1\nvars( checks . sub )\nvars(checksx)\nchecks.__dict__['B'] = 2\nchecks.__dict__x",
    "A = [1]\n  B: list = []\nC == 1\n\tD=2\nE\n= 3\n1F = 4\né = 5\n\nG :int = 1",
    "checks.checks.A = 1\nchecks.checks.checks.B = 2\nchecks.A.B = 3\nchecks.\n\tA\t+= 1",
    "a b = 1\na b.c = 2\nthe name a b\nab a b\n", "a\n.\tb.c = 1\nos\n.path .x = 2\nchecks . sub\n. A = 1",
    "é\n. ß . x += 1\na .\n. b.c = 1\nchecks.sub .\n __dict__\nvars(checks\n.sub)",
    "\nA=1", "A=1", "x = 1\n\n\n",
]
NAMES = ["ALLOWED", "a", "a.", "é ", "aa", "a.a", "a b", "é", "ß", "a1", "_", "os.path", "中", "CMD", "A"]
WRITTEN = ["checks", "a", "aa", "a.b", "a.b.c", "a..b", "a.", "os.path", "é", "é.ß", "中", "checks.sub", "ß٣"]
PIECES = ["a", "aa", "b", "c", "é", "ß", "中", "٣", "1", "_", "os", "path", "checks", "A", "B", "CMD",
          ".", " . ", "\n", "\t", " ", "=", "==", "+=", "**=", ":", "(", ")", ",", "'", '"', "[", "]",
          "__dict__", "setattr", "delattr", "object", "vars", "x", "sub", "\n  "]


def _texts() -> list[str]:
    chance = random.Random(323)
    return HOSTILE + ["".join(chance.choice(PIECES) for _ in range(chance.randrange(1, 60)))
                      for _ in range(400)]


def _old_occurrences(name: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(re.escape(name) + r"\b", text)
            if not (m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_."))]


def _old_module(written: str) -> str:
    return re.escape(written).replace(r"\.", r"\s*\.\s*")


def _spans(match: re.Match) -> tuple:
    return tuple(match.span(group) for group in range(1, (match.re.groups or 0) + 1))


@pytest.mark.parametrize("name", NAMES)
def test_name_occurrences_as_the_regex(name):
    for text in _texts():
        for padded in (text, name + text, text + name, text.replace("a", name)):
            found = [(m.start(), m.end()) for m in name_occurrences(name, padded)]
            assert found == _old_occurrences(name, padded), (name, padded)


@pytest.mark.parametrize("written", WRITTEN)
def test_module_matches_as_the_regex(written):
    for rest in (fc._REBOUND(), fc._DICT(), fc._ATTRIBUTE()):
        pattern = re.compile(_old_module(written) + rest.pattern)
        for text in _texts():
            spaced = written.replace(".", " \n. ")
            for padded in (text, text.replace("a", written), text.replace("a", spaced), written + text):
                matches = fc._module_matches(written.split("."), padded, rest)
                found = [(start, _spans(m)) for start, m in matches]
                assert found == [(m.start(), _spans(m)) for m in pattern.finditer(padded)], (written, padded)


@pytest.mark.parametrize("written", WRITTEN)
def test_after_module_as_the_regex(written):
    for rest in (fc._SETTER_REST(), fc._VARS_REST()):
        pattern = re.compile(_old_module(written) + rest.pattern)
        for text in _texts():
            padded = text.replace("x", written) + text.replace("x", written.replace(".", "\t.\n"))
            for position in range(len(padded) + 1):
                new = fc._after_module(written.split("."), padded, position, rest)
                old = pattern.match(padded, position)
                assert (new and (new.end(), _spans(new))) == (old and (old.end(), _spans(old))), padded


def test_bound_and_calls_as_the_regex():
    bound = re.compile(r"^[ \t]*([A-Za-z_]\w*)[ \t]*(?:=(?!=)|:)", re.MULTILINE)
    setters = re.compile(r"(?:setattr|delattr|object)\s*\(\s*")
    for text in _texts():
        assert fc._bound(text) == frozenset(bound.findall(text)), text
        assert fc._calls_at(text)[0] == fc._starts(setters, text), text
