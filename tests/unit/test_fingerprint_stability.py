"""Fingerprints are baselines' and SARIF's identity of a finding: a change to how they are
computed (issue 11: tokenizing less of the file) must not change one value. The values here were
written by the code before that change, on each Python (3.12 tokenizes f-strings differently),
for varied generated files: strings, comments, continuation lines, f-strings, nested scopes,
`;`, one-line bodies, text that stops tokenizing, findings on comments and past the end."""

from __future__ import annotations

import hashlib
import json
import random
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.baseline import fingerprint
from bastion.baseline.fingerprint import fingerprints, legacy_fingerprints
from bastion.model import Finding, Level, Span

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "fingerprints_v1.json"
CASES = 300
RULES = ("B602", "B105", "BST301", "B101", "BST210")

_SIMPLE = (
    "x = 1",
    "subprocess.call(cmd, shell=True)",
    "password = 'hunter2' 'more'",
    "s = f\"{a!r} and {b:>{w}} {'q'}\"",
    "y = (a,\n{i}    b,\n{i})",
    "t = [1, 2,]  # trailing comma",
    "u = 1 + \\\n{i}    2",
    "v = '''doc\ndef fake():\n    x = 1\n'''",
    "w = b'\\x00' rb'raw'",
    "a = 1; b = eval(c);",
    "# a comment line with 'quotes'",
    "",
    "print(\"é😀\", 0x1F, 1_000, 1.5e3, 2j)",
    "k = {'a': [1, (2, 3)], **d}",
    "assert x, 'msg'",
    "lambda: (yield)",
    "z = u\"\\N{BULLET}\"",
)
_HEADERS = ("def f{n}(a, b=1):", "class C{n}(Base):", "async def g{n}(\n{i}    x,\n{i}):",
            "if x == 'a':", "for i in range(3):", "with open(p) as f:", "try:", "@decorator",
            "while True:", "def one{n}(): return eval(x)")
_BROKEN = ("s = 'unterminated", "x = (1,\n", "y = '''never closed\n", "\tmixed = 1", "z = $")


def _source(rng: random.Random) -> str:
    lines: list[str] = []
    depth = 0
    for n in range(rng.randint(1, 40)):
        indent = "    " * depth
        roll = rng.random()
        if roll < 0.2 and depth < 4:
            header = rng.choice(_HEADERS).replace("{n}", str(n)).replace("{i}", indent)
            lines.append(indent + header)
            if header.endswith(":"):
                depth += 1
                lines.append("    " * depth + rng.choice(_SIMPLE[:10]).replace("{i}", "    " * depth))
            if header == "try:":
                lines.append(indent + "except ValueError:")
                lines.append(indent + "    pass")
        elif roll < 0.3 and depth:
            depth = rng.randint(0, depth - 1)
        elif roll < 0.33:
            lines.append(indent + rng.choice(_BROKEN))
        else:
            lines.append(indent + rng.choice(_SIMPLE).replace("{i}", indent))
    text = "\n".join(lines)
    return text + rng.choice(("\n", "", "\n\n", "\r\n"))


def _findings(rng: random.Random, text: str) -> list[Finding]:
    lines = text.split("\n")
    found = []
    for _ in range(rng.randint(0, 12)):
        line = rng.randrange(len(lines) + 1)  # sometimes past the end
        width = len(lines[line]) if line < len(lines) else 0
        col = rng.randint(0, width)
        end_line = min(line + rng.randint(0, 2), len(lines))
        span = Span(line, col, end_line, rng.randint(0, 30))
        numbers = tuple(range(line, end_line + 1)) if rng.random() < 0.5 else ()
        found.append(Finding(rng.choice(RULES), "r", Level.HIGH, Level.HIGH, None, "m", span,
                             lines=numbers))
    return found


def _digest(text: str, found: list[Finding]) -> str:
    ordered = sorted(set(found), key=Finding.sort_key)
    new = fingerprints(found, text)
    old = legacy_fingerprints(found, text)
    values = [(f.rule_id, f.span.start_line, f.span.start_col, new[f], old.get(f))
              for f in ordered]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:16]


def digests() -> list[str]:
    rng = random.Random(20261203)
    out = []
    for _ in range(CASES):
        text = _source(rng)
        out.append(_digest(text, _findings(rng, text)))
    return out


VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}"


def test_fingerprints_equal_those_written_before():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8")).get(VERSION)
    if golden is None:
        pytest.skip(f"no values written on Python {VERSION}")
    changed = [i for i, (now, then) in enumerate(zip(digests(), golden, strict=True))
               if now != then]
    assert not changed, f"cases whose fingerprints changed: {changed[:20]}"


@settings(max_examples=examples(300), deadline=None)
@given(rng=st.randoms(use_true_random=False))
def test_keeping_only_the_statements_that_hold_a_finding_changes_no_fingerprint(rng):
    """The reference keeps every statement of the file (every line wanted), as the code before
    issue 11's SARIF cost fix did; fingerprints keep only those that hold a finding's line."""
    text = _source(rng)
    found = _findings(rng, text)
    kept = fingerprints(found, text), legacy_fingerprints(found, text)
    statements = fingerprint._statements
    fingerprint._statements = lambda source, wanted: statements(source, range(source.count("\n") + 1))
    try:
        assert kept == (fingerprints(found, text), legacy_fingerprints(found, text))
    finally:
        fingerprint._statements = statements


def test_fingerprinting_holds_the_tokens_of_the_findings_statements_only():
    text = "".join(f"def f{i}(a):\n    return call(a, 'x{i}', [1, 2])\n" for i in range(10_000))
    last = text.count("\n")
    found = [Finding("B307", "r", Level.HIGH, Level.HIGH, None, "m", Span(last, 0, last, 7))]
    tracemalloc.start()
    try:
        fingerprints(found, text + "eval(x)\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 15 * len(text), (peak, len(text))  # 54 MB before, 3.6 MB now (0.47 MB of text)


if __name__ == "__main__":  # writes this Python's values: only with the code they must equal
    table = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}
    table[VERSION] = digests()
    GOLDEN.write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", encoding="utf-8")
