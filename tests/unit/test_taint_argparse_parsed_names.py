"""The globals a module parses with (`NAME.parse_args()`), read backwards from each parse
(argparse_globals.parsed_names), are the names of the regex the analysis used before: random
texts of the pieces that matter, and the standard library's modules."""

from __future__ import annotations

import random
import re
import sysconfig
from pathlib import Path

from bastion.analyzers.taint.argparse_globals import parsed_names

_REGEX = re.compile(r"\b([A-Za-z_]\w*)\s*\.\s*parse_(?:known_)?(?:intermixed_)?args\b")
_PIECES = ["p", "PARSER", "_x", "9", "é", "x\u0662", "\u0662", "_", " ", "\t", "\n", "\u00a0", "\u2003",
           "\x1c", ".", "..", "(", ")", "parse_", "known_", "intermixed_", "args", "argsx", "#", "'",
           ".parse_args", ".parse_known_args", ".parse_intermixed_args", "parse_args"]


def test_random_texts_name_what_the_regex_names() -> None:
    rng = random.Random(105)
    for _ in range(20_000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 14)))
        assert parsed_names(text) == set(_REGEX.findall(text)), repr(text)


def test_the_standard_library_names_what_the_regex_names() -> None:
    found = 0
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("**/*.py"))[:1500]:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        names = parsed_names(text)
        assert names == set(_REGEX.findall(text)), path
        found += bool(names)
    assert found >= 5  # argparse's users: the comparison saw some names


def test_a_chain_after_a_parse_names_nothing_more() -> None:
    assert parsed_names("PARSER.parse_args .parse_args()") == {"PARSER"}
    assert parsed_names("1x.parse_args() é.parse_args() ab . \n parse_known_args") == {"ab"}
